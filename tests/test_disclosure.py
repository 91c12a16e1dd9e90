"""Public disclosure (民主监督, seed 003): county HR switches a township's public page on and
off (service, permission, audit), and the public pages show names, villages and scores only,
answer 404 for a township that does not disclose, never 500 on crafted input, and cost the
same number of queries as the records grow."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from assessment.kinds import MONTHLY_BULLETIN, PAY_SLIP
from assessment.services import month_publish
from audit.services import audit_trail
from core.identity import mask_id_number, mask_mobile
from demo import data
from demo.disclosure import DISCLOSING, demo_disclosure_load
from disclosure.selectors import DISCLOSED_KINDS
from organisation.models import Township
from organisation.services import township_set_disclosure
from paperwork import kinds
from paperwork.models import Document
from recruitment.constants import CampaignState
from recruitment.kinds import PUBLIC_NOTICE, RECRUITMENT_ANNOUNCEMENT
from tests.appraisal_support import confirmed
from tests.assessment_support import make_scheme, scored_month, seat_directors
from tests.builders import CampaignBuilder, Timetable, committee_member, county_officer
from tests.factories import CountyFactory, PolicyFactory, TownshipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    cache.clear()  # the public pages' rate limits
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def disclosed(township, hr):
    """A disclosing township with a published month (bulletin and slips), a confirmed year and
    a publicised campaign (announcement and public notice)."""
    make_scheme(township.county, 2026, by=hr)
    contracts = seat_directors(township, 4)
    committee = committee_member(township)
    month = month_publish(month=scored_month(township, ["95", "85", "75", "65"]), by=committee)
    grades = [
        ("excellent", "92.50"),
        ("competent", "85.00"),
        ("competent", "80.25"),
        ("basically_competent", "66.00"),
    ]
    for contract, (grade, score) in zip(contracts, grades, strict=True):
        confirmed(contract, 2025, grade, score)
    run = CampaignBuilder.open(
        township,
        by=committee,
        title=f"{township.name}村级人口主任公开选聘",
        villages=["新寨村"],
        timetable=Timetable.around(CampaignState.PUBLICISED),
    ).announce()
    applicant = run.apply("罗昇", birth=datetime.date(1994, 6, 1), written="80", interview="82")
    run.to(CampaignState.PUBLICISED)
    township_set_disclosure(township=township, on=True, by=hr)
    township.refresh_from_db()
    return {
        "township": township,
        "month": month,
        "contracts": contracts,
        "campaign": run.campaign,
        "applicant": applicant,
    }


def public_urls(township, month, campaign) -> dict[str, str]:
    return {
        "index": reverse("public:index"),
        "township": reverse("public:township", args=[township.pk]),
        "month": reverse("public:month", args=[township.pk, month.year, month.month]),
        "year": reverse("public:year", args=[township.pk, 2025]),
        "campaign": reverse("public:campaign", args=[township.pk, campaign.pk]),
    }


# The switch -----------------------------------------------------------------------------------


def test_county_hr_switches_disclosure_on_and_off_with_an_audit_row(township, hr):
    township_set_disclosure(township=township, on=True, by=hr)
    township.refresh_from_db()
    assert township.discloses_publicly
    assert township.disclosure_since == TODAY
    township_set_disclosure(township=township, on=False, by=hr)
    township.refresh_from_db()
    assert not township.discloses_publicly and township.disclosure_since is None
    entries = list(audit_trail(township).order_by("at", "pk"))
    assert [e.transition for e in entries] == ["disclosure_on", "disclosure_off"]
    assert entries[0].actor == hr
    assert entries[0].before["discloses_publicly"] is False
    assert entries[0].after["discloses_publicly"] is True


def test_switching_to_the_state_it_is_in_changes_nothing(township, hr):
    with pytest.raises(ValidationError, match="未作任何更改"):
        township_set_disclosure(township=township, on=False, by=hr)
    assert not audit_trail(township).exists()


@pytest.mark.parametrize(
    "role", [Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.VILLAGE_COMMITTEE, Role.DIRECTOR]
)
def test_only_county_hr_may_switch(township, role):
    fields = {"role": role, "county": township.county}
    if role != Role.DIRECTOR:
        fields["township"] = township
    user = UserFactory(**fields)
    with pytest.raises(PermissionDenied):
        township_set_disclosure(township=township, on=True, by=user)
    township.refresh_from_db()
    assert not township.discloses_publicly
    assert not audit_trail(township).exists()


def test_county_hr_of_another_county_may_not_switch(township, policy):
    stranger = county_officer(CountyFactory(name="镇宁布依族苗族自治县"))
    with pytest.raises(PermissionDenied):
        township_set_disclosure(township=township, on=True, by=stranger)


def test_administrator_may_switch(township, policy):
    admin = UserFactory(
        role=Role.ADMINISTRATOR, county=township.county, is_superuser=True, is_staff=True
    )
    township_set_disclosure(township=township, on=True, by=admin)
    township.refresh_from_db()
    assert township.discloses_publicly


def test_the_township_page_switches_it(client, township, hr):
    client.force_login(hr)
    page = client.get(reverse("organisation:township_detail", args=[township.pk]))
    assert "开启公开公示" in page.content.decode()
    url = reverse("organisation:township_disclosure", args=[township.pk])
    response = client.post(url, {"disclosure": "on"}, follow=True)
    assert response.status_code == 200
    township.refresh_from_db()
    assert township.discloses_publicly
    html = response.content.decode()
    assert reverse("public:township", args=[township.pk]) in html
    assert "关闭公开公示" in html
    assert client.post(url, {"disclosure": "maybe"}).status_code == 400


def test_the_township_committee_sees_the_state_but_no_switch(client, township, hr):
    committee = committee_member(township)
    client.force_login(committee)
    html = client.get(reverse("organisation:township_detail", args=[township.pk])).content.decode()
    assert "公开公示" in html and "开启公开公示" not in html
    url = reverse("organisation:township_disclosure", args=[township.pk])
    assert client.post(url, {"disclosure": "on"}).status_code == 403


# The public pages ----------------------------------------------------------------------------


def test_public_pages_show_names_and_scores_only(client, disclosed):
    township, month, campaign = disclosed["township"], disclosed["month"], disclosed["campaign"]
    urls = public_urls(township, month, campaign)
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["X-Robots-Tag"] == "noindex, nofollow", name
        assert response["Referrer-Policy"] == "same-origin", name
        pages[name] = response.content.decode()
    assert township.name in pages["index"]
    people = [c.person for c in disclosed["contracts"]]
    for person in people:
        assert person.name in pages["month"]
        assert person.name in pages["year"]
    assert "95.00" in pages["month"] and "92.50" in pages["year"] and "优秀" in pages["year"]
    applicant = disclosed["applicant"]
    assert applicant.name in pages["campaign"]
    assert str(applicant.composite_score) in pages["campaign"]
    secrets = []
    for number, phone in [(p.id_number, p.phone) for p in people] + [
        (applicant.id_number, applicant.phone)
    ]:
        secrets += [number, mask_id_number(number), phone, mask_mobile(phone)]
    for name, html in pages.items():
        for secret in secrets:
            if len(secret) >= 8:
                assert secret not in html, (name, secret)
    # Pay and deductions are in the bulletin's PDF, not on the page.
    assert "1700" not in pages["month"] and "扣减" not in pages["month"]


def test_the_township_page_links_the_disclosed_papers(client, disclosed):
    township = disclosed["township"]
    html = client.get(reverse("public:township", args=[township.pk])).content.decode()
    bulletin = Document.objects.get(kind=MONTHLY_BULLETIN)
    assert reverse("public:document", args=[township.pk, bulletin.pk]) in html
    html = client.get(
        reverse("public:campaign", args=[township.pk, disclosed["campaign"].pk])
    ).content.decode()
    for kind in (RECRUITMENT_ANNOUNCEMENT, PUBLIC_NOTICE):
        document = Document.objects.get(kind=kind, superseded_by__isnull=True)
        assert reverse("public:document", args=[township.pk, document.pk]) in html


def test_disclosed_papers_download_and_nothing_else(client, disclosed):
    township = disclosed["township"]
    for kind in (MONTHLY_BULLETIN, RECRUITMENT_ANNOUNCEMENT, PUBLIC_NOTICE):
        document = Document.objects.get(kind=kind, superseded_by__isnull=True)
        response = client.get(reverse("public:document", args=[township.pk, document.pk]))
        assert response.status_code == 200, kind
        assert response["Content-Type"] == "application/pdf"
        b"".join(response.streaming_content)
    hidden = Document.objects.exclude(kind__in=DISCLOSED_KINDS)
    assert hidden.filter(kind=PAY_SLIP).exists()
    for document in hidden:
        response = client.get(reverse("public:document", args=[township.pk, document.pk]))
        assert response.status_code == 404, document.kind
    # A disclosed paper asked for under another disclosing township is not found there.
    other = TownshipFactory(county=township.county, name="花江镇", discloses_publicly=True)
    bulletin = Document.objects.get(kind=MONTHLY_BULLETIN)
    assert client.get(reverse("public:document", args=[other.pk, bulletin.pk])).status_code == 404


def test_disclosed_kinds_never_carry_a_full_id_number():
    for code in DISCLOSED_KINDS:
        assert not kinds.get(code).carries_full_id, code


def test_a_township_switched_off_answers_404_everywhere(client, disclosed, hr):
    township = disclosed["township"]
    urls = public_urls(township, disclosed["month"], disclosed["campaign"])
    bulletin = Document.objects.get(kind=MONTHLY_BULLETIN)
    urls["document"] = reverse("public:document", args=[township.pk, bulletin.pk])
    township_set_disclosure(township=township, on=False, by=hr)
    for name, url in urls.items():
        if name == "index":
            assert township.name not in client.get(url).content.decode()
            continue
        response = client.get(url)
        assert response.status_code == 404, name
        assert township.name not in response.content.decode(), name
    unknown = client.get(reverse("public:township", args=[township.pk + 1000]))
    off = client.get(reverse("public:township", args=[township.pk]))
    assert unknown.status_code == off.status_code == 404
    assert unknown.content == off.content


def test_unpublished_months_and_unconfirmed_years_are_not_shown(client, disclosed, hr):
    township = disclosed["township"]
    scored = scored_month(township, ["90", "80", "70", "60"], month=11)  # scored, not published
    assert client.get(reverse("public:month", args=[township.pk, 2026, 11])).status_code == 404
    assert scored.state == "scored"
    contract = disclosed["contracts"][0]
    appraisal = confirmed(contract, 2024, "competent")
    type(appraisal).objects.filter(pk=appraisal.pk).update(state="rated")
    assert client.get(reverse("public:year", args=[township.pk, 2024])).status_code == 404
    html = client.get(reverse("public:township", args=[township.pk])).content.decode()
    assert "2024" not in html


CRAFTED = [
    ("township", {"months": "-1"}),
    ("township", {"months": "abc", "years": "1e9", "campaigns": "99999999999999999999"}),
    ("township", {"year": "99999", "month": "13"}),
    ("index", {"page": "-1"}),
    ("index", {"page": "abc"}),
    ("month", {"page": "0"}),
    ("month", {"page": "%00"}),
    ("year", {"page": "9" * 40}),
    ("campaign", {"page": "<script>"}),
]


@pytest.mark.parametrize(("page", "params"), CRAFTED)
def test_crafted_query_parameters_give_the_page(client, disclosed, page, params):
    urls = public_urls(disclosed["township"], disclosed["month"], disclosed["campaign"])
    response = client.get(urls[page], params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


BIG = 10**30


@pytest.mark.parametrize(
    "path",
    [
        "/public/0/",
        f"/public/{BIG}/",
        "/public/{t}/months/2026/13/",
        "/public/{t}/months/2026/0/",
        "/public/{t}/months/99999/10/",
        f"/public/{{t}}/months/{BIG}/10/",
        "/public/{t}/months/2026/-1/",
        "/public/{t}/months/abc/10/",
        "/public/{t}/results/99999/",
        "/public/{t}/results/1999/",
        f"/public/{{t}}/results/{BIG}/",
        "/public/{t}/campaigns/0/",
        f"/public/{{t}}/campaigns/{BIG}/",
        f"/public/{{t}}/documents/{BIG}/",
        "/public/{t}/documents/0/",
        "/public/{t}/documents/abc/",
    ],
)
def test_crafted_paths_answer_404(client, disclosed, path):
    response = client.get(path.format(t=disclosed["township"].pk))
    assert response.status_code == 404


def test_a_draft_campaign_is_not_public(client, disclosed):
    township = disclosed["township"]
    draft = CampaignBuilder.open(
        township,
        by=committee_member(township),
        title="草稿选聘",
        villages=["下寨村"],
        timetable=Timetable.around(CampaignState.ANNOUNCED),
    ).campaign
    assert client.get(reverse("public:campaign", args=[township.pk, draft.pk])).status_code == 404
    assert (
        "草稿选聘"
        not in client.get(reverse("public:township", args=[township.pk])).content.decode()
    )


def test_posting_to_a_public_page_is_refused(client, disclosed):
    url = reverse("public:township", args=[disclosed["township"].pk])
    assert client.post(url).status_code == 405


def test_the_public_pages_are_rate_limited(client, disclosed, settings):
    settings.CUNPIN_RATE_LIMITS = {"public_page": (3, 60)}
    url = reverse("public:index")
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_queries_stay_constant_as_records_grow(client, disclosed):
    township, month = disclosed["township"], disclosed["month"]
    urls = public_urls(township, month, disclosed["campaign"])
    before = {name: _queries(client, url) for name, url in urls.items()}
    # More townships, months and confirmed years.
    for i in range(3):
        TownshipFactory(county=township.county, name=f"新镇{i}", discloses_publicly=True)
    committee = committee_member(township)
    for number in (8, 9):
        month_publish(
            month=scored_month(township, ["91", "81", "71", "61"], month=number), by=committee
        )
    for contract in disclosed["contracts"]:
        confirmed(contract, 2024, "competent", "80")
    after = {name: _queries(client, url) for name, url in urls.items()}
    assert after == before


def test_the_month_page_is_paginated(client, township, hr):
    make_scheme(township.county, 2026, by=hr)
    seat_directors(township, 55)
    committee = committee_member(township)
    totals = [str(Decimal(99) - i) for i in range(55)]
    month = month_publish(month=scored_month(township, totals), by=committee)
    township_set_disclosure(township=township, on=True, by=hr)
    url = reverse("public:month", args=[township.pk, month.year, month.month])
    first = client.get(url).content.decode()
    assert "第 1 页，共 2 页" in first or "Page 1 of 2" in first
    assert "99.00" in first and "45.00" not in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "45.00" in second


def test_township_fixture_is_not_disclosing_by_default(township):
    assert Township.objects.get(pk=township.pk).discloses_publicly is False


def test_the_demo_switches_two_townships_on_once_and_keeps_a_choice(policy):
    county = CountyFactory(name=data.COUNTY["name"])
    PolicyFactory(county=county)
    for name in (*DISCLOSING, "关索街道"):
        TownshipFactory(county=county, name=name)
    hr = county_officer(county, username="county_hr")
    assert demo_disclosure_load() == 2
    assert demo_disclosure_load() == 0
    on = set(Township.objects.filter(discloses_publicly=True).values_list("name", flat=True))
    assert on == set(DISCLOSING)
    longtan = Township.objects.get(county__name=data.COUNTY["name"], name="龙潭街道")
    township_set_disclosure(township=longtan, on=False, by=hr)
    assert demo_disclosure_load() == 0
    longtan.refresh_from_db()
    assert not longtan.discloses_publicly


def test_an_edit_in_the_admin_leaves_the_switch_alone(client, township, hr):
    township_set_disclosure(township=township, on=True, by=hr)
    admin = UserFactory(
        role=Role.ADMINISTRATOR, county=township.county, is_superuser=True, is_staff=True
    )
    client.force_login(admin)
    response = client.post(
        reverse("admin:organisation_township_change", args=[township.pk]),
        {
            "county": township.county.pk,
            "name": "关索街道办",
            "kind": township.kind,
            "government": township.government,
            "discloses_publicly": "",  # read-only there: ignored
        },
    )
    assert response.status_code == 302
    township.refresh_from_db()
    assert township.name == "关索街道办"
    assert township.discloses_publicly and township.disclosure_since == TODAY
