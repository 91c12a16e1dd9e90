"""The people's side of the recruitment flow is on the campaign's history, in Chinese with
names: who took, gave back and completed each task, who cancelled a process; and a user who
no longer belongs to a township no longer holds its tasks."""

import pytest
import time_machine
from django.urls import get_resolver, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from recruitment.constants import CampaignState
from tests.factories import UserFactory
from tests.workflow_support import NOW, STEPS, Run, make_people, quick_pdf
from workflows.flows import CampaignFlow
from workflows.services import TaskEvent, tasks_release_unheld

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def urlconf():
    assert get_resolver().url_patterns


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(monkeypatch):
    quick_pdf(monkeypatch)
    return make_people()


def entries(campaign, event) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type__model="campaign", object_id=campaign.pk, transition=event
        ).order_by("at", "pk")
    )


def test_every_completed_step_is_on_the_campaigns_history_with_its_person(client, clock, people):
    run = Run(client, people, clock).to_the_end()
    completed = entries(run.campaign, TaskEvent.COMPLETE)
    assert [(e.actor, e.reason) for e in completed] == [
        (
            run.owner_of(node),
            f"{run.owner_of(node).display_name}完成了任务“{_title_zh(node)}”。",
        )
        for node in STEPS
    ]
    # The campaign's page shows them in its history, with the person's name.
    client.force_login(people.office)
    page = client.get(reverse("recruitment:campaign_detail", args=[run.campaign.pk]))
    assert "罗敏完成了任务“确认聘用”。" in page.content.decode()


def _title_zh(node) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(node.task_title)


def test_taking_and_giving_back_a_task_is_on_the_history(client, clock, people):
    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    task = run.task(CampaignFlow.review_applications)
    client.force_login(people.member)
    assert client.post(task.reverse("unassign")).status_code == 302
    client.force_login(people.head)
    response = client.post(task.reverse("assign"))
    assert response.status_code == 302
    assert response.url == task.reverse("index")  # then straight to the task
    # An administrator gives the head's task back.
    admin = UserFactory(
        role=Role.ADMINISTRATOR, county=people.county, last_name="周", first_name="平"
    )
    client.force_login(admin)
    assert client.post(task.reverse("unassign")).status_code == 302
    assert [(e.transition, e.actor, e.reason) for e in run_entries(run)] == [
        (TaskEvent.UNASSIGN, people.member, "罗敏将任务“资格审查”退回任务池。"),
        (TaskEvent.ASSIGN, people.head, "杨光明领取了任务“资格审查”。"),
        (TaskEvent.UNASSIGN, admin, "周平将杨光明的任务“资格审查”退回任务池。"),
    ]


def run_entries(run) -> list[AuditEntry]:
    return [
        e
        for e in AuditEntry.objects.filter(
            content_type__model="campaign",
            object_id=run.campaign.pk,
            transition__in=[TaskEvent.ASSIGN, TaskEvent.UNASSIGN],
        ).order_by("at", "pk")
    ]


def test_an_escalation_names_the_step_and_the_person(client, clock, people):
    from tests.workflow_support import fire_timers

    run = Run(client, people, clock).to(CampaignFlow.approve_announcement)
    task = run.task(CampaignFlow.approve_announcement)
    due = task.leading.get(status=STATUS.SCHEDULED).scheduled
    fire_timers(due)
    (entry,) = entries(run.campaign, TaskEvent.ESCALATE)
    assert entry.actor is None
    assert entry.reason == "杨光明的任务“审批选聘公告”已逾期，已转交县人社人员办理。"


# --- an administrator cancels a process ------------------------------------------------------


@pytest.fixture
def admin(people):
    return UserFactory(
        role=Role.ADMINISTRATOR, county=people.county, last_name="周", first_name="平"
    )


def test_an_administrator_cancels_a_process_with_a_reason_and_a_confirmation(
    client, clock, people, admin
):
    run = Run(client, people, clock).to(CampaignFlow.enter_written_scores)
    url = reverse("campaign:process_cancel", args=[run.process.pk])
    client.force_login(admin)
    assert client.get(url).status_code == 200
    for data in ({"reason": "上级通知暂停"}, {"confirm": "on"}, {}):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    run.campaign.refresh_from_db()
    assert run.campaign.state == CampaignState.REVIEWED
    response = client.post(url, {"reason": "上级通知暂停选聘", "confirm": "on"})
    assert response.status_code == 302
    assert response.url == reverse("recruitment:campaign_detail", args=[run.campaign.pk])
    run.campaign.refresh_from_db()
    run.process.refresh_from_db()
    assert run.campaign.state == CampaignState.CANCELLED
    assert run.campaign.cancelled_reason == "上级通知暂停选聘"
    assert run.process.status == PROCESS.CANCELED
    assert not Task.objects.filter(
        process=run.process, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED]
    ).exists()
    (cancel,) = entries(run.campaign, "cancel")
    assert cancel.actor == admin and cancel.reason == "上级通知暂停选聘"
    (entry,) = entries(run.campaign, TaskEvent.PROCESS_CANCEL)
    assert entry.actor == admin
    assert entry.reason == (
        "周平取消了选聘流程，关闭的未办结任务：“录入笔试成绩”（罗敏）。原因：上级通知暂停选聘"
    )
    # Nothing left to cancel.
    assert "该流程已经结束" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["head", "member", "hr"])
def test_only_an_administrator_cancels_a_process(client, clock, people, who):
    run = Run(client, people, clock).to(CampaignFlow.approve_announcement)
    client.force_login(getattr(people, who))
    url = reverse("campaign:process_cancel", args=[run.process.pk])
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    run.campaign.refresh_from_db()
    assert run.campaign.state == CampaignState.DRAFT


# --- a user moved to another township ------------------------------------------------------


def inbox_of(client, user) -> list[Task]:
    client.force_login(user)
    dashboard = client.get(CampaignFlow.instance.reverse("index"))
    inbox = client.get(CampaignFlow.instance.reverse("inbox"))
    assert [t for t, _c, _u in dashboard.context["inbox"]] == list(inbox.context["object_list"])
    return list(inbox.context["object_list"])


def queue_of(client, user) -> list[Task]:
    client.force_login(user)
    return list(client.get(CampaignFlow.instance.reverse("queue")).context["object_list"])


def test_a_member_moved_away_no_longer_holds_the_old_townships_tasks(client, clock, people):
    """Read time: even before anything returns it, the moved member's task is neither in
    their inbox nor theirs to work."""
    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    task = run.task(CampaignFlow.review_applications)
    assert inbox_of(client, people.member) == [task]
    User.objects.filter(pk=people.member.pk).update(township=people.foreign)
    assert inbox_of(client, people.member) == []
    # Made an office clerk of the same township: the campaign is still in sight, the
    # committee's task is not theirs to work.
    User.objects.filter(pk=people.member.pk).update(township=people.own, role=Role.TOWNSHIP_OFFICE)
    assert inbox_of(client, people.member) == []
    client.force_login(people.member)
    assert client.get(task.reverse("execute")).status_code == 403
    assert client.post(task.reverse("execute")).status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED


def test_returning_a_moved_members_tasks_to_the_pool(client, clock, people):
    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    task = run.task(CampaignFlow.review_applications)
    admin = UserFactory(
        role=Role.ADMINISTRATOR, county=people.county, last_name="周", first_name="平"
    )
    # Still on the committee: nothing to return.
    assert tasks_release_unheld(user=people.member, by=admin) == []
    User.objects.filter(pk=people.member.pk).update(township=people.foreign)
    assert tasks_release_unheld(user=people.member, by=admin) == [task]
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert task.owner_permission == f"workflows.township_committee@{people.own.pk}"
    assert queue_of(client, people.head) == [task]
    assert queue_of(client, people.member) == []
    (entry,) = entries(run.campaign, TaskEvent.RELEASE)
    assert entry.actor == admin
    assert entry.reason == (
        "罗敏已不是关索街道选聘工作领导小组成员：任务“资格审查”已退回该乡镇的任务池。"
    )


def test_the_admins_user_change_returns_the_old_townships_tasks(client, clock, people):
    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    task = run.task(CampaignFlow.review_applications)
    admin = UserFactory(
        role=Role.ADMINISTRATOR,
        county=people.county,
        last_name="周",
        first_name="平",
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[people.member.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "last_login", "date_joined")
    }
    data.update(
        township=people.foreign.pk,
        user_permissions=[],
        role=Role.TOWNSHIP_COMMITTEE,
        county=people.county.pk,
        is_active="on",
    )
    data.pop("village", None)
    data.pop("person", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    people.member.refresh_from_db()
    assert people.member.township == people.foreign
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert [e.actor for e in entries(run.campaign, TaskEvent.RELEASE)] == [admin]
    assert queue_of(client, people.head) == [task]


def test_a_process_with_a_step_at_work_is_not_cancelled_and_nothing_changes(
    client, clock, people, admin
):
    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    task = run.task(CampaignFlow.review_applications)
    Task.objects.filter(pk=task.pk).update(status=STATUS.STARTED)  # in someone's hands
    client.force_login(admin)
    url = reverse("campaign:process_cancel", args=[run.process.pk])
    response = client.post(url, {"reason": "上级通知暂停选聘", "confirm": "on"})
    assert response.status_code == 200
    assert "不能取消" in " ".join(response.context["form"].non_field_errors())
    run.campaign.refresh_from_db()
    run.process.refresh_from_db()
    assert run.campaign.state == CampaignState.REGISTRATION_CLOSED
    assert run.process.status == PROCESS.NEW
    assert not entries(run.campaign, TaskEvent.PROCESS_CANCEL)
