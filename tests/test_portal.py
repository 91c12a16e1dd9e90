"""The director's portal (web.portal): their "/" and 我的聘期 show their own term, with the
month's score, ranks, pay and deduction as the assessment stored them, the township's ranking
as its bulletin prints it (names, villages and scores), charts of the last 24 months, and the
same number of queries however much data there is.

The county of these tests: 关索街道 has 李娜, 王芳 and 张丽 (contracts from 2025-01-01 to
2027-12-31), 花江镇 has 罗朝英 and 韦春燕. October 2026 is scored and published in both:

=========  ======  ===========  ==============  =====================  ===========
director   score   township     county          deduction (band)       pay
=========  ======  ===========  ==============  =====================  ===========
韦春燕     95.00   1 of 2       1 of 5          0% → 0.00              1700.00
李娜       92.50   1 of 3       2 of 5          0% → 0.00              1700.00
王芳       85.00   2 of 3       3 of 5          5% → 85.00             1615.00
罗朝英     80.00   2 of 2       4 of 5          5% → 85.00             1615.00
张丽       78.40   3 of 3       5 of 5          10% → 170.00           1530.00
=========  ======  ===========  ==============  =====================  ===========
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from assessment.constants import MonthState
from assessment.kinds import PAY_SLIP
from assessment.models import MonthlyScore
from assessment.selectors import BulletinRow, Standing, bulletin_excerpt, standing
from assessment.services import month_publish
from contracts.constants import ContractState
from contracts.models import Contract, Resignation
from earlywarnings.constants import WarningRule
from earlywarnings.models import Warning
from paperwork.models import DocumentKind
from tests.assessment_support import make_scheme, scored_month, seat_directors
from tests.builders import committee_member, contract_in_force
from tests.factories import PersonFactory, UserFactory
from tests.matrix_support import make_document
from tests.warnings_support import published_month
from tests.workflow_support import quick_pdf
from training.constants import CourseKind
from training.models import Attendance, Course
from web.portal import director_portal, score_charts

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
START = datetime.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def county_month(county, township, other_township, hr, monkeypatch):
    """October 2026 scored and published in both townships (the module's table), with the
    bulletins and slips (printed on blank pages)."""
    quick_pdf(monkeypatch)
    make_scheme(county, 2026, by=hr)
    own = seat_directors(township, 3, start=START)  # 张丽, 王芳, 李娜
    foreign = [
        contract_in_force(other_township, start=START, birth=datetime.date(1988, 3, 1), name=n)
        for n in ("韦春燕", "罗朝英")
    ]
    # Totals in the pinyin order of the names: 李娜, 王芳, 张丽; 罗朝英, 韦春燕.
    month_publish(
        month=scored_month(township, ["92.50", "85", "78.40"]), by=committee_member(township)
    )
    month_publish(
        month=scored_month(other_township, ["80", "95"]), by=committee_member(other_township)
    )
    people = {c.person.name: c for c in [*own, *foreign]}
    return SimpleNamespace(contracts=people, users={n: c.person.user for n, c in people.items()})


def score_of(name: str) -> MonthlyScore:
    return MonthlyScore.objects.select_related("month__township", "person", "village").get(
        person__name=name
    )


# The month: score, ranks, pay and deduction ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ranks", "percent", "deduction", "pay"),
    [
        ("韦春燕", Standing(1, 2, 1, 5), "0", "0.00", "1700.00"),
        ("李娜", Standing(1, 3, 2, 5), "0", "0.00", "1700.00"),
        ("王芳", Standing(2, 3, 3, 5), "5", "85.00", "1615.00"),
        ("罗朝英", Standing(2, 2, 4, 5), "5", "85.00", "1615.00"),
        ("张丽", Standing(3, 3, 5, 5), "10", "170.00", "1530.00"),
    ],
)
def test_the_month_at_the_top_is_as_stored(county_month, name, ranks, percent, deduction, pay):
    portal = director_portal(county_month.users[name])
    month = portal.month
    assert month is not None
    assert month.standing == ranks
    assert month.score.deduction_percent == Decimal(percent)
    assert month.score.deduction == Decimal(deduction)
    assert month.score.pay == Decimal(pay)
    assert month.score.base_pay == Decimal("1700.00")


def test_the_county_rank_counts_published_months_only(county_month, county):
    """A township whose month is scored but not published ranks nobody yet."""
    from tests.factories import TownshipFactory

    third = TownshipFactory(county=county, name="岗乌镇")
    best = contract_in_force(third, start=START, birth=datetime.date(1980, 1, 1), name="王明英")
    published_month(third, 2026, 10, {best: "99"}, state=MonthState.SCORED)
    assert standing(score_of("王芳")) == Standing(2, 3, 3, 5)
    published_month(third, 2026, 9, {best: "99"})  # another month counts for nobody in October
    assert standing(score_of("王芳")) == Standing(2, 3, 3, 5)


def test_equal_totals_share_a_county_rank(county_month, county, other_township):
    MonthlyScore.objects.filter(person__name="罗朝英").update(total=Decimal("85.00"))
    assert standing(score_of("王芳")).county_rank == 3
    assert standing(score_of("罗朝英")).county_rank == 3
    assert standing(score_of("张丽")).county_rank == 5


def test_the_page_shows_the_month_and_only_names_and_scores_of_others(
    client, county_month, english
):
    client.force_login(county_month.users["王芳"])
    html = client.get("/").content.decode()
    for text in ("85.00", "1615.00", "1700.00", "407", "Rank in the county"):
        assert text in html, text
    # The township's ranking as its bulletin prints it: names, villages and scores.
    for name, total in (("李娜", "92.50"), ("张丽", "78.40")):
        assert name in html and total in html
    # Nothing else of the colleagues: neither their pay nor their ID numbers or phones.
    colleague = county_month.contracts["张丽"].person
    assert "1530.00" not in html and "170.00" not in html
    assert colleague.id_number not in html and colleague.masked_id_number not in html
    assert colleague.phone not in html
    # The other township's directors are in the county rank's count, not by name.
    assert "韦春燕" not in html and "罗朝英" not in html


def test_the_page_never_reads_every_director_of_the_county(county_month):
    """The county rank is one aggregate query; the ranking reads at most its lines."""
    with CaptureQueriesContext(connection) as queries:
        director_portal(county_month.users["王芳"])
    score_reads = [
        q["sql"] for q in queries.captured_queries if "assessment_monthlyscore" in q["sql"]
    ]
    assert any("COUNT(" in sql for sql in score_reads)
    assert all("LIMIT" in sql or "COUNT(" in sql for sql in score_reads), score_reads


# The township's ranking -------------------------------------------------------------------------


@pytest.fixture
def fifteen(township):
    """15 directors of 关索街道, October published with totals 99, 98, … 85 in the pinyin order
    of their names."""
    contracts = seat_directors(township, 15, start=START)
    contracts.sort(key=lambda c: (c.person.name_pinyin, c.person_id))
    totals = {c: str(99 - index) for index, c in enumerate(contracts)}
    published_month(township, 2026, 10, totals)
    return contracts


def rows(lines: list[BulletinRow]) -> list[tuple[int, bool]]:
    return [(row.rank, row.own) for row in lines]


def test_the_ranking_lists_the_top_ten_and_the_ranks_around_the_director(fifteen):
    excerpt = bulletin_excerpt(score_of(fifteen[13].person.name))  # rank 14
    assert rows(excerpt.top) == [(rank, False) for rank in range(1, 11)]
    assert rows(excerpt.around) == [(12, False), (13, False), (14, True), (15, False)]
    assert excerpt.gap  # rank 11 is left out
    assert excerpt.top[0] == BulletinRow(
        1, fifteen[0].person.name, fifteen[0].post.village.name, Decimal("99.00")
    )


def test_no_gap_right_after_the_top_ten(fifteen):
    excerpt = bulletin_excerpt(score_of(fifteen[10].person.name))  # rank 11
    assert rows(excerpt.around) == [(11, True), (12, False), (13, False)]
    assert not excerpt.gap


def test_a_director_in_the_top_ten_sees_the_top_ten_only(fifteen):
    excerpt = bulletin_excerpt(score_of(fifteen[4].person.name))  # rank 5
    assert (5, True) in rows(excerpt.top) and len(excerpt.top) == 10
    assert excerpt.around == [] and not excerpt.gap


def test_the_ranking_stays_short_when_many_share_a_rank(township):
    """25 equal totals share rank 1, then the director at rank 26: the top is cut at the
    excerpt's length, and the director's own line is there all the same."""
    contracts = seat_directors(township, 26, start=START)
    contracts.sort(key=lambda c: (c.person.name_pinyin, c.person_id))
    totals = {c: "90" for c in contracts[:25]}
    totals[contracts[25]] = "60"
    published_month(township, 2026, 10, totals)
    excerpt = bulletin_excerpt(score_of(contracts[25].person.name))
    assert len(excerpt.top) == 20 and {row.rank for row in excerpt.top} == {1}
    assert rows(excerpt.around) == [(26, True)]
    assert excerpt.gap


# The charts of the last 24 months --------------------------------------------------------------


def test_the_charts_cover_the_last_24_months_with_gaps(township):
    (contract,) = seat_directors(township, 1, start=datetime.date(2024, 1, 1))
    for year, month, total in (
        (2024, 10, "70"),
        (2024, 11, "81"),
        (2026, 8, "80"),
        (2026, 10, "85"),
    ):
        published_month(township, year, month, {contract: total})
    portal = director_portal(contract.person.user)
    # 2024-10 is older than the 24 months up to 2026-10: neither drawn nor listed.
    assert [(s.month.year, s.month.month) for s, _slip in portal.scores] == [
        (2026, 10),
        (2026, 8),
        (2024, 11),
    ]
    with translation.override("en"):
        score_chart, rank_chart = score_charts([s for s, _slip in portal.scores])
    assert score_chart is not None and rank_chart is not None
    labels = score_chart.config["data"]["labels"]
    assert labels[0] == "2024-11" and labels[-1] == "2026-10" and len(labels) == 24
    data = score_chart.config["data"]["datasets"][0]["data"]
    assert data[0] == 81.0 and data[-3:] == [80.0, None, 85.0]
    assert data.count(None) == 21
    assert rank_chart.config["data"]["datasets"][0]["data"][-1] == 1.0
    y = rank_chart.config["options"]["scales"]["y"]
    assert y["reverse"] is True and y["ticks"] == {"precision": 0}  # 1 on top, whole ranks


def test_no_chart_without_a_published_month(township):
    (contract,) = seat_directors(township, 1, start=START)
    published_month(township, 2026, 10, {contract: "80"}, state=MonthState.SCORED)
    portal = director_portal(contract.person.user)
    assert portal.scores == [] and portal.month is None
    assert portal.score_chart is None and portal.rank_chart is None


# Constant queries ---------------------------------------------------------------------------------


def grow(contract: Contract, user) -> None:
    """Three years of a director's records: 35 more published months (with a colleague), 40
    documents, warnings, training courses attended over three years and an earlier contract."""
    township = contract.township
    colleague = contract_in_force(
        township, start=START, birth=datetime.date(1990, 5, 5), name="黄美玲"
    )
    month = datetime.date(2023, 11, 1)
    while month < datetime.date(2026, 10, 1):
        published_month(township, month.year, month.month, {contract: "82", colleague: "88"})
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    for index in range(40):
        make_document(
            contract.person, title=f"文书{index}", kind=DocumentKind.VILLAGE_POST_REGISTER
        )
    for index in range(5):
        Warning.objects.create(
            person=contract.person,
            contract=contract,
            township=township,
            policy=contract.policy,
            rule=WarningRule.LOW_SCORE,
            period=f"2026-0{index + 1}",
            score=Decimal("55"),
            pass_line=contract.policy.warning_pass_line,
            opened_on=datetime.date(2026, index + 1, 5),
        )
    for year in (2024, 2025, 2026):
        course = Course.objects.create(
            county=township.county,
            kind=CourseKind.REFRESHER,
            year=year,
            title=f"{year}年知识更新培训",
            starts_on=datetime.date(year, 6, 2),
            ends_on=datetime.date(year, 6, 4),
            days=Decimal("3"),
            hours=Decimal("18"),
            created_by=user,
        )
        Attendance.objects.create(
            course=course, person=contract.person, days=Decimal("3"), hours=18, recorded_by=user
        )
    Course.objects.create(
        county=township.county,
        kind=CourseKind.REFRESHER,
        year=2027,
        title="2027年知识更新培训",
        starts_on=datetime.date(2027, 6, 2),
        ends_on=datetime.date(2027, 6, 4),
        days=Decimal("3"),
        hours=Decimal("18"),
        created_by=user,
    )
    Contract.objects.create(
        person=contract.person,
        post=contract.post,
        township=township,
        policy=contract.policy,
        state=ContractState.RENEWED,
        term_years=3,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2024, 12, 31),
        monthly_pay=Decimal("1700.00"),
        activated_on=datetime.date(2022, 1, 1),
    )


def test_the_portal_runs_the_same_queries_with_one_month_and_three_years(client, township, hr):
    (contract,) = seat_directors(township, 1, start=START)
    published_month(township, 2026, 10, {contract: "85"})
    make_document(contract.person)
    user = contract.person.user
    client.force_login(user)
    client.get("/")  # warm the caches (content types, the session)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    grow(contract, hr)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/")
    assert response.status_code == 200
    portal = response.context["dashboard"]
    assert len(portal.scores) == 24 and portal.document_count == 41
    assert len(portal.earlier) == 1 and len(portal.warnings) == 5
    assert [c.title for c in portal.documents[0].documents][:1] == ["文书39"]
    assert len(large) == len(small), "\n".join(q["sql"][:120] for q in large.captured_queries)


# Who sees what ------------------------------------------------------------------------------------


def test_my_term_is_the_same_portal(client, county_month):
    client.force_login(county_month.users["王芳"])
    home, mine = client.get("/"), client.get(reverse("my_term:index"))
    assert mine.status_code == 200
    assert home.templates[0].name == mine.templates[0].name == "web/portal.html"
    assert mine.context["dashboard"].month.standing == home.context["dashboard"].month.standing


def test_staff_have_no_portal(client, county_month, township):
    client.force_login(committee_member(township))
    assert client.get(reverse("my_term:index")).status_code == 403
    assert client.get("/").templates[0].name == "web/dashboard_township.html"


def test_a_director_sees_only_their_own_records(client, county_month):
    own = county_month.contracts["王芳"]
    other = county_month.contracts["张丽"]
    mine = make_document(own.person, title="王芳的文书")
    make_document(other.person, title="张丽的文书")
    Resignation.objects.create(
        contract=other,
        requested_on=datetime.date(2026, 11, 18),
        requested_by=other.person.user,
        notice_ends_on=datetime.date(2026, 12, 18),
    )
    client.force_login(county_month.users["王芳"])
    response = client.get("/")
    portal = response.context["dashboard"]
    assert portal.person == own.person and portal.contract == own
    documents = [d for group in portal.documents for d in group.documents]
    assert mine in documents and {d.person for d in documents} == {own.person}
    assert {d.kind for d in documents} == {mine.kind, str(PAY_SLIP)}
    assert portal.resignations == [] and portal.may_resign
    html = response.content.decode()
    assert "张丽的文书" not in html and reverse("endings:resign") in html
    assert other.post.village.name in html  # the village, as the ranking prints it
    # Every document of theirs opens in the browser and downloads.
    url = reverse("paperwork:download", args=[mine.pk])
    assert f'href="{url}?open=1"' in html and f'href="{url}"' in html
    opened = client.get(f"{url}?open=1")
    assert opened.status_code == 200 and opened["Content-Disposition"].startswith("inline")
    saved = client.get(url)
    assert saved.status_code == 200 and saved["Content-Disposition"].startswith("attachment")


def test_a_waiting_resignation_replaces_the_request_link(client, county_month, english):
    own = county_month.contracts["王芳"]
    resignation = Resignation.objects.create(
        contract=own,
        requested_on=datetime.date(2026, 11, 18),
        requested_by=own.person.user,
        notice_ends_on=datetime.date(2026, 12, 18),
    )
    client.force_login(county_month.users["王芳"])
    html = client.get("/").content.decode()
    assert reverse("endings:resign") not in html
    assert reverse("endings:resignation_detail", args=[resignation.pk]) in html
    assert "is waiting for the township's answer" in html


def test_a_director_without_a_person_record_gets_a_clear_page(client, county, english):
    user = UserFactory(role=Role.DIRECTOR, county=county, username="director_unlinked")
    client.force_login(user)
    for url in ("/", reverse("my_term:index")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Your account is not linked to your record" in response.content.decode()


def test_a_director_without_a_contract_gets_a_clear_page(client, county, township, english):
    person = PersonFactory(township=township, name="王堃")
    user = UserFactory(role=Role.DIRECTOR, county=county, township=township, person=person)
    client.force_login(user)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "王堃" in html and "You have no contract on record." in html
    assert "No published monthly score yet." in html
    assert reverse("endings:resign") not in html
    portal = response.context["dashboard"]
    assert portal.contract is None and portal.month is None and not portal.may_resign


def test_the_portal_leads_to_the_directors_own_archive(client, county_month):
    own = county_month.contracts["王芳"].person
    client.force_login(county_month.users["王芳"])
    archive = reverse("people:archive", args=[own.pk])
    assert f'href="{archive}"' in client.get("/").content.decode()
    assert client.get(archive).status_code == 200
    other = county_month.contracts["张丽"].person
    assert client.get(reverse("people:archive", args=[other.pk])).status_code == 404
