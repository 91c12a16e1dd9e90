"""The county's and the township's dashboards (issue 9): every deadline, the training
compliance, the monthly ranking with its heat map and seed 000's stability measures, each
figure equal to the hand-computed value of a fixed county (``tests.dashboard_support``) and
a link to its list filtered to exactly the same rows; the period form refuses a wrong period
with a message; a township sees its own township only; the queries do not grow with the
data."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from contracts.constants import IN_FORCE_STATES
from contracts.models import Contract
from policy.models import Policy
from tests.dashboard_support import EXPECTED, START, TODAY, build
from tests.test_ui_links import assert_every_link_opens
from training.selectors import compliance, compliance_counts
from web.charts import HEAT_SCALE, heat_colour, heat_steps
from web.stability import Stability

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def now():
    assert get_resolver().url_patterns
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    return build()


def dashboard(client, user, **params):
    client.force_login(user)
    response = client.get("/", params)
    assert response.status_code == 200
    return response


def section(html: str, anchor: str) -> str:
    """The HTML of the section whose heading has the id ``anchor``."""
    start = html.index(f'id="{anchor}"')
    start = html.rindex("<section", 0, start)
    return html[start : html.index("</section>", start)]


def links(html: str) -> list[tuple[str, str]]:
    """(text, address) of each link, its text's white space collapsed."""
    return [
        (" ".join(re.sub(r"<[^>]+>", " ", text).split()), unescape(href))
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    ]


def addresses(html: str) -> set[str]:
    return {href for _text, href in links(html)}


def names_listed(client, url: str) -> set[str]:
    """The directors' names a list page shows (the first cell of each row)."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return {
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', html, re.S)
    }


# The figures ------------------------------------------------------------------------------


def test_the_stability_measures_are_the_hand_computed_ones(client, world):
    report = dashboard(client, world.users["county_hr"]).context["dashboard"].measures.stability
    assert (report.start, report.end) == (START, TODAY)
    rows = {township.name: row for township, row in report.rows}
    rows["county"] = report.total
    for name, (start, end, left, turnover, tenure, educated, opened) in EXPECTED.items():
        row: Stability = rows[name]
        assert (row.in_post_start, row.in_post_end, row.left) == (start, end, left), name
        assert (row.turnover, row.tenure_years) == (turnover, tenure), name
        assert (row.educated, row.open_selected) == (educated, opened), name
    assert report.total.education_share == Decimal("80.0")
    assert report.total.open_selection_share == Decimal("60.0")
    assert (report.education_target, report.open_selection_target) == (85, 100)


def test_the_targets_are_the_policys(client, world):
    Policy.objects.filter(pk=world.policy.pk).update(education_target=70, open_selection_target=90)
    html = dashboard(client, world.users["county_hr"]).content.decode()
    table = section(html, "stability")
    assert "目标70%" in table and "目标90%" in table
    # 关索街道's 75.0 % is above a target of 70 % now; 50.0 % is still below 90 %.
    assert re.search(r'<div><a href="[^"]+">75.0%</a></div>', table)
    assert re.search(r'<div><a href="[^"]+" class="cunpin-overdue">50.0%</a></div>', table)


def test_the_deadlines_are_the_hand_computed_ones(client, world):
    deadlines = dashboard(client, world.users["county_hr"]).context["dashboard"].measures.deadlines
    rows = {township.name: row for township, row in deadlines.rows}
    a, b, total = rows["关索街道"], rows["花江镇"], deadlines.total
    assert a.ending == {90: 2, 30: 1, 7: 1} and b.ending == {90: 0, 30: 0, 7: 0}
    assert (a.vacancies_open, a.vacancies_overdue) == (1, 1)
    assert (b.vacancies_open, b.vacancies_overdue) == (2, 1)
    assert (a.agreements_unsigned, b.agreements_unsigned) == (3, 1)
    assert (a.cases_open, b.cases_open) == (1, 0)
    assert (a.rewards.state, a.rewards.overdue) == ("not_proposed", True)
    assert (b.rewards.state, b.rewards.settled_on) == ("settled", datetime.date(2026, 2, 20))
    assert (total.rewards_unsettled, total.rewards_overdue) == (1, 1)
    assert (total.vacancies_open, total.vacancies_overdue, total.cases_open) == (3, 2, 1)
    # Overdue first, then the nearest deadline; each with its acting person (none yet).
    assert [row.vacancy.post.village.name for row in deadlines.vacancies] == [
        "和平村",
        "北口村",
        "和平村",
    ]
    assert [row.days_left for row in deadlines.vacancies] == [-273, -119, 51]
    assert [case.contract.person.name for case in deadlines.cases] == ["李二"]


def test_training_compliance_counts_what_the_compliance_page_decides(client, world):
    training = dashboard(client, world.users["county_hr"]).context["dashboard"].measures.training
    rows = {township.name: count for township, count in training.rows}
    assert (rows["关索街道"].in_post, rows["关索街道"].met) == (4, 2)
    assert (rows["花江镇"].in_post, rows["花江镇"].met) == (1, 0)
    assert (training.total.in_post, training.total.met, training.total.share) == (
        5,
        2,
        Decimal("40.0"),
    )
    # The database's count and the compliance page's verdicts, director by director.
    contracts = Contract.objects.filter(state__in=IN_FORCE_STATES)
    verdicts = compliance([c.person_id for c in contracts], 2026)
    for township in (world.a, world.b):
        met = sum(
            1 for c in contracts if c.township_id == township.pk and verdicts[c.person_id].met
        )
        counted = compliance_counts([township.pk], world.county.pk, 2026)[township.pk]
        assert counted.met == met


def test_the_monthly_ranking_and_its_heat_map(client, world):
    ranking = dashboard(client, world.users["county_hr"]).context["dashboard"].measures.ranking
    assert ranking.latest == (2026, 10)
    assert ranking.months[0] == (2025, 11) and len(ranking.months) == 12
    assert [(line.rank, line.label, line.value) for line in ranking.ranking] == [
        (1, "花江镇", Decimal("88.00")),
        (2, "关索街道", Decimal("85.00")),
    ]
    rows = {row.label: row.cells for row in ranking.rows}
    september, october = rows["关索街道"][-2], rows["关索街道"][-1]
    assert (september.value, september.rank, september.below_line) == (Decimal("60.00"), 1, False)
    assert (october.value, october.rank) == (Decimal("85.00"), 2)
    assert rows["花江镇"][-2].value is None  # not published in September
    assert october.step == heat_colour(Decimal("85"), 60, 100)


def test_the_township_ranking_shows_its_directors_and_marks_a_score_below_the_line(client, world):
    response = dashboard(client, world.users["guansuo_committee"])
    ranking = response.context["dashboard"].measures.ranking
    assert [row.label for row in ranking.rows] == ["乡镇平均", "王一", "李二"]
    li = ranking.rows[2].cells
    assert (li[-2].value, li[-2].rank, li[-2].below_line) == (Decimal("50.00"), 2, True)
    html = section(response.content.decode(), "ranking")
    assert "▼50.00" in html


def test_the_heat_scale_runs_from_the_warning_line_to_full_marks():
    steps = heat_steps(60, 100)
    assert [s.background for s in steps] == list(HEAT_SCALE)
    assert heat_colour(None, 60, 100) is None
    assert heat_colour(Decimal("12"), 60, 100) == steps[0]  # below the line: the lightest
    assert heat_colour(Decimal("100"), 60, 100) == steps[-1]
    assert heat_colour(Decimal("80"), 60, 100) == steps[3]
    assert steps[-1].text == "#fff" and steps[0].text == "#000"


# Every figure is a link to the list behind it, with exactly those rows ----------------------


def test_the_deadline_figures_open_lists_of_exactly_their_rows(client, world):
    html = dashboard(client, world.users["county_hr"]).content.decode()
    table = section(html, "deadlines")
    cells = re.findall(r'<td class="number"><a href="([^"]+)"[^>]*>(\d+)</a></td>', table)
    assert cells, table
    a = str(world.a.pk)
    urls = {unescape(url) for url, _n in cells}
    assert f"{reverse('contracts:list')}?within=30&township={a}" in urls
    assert f"{reverse('vacancies:list')}?show=overdue&township={a}" in urls
    assert f"{reverse('agreements:list')}?show=unsigned&year=2026&township={a}" in urls
    assert f"{reverse('endings:case_list')}?show=open&township={a}" in urls
    for url, number in cells:
        listed = client.get(unescape(url))
        assert listed.status_code == 200, url
        assert rows_of(listed) == int(number), (url, number)
    assert names_listed(client, f"{reverse('contracts:list')}?within=90&township={a}") >= {
        "王一",
        "李二",
    }
    assert "李二" in names_listed(client, f"{reverse('contracts:list')}?within=7&township={a}")
    assert_every_link_opens(client, table)


def rows_of(response) -> int:
    """How many records a list page shows: its table rows, or its figures' count."""
    html = response.content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    if body is None:
        return 0
    return len(re.findall(r"<tr[ >]", body.group(1)))


def test_the_stability_figures_open_the_contract_list_with_the_same_directors(client, world):
    html = dashboard(client, world.users["county_hr"]).content.decode()
    table = section(html, "stability")
    a = world.a.pk
    found = addresses(table)
    contracts = reverse("contracts:list")
    expected = {
        f"{contracts}?on=2025-12-01&township={a}": {"王一", "李二", "张三", "钱五"},
        f"{contracts}?on=2026-11-30&township={a}": {"王一", "李二", "赵四", "钱五"},
        f"{contracts}?left_from=2025-12-01&left_to=2026-11-30&township={a}": {"张三"},
        f"{contracts}?on=2026-11-30&education=meets&township={a}": {"王一", "赵四", "钱五"},
        f"{contracts}?on=2026-11-30&selection=open&township={a}": {"王一", "赵四"},
        f"{contracts}?left_from=2025-12-01&left_to=2026-11-30": {"张三", "周七"},
        f"{contracts}?on=2026-11-30&selection=open": {"王一", "赵四", "孙六"},
    }
    assert set(expected) <= found, sorted(found)
    for url, names in expected.items():
        assert names_listed(client, url) == names, url
    assert_every_link_opens(client, table)


def test_the_training_figures_open_the_compliance_page_with_the_same_directors(client, world):
    html = dashboard(client, world.users["county_hr"]).content.decode()
    table = section(html, "training")
    page = reverse("training:compliance")
    a = world.a.pk
    found = addresses(table)
    for query, names in {
        f"?year=2026&township={a}&show=met": {"王一", "赵四"},
        f"?year=2026&township={a}&show=unmet": {"李二", "钱五"},
        "?year=2026&show=unmet": {"李二", "钱五", "孙六"},
    }.items():
        assert page + query in found
        assert names_listed(client, page + query) == names, query


def test_the_ranking_figures_open_the_townships_months(client, world):
    html = dashboard(client, world.users["county_hr"]).content.decode()
    ranking = section(html, "ranking")
    october = world.contracts["王一"].township.assessment_months.get(year=2026, month=10)
    assert f'href="{reverse("assessment:month", args=[october.pk])}"' in ranking
    assert 'id="heat-map-table"' in ranking and "background-color: #" in ranking
    assert_every_link_opens(client, ranking)


def test_the_term_figures_link_to_the_filtered_lists(client, world):
    html = dashboard(client, world.users["county_hr"]).content.decode()
    figures = section(html, "term-figures")
    found = dict(links(figures))
    assert found["2 个空岗未按期补聘"] == f"{reverse('vacancies:list')}?show=overdue"
    assert found["4 份2026年目标管理责任书尚未签订"] == (
        f"{reverse('agreements:list')}?show=unsigned&year=2026"
    )
    assert found["1 件辞退案件尚未办结"] == f"{reverse('endings:case_list')}?show=open"
    rewards = next(text for text in found if "奖励" in text)
    assert found[rewards] == f"{reverse('appraisal:index')}?unsettled=1"
    # County-wide unsigned agreements: the three of 关索街道 and 孙六 of 花江镇.
    listed = client.get(found["4 份2026年目标管理责任书尚未签订"]).content.decode()
    for name in ("李二", "赵四", "钱五", "孙六"):
        assert name in listed
    assert "王一" not in listed
    unsettled = client.get(found[rewards]).content.decode()
    assert "关索街道" in unsettled and "花江镇" not in unsettled
    assert_every_link_opens(client, figures)


# The period ---------------------------------------------------------------------------------


def test_a_chosen_period_is_measured(client, world):
    response = dashboard(client, world.users["county_hr"], start="2026-01-01", end="2026-06-30")
    report = response.context["dashboard"].measures.stability
    assert (report.start, report.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert report.total.left == 1  # 张三 (31 May); 周七 left on 31 December 2025
    assert 'value="2026-01-01"' in response.content.decode()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-06-30", "2026-01-01", "截止日期早于起始日期。"),
        ("2026-01-01", "2027-01-01", "不能晚于今天"),
        ("1999-12-31", "2026-01-01", "2000年1月1日"),
        ("2010-01-01", "2026-01-01", "10年"),
        ("yesterday", "2026-01-01", "输入一个有效的日期。"),
        ("2026-02-30", "", "输入一个有效的日期。"),
        ("٢٠٢٦-٠١-٠١", "2026-02-01", ""),
    ],
)
def test_a_wrong_period_says_why_and_measures_the_last_twelve_months(
    client, world, start, end, message
):
    response = dashboard(client, world.users["county_hr"], start=start, end=end)
    report = response.context["dashboard"].measures.stability
    html = response.content.decode()
    if message:
        assert message in html
        assert "无法统计该期间" in html
        assert (report.start, report.end) == (START, TODAY)


# The township's dashboard ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["guansuo_committee", "guansuo_office"])
def test_a_township_sees_its_own_township_only(client, world, username):
    response = dashboard(client, world.users[username])
    measures = response.context["dashboard"].measures
    assert [t.name for t, _row in measures.deadlines.rows] == ["关索街道"]
    assert [t.name for t, _row in measures.stability.rows] == ["关索街道"]
    assert [t.name for t, _row in measures.training.rows] == ["关索街道"]
    html = response.content.decode()
    main = html[html.index("<main") :]
    for foreign in ("花江镇", "孙六", "周七", "和平村"):
        assert foreign not in main, foreign
    stability = measures.stability.total
    assert (stability.in_post_start, stability.in_post_end, stability.left) == (4, 4, 1)
    # The work waiting comes before the figures, and recent changes come last.
    assert main.index('id="term-figures"') < main.index('id="stability"')
    assert main.index('id="stability"') < main.index('id="recent-changes"')
    assert_every_link_opens(client, section(html, "stability"))


# Queries do not grow with the data ------------------------------------------------------------


def grow(world, count: int) -> None:
    """``count`` more directors in post in each township, each with a score of October."""
    from tests.appraisal_support import score
    from tests.dashboard_support import _contract
    from tests.factories import VillageFactory

    for township in (world.a, world.b):
        village = VillageFactory(township=township)
        for n in range(count):
            contract = _contract(
                township, village, f"新{n}", start=datetime.date(2025, 5, 1),
                end=datetime.date(2028, 4, 30),
            )  # fmt: skip
            score(contract, 2026, 10, 70 + n % 30)


@pytest.mark.parametrize("username", ["county_hr", "guansuo_committee", "guansuo_office"])
def test_the_dashboards_queries_do_not_grow_with_the_data(client, world, username):
    client.force_login(world.users[username])
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    grow(world, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/").status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
