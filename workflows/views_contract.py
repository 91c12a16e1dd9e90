"""Task views of the contract flow (``workflows.flows_contract.ContractFlow``), thin by design:
each shows the contract, validates a small form, calls the one service of its step
(``contracts.services.signing``) and completes the task. A refusal (wrong state, a date in the
future, a stale submission, a post taken meanwhile) is shown on the form and completes nothing.
"""

import datetime
import logging
from typing import Any

import django_fsm
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from accounts.constants import Role
from contracts.constants import ContractState, InductionSource
from contracts.models import Contract
from contracts.services.signing import contract_file, contract_record_induction, contract_sign
from core.forms import NormalisedForm
from workflows import nodes
from workflows.services import task_return_to_township
from workflows.views import TASK_FAILURES, TaskDetailView, failure_message, task_due, task_state

logger = logging.getLogger(__name__)

SERVICE_ERRORS = (
    django_fsm.TransitionNotAllowed,
    django_fsm.ConcurrentTransition,
    PermissionDenied,
    ValidationError,
    IntegrityError,
)


def refusal_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, django_fsm.ConcurrentTransition | IntegrityError):
        return [
            _(
                "Someone else changed this contract or its post meanwhile. Reload the page "
                "and check it."
            )
        ]
    if isinstance(exc, django_fsm.TransitionNotAllowed):
        return [_("This step is not possible in the contract's present state.")]
    return [str(exc) or _("You may not take this step.")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignForm(NormalisedForm):
    signatory = forms.CharField(
        label=gettext_lazy("Signed for the township by"),
        max_length=64,
        help_text=gettext_lazy("The name of the township's legal representative or agent."),
    )
    township_on = forms.DateField(label=gettext_lazy("Township signed on"), widget=DateInput())
    director_on = forms.DateField(label=gettext_lazy("Director signed on"), widget=DateInput())


class FileForm(NormalisedForm):
    filing_number = forms.CharField(
        label=gettext_lazy("Filing number"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("The number of the county's filing register, if it has one."),
    )


class InductionForm(NormalisedForm):
    on = forms.DateField(label=gettext_lazy("Induction training completed on"), widget=DateInput())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example the session's name or certificate number."),
    )


class ContractTaskView(generic.FormView):
    """One human task of a contract: the contract's facts, a form, the step's service."""

    template_name = "workflows/contract_task.html"
    success_text: Any = gettext_lazy("The step is done.")
    intro: Any = ""

    @property
    def activation(self) -> Any:
        return self.request.activation  # type: ignore[attr-defined]

    @property
    def contract(self):
        return self.activation.process.contract

    def perform(self, form) -> None:
        """Call the step's service; it raises to refuse."""

    def already_done(self, contract) -> bool:
        """Whether the step's work was done meanwhile elsewhere (the contract as stored)."""
        return False

    def run_service(self, form) -> list[str]:
        try:
            with transaction.atomic():
                self.perform(form)
        except SERVICE_ERRORS as exc:
            # The services work on the row they lock, so the page's copy was not changed.
            return refusal_messages(exc)
        except TASK_FAILURES:
            logger.exception("The step %s of %s failed", self.activation.flow_task, self.contract)
            return [failure_message()]
        return []

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "return_to_township":
            note = (request.POST.get("note") or "").strip()
            if not note:
                messages.error(request, _("Say why the task goes back to the township."))
                return HttpResponseRedirect(request.path)
            task_return_to_township(task=self.activation.task, note=note, by=request.user)
            messages.success(request, _("The task is back with the township."))
            return HttpResponseRedirect(self.contract_url())
        stored = Contract.objects.get(pk=self.contract.pk)
        if self.already_done(stored):
            # Nothing left to do: the task closes and the flow goes on.
            self.activation.execute()
            messages.info(request, _("This step was already done; the task is closed."))
            return HttpResponseRedirect(self.contract_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        problems = self.run_service(form)
        if problems:
            for problem in problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        self.activation.execute()
        messages.success(self.request, self.success_text)
        return HttpResponseRedirect(self.contract_url())

    def contract_url(self) -> str:
        return reverse("contracts:detail", args=[self.contract.pk])

    def get_context_data(self, **kwargs):
        task = self.activation.task
        data = task.data or {}
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            contract=self.contract,
            task=task,
            flow_task=self.activation.flow_task,
            due=task_due(task),
            escalated=bool(data.get("escalated")),
            can_return=bool(data.get("escalated")) and getattr(user, "role", "") == Role.COUNTY_HR,
            contract_url=self.contract_url(),
            intro=self.intro,
            in_force=self.contract.is_in_force,
            days_left=self.contract.days_left(timezone.localdate()),
        )
        return context


class SignContractView(ContractTaskView):
    """The township records both signatures (``contract_sign``)."""

    form_class = SignForm
    success_text = gettext_lazy("The contract is signed and submitted to the county for filing.")
    intro = gettext_lazy(
        "Record the signatures on the printed contract: who signed for the township and the "
        "dates both parties signed. The signed contract is issued again with them."
    )

    def get_initial(self):
        today = timezone.localdate()
        return {"township_on": today, "director_on": today}

    def already_done(self, contract) -> bool:
        return contract.state != ContractState.DRAFTED and contract.township_signed_on is not None

    def perform(self, form) -> None:
        data = form.cleaned_data
        contract_sign(
            contract=self.contract,
            signatory=data["signatory"],
            township_on=data["township_on"],
            director_on=data["director_on"],
            by=self.request.user,
        )


class FileContractView(ContractTaskView):
    """The county HR officer files the signed contract (``contract_file``)."""

    form_class = FileForm
    success_text = gettext_lazy("The contract is filed with the county.")
    intro = gettext_lazy(
        "Check the signed contract and file it with the county. The county filing form is "
        "issued; the contract comes into force once induction training is recorded."
    )

    def already_done(self, contract) -> bool:
        return contract.is_filed()

    def perform(self, form) -> None:
        contract_file(
            contract=self.contract,
            filing_number=form.cleaned_data["filing_number"],
            by=self.request.user,
        )


class RecordInductionView(ContractTaskView):
    """The county HR officer records the induction training (``contract_record_induction``)."""

    form_class = InductionForm
    success_text = gettext_lazy("Induction training is recorded.")
    intro = gettext_lazy(
        "Record the day the director completed the county's induction training. The induction "
        "certificate is issued and the filed contract comes into force."
    )

    def get_initial(self):
        return {"on": timezone.localdate()}

    def already_done(self, contract) -> bool:
        return contract.has_induction()

    def perform(self, form) -> None:
        on: datetime.date = form.cleaned_data["on"]
        contract_record_induction(
            contract=self.contract,
            on=on,
            source=InductionSource.RECORDED,
            note=form.cleaned_data["note"],
            by=self.request.user,
        )


# The task pages of the contract flow's nodes besides the step itself -------------------------


class ContractTaskDetailView(TaskDetailView):
    """Any task of the contract flow: its step, contract, person, times, state and actions."""

    template_name = "workflows/contract_task_detail.html"

    def get_context_data(self, **kwargs):
        context = super(TaskDetailView, self).get_context_data(**kwargs)
        activation = self.request.activation  # type: ignore[attr-defined]
        task = activation.task
        contract = activation.process.contract
        context.update(
            task=task,
            contract=contract,
            contract_url=reverse("contracts:detail", args=[contract.pk]),
            state=task_state(task),
            due=task_due(task) if task.flow_task_type == "HUMAN" else None,
            actions=self.get_actions(),
        )
        return context


class ContractAssignTaskView(nodes.AssignTaskView):
    template_name = "workflows/contract_task_assign.html"


class ContractUnassignTaskView(nodes.UnassignTaskView):
    def get_success_url(self):
        contract_id = self.request.activation.process.contract_id  # type: ignore[attr-defined]
        return reverse("contracts:detail", args=[contract_id])
