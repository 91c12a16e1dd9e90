"""Template context shared by every page."""

from web.site import site


def staff_site(request) -> dict:
    """The viewflow site, so that pages outside it (login, verification, error pages, views
    rendered by other apps) can still draw the Material menu from ``templates/base.html``."""
    return {"cunpin_site": site}
