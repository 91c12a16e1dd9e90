"""The dashboards show the term's work waiting: every open task of the term flows with its
subject in words and its last day, overdue tasks handed to the county, and (by scope) the
contracts ending within 90/30/7 days, open and overdue vacancies, open dismissal cases and
resignations waiting, each linked to its list; the queries do not grow with the data."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from accounts.constants import Role
from contracts.constants import VacancyCause
from contracts.services.posts import vacancy_open
from contracts.services.renewal import renewal_review_open
from tests.endings_support import endings_records
from tests.factories import PostFactory, VillageFactory
from tests.matrix_support import make_world
from tests.renewal_support import active_contract
from tests.test_ui_links import assert_every_link_opens
from workflows.flows_contract import ContractFlow
from workflows.flows_endings import DismissalFlow, ResignationFlow
from workflows.flows_renewal import RenewalFlow, renewal_task_escalate
from workflows.flows_vacancy import VacancyFlow

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def now():
    assert get_resolver().url_patterns
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    return make_world()


def renewal(township, name: str, ends_in: int):
    """A contract in force ending in ``ends_in`` days with its renewal review open."""
    from workdays.calendar import add_years

    start = add_years(TODAY, -3) + datetime.timedelta(days=ends_in + 1)
    contract = active_contract(township, start=start, name=name)
    return renewal_review_open(contract=contract, today=TODAY, by=None)


def vacancy(township, committee, village: str, on: datetime.date):
    post = PostFactory(village=VillageFactory(township=township, name=village))
    return vacancy_open(post=post, on=on, by=committee, cause=VacancyCause.NEW_POST)


def term(world):
    """The own township's term work: the contract's signing (the committee's) and filing
    (county HR's), a resignation and three cases (endings_records), a renewal review ending
    in 20 days, a vacancy opened long ago (overdue) and one today."""
    township = world.own.township
    committee = world.users[Role.TOWNSHIP_COMMITTEE]
    records = endings_records(world, "own")
    review = renewal(township, "赵明", 20)
    late = vacancy(township, committee, "坝湾村", datetime.date(2025, 11, 3))
    fresh = vacancy(township, committee, "板贵村", TODAY)
    return records, review, late, fresh


def titles(rows) -> list[tuple[str, str]]:
    return sorted((row.title, row.subject) for row in rows)


def test_the_committee_finds_every_term_task_on_its_dashboard(client, world):
    records, review, late, fresh = term(world)
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get("/")
    work = response.context["dashboard"].term
    name = records.contract.person.name
    assert titles(work.mine) == [(str(ContractFlow.sign.task_title), name)]
    assert titles(work.queue) == sorted(
        [
            (str(ResignationFlow.answer.task_title), name),
            (str(DismissalFlow.hear.task_title), name),
            (str(DismissalFlow.decide.task_title), name),
            (str(RenewalFlow.decide.task_title), "赵明"),
            (str(VacancyFlow.designate_acting.task_title), str(late.post)),
            (str(VacancyFlow.designate_acting.task_title), str(fresh.post)),
        ]
    )
    html = response.content.decode()
    for row in [*work.mine, *work.queue]:
        assert row.url in html
        # The village (and township) in words: beside the person, or in the post's name.
        assert row.place or row.subject.startswith(world.own.township.name)
        # Every task has its time limit (the matrix's signing task is made without timers).
        assert row.due is not None or row.task.flow_task is ContractFlow.sign
    # The acting designation of today's vacancy: policy.due_acting_days working days.
    row = next(r for r in work.queue if r.subject == str(fresh.post))
    assert f"办理期限至{row.last_day.year}年{row.last_day.month}月{row.last_day.day}日" in html
    assert reverse("vacancies:detail", args=[fresh.pk]) == row.url
    assert reverse("renewals:review", args=[review.pk]) in html
    assert reverse("endings:resignation_detail", args=[records.resignation.pk]) in html
    assert "我的聘期任务" in html and "可领取的聘期任务" in html


def test_county_hr_sees_the_term_figures_and_its_tasks(client, world):
    records = term(world)[0]
    renewal(world.foreign.township, "钱多", 5)  # the foreign township is of the same county
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get("/")
    work = response.context["dashboard"].term
    figures = work.figures
    # Ending within 90/30/7 days: the two renewals (20 and 5 days left).
    assert figures.ending == [(90, 2), (30, 2), (7, 1)]
    assert (figures.vacancies_open, figures.vacancies_overdue) == (2, 1)
    assert figures.cases_open == 3 and figures.resignations_waiting == 1
    name = records.contract.person.name
    assert titles(work.mine) == sorted(
        [
            (str(ContractFlow.file.task_title), name),
            (str(ContractFlow.record_induction.task_title), name),
        ]
    )
    assert titles(work.queue) == [(str(DismissalFlow.file.task_title), name)]
    html = response.content.decode()
    assert f"{reverse('contracts:list')}?within=90" in html
    assert "2 份在聘合同将在90天内到期" in html and "1 份在聘合同将在7天内到期" in html
    assert "1 个空岗未按期补聘" in html
    for url in (
        reverse("vacancies:list"),
        reverse("endings:case_list"),
        reverse("endings:resignation_list"),
    ):
        assert url in html
    listed = client.get(f"{reverse('contracts:list')}?within=7").content.decode()
    assert "钱多" in listed and "赵明" not in listed


def test_the_township_office_reads_the_figures_and_has_no_term_tasks(client, world):
    term(world)
    client.force_login(world.users[Role.TOWNSHIP_OFFICE])
    response = client.get("/")
    work = response.context["dashboard"].term
    assert work.figures.vacancies_open == 2 and not work.can_work
    html = response.content.decode()
    assert "聘期概况" in html and "我的聘期任务" not in html


def test_an_overdue_renewal_decision_is_handed_to_the_county(client, world):
    review = renewal(world.own.township, "赵明", 20)
    from viewflow.workflow.models import Task

    task = Task.objects.get(flow_task=RenewalFlow.decide, process__renewalprocess__review=review)
    renewal_task_escalate(task=task)
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get("/")
    work = response.context["dashboard"].term
    assert titles(work.escalated) == [(str(RenewalFlow.decide.task_title), "赵明")]
    html = response.content.decode()
    assert "逾期移交县级办理的聘期任务" in html


@pytest.mark.parametrize(
    "role", [Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.ADMINISTRATOR]
)
def test_every_link_of_the_term_work_opens(client, world, role):
    term(world)
    client.force_login(world.users[role])
    html = client.get("/").content.decode()
    start = html.find('id="term-figures"')
    assert start > 0
    end = html.find('class="cunpin-figures"', start)  # the totals after the term's work
    assert end > start
    assert_every_link_opens(client, html[start:end])


def grow(world, start: int, count: int) -> None:
    township, foreign = world.own.township, world.foreign.township
    committee = world.users[Role.TOWNSHIP_COMMITTEE]
    for index in range(start, start + count):
        renewal(township, f"续聘{index}", 10 + index)
        renewal(foreign, f"外乡{index}", 10 + index)
        vacancy(township, committee, f"空岗{index}村", datetime.date(2025, 10, 1))


@pytest.mark.parametrize(
    "role", [Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.ADMINISTRATOR]
)
def test_term_work_queries_do_not_grow_with_the_data(client, world, role):
    term(world)
    grow(world, 0, 5)  # the ten recent changes are of the same kinds in both counts
    client.force_login(world.users[role])
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    grow(world, 5, 25)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/")
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    work = response.context["dashboard"].term
    assert len(work.queue) <= 20 and len(work.mine) <= 20


@pytest.mark.parametrize("role", [Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE])
def test_a_contract_page_links_to_its_resignation_and_cases_for_who_may_open_them(
    client, world, role
):
    records = term(world)[0]
    client.force_login(world.users[role])
    html = client.get(reverse("contracts:detail", args=[records.contract.pk])).content.decode()
    resignation = reverse("endings:resignation_detail", args=[records.resignation.pk])
    case = reverse("endings:case_detail", args=[records.case.pk])
    may_open = world.users[role].has_perm("contracts.view_dismissalcase")
    assert (resignation in html) == may_open and (case in html) == may_open
    if may_open:
        assert f'href="{resignation}">辞职</a>：已申请，待乡镇答复' in html
    start = html.find('id="records"')
    if start > 0:
        assert_every_link_opens(client, html[start : html.find("</section>", start)])
