"""The contract flow: who signs and files a drafted contract, by when, and what happens when
late.

One process per contract (``ContractProcess``), started when a contract is drafted (the
``contracts.signals.contract_drafted`` signal, after the drafting transaction commits). The
flow never writes the contract: each task view calls one service of
``contracts.services.signing``, which puts the contract in force once it is filed and
induction is recorded.

    start (code: the contract was drafted)
    → sign (township committee of the contract's township: both signatures)
    → file (county HR: 县备案)
    → needs_induction? → record_induction (county HR)
    → end (the contract is in force)

Time limits in working days from the contract's policy version (``Policy.due_signing_days``,
``due_filing_days``); an overdue task goes to the county's HR officers
(``workflows.services.task_escalate``).
"""

import logging

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from accounts.backends import COUNTY_HR_PERMISSION, TOWNSHIP_COMMITTEE_PERMISSION
from accounts.constants import Role
from accounts.scoping import can_see
from contracts.constants import ContractState
from contracts.models import Contract
from contracts.signals import contract_drafted
from workflows import nodes, views_contract
from workflows.deadlines import due_after_working_days
from workflows.models import ContractProcess
from workflows.services import task_escalate

logger = logging.getLogger(__name__)


def committee_permission(activation) -> str:
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=activation.process.contract.township_id)


def county_permission(activation) -> str:
    return COUNTY_HR_PERMISSION.format(county_id=activation.process.contract.township.county_id)


def current(activation) -> Contract:
    """The contract as stored now: the process's copy may predate the service just run."""
    return Contract.objects.get(pk=activation.process.contract_id)


class StartHandle(flow.StartHandle):
    detail_view_class = views_contract.ContractTaskDetailView
    undo_view_class = None


class View(nodes.View):
    """A human task of the contract flow, with the contract's own task pages."""

    detail_view_class = views_contract.ContractTaskDetailView
    assign_view_class = views_contract.ContractAssignTaskView
    unassign_view_class = views_contract.ContractUnassignTaskView

    def OnTimeout(self, delay, then, interrupting=True, title=None):
        super().OnTimeout(delay, then, interrupting=interrupting, title=title)
        _kind, boundary = self._boundary_specs[-1]
        boundary.detail_view_class = views_contract.ContractTaskDetailView
        return self


class If(nodes.If):
    detail_view_class = views_contract.ContractTaskDetailView


class Function(nodes.Function):
    detail_view_class = views_contract.ContractTaskDetailView


class End(nodes.End):
    detail_view_class = views_contract.ContractTaskDetailView


class ContractFlow(flow.Flow):
    """Contract signing and filing"""

    process_class = ContractProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Contract signing and filing")
    process_description = _(
        "A drafted contract is signed by the township and the director, filed with the county, "
        "and comes into force once induction training is recorded."
    )
    process_summary_template = "{{ process.contract.person.name }}"
    process_result_template = "{{ process.contract.get_state_display }}"

    start = (
        StartHandle(this.start_process)
        .Annotation(title=_("The contract is drafted"))
        .Next(this.sign)
    )

    sign = (
        View(views_contract.SignContractView.as_view())
        .Annotation(
            title=_("Sign the contract"),
            summary_template="{{ process.contract.person.name }}",
        )
        .Permission(committee_permission)
        .Assign(this.drafter)
        .OnTimeout(
            this.signing_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the signing"),
        )
        .Next(this.file)
    )

    file = (
        View(views_contract.FileContractView.as_view())
        .Annotation(
            title=_("File the contract with the county"),
            summary_template="{{ process.contract.person.name }}",
        )
        .Permission(county_permission)
        .OnTimeout(
            this.filing_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the filing"),
        )
        .Next(this.needs_induction)
    )

    needs_induction = (
        If(this.induction_missing)
        .Annotation(title=_("Induction training still to record?"))
        .Then(this.record_induction)
        .Else(this.end)
    )

    record_induction = (
        View(views_contract.RecordInductionView.as_view())
        .Annotation(
            title=_("Record induction training"),
            summary_template="{{ process.contract.person.name }}",
        )
        .Permission(county_permission)
        .OnTimeout(
            this.filing_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the induction record"),
        )
        .Next(this.end)
    )

    escalate = Function(this.escalate_overdue_task).Annotation(title=_("Escalate to the county"))

    end = End().Annotation(title=_("In force"))

    # --- start --------------------------------------------------------------------------

    def start_process(self, activation, contract=None):
        activation.process.contract = contract
        return activation.process

    # --- who ----------------------------------------------------------------------------

    def drafter(self, activation):
        """The committee member who confirmed the hire, while still on the committee of the
        contract's township; otherwise the task waits in that committee's queue."""
        contract = activation.process.contract
        user = contract.created_by
        if (
            user is not None
            and user.is_active
            and user.role == Role.TOWNSHIP_COMMITTEE
            and user.township_id == contract.township_id
        ):
            return user
        return None

    # --- by when ------------------------------------------------------------------------

    def signing_due(self, activation):
        days = activation.process.contract.policy.due_signing_days
        return due_after_working_days(timezone.localdate(), days)

    def filing_due(self, activation):
        days = activation.process.contract.policy.due_filing_days
        return due_after_working_days(timezone.localdate(), days)

    # --- gateways and code steps --------------------------------------------------------

    def induction_missing(self, activation) -> bool:
        contract = current(activation)
        return contract.state == ContractState.SIGNED and not contract.has_induction()

    def escalate_overdue_task(self, activation):
        """Hand the overdue task (the host of the timer that fired) to the county."""
        boundary = activation.task.previous.get()
        host = boundary.previous.get()
        task_escalate(task=host, by=None)

    # --- who sees -----------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        if obj is None:
            return True
        contract = getattr(obj, "contract", None)
        return contract is not None and can_see(user, contract)


def contract_flow_start(contract: Contract) -> None:
    """Start the flow of a drafted contract that has none (the receiver's work, after the
    drafting transaction has committed)."""
    if ContractProcess.objects.filter(contract_id=contract.pk).exists():
        return
    ContractFlow.start.run(contract=Contract.objects.get(pk=contract.pk))


@receiver(contract_drafted, dispatch_uid="workflows.flows_contract.start")
def start_on_draft(sender, contract: Contract, **kwargs) -> None:
    """A drafted contract gets its flow once the drafting transaction has committed: the
    process refers to a contract that exists for every other connection, and a failure to
    start it never undoes the hire (it is logged; ``contract_flow_start`` can be run again)."""
    transaction.on_commit(lambda: contract_flow_start(contract), robust=True)
