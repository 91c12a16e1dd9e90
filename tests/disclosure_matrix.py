"""The permission matrix's rows for public disclosure (``disclosure.urls``, mounted at
/public/) and its switch on the township's page, added to
``tests.test_permission_matrix.MATRIX``. Both townships of the matrix's world disclose (county
HR switched them on), so the public pages answer 200 to every role and to a visitor without an
account, on both sides; only county HR and the administrator may switch."""

from django.urls import reverse

from accounts.constants import Role
from assessment.constants import MonthState
from assessment.kinds import MONTHLY_BULLETIN


def disclosed(world, side: str) -> dict:
    """The side's township switched on, with a published month (its bulletin), a confirmed
    year (2024) and, for the campaign's row, its publicised campaign."""
    from organisation.services import township_set_disclosure
    from tests.appraisal_support import confirmed, month, score
    from tests.matrix_support import make_document

    records = world.__dict__.setdefault("_disclosure", {})
    if side not in records:
        township = world.side(side).township
        township_set_disclosure(township=township, on=True, by=world.users[Role.COUNTY_HR])
        contract = world.term(side).contract
        score(contract, 2026, 9, "88", state=MonthState.PUBLISHED)
        published = month(township, 2026, 9)
        bulletin = make_document(
            world.side(side).person, kind=MONTHLY_BULLETIN, title="月度考核通报", subject=published
        )
        confirmed(contract, 2024, "competent")
        records[side] = {"township": township, "month": published, "bulletin": bulletin}
    return records[side]


def public_url(name: str):
    def build(world, side: str) -> str:
        found = disclosed(world, side)
        township = found["township"].pk
        if name == "public:index":
            return reverse(name)
        if name == "public:township":
            return reverse(name, args=[township])
        if name == "public:month":
            return reverse(name, args=[township, 2026, 9])
        if name == "public:year":
            return reverse(name, args=[township, 2024])
        if name == "public:document":
            return reverse(name, args=[township, found["bulletin"].pk])
        return reverse(name, args=[township, world.recruitment(side).campaign.pk])

    return build


def switch_url(world, side: str) -> str:
    return reverse("organisation:township_disclosure", args=[world.side(side).township.pk])


def rows(Row, expect, everyone, *, LOGIN, REDIRECT):
    """The rows, built with the matrix module's own ``Row``, ``expect`` and ``everyone``."""
    switcher = expect(
        admin=REDIRECT, county=REDIRECT, committee=403, office=403, village=403, director=403
    )
    public = everyone(200, anonymous=200)
    return [
        Row(
            "organisation:township_disclosure",
            switch_url,
            switcher,
            "post",
            lambda world, side: {"disclosure": "on"},
        ),
        *[
            Row(name, public_url(name), public)
            for name in (
                "public:index",
                "public:township",
                "public:month",
                "public:year",
                "public:campaign",
                "public:document",
            )
        ],
    ]
