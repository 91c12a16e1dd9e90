"""The permission matrix's rows for the Excel exports of the lists (``web.exports``), added to
``tests.test_permission_matrix.MATRIX``. Each export answers whoever may open its list, as
the list does: the same roles, the same 404 for another township's record (a campaign, a
month, a course, a township), the same redirect of a director to their own term. What the
files hold for each role, own and foreign township, is checked in ``tests/test_exports.py``."""

from django.urls import reverse

from tests.assessment_matrix_support import month_url

EXPORTS = [
    "people:export",
    "organisation:village_export",
    "recruitment:campaign_export",
    "recruitment:review_export",
    "contracts:export",
    "vacancies:export",
    "assessment:month_export",
    "assessment:county_export",
    "training:export",
    "training:attendance_export",
    "training:compliance_export",
    "appraisal:township_year_export",
]


def campaign_url(world, side: str) -> str:
    return reverse("recruitment:review_export", args=[world.recruitment(side).campaign.pk])


def township_url(world, side: str) -> str:
    return reverse("organisation:village_export", args=[world.side(side).township.pk])


def course_url(world, side: str) -> str:
    return reverse("training:attendance_export", args=[world.course(side).pk])


def appraisal_url(world, side: str) -> str:
    from tests.appraisal_support import matrix_records

    township = matrix_records(world, side).township
    return reverse("appraisal:township_year_export", args=[township.pk, 2025])


def rows(Row, expect, plain, *, REDIRECT, SCOPED):
    """The rows, built with the matrix module's own ``Row`` and ``expect``."""
    return [
        Row(
            "people:export",
            plain("people:export"),
            expect(admin=200, county=200, committee=200, office=200, village=200, director=403),
        ),
        Row(
            "organisation:village_export",
            township_url,
            expect(
                admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=403
            ),
        ),
        Row(
            "recruitment:campaign_export",
            plain("recruitment:campaign_export"),
            expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
        ),
        Row(
            "recruitment:review_export",
            campaign_url,
            expect(admin=200, county=200, committee=SCOPED, office=403, village=403, director=403),
        ),
        Row(
            "contracts:export",
            plain("contracts:export"),
            expect(
                admin=200, county=200, committee=200, office=200, village=200, director=REDIRECT
            ),
        ),
        Row(
            "vacancies:export",
            plain("vacancies:export"),
            expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
        ),
        Row(
            "assessment:month_export",
            month_url("assessment:month_export"),
            expect(
                admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
            ),
        ),
        Row(
            "assessment:county_export",
            plain("assessment:county_export"),
            expect(admin=403, county=200, committee=403, office=403, village=403, director=403),
        ),
        Row(
            "training:export",
            plain("training:export"),
            expect(admin=200, county=200, committee=200, office=200, village=200, director=200),
        ),
        Row(
            "training:attendance_export",
            course_url,
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
            "training:compliance_export",
            plain("training:compliance_export"),
            expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
        ),
        Row(
            "appraisal:township_year_export",
            appraisal_url,
            expect(
                admin=200, county=200, committee=SCOPED, office=403, village=SCOPED, director=403
            ),
        ),
    ]
