"""The dashboard at "/" starts with each role's work: my tasks with their last day (overdue
marked), tasks I may take, overdue tasks handed to the county, the campaigns under way with
their step and the next one; its queries do not grow with the data; one 工作台."""

import datetime
import re
from types import SimpleNamespace
from typing import cast

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from viewflow.workflow.models import Task

from accounts.constants import Role
from accounts.models import User
from organisation.models import Township
from recruitment.constants import CampaignState
from recruitment.models import Campaign
from tests.builders import committee_member, make_campaign
from tests.factories import PostFactory, VillageFactory
from tests.matrix_support import make_world
from workflows.flows import CampaignFlow
from workflows.models import CampaignProcess
from workflows.services import task_escalate

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture(autouse=True)
def now():
    assert get_resolver().url_patterns  # flow URLs reverse once the URLs are loaded
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def world():
    world = make_world()
    township = world.own.township
    township.leading_group_head = world.users[Role.TOWNSHIP_COMMITTEE]
    township.save(update_fields=["leading_group_head"])
    return world


def draft_campaign(world, township: Township, title: str) -> Campaign:
    """A draft campaign with its process: the approval task waits for the township's head
    (assigned), or in the committee's queue when the township has none."""
    if township == world.own.township:
        by, village = world.users[Role.TOWNSHIP_COMMITTEE], world.own.village
    else:
        village = world.foreign.village
        by = User.objects.filter(township=township, role=Role.TOWNSHIP_COMMITTEE).first()
        by = by or committee_member(township, username="huajiang_committee")
    campaign = make_campaign(
        township, world.policy, by, state=CampaignState.DRAFT, title=title, villages=[village]
    )
    activation = CampaignFlow.start.activation_class.create(CampaignFlow.start, None, None)
    with transaction.atomic():
        activation.start(SimpleNamespace(user=by))
        cast(CampaignProcess, activation.process).campaign = campaign
        activation.execute()
    return campaign


def approval_task(campaign: Campaign) -> Task:
    return Task.objects.get(
        process__campaignprocess__campaign=campaign, flow_task=CampaignFlow.approve_announcement
    )


def test_the_committee_dashboard_starts_with_its_tasks_and_campaigns(client, world, english):
    campaign = draft_campaign(world, world.own.township, "关索街道2026年公开选聘")
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get("/")
    work = response.context["dashboard"].work
    assert [row.campaign for row in work.mine] == [campaign]
    row = work.mine[0]
    assert row.title == "Approve the recruitment announcement"
    # 3 working days from Monday 2 March: Thursday 5 March is the last day.
    assert row.last_day == datetime.date(2026, 3, 5) and not row.overdue
    assert [(c.campaign, c.current, c.next_step) for c in work.campaigns] == [
        (campaign, "Approve the recruitment announcement", "Review the applications")
    ]
    html = response.content.decode()
    assert html.index("My tasks") < html.index("Villages with vacant posts")
    assert row.url in html and "Due by March 5, 2026" in html


def test_a_deadline_reads_the_same_on_the_dashboard_the_task_and_the_process(client, world):
    """One wording: the last day to act (the timer fires at 00:05 the day after)."""
    campaign = draft_campaign(world, world.own.township, "关索街道2026年公开选聘")
    task = approval_task(campaign)
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    pages = {
        "dashboard": "/",
        "task": task.flow_task.reverse("execute", args=[task.process_id, task.pk]),
        "task detail": task.flow_task.reverse("detail", args=[task.process_id, task.pk]),
        "process": reverse("campaign:process_detail", args=[task.process_id]),
    }
    for page, url in pages.items():
        html = client.get(url).content.decode()
        assert "办理期限至2026年3月5日" in html, page
        assert "2026-03-06 00:05" not in html and "2026-03-05" not in html, page
    html = client.get(pages["task"]).content.decode()
    assert "办理期限至2026年3月5日，逾期未办结的，任务转交县级人事管理员办理。" in html


def test_an_overdue_task_is_marked_and_the_county_sees_it_once_escalated(
    client, world, english, now
):
    campaign = draft_campaign(world, world.own.township, "关索街道2026年公开选聘")
    now.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    row = client.get("/").context["dashboard"].work.mine[0]
    assert row.overdue
    assert "overdue" in client.get("/").content.decode()

    task_escalate(task=approval_task(campaign), by=None)
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get("/")
    work = response.context["dashboard"].work
    assert [r.campaign for r in work.escalated] == [campaign]
    assert [r.campaign for r in work.queue] == [campaign]
    html = response.content.decode()
    assert "Overdue tasks handed to the county" in html and "关索街道" in html


def test_the_office_sees_the_campaigns_but_has_no_tasks(client, world, english):
    draft_campaign(world, world.own.township, "关索街道2026年公开选聘")
    draft_campaign(world, world.foreign.township, "花江镇2026年公开选聘")
    client.force_login(world.users[Role.TOWNSHIP_OFFICE])
    work = client.get("/").context["dashboard"].work
    assert work.mine == [] and work.queue == []
    assert [c.campaign.title for c in work.campaigns] == ["关索街道2026年公开选聘"]


def test_village_and_director_dashboards_have_no_recruitment_work(client, world):
    for role in (Role.VILLAGE_COMMITTEE, Role.DIRECTOR):
        client.force_login(world.users[role])
        assert "work" not in vars(client.get("/").context["dashboard"])


def test_the_township_vacancy_list_is_bounded(client, world, english):
    for index in range(25):
        village = VillageFactory.create(township=world.own.township, name=f"空岗{index:02d}村")
        PostFactory(village=village, number=1)
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get("/")
    dashboard = response.context["dashboard"]
    assert len(dashboard.villages_with_vacancies) == 20
    assert dashboard.villages_with_vacancies_count == 26  # and the world's own village
    assert "26 villages have vacant posts; the first 20 are listed." in response.content.decode()


def grow(world, count: int, start: int) -> None:
    """More campaigns of both townships with open tasks, some escalated, some in a queue."""
    own, foreign = world.own.township, world.foreign.township
    for index in range(start, start + count):
        draft_campaign(world, own, f"关索街道第{index}次选聘")
        queued = draft_campaign(world, foreign, f"花江镇第{index}次选聘")
        if index % 2:
            task_escalate(task=approval_task(queued), by=None)


@pytest.mark.parametrize(
    "role",
    [Role.ADMINISTRATOR, Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE],
)
def test_dashboard_queries_do_not_grow_with_campaigns_and_tasks(client, world, role):
    grow(world, 2, 0)
    client.force_login(world.users[role])
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    grow(world, 12, 2)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/")
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    work = response.context["dashboard"].work
    assert len(work.campaigns) <= 10 and len(work.mine) <= 20 and len(work.queue) <= 20


def test_one_dashboard_in_the_navigation(client, world):
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    for url in ("/", "/campaigns/", "/campaigns/inbox/"):
        html = client.get(url).content.decode()
        menus = html.split("<vf-page-menu-navigation")[1:]
        assert sum(len(re.findall(r">\s*工作台\s*<", menu)) for menu in menus) == 1, url
    assert isinstance(world.users[Role.TOWNSHIP_COMMITTEE], User)
