"""The flows of a resignation and of a dismissal case (workflows.flows_endings): started by
the services' signals, each step a task in the township's (or county's) queue with its time
limit, completed by the record page's form, escalated to the county when late."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.backends import COUNTY_HR_PERMISSION, TOWNSHIP_COMMITTEE_PERMISSION
from contracts.models import DismissalGround
from contracts.services.dismissal import case_open
from contracts.services.endings import resignation_request
from notifications.models import Notification
from tests.endings_support import active_contract, director_of, seed_grounds
from tests.workflow_support import fire_timers
from workflows.deadlines import last_day
from workflows.flows_endings import (
    DismissalFlow,
    ResignationFlow,
    case_process,
    due_of,
    resignation_process,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)  # Monday


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _grounds(db):
    seed_grounds()


@pytest.fixture
def contract(township):
    return active_contract(township)


def open_tasks(process):
    return Task.objects.filter(
        process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN"
    )


def test_a_request_waits_for_the_townships_answer_and_the_page_completes_it(
    client, contract, committee, policy
):
    resignation = resignation_request(
        contract=contract, by=director_of(contract), reason="", on=datetime.date(2026, 3, 2)
    )
    process = resignation_process(resignation)
    assert process is not None
    task = open_tasks(process).get()
    assert task.flow_task == ResignationFlow.answer
    assert task.owner_permission == TOWNSHIP_COMMITTEE_PERMISSION.format(
        township_id=contract.township_id
    )
    # 10 working days from the day after 2 March 2026: the last day is Monday 16 March
    assert policy.due_resignation_days == 10
    assert last_day(due_of(process, ResignationFlow.answer)) == datetime.date(2026, 3, 16)
    # the task's link leads to the resignation's page, where the form is
    client.force_login(committee)
    link = reverse("resignation:answer:index", args=[process.pk, task.pk])
    assert client.get(link).url == reverse("endings:resignation_detail", args=[resignation.pk])
    page = client.get(reverse("endings:resignation_detail", args=[resignation.pk]))
    assert "16" in page.context["due"]
    client.post(
        reverse("endings:resignation_detail", args=[resignation.pk]), {"end_date": "2026-04-30"}
    )
    process.refresh_from_db()
    assert not open_tasks(process).exists()
    assert process.status == PROCESS.DONE
    assert Task.objects.get(pk=task.pk).owner == committee


def test_an_unanswered_resignation_goes_to_the_county(contract, committee):
    resignation = resignation_request(
        contract=contract, by=director_of(contract), reason="", on=datetime.date(2026, 3, 2)
    )
    process = resignation_process(resignation)
    assert process is not None
    fire_timers(datetime.datetime(2026, 3, 16, 23, 0, tzinfo=SHANGHAI))
    task = open_tasks(process).get()
    assert task.owner_permission.startswith("workflows.township_committee@")
    fire_timers(datetime.datetime(2026, 3, 17, 0, 10, tzinfo=SHANGHAI))
    task.refresh_from_db()
    assert task.owner_permission == COUNTY_HR_PERMISSION.format(
        county_id=contract.township.county_id
    )
    assert task.data["escalated"]


def test_a_case_moves_through_its_steps_on_the_case_page(client, contract, committee, hr):
    case = case_open(
        contract=contract,
        grounds=[DismissalGround.objects.get(code="major_error")],
        period=2026,
        summary="事实",
        by=committee,
        on=datetime.date(2026, 3, 2),
    )
    process = case_process(case)
    assert process is not None
    assert open_tasks(process).get().flow_task == DismissalFlow.hear
    # the statement is due on 9 March (7 days from 3 March); that none was given can be
    # recorded from the next working day, the task's last day
    assert case.statement_due == datetime.date(2026, 3, 9)
    assert last_day(due_of(process, DismissalFlow.hear)) == datetime.date(2026, 3, 10)
    url = reverse("endings:case_detail", args=[case.pk])
    client.force_login(committee)
    client.post(url, {"step": "hear", "statement": "本人陈述"})
    assert open_tasks(process).get().flow_task == DismissalFlow.decide
    client.post(url, {"step": "decide", "decision": "close", "reasons": "不予辞退"})
    filing = open_tasks(process).get()
    assert filing.flow_task == DismissalFlow.file
    assert filing.owner_permission == COUNTY_HR_PERMISSION.format(
        county_id=contract.township.county_id
    )
    # a late filing reminds the county's HR officers
    fire_timers(datetime.datetime(2026, 3, 20, 0, 10, tzinfo=SHANGHAI))
    assert Notification.objects.filter(user=hr, key=f"case-filing-overdue-{case.pk}").exists()
    client.force_login(hr)
    client.post(url, {"step": "file"})
    process.refresh_from_db()
    assert process.status == PROCESS.DONE


def test_a_task_link_of_another_township_is_not_found(client, contract, foreign_committee):
    resignation = resignation_request(
        contract=contract, by=director_of(contract), reason="", on=datetime.date(2026, 3, 2)
    )
    process = resignation_process(resignation)
    assert process is not None
    task = open_tasks(process).get()
    client.force_login(foreign_committee)
    assert (
        client.get(reverse("resignation:answer:index", args=[process.pk, task.pk])).status_code
        == 404
    )
    client.logout()
    response = client.get(reverse("resignation:answer:index", args=[process.pk, task.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_a_step_recorded_through_the_service_completes_its_task(contract, committee):
    from contracts.constants import CaseDecision
    from contracts.services.dismissal import case_decide, case_hear

    case = case_open(
        contract=contract,
        grounds=[DismissalGround.objects.get(code="major_error")],
        period=2026,
        summary="事实",
        by=committee,
        on=datetime.date(2026, 3, 2),
    )
    process = case_process(case)
    assert process is not None
    case_hear(
        case=case, statement="陈述", declined=False, by=committee, on=datetime.date(2026, 3, 3)
    )
    assert open_tasks(process).get().flow_task == DismissalFlow.decide
    case_decide(
        case=case,
        decision=CaseDecision.CLOSE,
        reasons="不予辞退",
        by=committee,
        on=datetime.date(2026, 3, 4),
    )
    decided = Task.objects.get(process=process, flow_task=DismissalFlow.decide)
    assert decided.status == STATUS.DONE and decided.owner == committee
    assert open_tasks(process).get().flow_task == DismissalFlow.file
