"""The permission matrix's rows for the notification settings page (``notifications.urls``),
added to ``tests.test_permission_matrix.MATRIX``: every signed-in user has their own settings
(the page shows and saves only theirs); an anonymous visitor is sent to the login page."""


def rows(Row, expect, plain, *, LOGIN, REDIRECT, SCOPED):
    """The rows, built with the matrix module's own ``Row`` and ``expect``."""
    own_page = expect(
        admin=200, county=200, committee=200, office=200, village=200, director=200, anonymous=LOGIN
    )
    return [Row("notifications:settings", plain("notifications:settings"), own_page)]
