"""The permission matrix's rows for the REST API (``api.urls``), added to
``tests.test_permission_matrix.MATRIX``: every endpoint × every role × own and foreign
township, on the matrix's world (``tests.matrix_support``).

The matrix's client signs in with the session; a request without credentials is answered
401 (with ``WWW-Authenticate: Token``), the schema's pages send it to the sign-in page.
A step's row posts valid data: a role that may take the step meets the record's state
(409 where the world's record is not at that step), a role that may not is refused (403),
a record of another township is not found (404).
"""

from django.urls import reverse
from django.utils import timezone

from tests.assessment_matrix_support import side_month

UNAUTHENTICATED = 401


def api(name: str, record=None):
    """The URL of ``api:<name>``; ``record(world, side)`` gives the record of a detail URL."""
    if record is None:
        return lambda world, side: reverse(f"api:{name}")
    return lambda world, side: reverse(f"api:{name}", args=[record(world, side).pk])


def of_side(attribute: str):
    return lambda world, side: getattr(world.side(side), attribute)


def contract(world, side):
    return world.term(side).contract


def course(world, side):
    return world.course(side)


def attendance(world, side):
    return world.course(side).attendances.get()


def score(world, side):
    return side_month(world, side).scores.get()


def campaign(world, side):
    return world.recruitment(side).campaign


def application(world, side):
    return world.recruitment(side).application


def vacancy(world, side):
    from tests.test_permission_matrix import vacancy_of

    return vacancy_of(world, side)


def acting_data(world, side):
    from tests.test_permission_matrix import acting_data as page_data

    return page_data(world, side)


def rows(Row, expect, *, LOGIN, SCOPED):
    """The rows, built with the matrix module's own ``Row`` and ``expect``."""

    def reads(*, admin, county, committee, office, village, director):
        return expect(
            admin=admin,
            county=county,
            committee=committee,
            office=office,
            village=village,
            director=director,
            anonymous=UNAUTHENTICATED,
        )

    everyone = reads(admin=200, county=200, committee=200, office=200, village=200, director=200)
    place_list = reads(admin=200, county=200, committee=200, office=200, village=200, director=403)
    place = reads(
        admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=403
    )
    all_scoped = reads(
        admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
    )
    campaign_reader = reads(
        admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
    )
    application_reader = reads(
        admin=200, county=200, committee=SCOPED, office=403, village=403, director=403
    )
    vacancy_reader = campaign_reader
    term_action = reads(
        admin=(200, 200), county=403, committee=(200, 404), office=403, village=403, director=403
    )
    docs = expect(
        admin=200, county=200, committee=200, office=200, village=200, director=200, anonymous=LOGIN
    )
    today = timezone.localdate().isoformat()
    return [
        Row("api:schema", api("schema"), everyone),
        Row("api:docs", api("docs"), docs),
        # Organisation
        Row("api:township-list", api("township-list"), place_list),
        Row("api:township-detail", api("township-detail", of_side("township")), place),
        Row("api:village-list", api("village-list"), place_list),
        Row("api:village-detail", api("village-detail", of_side("village")), place),
        Row(
            "api:village-population",
            api("village-population", of_side("village")),
            reads(
                admin=200, county=200, committee=(200, 404), office=403, village=403, director=403
            ),
            method="post",
            data=lambda world, side: {
                "registered_population": 2600,
                "effective_date": today,
                "reason": "2026年人口统计年报",
            },
        ),
        Row("api:post-list", api("post-list"), place_list),
        Row("api:post-detail", api("post-detail", of_side("post")), place),
        # People: a director reads their own record, not the list
        Row("api:person-list", api("person-list"), place_list),
        Row("api:person-detail", api("person-detail", of_side("person")), all_scoped),
        # Recruitment
        Row(
            "api:campaign-list",
            api("campaign-list"),
            reads(admin=200, county=200, committee=200, office=200, village=403, director=403),
        ),
        Row("api:campaign-detail", api("campaign-detail", campaign), campaign_reader),
        Row(
            "api:application-list",
            api("application-list"),
            reads(admin=200, county=200, committee=200, office=403, village=403, director=403),
        ),
        Row("api:application-detail", api("application-detail", application), application_reader),
        # Contracts: a director reads their own
        Row("api:contract-list", api("contract-list"), everyone),
        Row("api:contract-detail", api("contract-detail", contract), all_scoped),
        # The contract flow's steps: the world's contract is in force, so its tasks meet a
        # contract past that step (409); the signing task is the own committee member's, the
        # county's tasks the county HR officer's (the administrator works neither: 403).
        Row(
            "api:contract-sign",
            api("contract-sign", contract),
            reads(
                admin=403, county=403, committee=(409, 404), office=403, village=403, director=403
            ),
            method="post",
            data=lambda world, side: {
                "signatory": "王明",
                "township_on": today,
                "director_on": today,
            },
        ),
        Row(
            "api:contract-file",
            api("contract-file", contract),
            reads(admin=403, county=409, committee=403, office=403, village=403, director=403),
            method="post",
            data=lambda world, side: {"filing_number": "关人备2026-001"},
        ),
        Row(
            "api:contract-record-induction",
            api("contract-record-induction", contract),
            reads(admin=403, county=409, committee=403, office=403, village=403, director=403),
            method="post",
            data=lambda world, side: {"on": today, "note": ""},
        ),
        # Vacancies: the township committee acts on its own township's
        Row(
            "api:vacancy-list",
            api("vacancy-list"),
            reads(admin=200, county=200, committee=200, office=200, village=403, director=403),
        ),
        Row("api:vacancy-detail", api("vacancy-detail", vacancy), vacancy_reader),
        Row(
            "api:vacancy-acting",
            api("vacancy-acting", vacancy),
            term_action,
            method="post",
            data=acting_data,
        ),
        # No reserve candidate to offer the post to: the service refuses (409).
        Row(
            "api:vacancy-offer",
            api("vacancy-offer", vacancy),
            reads(
                admin=409, county=403, committee=(409, 404), office=403, village=403, director=403
            ),
            method="post",
        ),
        # Training
        Row("api:course-list", api("course-list"), everyone),
        Row("api:course-detail", api("course-detail", course), all_scoped),
        Row("api:attendance-list", api("attendance-list"), everyone),
        Row("api:attendance-detail", api("attendance-detail", attendance), all_scoped),
        # Monthly scores: the months' readers; a director their own published scores (the
        # world's month is still open: not found)
        Row(
            "api:monthlyscore-list",
            api("monthlyscore-list"),
            reads(admin=200, county=200, committee=200, office=200, village=403, director=200),
        ),
        Row(
            "api:monthlyscore-detail",
            api("monthlyscore-detail", score),
            reads(
                admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=404
            ),
        ),
        # Documents
        Row("api:document-list", api("document-list"), everyone),
        Row("api:document-detail", api("document-detail", of_side("document")), all_scoped),
    ]
