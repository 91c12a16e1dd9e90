"""Each task page of the recruitment flow does only its own step: the task in the URL must be
of the process in the URL and of the step the URL names, or the page is not found.

Viewflow's task URLs carry the step's name and the task's id, and its views do not check
that they match; ``workflows.viewsets.in_scope`` does."""

import pytest
import time_machine
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.constants import Role
from recruitment.constants import CampaignState
from recruitment.models import Campaign
from tests.matrix_support import make_world
from tests.workflow_support import NOW, Run, make_people, quick_pdf
from workflows.flows import CampaignFlow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture(autouse=True)
def urlconf():
    assert get_resolver().url_patterns


def task_url_kinds() -> dict[str, list[str]]:
    """Every URL of the flow that takes a task id: the kinds (index, detail, execute, assign,
    unassign, ...) of each step."""
    kinds: dict[str, list[str]] = {}

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner)
            elif (
                isinstance(pattern, URLPattern)
                and "task_pk" in str(pattern.pattern)
                and namespaces[:1] == ["campaign"]
                and len(namespaces) == 2
            ):
                kinds.setdefault(namespaces[1], []).append(pattern.name)

    walk(get_resolver().url_patterns, [])
    return kinds


def test_every_step_has_its_task_pages():
    kinds = task_url_kinds()
    assert set(kinds) == {node.name for node in CampaignFlow.instance.nodes()}
    assert sorted(kinds["review_applications"]) == [
        "assign",
        "detail",
        "execute",
        "index",
        "unassign",
    ]
    # No management page that would undo, cancel or revive a single task.
    assert not any(
        kind in ("undo", "cancel", "revive") for names in kinds.values() for kind in names
    )


def state_of(process) -> tuple:
    return (
        Campaign.objects.get(pk=process.campaign_id).state,
        sorted(Task.objects.filter(process=process).values_list("pk", "status", "owner_id")),
    )


def answer(request, url: str):
    """What the URL's view answers, called as resolved, without the middleware: a task
    that is not of the step is refused by the URL's wrapper before any view runs."""
    match = resolve(url)
    request.resolver_match = match
    try:
        return match.func(request, *match.args, **match.kwargs).status_code
    except Http404:
        return 404


def test_only_the_task_of_the_step_in_the_url_reaches_the_step(client, rf):
    """Every (URL step × task step) pair of every task URL kind: the task of another step
    is not found (posted to where the page changes something); the task of the step
    reaches its page."""
    world = make_world()
    recruitment = world.recruitment("own")
    process, tasks = recruitment.process, recruitment.tasks
    user = world.users[Role.TOWNSHIP_COMMITTEE]  # owns every human task
    client.force_login(user)
    before = state_of(process)
    danger = {"decision": "reject", "reason": "x", "confirm_cancel": "on", "confirm": "on"}
    wrong = []
    pairs = 0
    for step, kinds in sorted(task_url_kinds().items()):
        for kind in kinds:
            for task_step, task in sorted(tasks.items()):
                url = reverse(f"campaign:{step}:{kind}", args=[process.pk, task.pk])
                if task_step == step:
                    status = client.get(url).status_code
                    if status == 404:
                        wrong.append(f"GET {url} (its own step): 404")
                    continue
                # Pages that change something are posted to, the others read.
                changes = kind in ("execute", "assign", "unassign")
                request = rf.post(url, danger) if changes else rf.get(url)
                request.user = user
                status = answer(request, url)
                if status != 404:
                    wrong.append(f"{request.method} {url} (a {task_step} task): {status}")
                pairs += 1
    assert not wrong, "\n".join(wrong)
    assert pairs > 2000
    assert state_of(process) == before


def test_a_task_of_another_process_is_not_found(client):
    world = make_world()
    own, foreign = world.recruitment("own"), world.recruitment("foreign")
    client.force_login(world.users[Role.ADMINISTRATOR])  # sees both processes
    task = foreign.tasks["review_applications"]
    url = reverse("campaign:review_applications:detail", args=[own.process.pk, task.pk])
    assert client.get(url).status_code == 404
    url = reverse("campaign:review_applications:detail", args=[foreign.process.pk, task.pk])
    assert client.get(url).status_code == 200


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_member_cannot_decide_the_announcement_through_their_review_task(
    client, clock, monkeypatch
):
    """The report: a committee member who is not the head posted a rejection to the approval
    page with their review task's id and cancelled a campaign with applicants."""
    quick_pdf(monkeypatch)
    people = make_people()
    run = Run(client, people, clock).to(CampaignFlow.review_applications)
    review = run.task(CampaignFlow.review_applications)
    client.force_login(people.member)
    url = reverse("campaign:approve_announcement:execute", args=[run.process.pk, review.pk])
    response = client.post(url, {"decision": "reject", "reason": "不批准", "confirm_cancel": "on"})
    assert response.status_code == 404
    run.campaign.refresh_from_db()
    assert run.campaign.state == CampaignState.REGISTRATION_CLOSED
    assert run.campaign.applications.count() == 3
    review.refresh_from_db()
    assert review.status == STATUS.ASSIGNED and review.owner == people.member


def test_closing_the_notice_through_the_hires_task_is_not_found(client, clock, monkeypatch):
    """The report: the objections step run on the confirm-hires task ended the process
    with the campaign stuck in the public notice, no hires and no audit row."""
    quick_pdf(monkeypatch)
    people = make_people()
    run = Run(client, people, clock).to(CampaignFlow.confirm_hires)
    hires = run.task(CampaignFlow.confirm_hires)
    state = run.campaign.state
    client.force_login(people.member)
    url = reverse("campaign:handle_objections:execute", args=[run.process.pk, hires.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    run.campaign.refresh_from_db()
    run.process.refresh_from_db()
    hires.refresh_from_db()
    assert run.campaign.state == state
    assert run.process.status == PROCESS.NEW
    assert hires.status == STATUS.ASSIGNED
    # The right page still works.
    run.finish(CampaignFlow.confirm_hires)
    run.campaign.refresh_from_db()
    assert run.campaign.state == CampaignState.CONCLUDED
