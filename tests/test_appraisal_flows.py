"""The appraisal and settlement flows (workflows.flows_appraisal): started by the services,
each task done the moment its fact is recorded, due dates from the policy, and task links
that send the right people to the township's page."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisal.services.appraisals import appraisal_confirm, appraisal_rate, appraisals_open
from appraisal.services.rewards import settlement_propose, settlement_settle
from tests.appraisal_support import scheme, scores
from tests.builders import committee_member, contract_in_force
from workflows.flows_appraisal import AppraisalFlow, SettlementFlow
from workflows.models import AppraisalProcess, SettlementProcess

pytestmark = pytest.mark.django_db
RATINGS = dict.fromkeys(
    ("ethics", "ability", "diligence", "performance", "integrity", "satisfaction"), "80"
)
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def open_tasks(process):
    return list(
        Task.objects.filter(process=process, status__in=OPEN, flow_task_type="HUMAN").values_list(
            "flow_task", flat=True
        )
    )


def test_rating_and_confirming_complete_their_tasks(township, committee, hr, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 10))
    contract = contract_in_force(
        township, start=datetime.date(2024, 1, 1), birth=datetime.date(1990, 1, 1), name="张丽"
    )
    scores(contract, 2025, ["85"] * 12)
    scheme(township.county, 2025)
    (appraisal,) = appraisals_open(
        township=township, year=2025, by=committee, today=datetime.date(2026, 1, 5)
    )
    process = AppraisalProcess.objects.get(appraisal=appraisal)
    assert open_tasks(process) == [AppraisalFlow.rate]
    timer = Task.objects.get(process=process, status=STATUS.SCHEDULED)
    assert timer.scheduled.date() > datetime.date(2026, 1, 5)
    appraisal = appraisal_rate(appraisal=appraisal, ratings=RATINGS, by=committee)
    assert open_tasks(process) == [AppraisalFlow.confirm]
    appraisal_confirm(appraisal=appraisal, by=hr)
    process.refresh_from_db()
    assert open_tasks(process) == [] and process.status == STATUS.DONE

    settlement = settlement_propose(township=township, year=2025, by=committee)
    settlement_process = SettlementProcess.objects.get(settlement=settlement)
    assert open_tasks(settlement_process) == [SettlementFlow.settle]
    due = Task.objects.get(process=settlement_process, status=STATUS.SCHEDULED).scheduled
    assert timezone.localtime(due).date() == datetime.date(2026, 3, 1)
    settlement_settle(settlement=settlement, on=datetime.date(2026, 1, 5), by=hr)
    settlement_process.refresh_from_db()
    assert settlement_process.status == STATUS.DONE


def test_a_task_link_leads_to_the_township_page_and_not_elsewhere(
    client, township, other_township, committee
):
    contract = contract_in_force(
        township, start=datetime.date(2024, 1, 1), birth=datetime.date(1990, 1, 1), name="张丽"
    )
    scores(contract, 2025, ["85"] * 12)
    scheme(township.county, 2025)
    (appraisal,) = appraisals_open(
        township=township, year=2025, by=committee, today=datetime.date(2026, 11, 29)
    )
    task = Task.objects.get(
        process__appraisalprocess__appraisal=appraisal, flow_task=AppraisalFlow.rate
    )
    url = f"/appraisal/tasks/{task.process_id}/rate/{task.pk}/"
    client.force_login(committee)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/appraisal/{township.pk}/2025/"
    client.force_login(committee_member(other_township))
    assert client.get(url).status_code == 404
    # Another step's name with this task: not found.
    assert client.get(f"/appraisal/tasks/{task.process_id}/confirm/{task.pk}/").status_code == 404
