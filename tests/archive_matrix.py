"""The permission matrix's rows for the personnel archive (``archive.views``, mounted in
``people.urls``), added to ``tests.test_permission_matrix.MATRIX``.

Whoever reads a person reads their archive, within the same scope: the township's staff and
village committee their own township's and village's, a director their own record. Only
county HR (and the administrator) issue its extract; the others are refused (403) before the
person is looked up."""


def rows(Row, expect, of_side, *, REDIRECT, SCOPED):
    """The rows, built with the matrix module's own ``Row``, ``expect`` and ``of_side``."""
    return [
        Row(
            "people:archive",
            of_side("people:archive", "person"),
            expect(
                admin=200,
                county=200,
                committee=SCOPED,
                office=SCOPED,
                village=SCOPED,
                director=SCOPED,
            ),
        ),
        Row(
            "people:archive_issue",
            of_side("people:archive_issue", "person"),
            expect(
                admin=REDIRECT,
                county=REDIRECT,
                committee=403,
                office=403,
                village=403,
                director=403,
            ),
            method="post",
            data=lambda world, side: {"seen": ""},
        ),
    ]
