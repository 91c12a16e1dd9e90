"""The recruitment flow (workflows.flows.CampaignFlow): who gets each task, scoping by
township, time limits and escalation to the county, the registration timer, and task views
that show a service's refusal instead of failing."""

import datetime
from io import StringIO
from types import SimpleNamespace
from typing import cast

import django_fsm
import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import get_resolver, reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.backends import scoped_permissions
from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from organisation.models import Township
from recruitment.constants import CampaignKind, CampaignState
from recruitment.models import Campaign
from tests.factories import (
    CountyFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_village,
)
from workdays.calendar import add_working_days
from workflows.flows import CampaignFlow
from workflows.models import CampaignProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# Tuesday 1 September 2026, 09:00 in Guanling.
NOW = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)
REGISTRATION_END = datetime.date(2026, 9, 10)


def at(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def urlconf():
    # Flow URLs reverse only once the URL configuration is loaded (viewflow builds them then).
    assert get_resolver().url_patterns


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db):
    county = CountyFactory()
    PolicyFactory(county=county)
    own = cast(Township, TownshipFactory(county=county, name="关索街道"))
    foreign = cast(Township, TownshipFactory(county=county, name="花江镇"))
    villages = {
        own: make_village(own, 1800, name="城内村"),
        foreign: make_village(foreign, 1800, name="和平村"),
    }

    def user(role, township=None, **extra) -> User:
        return cast(User, UserFactory(role=role, county=county, township=township, **extra))

    w = SimpleNamespace(
        county=county,
        own=own,
        foreign=foreign,
        villages=villages,
        head=user(Role.TOWNSHIP_COMMITTEE, own, username="guansuo_head"),
        member=user(Role.TOWNSHIP_COMMITTEE, own, username="guansuo_member"),
        office=user(Role.TOWNSHIP_OFFICE, own, username="guansuo_office"),
        foreign_member=user(Role.TOWNSHIP_COMMITTEE, foreign, username="huajiang_member"),
        hr=user(Role.COUNTY_HR, username="county_hr"),
    )
    own.leading_group_head = w.head
    own.save(update_fields=["leading_group_head"])
    far_county = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    w.far_hr = UserFactory(role=Role.COUNTY_HR, county=far_county, username="far_hr")
    return w


def new_campaign(world, township=None, **changes) -> Campaign:
    from recruitment.services.campaigns import campaign_create

    township = township or world.own
    by = world.member if township == world.own else world.foreign_member
    values = {
        "township": township,
        "title": f"{township.name}2026年村级人口主任公开选聘",
        "kind": CampaignKind.REGULAR,
        "offers": [(world.villages[township], 1)],
        "registration_start": NOW.date(),
        "registration_end": REGISTRATION_END,
        "written_exam_at": at(datetime.date(2026, 9, 19), 9),
        "interview_at": at(datetime.date(2026, 9, 26), 9),
        "venue": "关岭自治县民族中学",
        "contact": "关索街道计生办 0851-3682000",
        "interview_panel_size": 5,
        "by": by,
        **changes,
    }
    return campaign_create(**values)


def start_process(campaign: Campaign, user: User) -> CampaignProcess:
    """What the start form does after ``campaign_create``: a process for the campaign, its
    start task owned by the committee member who opened it."""
    activation = CampaignFlow.start.activation_class.create(CampaignFlow.start, None, None)
    with transaction.atomic():
        activation.start(SimpleNamespace(user=user))
        activation.process.campaign = campaign
        activation.execute()
    return cast(CampaignProcess, activation.process)


def open_task(process, node) -> Task:
    return Task.objects.get(
        process=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )


def timers(when: datetime.datetime | None = None) -> None:
    if when is None:
        call_command("workflow_timers", stdout=StringIO())
        return
    with time_machine.travel(when, tick=False):
        call_command("workflow_timers", stdout=StringIO())


def approve(client, process, head) -> None:
    task = open_task(process, CampaignFlow.approve_announcement)
    client.force_login(head)
    response = client.post(task.reverse("execute"), {"decision": "approve"})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def process(world) -> CampaignProcess:
    return start_process(new_campaign(world), world.member)


# --- permissions of the backend --------------------------------------------------------------


def test_the_backend_grants_township_and_county_task_permissions(world):
    assert scoped_permissions(world.head) == {
        f"workflows.township_committee@{world.own.pk}",
        f"workflows.township_head@{world.own.pk}",
    }
    assert scoped_permissions(world.member) == {f"workflows.township_committee@{world.own.pk}"}
    # The office works the monthly assessment's scoring task of its own township.
    assert scoped_permissions(world.office) == {f"workflows.township_office@{world.own.pk}"}
    assert scoped_permissions(world.hr) == {f"workflows.county_hr@{world.county.pk}"}
    assert world.member.has_perm(f"workflows.township_committee@{world.own.pk}")
    assert not world.member.has_perm(f"workflows.township_committee@{world.foreign.pk}")


# --- starting -------------------------------------------------------------------------------


def test_the_start_form_opens_a_campaign_and_its_process(client, world):
    village = world.villages[world.own]
    client.force_login(world.member)
    url = CampaignFlow.start.reverse("execute")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "关索街道2026年村级人口主任公开选聘",
            "kind": CampaignKind.REGULAR,
            f"seats_{village.pk}": "1",
            "registration_start": "2026-09-01",
            "registration_end": "2026-09-10",
            "written_exam_at": "2026-09-19T09:00",
            "interview_at": "2026-09-26T09:00",
            "venue": "关岭自治县民族中学",
            "contact": "关索街道计生办 0851-3682000",
            "interview_panel_size": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert campaign.state == CampaignState.DRAFT
    assert campaign.workflow_process.task_set.get(flow_task=CampaignFlow.start).owner == (
        world.member
    )
    task = open_task(campaign.workflow_process, CampaignFlow.approve_announcement)
    assert task.status == STATUS.ASSIGNED and task.owner == world.head


@pytest.mark.parametrize("who", ["office", "hr"])
def test_only_committee_members_with_a_township_may_start(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(CampaignFlow.start.reverse("execute"))
    assert response.status_code == 403


def test_a_campaign_has_one_process(world, process):
    with pytest.raises(IntegrityError), transaction.atomic():
        start_process(process.campaign, world.member)


# --- approving the announcement -------------------------------------------------------------


def test_the_approval_goes_to_the_head_with_a_time_limit_in_working_days(world, process):
    task = open_task(process, CampaignFlow.approve_announcement)
    assert task.owner == world.head and task.status == STATUS.ASSIGNED
    assert task.owner_permission == f"workflows.township_head@{world.own.pk}"
    timer = task.leading.get(status=STATUS.SCHEDULED)
    due_day = add_working_days(NOW.date(), process.campaign.policy.due_announcement_approval_days)
    assert due_day == datetime.date(2026, 9, 4)  # three working days after Tuesday
    assert timer.scheduled == at(due_day + datetime.timedelta(days=1), 0, 5)


def test_a_committee_member_who_is_not_the_head_cannot_approve(client, world, process):
    task = open_task(process, CampaignFlow.approve_announcement)
    client.force_login(world.member)
    assert client.get(task.reverse("execute")).status_code == 403
    assert client.post(task.reverse("execute"), {"decision": "approve"}).status_code == 403
    assert client.post(task.reverse("assign")).status_code == 403
    process.campaign.refresh_from_db()
    assert process.campaign.state == CampaignState.DRAFT
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == world.head


def test_the_head_approves_and_registration_waits_for_its_deadline(client, world, process):
    approve(client, process, world.head)
    campaign = Campaign.objects.get(pk=process.campaign.pk)
    assert campaign.state == CampaignState.ANNOUNCED and campaign.approved_by == world.head
    assert AuditEntry.objects.filter(
        object_id=campaign.pk, transition="announce", actor=world.head
    ).exists()
    timer = Task.objects.get(process=process, flow_task=CampaignFlow.registration_ends)
    assert timer.status == STATUS.SCHEDULED
    assert timer.scheduled == at(REGISTRATION_END + datetime.timedelta(days=1), 0, 5)
    # The approval's own timeout is disarmed.
    assert not Task.objects.filter(
        process=process,
        flow_task=CampaignFlow.approve_announcement__timeout,
        status=STATUS.SCHEDULED,
    ).exists()


def test_not_approving_needs_a_reason_and_a_confirmation_and_cancels_the_campaign(
    client, world, process
):
    task = open_task(process, CampaignFlow.approve_announcement)
    client.force_login(world.head)
    response = client.post(task.reverse("execute"), {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(
        task.reverse("execute"), {"decision": "reject", "reason": "岗位数需重新核定"}
    )
    assert response.status_code == 200  # not without ticking the confirmation
    assert "confirm_cancel" in response.context["form"].errors
    assert Campaign.objects.get(pk=process.campaign.pk).state == CampaignState.DRAFT
    response = client.post(
        task.reverse("execute"),
        {"decision": "reject", "reason": "岗位数需重新核定", "confirm_cancel": "on"},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=process.campaign.pk)
    assert campaign.state == CampaignState.CANCELLED
    assert campaign.cancelled_reason == "岗位数需重新核定"
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert Task.objects.get(process=process, flow_task=CampaignFlow.cancelled).status == (
        STATUS.DONE
    )


def test_a_refusal_by_the_service_is_shown_on_the_task_and_changes_nothing(
    client, world, process, now
):
    task = open_task(process, CampaignFlow.approve_announcement)
    now.move_to(at(REGISTRATION_END + datetime.timedelta(days=1), 9))
    client.force_login(world.head)
    response = client.post(task.reverse("execute"), {"decision": "approve"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "2026-09-10" in errors
    process.campaign.refresh_from_db()
    assert process.campaign.state == CampaignState.DRAFT
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED


def test_a_transition_refused_by_the_state_machine_is_a_form_error_not_a_500(
    client, world, process, monkeypatch
):
    import recruitment.services.campaigns as campaigns

    def refuse(**kwargs):
        raise django_fsm.TransitionNotAllowed("Can't switch from state 'draft'")

    monkeypatch.setattr(campaigns, "campaign_announce", refuse)
    task = open_task(process, CampaignFlow.approve_announcement)
    client.force_login(world.head)
    response = client.post(task.reverse("execute"), {"decision": "approve"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED


# --- registration closes on its own ---------------------------------------------------------


def test_the_timer_closes_registration_the_day_after_the_deadline(client, world, process):
    approve(client, process, world.head)
    timers(at(REGISTRATION_END, 23, 59))
    campaign = Campaign.objects.get(pk=process.campaign.pk)
    assert campaign.state == CampaignState.ANNOUNCED
    timers(at(REGISTRATION_END + datetime.timedelta(days=1), 0, 6))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REGISTRATION_CLOSED
    closing = AuditEntry.objects.get(object_id=campaign.pk, transition="close_registration")
    assert closing.actor is None
    review = open_task(process, CampaignFlow.review_applications)
    assert review.owner == world.member and review.status == STATUS.ASSIGNED


# --- scoping ----------------------------------------------------------------------------------


@pytest.fixture
def queued_review(client, world, process):
    """The review task waiting in the township's queue (its owner gave it back)."""
    approve(client, process, world.head)
    timers(at(REGISTRATION_END + datetime.timedelta(days=1), 0, 6))
    task = open_task(process, CampaignFlow.review_applications)
    client.force_login(world.member)
    assert client.post(task.reverse("unassign")).status_code == 302
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    client.logout()
    return task


def queue_of(client, user) -> list[Task]:
    client.force_login(user)
    response = client.get(CampaignFlow.instance.reverse("queue"))
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_a_task_in_the_queue_is_offered_only_to_its_townships_committee(
    client, world, queued_review
):
    assert queue_of(client, world.head) == [queued_review]
    assert queue_of(client, world.foreign_member) == []
    assert queue_of(client, world.office) == []
    assert queue_of(client, world.hr) == []


def test_only_the_townships_committee_may_take_a_queued_task(client, world, queued_review):
    url = queued_review.reverse("assign")
    client.force_login(world.foreign_member)
    assert client.post(url).status_code == 404  # another township's campaign: not found
    client.force_login(world.office)
    assert client.post(url).status_code == 403
    client.force_login(world.hr)
    assert client.post(url).status_code == 403
    client.force_login(world.head)
    assert client.post(url).status_code == 302
    queued_review.refresh_from_db()
    assert queued_review.owner == world.head


def test_another_townships_process_is_not_found_or_listed(client, world, process):
    foreign_process = start_process(new_campaign(world, world.foreign), world.foreign_member)
    client.force_login(world.member)
    viewset = CampaignFlow.instance
    assert client.get(viewset.reverse("process_detail", args=[process.pk])).status_code == 200
    assert (
        client.get(viewset.reverse("process_detail", args=[foreign_process.pk])).status_code == 404
    )
    task = Task.objects.filter(process=foreign_process).first()
    assert client.get(task.reverse("detail")).status_code == 404
    for name in ("process_list", "task_list"):
        listed = client.get(viewset.reverse(name)).context["object_list"]
        processes = {getattr(row, "process_id", row.pk) for row in listed}
        assert process.pk in processes and foreign_process.pk not in processes
    dashboard = client.get(viewset.reverse("index"))
    assert [p.pk for p, _tasks, _url in dashboard.context["processes"]] == [process.pk]
    # County HR sees both; someone of another county sees neither.
    client.force_login(world.hr)
    assert (
        client.get(viewset.reverse("process_detail", args=[foreign_process.pk])).status_code == 200
    )
    client.force_login(world.far_hr)
    assert (
        client.get(viewset.reverse("process_detail", args=[foreign_process.pk])).status_code == 404
    )


def test_a_task_of_one_process_is_not_reached_through_another(client, world, process):
    foreign_process = start_process(new_campaign(world, world.foreign), world.foreign_member)
    foreign_task = open_task(foreign_process, CampaignFlow.approve_announcement)
    client.force_login(world.member)
    url = reverse("campaign:approve_announcement:detail", args=[process.pk, foreign_task.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, process):
    task = open_task(process, CampaignFlow.approve_announcement)
    for url in (
        CampaignFlow.instance.reverse("index"),
        CampaignFlow.instance.reverse("queue"),
        task.reverse("execute"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- time limits and escalation -------------------------------------------------------------


def test_an_overdue_task_goes_to_the_county_and_not_before(client, world, process):
    task = open_task(process, CampaignFlow.approve_announcement)
    due = task.leading.get(status=STATUS.SCHEDULED).scheduled
    timers(due - datetime.timedelta(minutes=1))
    task.refresh_from_db()
    assert task.owner == world.head and task.status == STATUS.ASSIGNED
    assert queue_of(client, world.hr) == []
    assert not AuditEntry.objects.filter(transition="escalate").exists()

    timers(due + datetime.timedelta(minutes=1))
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert task.owner_permission == f"workflows.county_hr@{world.county.pk}"
    assert queue_of(client, world.hr) == [task]
    assert queue_of(client, world.far_hr) == []
    assert queue_of(client, world.head) == []
    entry = AuditEntry.objects.get(transition="escalate")
    assert entry.object_id == process.campaign.pk and entry.actor is None
    assert "escalated to the county" in entry.reason
    client.force_login(world.hr)
    assert client.post(task.reverse("assign")).status_code == 302
    task.refresh_from_db()
    assert task.owner == world.hr
    # The campaign itself is untouched by the escalation.
    process.campaign.refresh_from_db()
    assert process.campaign.state == CampaignState.DRAFT


def test_county_hr_can_hand_an_escalated_task_back(client, world, process):
    task = open_task(process, CampaignFlow.approve_announcement)
    timers(task.leading.get(status=STATUS.SCHEDULED).scheduled + datetime.timedelta(minutes=1))
    client.force_login(world.hr)
    client.post(task.reverse("assign"))
    response = client.post(
        task.reverse("execute"), {"action": "return_to_township", "note": "请尽快审批"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == world.head and task.status == STATUS.ASSIGNED
    assert task.owner_permission == f"workflows.township_head@{world.own.pk}"
    assert AuditEntry.objects.filter(
        transition="return_to_township", actor=world.hr, reason__contains="请尽快审批"
    ).exists()
    approve(client, process, world.head)
    process.campaign.refresh_from_db()
    assert process.campaign.state == CampaignState.ANNOUNCED


# --- the flow follows the campaign, never writes it -----------------------------------------


def test_every_state_change_is_a_services_audited_transition(client, world, process):
    approve(client, process, world.head)
    timers(at(REGISTRATION_END + datetime.timedelta(days=1), 0, 6))
    campaign = Campaign.objects.get(pk=process.campaign.pk)
    transitions = AuditEntry.objects.filter(
        object_id=campaign.pk,
        content_type__model="campaign",
        action=AuditEntry.Action.TRANSITION,
    ).order_by("at", "pk")
    assert [(e.transition, e.before["state"], e.after["state"]) for e in transitions] == [
        ("announce", CampaignState.DRAFT, CampaignState.ANNOUNCED),
        ("close_registration", CampaignState.ANNOUNCED, CampaignState.REGISTRATION_CLOSED),
    ]
    last = transitions.last()
    assert last is not None and campaign.state == last.after["state"]


def test_a_campaign_cancelled_meanwhile_ends_its_process(client, world, process):
    from recruitment.services.campaigns import campaign_cancel

    approve(client, process, world.head)
    timers(at(REGISTRATION_END + datetime.timedelta(days=1), 0, 6))
    campaign_cancel(campaign=process.campaign, reason="上级通知暂停选聘", by=world.member)
    task = open_task(process, CampaignFlow.review_applications)
    client.force_login(world.member)
    page = client.get(task.reverse("execute"))
    assert page.status_code == 200 and page.context["cancelled"]
    assert client.post(task.reverse("execute")).status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert Task.objects.get(process=process, flow_task=CampaignFlow.cancelled).status == (
        STATUS.DONE
    )


def test_registration_closing_skips_a_cancelled_campaign(client, world, process):
    from recruitment.services.campaigns import campaign_cancel

    approve(client, process, world.head)
    campaign_cancel(campaign=process.campaign, reason="上级通知暂停选聘", by=world.member)
    timers(at(REGISTRATION_END + datetime.timedelta(days=1), 0, 6))
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert not Task.objects.filter(process=process, status=STATUS.ERROR).exists()


def test_the_dashboard_lists_my_tasks_and_offers_the_start(client, world, process):
    client.force_login(world.head)
    response = client.get(CampaignFlow.instance.reverse("index"))
    assert response.status_code == 200
    assert [task.pk for task, _c, _u in response.context["inbox"]] == [
        open_task(process, CampaignFlow.approve_announcement).pk
    ]
    assert response.context["start_url"] == CampaignFlow.start.reverse("execute")
    client.force_login(world.office)
    response = client.get(CampaignFlow.instance.reverse("index"))
    assert response.status_code == 200 and response.context["start_url"] is None


def test_due_time_is_shown_on_the_task(client, world, process):
    task = open_task(process, CampaignFlow.approve_announcement)
    client.force_login(world.head)
    response = client.get(task.reverse("execute"))
    assert response.status_code == 200
    assert response.context["due"] == task.leading.get(status=STATUS.SCHEDULED).scheduled
    assert timezone.localtime(response.context["due"]).date() == datetime.date(2026, 9, 5)


def test_the_menu_offers_the_recruitment_sections_to_whom_may_use_them(client, world):
    def menu(user) -> dict[str, str]:
        client.force_login(user)
        response = client.get(reverse("web:dashboard"))
        assert response.status_code == 200
        html = response.content.decode()
        return {
            name: url
            for name, url in (
                ("recruitment", reverse("recruitment:campaign_list")),
                ("tasks", CampaignFlow.instance.reverse("index")),
                ("calendar", reverse("workdays:list")),
            )
            if f'href="{url}"' in html
        }

    assert set(menu(world.member)) == {"recruitment", "tasks"}
    assert set(menu(world.office)) == {"recruitment", "tasks"}
    assert set(menu(world.hr)) == {"recruitment", "tasks", "calendar"}
    village_user = UserFactory(
        role=Role.VILLAGE_COMMITTEE,
        county=world.county,
        township=world.own,
        village=world.villages[world.own],
    )
    assert menu(village_user) == {}
