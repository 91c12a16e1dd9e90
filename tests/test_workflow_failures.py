"""A task page of the recruitment flow never answers 500: a failure while completing the
step (a document that cannot be issued, a full disk, a database error) leaves the task and
the campaign as they were and says so; a task completed meanwhile says by whom and when; a
task locked by another submission says so."""

from contextlib import contextmanager

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.urls import get_resolver
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from audit.models import AuditEntry
from paperwork.models import Document
from paperwork.services import DocumentIssueError
from recruitment.models import Application, Campaign
from tests.workflow_support import NOW, STEPS, Run, make_people, quick_pdf, step_data
from workflows import views
from workflows.flows import CampaignFlow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

# The one service each step's page calls.
SERVICES = {
    CampaignFlow.approve_announcement: "announcement_decide",
    CampaignFlow.review_applications: "campaign_finish_review",
    CampaignFlow.enter_written_scores: "shortlist_draw",
    CampaignFlow.enter_interview_marks: "campaign_finish_exams",
    CampaignFlow.confirm_ranking: "ranking_publish",
    CampaignFlow.handle_objections: "notice_close",
    CampaignFlow.confirm_hires: "campaign_confirm_hires",
}


def document_failure():
    raise DocumentIssueError("No installed font can print 𠀀 (U+20000).")


def disk_failure():
    raise OSError(28, "No space left on device")


def database_failure():
    # A real error of the database, which on PostgreSQL also aborts the transaction.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


FAILURES = {"document": document_failure, "disk": disk_failure, "database": database_failure}


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


def snapshot(run: Run) -> tuple:
    return (
        Campaign.objects.get(pk=run.campaign.pk).state,
        sorted(Application.objects.filter(campaign=run.campaign).values_list("pk", "state")),
        sorted(Task.objects.filter(process=run.process).values_list("pk", "status", "owner_id")),
        AuditEntry.objects.count(),
        Document.objects.count(),
    )


def test_every_step_has_one_service():
    assert set(SERVICES) == set(STEPS)
    for name in SERVICES.values():
        assert callable(getattr(views, name))


@pytest.mark.parametrize("node", STEPS, ids=[node.name for node in STEPS])
def test_a_failure_of_the_step_leaves_the_task_and_the_campaign_as_they_were(
    client, clock, people, monkeypatch, node
):
    """The step's service does all its work, then fails: the page shows a message and
    keeps the form, nothing of the step remains, and the step succeeds when tried again."""
    run = Run(client, people, clock).to(node)
    task = run.task(node)
    real = getattr(views, SERVICES[node])
    client.force_login(run.owner_of(node))
    data = step_data(node, run.campaign)
    before = snapshot(run)
    for name, failure in FAILURES.items():

        def failing(failure=failure, **kwargs):
            real(**kwargs)
            failure()

        monkeypatch.setattr(views, SERVICES[node], failing)
        response = client.post(task.reverse("execute"), data)
        assert response.status_code == 200, (name, response.status_code)
        assert "could not be completed because of a technical problem" in (
            response.content.decode()
        ), name
        assert snapshot(run) == before, name
    monkeypatch.setattr(views, SERVICES[node], real)
    run.finish(node)
    assert snapshot(run) != before


def test_a_failure_after_the_service_rolls_the_whole_step_back(client, clock, people, monkeypatch):
    """A failure while the flow moves on (here: the completion's audit row) is outside the
    service's savepoint: the whole step is rolled back, the page says so, never a 500."""
    from workflows import services

    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    task = run.task(CampaignFlow.review_applications)
    before = snapshot(run)

    def broken(**kwargs):
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(services, "task_record", broken)
    client.force_login(people.member)
    response = client.post(task.reverse("execute"), follow=True)
    assert response.redirect_chain == [(task.reverse("execute"), 302)]
    assert "could not be completed because of a technical problem" in response.content.decode()
    assert snapshot(run) == before


def test_a_task_completed_meanwhile_says_by_whom_and_when(client, clock, people):
    run = Run(client, people, clock).to(CampaignFlow.approve_announcement)
    task = run.task(CampaignFlow.approve_announcement)
    clock.move_to(NOW.replace(hour=10, minute=42))
    run.finish(CampaignFlow.approve_announcement)
    before = snapshot(run)
    clock.move_to(NOW.replace(hour=11))
    client.force_login(people.head)
    for method in ("get", "post"):
        send = getattr(client, method)
        response = send(task.reverse("execute"), {"decision": "approve"}, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[0][0] == f"/recruitment/campaigns/{run.campaign.pk}/"
        page = response.content.decode()
        assert (
            "“Approve the recruitment announcement” was already completed by 杨光明 at 10:42."
            in page
        )
    assert snapshot(run) == before


def test_a_task_locked_by_another_submission_says_so(client, clock, people, monkeypatch):
    run = Run(client, people, clock).to(CampaignFlow.approve_announcement)
    task = run.task(CampaignFlow.approve_announcement)
    before = snapshot(run)

    @contextmanager
    def busy(flow_class, process_pk):
        raise FlowLockFailed(f"Lock failed for {flow_class}")
        yield

    monkeypatch.setattr(CampaignFlow, "lock_impl", busy)
    client.force_login(people.head)
    response = client.post(task.reverse("execute"), {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert "Someone is completing the task" in response.content.decode()
    assert snapshot(run) == before
