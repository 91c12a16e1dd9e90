"""The permission matrix's rows for the inspection pages (``inspections.urls``), added to
``tests.test_permission_matrix.MATRIX``. The office officer of each side leads its days
(``tests.inspections_support.inspection_days``); an action on a day is for its leader alone,
so the administrator, who leads none, is refused by the service (403)."""

from django.urls import reverse

from tests.inspections_support import correction_data, inspection_days, record_data


def day_url(name: str, which: str):
    return lambda world, side: reverse(name, args=[getattr(inspection_days(world, side), which).pk])


def record_url(world, side: str) -> str:
    days = inspection_days(world, side)
    return reverse("inspections:record", args=[days.started.pk, days.village.pk])


def correct_url(world, side: str) -> str:
    return reverse("inspections:correct", args=[inspection_days(world, side).record.pk])


def rows(Row, expect, plain, *, LOGIN, REDIRECT, SCOPED):
    """The rows, built with the matrix module's own ``Row`` and ``expect``."""
    reader = expect(
        admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
    )
    leader_post = expect(
        admin=403, county=403, committee=403, office=(REDIRECT, 404), village=403, director=403
    )
    return [
        Row(
            "inspections:list",
            plain("inspections:list"),
            expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
        ),
        Row(
            "inspections:new",
            plain("inspections:new"),
            expect(admin=200, county=403, committee=403, office=200, village=403, director=403),
        ),
        Row("inspections:day", day_url("inspections:day", "started"), reader),
        Row("inspections:start", day_url("inspections:start", "planned"), leader_post, "post"),
        Row("inspections:end", day_url("inspections:end", "started"), leader_post, "post"),
        Row("inspections:record", record_url, leader_post, "post", record_data),
        Row("inspections:correct", correct_url, leader_post, "post", correction_data),
    ]
