"""The flows of a resignation and of a dismissal case: who must act, by when, and what
happens when late. Each starts from the signal its service sends.

    ResignationFlow (one per resignation, ``ResignationProcess``)
        start (resignation_requested) → answer (township committee; due_resignation_days
        working days; escalated to the county on timeout) → end

    DismissalFlow (one per case, ``DismissalProcess``)
        start (dismissal_case_opened) → hear (township committee; due the first working
        day after the statement date) → decide (township committee;
        due_case_decision_days) → file (county HR; due_case_filing_days) → end

A task's page is the record's page (``contracts.views_endings``), whose form for the step calls
the one service of the step. A task is done the moment its fact is recorded, whoever recorded
it and from whichever page: the django-fsm ``post_transition`` signal of the resignation or
the case (sent inside the service's transaction) settles the step's task, so a step that fails
leaves the flow as it was. The flow never writes the record; it only says who acts and by
when.
"""

import datetime

from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm.signals import post_transition
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from accounts.backends import COUNTY_HR_PERMISSION, TOWNSHIP_COMMITTEE_PERMISSION
from accounts.constants import Role
from accounts.models import User
from accounts.scoping import can_see
from contracts.models import DismissalCase, Resignation
from contracts.signals import dismissal_case_opened, resignation_requested
from notifications.models import Category
from notifications.services import notify
from workflows.deadlines import due_after_working_days
from workflows.models import DismissalProcess, ResignationProcess
from workflows.services import task_escalate

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class RecordPage:
    """The task's page is its record's page: the step's form is there."""

    @staticmethod
    def as_view():
        def view(request, *args, **kwargs):
            process = request.activation.process
            return HttpResponseRedirect(record_url(process))

        return view


def record_url(process) -> str:
    if isinstance(process, ResignationProcess) or hasattr(process, "resignation_id"):
        return reverse("endings:resignation_detail", args=[process.resignation_id])
    return reverse("endings:case_detail", args=[process.case_id])


class HumanStep(flow.View):
    """A human step without the pages that would undo or cancel it by hand."""

    activation_class: type = ViewActivation  # set to StepActivation below

    undo_view_class = None
    cancel_view_class = None
    revive_view_class = None

    def OnTimeout(self, delay, then, interrupting=True, title=None):
        super().OnTimeout(delay, then, interrupting=interrupting, title=title)
        _kind, boundary = self._boundary_specs[-1]
        boundary.cancel_view_class = None
        return self


def _escalate_from_timer(activation) -> None:
    """Hand the overdue task (the host of the timer that fired) to the county."""
    boundary = activation.task.previous.get()
    task_escalate(task=boundary.previous.get())


def resignation_committee(activation) -> str:
    township_id = activation.process.resignation.contract.township_id
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=township_id)


def case_committee(activation) -> str:
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=activation.process.case.township_id)


def case_county(activation) -> str:
    return COUNTY_HR_PERMISSION.format(county_id=activation.process.case.township.county_id)


class ResignationFlow(flow.Flow):
    """Resignation"""

    process_class = ResignationProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Resignation")
    process_description = gettext_lazy("A director's request to resign, answered by the township.")
    process_summary_template = "{{ process.resignation }}"

    start = flow.StartHandle(this.start_process).Next(this.answer)
    answer = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("Answer the resignation"),
            summary_template="{{ process.resignation }}",
        )
        .Permission(resignation_committee)
        .OnTimeout(
            this.answer_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the answer"),
        )
        .Next(this.end)
    )
    escalate = flow.Function(this.escalate_overdue).Annotation(
        title=gettext_lazy("Escalate to the county")
    )
    end = flow.End().Annotation(title=gettext_lazy("Answered"))

    def start_process(self, activation, resignation):
        activation.process.resignation = resignation

    def answer_due(self, activation) -> datetime.datetime:
        resignation = activation.process.resignation
        days = resignation.contract.policy.due_resignation_days
        return due_after_working_days(resignation.requested_on, days)

    def escalate_overdue(self, activation):
        _escalate_from_timer(activation)

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.resignation)


class DismissalFlow(flow.Flow):
    """Dismissal case"""

    process_class = DismissalProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Dismissal case")
    process_description = gettext_lazy(
        "A dismissal case from its opening to its filing with the county."
    )
    process_summary_template = "{{ process.case }}"

    start = flow.StartHandle(this.start_process).Next(this.hear)
    hear = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("Record the director's statement"),
            summary_template="{{ process.case }}",
        )
        .Permission(case_committee)
        .OnTimeout(
            this.statement_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the statement"),
        )
        .Next(this.decide)
    )
    decide = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("Decide the case"),
            summary_template="{{ process.case }}",
        )
        .Permission(case_committee)
        .OnTimeout(
            this.decision_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the decision"),
        )
        .Next(this.file)
    )
    file = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("File the case with the county"),
            summary_template="{{ process.case }}",
        )
        .Permission(case_county)
        .OnTimeout(
            this.filing_due,
            this.remind_county,
            interrupting=False,
            title=gettext_lazy("Time limit of the filing"),
        )
        .Next(this.end)
    )
    remind_county = flow.Function(this.remind_county_now).Annotation(
        title=gettext_lazy("Remind the county")
    )
    escalate = flow.Function(this.escalate_overdue).Annotation(
        title=gettext_lazy("Escalate to the county")
    )
    end = flow.End().Annotation(title=gettext_lazy("Filed"))

    def start_process(self, activation, case):
        activation.process.case = case

    def statement_due(self, activation) -> datetime.datetime:
        """The statement is due on the case's statement date; that the director gave none can
        be recorded only from the day after, so the task's last day is the first working day
        after the statement date."""
        case = activation.process.case
        last = case.statement_due or timezone.localdate()
        return due_after_working_days(last, 1)

    def decision_due(self, activation) -> datetime.datetime:
        case = activation.process.case
        return due_after_working_days(timezone.localdate(), case.policy.due_case_decision_days)

    def filing_due(self, activation) -> datetime.datetime:
        case = activation.process.case
        return due_after_working_days(timezone.localdate(), case.policy.due_case_filing_days)

    def escalate_overdue(self, activation):
        _escalate_from_timer(activation)

    def remind_county_now(self, activation):
        """An overdue filing stays with the county's HR officers: they are reminded."""
        case = activation.process.case
        officers = User.objects.filter(
            role=Role.COUNTY_HR, county_id=case.township.county_id, is_active=True
        )
        notify(
            category=Category.DEADLINES,
            users=officers,
            key=f"case-filing-overdue-{case.pk}",
            text=_("The dismissal case of %(name)s waits to be filed with the county.")
            % {"name": case.contract.person.name},
            url=reverse("endings:case_detail", args=[case.pk]),
        )

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.case)


# --- started from the services' signals ---------------------------------------------------------


@receiver(resignation_requested, dispatch_uid="workflows.flows_endings.resignation")
def start_resignation_flow(sender, resignation: Resignation, **kwargs) -> None:
    ResignationFlow.start.run(resignation=resignation)


@receiver(dismissal_case_opened, dispatch_uid="workflows.flows_endings.case")
def start_dismissal_flow(sender, case: DismissalCase, **kwargs) -> None:
    DismissalFlow.start.run(case=case)


# --- a step is done when its fact is recorded -------------------------------------------------


class StepActivation(ViewActivation):
    """A human step of these flows; ``settle`` completes it from code when its fact was
    recorded (on the record's page, or by any other caller of the services)."""

    @Activation.status.transition(
        source=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED], target=STATUS.DONE
    )
    def settle(self, by=None):
        if by is not None and getattr(by, "pk", None):
            self.task.owner = by
        self.task.started = self.task.started or now()
        self.task.finished = now()
        self.task.save()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


def settle_step(process, node, by=None) -> bool:
    """Complete the open task of ``node`` in ``process`` (the step's fact was recorded) and
    move the flow on; False when there was none."""
    if process is None:
        return False
    with process.flow_class.lock(process.pk):
        task = open_task(process, node)
        if task is None:
            return False
        activation = task.flow_task.activation_class(task)
        activation.settle(by=by)
        activation.activate_next()
    return True


def open_task(process, node) -> Task | None:
    if process is None:
        return None
    return (
        Task.objects.filter(process=process, flow_task=node, status__in=OPEN).order_by("pk").first()
    )


@receiver(post_transition, sender=Resignation, dispatch_uid="workflows.flows_endings.answer")
def resignation_followed(sender, instance: Resignation, name: str, **kwargs) -> None:
    """Accepting (or withdrawing) the resignation is the answer: its task is done."""
    if name in ("accept", "withdraw"):
        by = (kwargs.get("method_kwargs") or {}).get("by")
        settle_step(resignation_process(instance), ResignationFlow.answer, by)


CASE_STEPS = {"hear": "hear", "decide": "decide", "file": "file"}


@receiver(post_transition, sender=DismissalCase, dispatch_uid="workflows.flows_endings.case")
def case_followed(sender, instance: DismissalCase, name: str, **kwargs) -> None:
    """Hearing, deciding and filing the case each complete their step."""
    if name in CASE_STEPS:
        by = (kwargs.get("method_kwargs") or {}).get("by")
        settle_step(case_process(instance), getattr(DismissalFlow, CASE_STEPS[name]), by)


def resignation_process(resignation: Resignation) -> ResignationProcess | None:
    return ResignationProcess.objects.filter(resignation=resignation).first()


def case_process(case: DismissalCase) -> DismissalProcess | None:
    return DismissalProcess.objects.filter(case=case).first()


def due_of(process, node) -> datetime.datetime | None:
    """When the step's open task becomes overdue (its armed timer)."""
    task = open_task(process, node)
    if task is None:
        return None
    timer = task.leading.filter(status=STATUS.SCHEDULED).order_by("scheduled").first()
    return timer.scheduled if timer is not None else None


HumanStep.activation_class = StepActivation
