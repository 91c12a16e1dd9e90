"""The monthly assessment flow (月考核): who acts on a township's month, by when, and what
happens when late.

One process per revision of a month (``MonthProcess``), started when the month is opened
(``assessment.signals.month_opened``) or reopened for a correction:

    start (the month was opened)
    → score (township office; ``policy.due_month_scoring_days`` working days from the
      month's last day, or from today when later)
    → publish (township committee; ``due_month_publishing_days``)
    → settle (township committee; ``due_month_settling_days``)
    → end

The task's page is the month's page (``assessment.views``), whose buttons call the one
service of each step. A task is done the moment its fact is recorded, whoever recorded it:
the django-fsm ``post_transition`` signal of the month (sent inside the service's
transaction) settles the step's task (``workflows.flows_endings.settle_step``), so a step that
fails leaves the flow as it was. A correction (``reopen``) settles whatever task is still open
in the revision's process and starts the next revision's. An overdue task goes to the
county's HR officers (``workflows.services.task_escalate``).
"""

import datetime

from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_fsm.signals import post_transition
from viewflow import this
from viewflow.workflow import flow, lock

from accounts.backends import TOWNSHIP_COMMITTEE_PERMISSION, TOWNSHIP_OFFICE_PERMISSION
from accounts.scoping import can_see
from assessment.models import AssessmentMonth
from assessment.selectors import month_bounds
from assessment.signals import month_opened
from workflows.deadlines import due_after_working_days
from workflows.flows_endings import HumanStep, settle_step
from workflows.models import MonthProcess
from workflows.services import task_escalate


class MonthPage:
    """The task's page is the month's page: the step's button is there."""

    @staticmethod
    def as_view():
        def view(request, *args, **kwargs):
            process = request.activation.process
            return HttpResponseRedirect(month_url(process))

        return view


def month_url(process) -> str:
    return reverse("assessment:month", args=[process.month_id])


def office_permission(activation) -> str:
    return TOWNSHIP_OFFICE_PERMISSION.format(township_id=activation.process.month.township_id)


def committee_permission(activation) -> str:
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=activation.process.month.township_id)


class MonthFlow(flow.Flow):
    """Monthly assessment"""

    process_class = MonthProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Monthly assessment")
    process_description = gettext_lazy(
        "A township's month: scoring by the office, then publishing and settling by the committee."
    )
    process_summary_template = "{{ process.month }}"

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=gettext_lazy("The month is opened"))
        .Next(this.score)
    )
    score = (
        HumanStep(MonthPage.as_view())
        .Annotation(
            title=gettext_lazy("Score the directors"), summary_template="{{ process.month }}"
        )
        .Permission(office_permission)
        .OnTimeout(
            this.scoring_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the scoring"),
        )
        .Next(this.publish)
    )
    publish = (
        HumanStep(MonthPage.as_view())
        .Annotation(
            title=gettext_lazy("Publish the monthly bulletin"),
            summary_template="{{ process.month }}",
        )
        .Permission(committee_permission)
        .OnTimeout(
            this.publishing_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the publishing"),
        )
        .Next(this.settle)
    )
    settle = (
        HumanStep(MonthPage.as_view())
        .Annotation(
            title=gettext_lazy("Settle the month's pay"), summary_template="{{ process.month }}"
        )
        .Permission(committee_permission)
        .OnTimeout(
            this.settling_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the settling"),
        )
        .Next(this.end)
    )
    escalate = flow.Function(this.escalate_overdue).Annotation(
        title=gettext_lazy("Escalate to the county")
    )
    end = flow.End().Annotation(title=gettext_lazy("Settled"))

    def start_process(self, activation, month: AssessmentMonth):
        activation.process.month = month
        activation.process.revision = month.revision
        return activation.process

    # --- by when ---------------------------------------------------------------------------

    def scoring_due(self, activation) -> datetime.datetime:
        month = activation.process.month
        _first, last = month_bounds(month.year, month.month)
        start = max(last, timezone.localdate())
        return due_after_working_days(start, month.policy.due_month_scoring_days)

    def publishing_due(self, activation) -> datetime.datetime:
        days = activation.process.month.policy.due_month_publishing_days
        return due_after_working_days(timezone.localdate(), days)

    def settling_due(self, activation) -> datetime.datetime:
        days = activation.process.month.policy.due_month_settling_days
        return due_after_working_days(timezone.localdate(), days)

    def escalate_overdue(self, activation):
        boundary = activation.task.previous.get()
        task_escalate(task=boundary.previous.get())

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.month)


@receiver(month_opened, dispatch_uid="workflows.flows_month.start")
def start_month_flow(sender, month: AssessmentMonth, **kwargs) -> None:
    MonthFlow.start.run(month=month)


STEPS = {"finish_scoring": "score", "publish": "publish", "settle": "settle"}


def month_process(month: AssessmentMonth, revision: int) -> MonthProcess | None:
    return MonthProcess.objects.filter(month_id=month.pk, revision=revision).first()


@receiver(post_transition, sender=AssessmentMonth, dispatch_uid="workflows.flows_month.follow")
def month_followed(sender, instance: AssessmentMonth, name: str, **kwargs) -> None:
    """Finishing the scoring, publishing and settling each complete their step; a
    correction completes what is left of the revision's process and starts the next one."""
    by = (kwargs.get("method_kwargs") or {}).get("by")
    if name in STEPS:
        settle_step(month_process(instance, instance.revision), getattr(MonthFlow, STEPS[name]), by)
    elif name == "resume_scoring":
        return  # the publish task stays open; scoring goes on under it
    elif name == "reopen":
        old = month_process(instance, instance.revision - 1)
        for node in (MonthFlow.score, MonthFlow.publish, MonthFlow.settle):
            settle_step(old, node)
        if month_process(instance, instance.revision) is None:
            MonthFlow.start.run(month=instance)
