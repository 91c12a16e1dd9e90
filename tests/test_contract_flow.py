"""The contract flow (workflows.flows_contract.ContractFlow): started when a contract is
drafted, its tasks worked on their pages as people do: the township signs, the county files
and records induction, and the contract comes into force with its post occupied."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import get_resolver, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from contracts.constants import ContractState
from contracts.services import contract_draft
from organisation.models import Post
from tests.factories import PersonFactory, PostFactory, VillageFactory
from workflows.flows_contract import ContractFlow
from workflows.models import ContractProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Friday 20 November 2026, in Guanling.
DRAFT_DAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def urlconf():
    assert get_resolver().url_patterns


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def post(township):
    return PostFactory(village=VillageFactory(township=township, name="解放村"))


@pytest.fixture
def contract(township, post, committee, django_capture_on_commit_callbacks):
    person = PersonFactory(township=township, name="王晓燕")
    with at(DRAFT_DAY), django_capture_on_commit_callbacks(execute=True):
        return contract_draft(
            application=None,
            person=person,
            post=post,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )


def open_task(contract, node):
    return Task.objects.get(
        process__contractprocess__contract=contract,
        flow_task=node,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def task_url(task, kind="index"):
    return task.flow_task.reverse(kind, args=[task.process_id, task.pk])


def test_drafting_starts_the_flow_with_the_signing_task_for_the_drafter(contract, committee):
    process = ContractProcess.objects.get(contract=contract)
    assert process.flow_class is ContractFlow
    task = open_task(contract, ContractFlow.sign)
    assert task.owner == committee
    assert task.status == STATUS.ASSIGNED
    # Due after the policy's working days (10 by default), escalated when late.
    timer = task.leading.get()
    assert timer.scheduled.date() > DRAFT_DAY + datetime.timedelta(days=10)


def test_without_a_commit_no_flow_starts(township, post, committee):
    """The flow starts once the drafting transaction commits, not inside it."""
    with at(DRAFT_DAY):
        contract = contract_draft(
            application=None,
            person=PersonFactory(township=township),
            post=post,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )
    assert not ContractProcess.objects.filter(contract=contract).exists()


def test_sign_file_and_induction_through_the_task_pages(client, contract, committee, hr, post):
    with at(datetime.date(2026, 11, 24)):
        client.force_login(committee)
        sign = open_task(contract, ContractFlow.sign)
        page = client.get(task_url(sign), follow=True)
        assert page.status_code == 200
        response = client.post(
            task_url(sign, "execute"),
            {"signatory": "李强", "township_on": "2026-11-23", "director_on": "2026-11-24"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        contract.refresh_from_db()
        assert contract.state == ContractState.SIGNED

        client.force_login(hr)
        file = open_task(contract, ContractFlow.file)
        assert file.owner is None  # in the county's queue
        assert client.post(task_url(file, "assign")).status_code == 302
        response = client.post(task_url(file, "execute"), {"filing_number": "关人备12号"})
        assert response.status_code == 302
        contract.refresh_from_db()
        assert contract.filed_on is not None and contract.state == ContractState.SIGNED

        induction = open_task(contract, ContractFlow.record_induction)
        assert client.post(task_url(induction, "assign")).status_code == 302
        response = client.post(task_url(induction, "execute"), {"on": "2026-11-24", "note": ""})
        assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    assert Post.objects.get(pk=post.pk).holder_id == contract.person_id
    assert ContractProcess.objects.get(contract=contract).status == PROCESS.DONE


def test_a_refused_signing_shows_the_reason_and_completes_nothing(client, contract, committee):
    with at(datetime.date(2026, 11, 24)):
        client.force_login(committee)
        sign = open_task(contract, ContractFlow.sign)
        response = client.post(
            task_url(sign, "execute"),
            {"signatory": "李强", "township_on": "2026-11-25", "director_on": "2026-11-24"},
        )
    assert response.status_code == 200
    assert "is in the future" in response.content.decode()
    sign.refresh_from_db()
    assert sign.status == STATUS.ASSIGNED


def test_induction_already_recorded_skips_its_task(client, contract, committee, hr):
    from contracts.services.signing import contract_record_induction

    with at(datetime.date(2026, 11, 24)):
        contract_record_induction(contract=contract, on=datetime.date(2026, 11, 23), by=hr)
        client.force_login(committee)
        sign = open_task(contract, ContractFlow.sign)
        client.post(
            task_url(sign, "execute"),
            {"signatory": "李强", "township_on": "2026-11-24", "director_on": "2026-11-24"},
        )
        client.force_login(hr)
        file = open_task(contract, ContractFlow.file)
        client.post(task_url(file, "assign"))
        client.post(task_url(file, "execute"), {"filing_number": ""})
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    assert not Task.objects.filter(flow_task=ContractFlow.record_induction).exists()
    assert ContractProcess.objects.get(contract=contract).status == PROCESS.DONE


@pytest.mark.parametrize("who", ["foreign_committee", "office", "hr"])
def test_others_cannot_sign(client, contract, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    sign = open_task(contract, ContractFlow.sign)
    with at(datetime.date(2026, 11, 24)):
        response = client.post(
            task_url(sign, "execute"),
            {"signatory": "李强", "township_on": "2026-11-24", "director_on": "2026-11-24"},
        )
    assert response.status_code in (403, 404)
    contract.refresh_from_db()
    assert contract.state == ContractState.DRAFTED


def test_an_overdue_signing_goes_to_the_county(contract, committee, hr):
    from django.core.management import call_command

    sign = open_task(contract, ContractFlow.sign)
    timer = sign.leading.get()
    with time_machine.travel(timer.scheduled + datetime.timedelta(minutes=5), tick=False):
        call_command("workflow_timers", verbosity=0)
    sign.refresh_from_db()
    assert sign.owner is None
    assert sign.owner_permission == f"workflows.county_hr@{contract.township.county_id}"
    assert (sign.data or {}).get("escalated")


def test_the_contract_page_links_the_open_task(client, contract, committee):
    client.force_login(committee)
    page = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert page.status_code == 200
    sign = open_task(contract, ContractFlow.sign)
    assert task_url(sign) in page.content.decode()


def test_a_step_done_elsewhere_closes_its_task(client, contract, committee):
    """The contract was signed by the service meanwhile (another page, a second tab): the
    signing task closes instead of refusing, and the flow goes on to the filing."""
    from contracts.services.signing import contract_sign

    with at(datetime.date(2026, 11, 24)):
        contract_sign(
            contract=contract,
            signatory="李强",
            township_on=datetime.date(2026, 11, 24),
            director_on=datetime.date(2026, 11, 24),
            by=committee,
        )
        client.force_login(committee)
        sign = open_task(contract, ContractFlow.sign)
        response = client.post(task_url(sign, "execute"), {})
    assert response.status_code == 302
    sign.refresh_from_db()
    assert sign.status == STATUS.DONE
    assert open_task(contract, ContractFlow.file).owner is None


def test_the_contract_tasks_page_lists_my_task_and_the_county_queue(client, contract, hr):
    from workflows.flows_contract import ContractFlow as Flow

    client.force_login(contract.created_by)
    page = client.get(reverse("contract:index"))
    assert page.status_code == 200
    assert [row[0] for row in page.context["mine"]] == [open_task(contract, Flow.sign)]
    assert page.context["pool"] == []
    client.force_login(hr)
    assert client.get(reverse("contract:index")).context["mine"] == []


def test_the_contract_tasks_page_says_each_tasks_last_day(client, contract):
    """The list of contract tasks gives each task's time limit in the one wording."""
    from django.utils import translation

    from workflows.deadlines import deadline_text

    client.force_login(contract.created_by)
    page = client.get(reverse("contract:index"))
    due = page.context["mine"][0][4]
    assert due is not None
    with translation.override(page.headers["Content-Language"]):
        assert deadline_text(due) in page.content.decode()


def test_the_contracts_audit_trail_names_every_step(client, contract, committee):
    """Signing on the task page records the task's completion and the signature on the
    contract, each by its name, never by its code."""
    from audit.display import describe_entries
    from audit.models import AuditEntry

    with at(datetime.date(2026, 11, 24)):
        client.force_login(committee)
        sign = open_task(contract, ContractFlow.sign)
        client.post(
            task_url(sign, "execute"),
            {"signatory": "李强", "township_on": "2026-11-24", "director_on": "2026-11-24"},
        )
    entries = AuditEntry.objects.filter(object_id=contract.pk, content_type__model="contract")
    steps = {view.what.split(" · ")[-1] for view in describe_entries(entries)}
    assert {"Draft the contract", "Sign the contract", "Complete a task"} <= steps
    assert not steps & {"sign", "task_complete", "draft"}
