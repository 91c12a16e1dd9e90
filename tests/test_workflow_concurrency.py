"""Concurrent submissions of one task on PostgreSQL: the first completes the step, every
other one is told who completed it and when; the campaign moves once, never a 500.

Each submission is a browser of its own (a thread with its own test client and database
connection), released together by a barrier."""

import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import get_resolver
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.models import AuditEntry
from recruitment.constants import CampaignState
from recruitment.models import Campaign
from tests.workflow_support import NOW, Run, make_people, quick_pdf
from workflows.flows import CampaignFlow
from workflows.services import TaskEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 20


@pytest.fixture(autouse=True)
def urlconf():
    assert get_resolver().url_patterns


def test_twenty_concurrent_approvals_complete_the_task_once(monkeypatch):
    quick_pdf(monkeypatch)
    with time_machine.travel(NOW, tick=False) as clock:
        people = make_people()
        run = Run(Client(), people, clock).to(CampaignFlow.approve_announcement)
        task = run.task(CampaignFlow.approve_announcement)
        url = task.reverse("execute")
        browsers = [Client() for _ in range(SUBMISSIONS)]
        for browser in browsers:
            browser.force_login(people.head)
        barrier = threading.Barrier(SUBMISSIONS)
        results: list = [None] * SUBMISSIONS

        def submit(index: int) -> None:
            try:
                barrier.wait()
                response = browsers[index].post(url, {"decision": "approve"}, follow=True)
                results[index] = (response.status_code, response.content.decode())
            except Exception as exc:  # a 500 surfaces here as the view's exception
                results[index] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(SUBMISSIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    failures = [r for r in results if not isinstance(r, tuple) or r[0] != 200]
    assert not failures, failures
    told = "“审批选聘公告”已由杨光明于09:00完成。"
    done = "公告已批准，报名已开始。"
    assert sum(told in page for _status, page in results) == SUBMISSIONS - 1
    assert sum(done in page for _status, page in results) == 1
    campaign = Campaign.objects.get(pk=run.campaign.pk)
    assert campaign.state == CampaignState.ANNOUNCED
    on_campaign = AuditEntry.objects.filter(content_type__model="campaign", object_id=campaign.pk)
    assert on_campaign.filter(transition="announce").count() == 1
    assert on_campaign.filter(transition=TaskEvent.COMPLETE).count() == 1
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == people.head
    # The flow moved on once: one registration timer, one approval.
    assert (
        Task.objects.filter(process=run.process, flow_task=CampaignFlow.registration_ends).count()
        == 1
    )
    assert (
        Task.objects.filter(
            process=run.process, flow_task=CampaignFlow.approve_announcement
        ).count()
        == 1
    )
