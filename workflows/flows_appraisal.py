"""The flows of the annual appraisal and of the reward settlement: who acts, by when.

    AppraisalFlow (one per annual appraisal, ``AppraisalProcess``)
        start (appraisal_opened) → rate (township committee; due_appraisal_days working
        days; escalated to the county on timeout) → confirm (county HR; due_appraisal_days;
        county HR reminded on timeout) → end

    SettlementFlow (one per settlement list, ``SettlementProcess``)
        start (settlement_proposed) → settle (township committee or county HR; due by the end
        of the policy's settlement month of the next year; county HR told on timeout) → end

A task's page is the township's appraisal page of the year, where the step's form calls the
one service of the step. A task is done the moment its fact is recorded (the django-fsm
``post_transition`` signal of the appraisal or the settlement, sent inside the service's
transaction), whoever recorded it: the steps of ``workflows.flows_endings``.
"""

import datetime

from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm.signals import post_transition
from viewflow import this
from viewflow.workflow import flow, lock

from accounts.backends import COUNTY_HR_PERMISSION, TOWNSHIP_COMMITTEE_PERMISSION
from accounts.constants import Role
from accounts.models import User
from accounts.scoping import can_see
from appraisal.models import AnnualAppraisal, RewardSettlement
from appraisal.signals import appraisal_opened, settlement_proposed
from notifications.models import Category
from notifications.services import notify
from workflows.deadlines import at_start_of, due_after_working_days
from workflows.flows_endings import HumanStep, _escalate_from_timer, settle_step
from workflows.models import AppraisalProcess, SettlementProcess


def record_url(process) -> str:
    record = getattr(process, "appraisal", None) or process.settlement
    return reverse("appraisal:township_year", args=[record.township_id, record.year])


class RecordPage:
    """The task's page is the township's appraisal page of the year."""

    @staticmethod
    def as_view():
        def view(request, *args, **kwargs):
            return HttpResponseRedirect(record_url(request.activation.process))

        return view


def appraisal_committee(activation) -> str:
    township_id = activation.process.appraisal.township_id
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=township_id)


def appraisal_county(activation) -> str:
    county_id = activation.process.appraisal.township.county_id
    return COUNTY_HR_PERMISSION.format(county_id=county_id)


def settlement_committee(activation) -> str:
    township_id = activation.process.settlement.township_id
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=township_id)


def _county_hr(county_id: int):
    return User.objects.filter(role=Role.COUNTY_HR, county_id=county_id, is_active=True)


class AppraisalFlow(flow.Flow):
    """Annual appraisal"""

    process_class = AppraisalProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Annual appraisal")
    process_description = gettext_lazy(
        "A director's annual appraisal, rated by the township and confirmed by the county."
    )
    process_summary_template = "{{ process.appraisal }}"

    start = flow.StartHandle(this.start_process).Next(this.rate)
    rate = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("Rate the director"),
            summary_template="{{ process.appraisal }}",
        )
        .Permission(appraisal_committee)
        .OnTimeout(
            this.appraisal_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the ratings"),
        )
        .Next(this.confirm)
    )
    confirm = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("Confirm the appraisal"),
            summary_template="{{ process.appraisal }}",
        )
        .Permission(appraisal_county)
        .OnTimeout(
            this.appraisal_due,
            this.remind_county,
            interrupting=False,
            title=gettext_lazy("Time limit of the confirmation"),
        )
        .Next(this.end)
    )
    escalate = flow.Function(this.escalate_overdue).Annotation(
        title=gettext_lazy("Escalate to the county")
    )
    remind_county = flow.Function(this.remind_county_now).Annotation(
        title=gettext_lazy("Remind the county")
    )
    end = flow.End().Annotation(title=gettext_lazy("Confirmed"))

    def start_process(self, activation, appraisal):
        activation.process.appraisal = appraisal

    def appraisal_due(self, activation) -> datetime.datetime:
        days = activation.process.appraisal.policy.due_appraisal_days
        return due_after_working_days(timezone.localdate(), days)

    def escalate_overdue(self, activation):
        _escalate_from_timer(activation)

    def remind_county_now(self, activation):
        appraisal = activation.process.appraisal
        notify(
            category=Category.DEADLINES,
            users=_county_hr(appraisal.township.county_id),
            key=f"appraisal-confirm-overdue-{appraisal.pk}",
            text=_("The annual appraisal of %(name)s waits for the county's confirmation.")
            % {"name": appraisal.person.name},
            url=record_url(activation.process),
        )

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.appraisal)


class SettlementFlow(flow.Flow):
    """Reward settlement"""

    process_class = SettlementProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Reward settlement")
    process_description = gettext_lazy(
        "A township's rewards of a year, settled no later than the policy's month of the next year."
    )
    process_summary_template = "{{ process.settlement }}"

    start = flow.StartHandle(this.start_process).Next(this.settle)
    settle = (
        HumanStep(RecordPage.as_view())
        .Annotation(
            title=gettext_lazy("Settle the rewards"),
            summary_template="{{ process.settlement }}",
        )
        .Permission(settlement_committee)
        .OnTimeout(
            this.settlement_due,
            this.tell_county,
            interrupting=False,
            title=gettext_lazy("Settlement deadline"),
        )
        .Next(this.end)
    )
    tell_county = flow.Function(this.tell_county_now).Annotation(
        title=gettext_lazy("Tell the county")
    )
    end = flow.End().Annotation(title=gettext_lazy("Rewards settled"))

    def start_process(self, activation, settlement):
        activation.process.settlement = settlement

    def settlement_due(self, activation) -> datetime.datetime:
        """The start of the day after the due date (the end of the settlement month)."""
        return at_start_of(activation.process.settlement.due_on + datetime.timedelta(days=1))

    def tell_county_now(self, activation):
        settlement = activation.process.settlement
        notify(
            category=Category.DEADLINES,
            users=_county_hr(settlement.township.county_id),
            key=f"settlement:{settlement.pk}:overdue",
            text=_("The rewards of %(township)s for %(year)s are past their settlement date.")
            % {"township": settlement.township.name, "year": settlement.year},
            url=record_url(activation.process),
        )

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.settlement)


@receiver(appraisal_opened, dispatch_uid="workflows.flows_appraisal.appraisal")
def start_appraisal_flow(sender, appraisal: AnnualAppraisal, **kwargs) -> None:
    AppraisalFlow.start.run(appraisal=appraisal)


@receiver(settlement_proposed, dispatch_uid="workflows.flows_appraisal.settlement")
def start_settlement_flow(sender, settlement: RewardSettlement, **kwargs) -> None:
    SettlementFlow.start.run(settlement=settlement)


APPRAISAL_STEPS = {"rate": "rate", "confirm": "confirm"}


@receiver(post_transition, sender=AnnualAppraisal, dispatch_uid="workflows.flows_appraisal.steps")
def appraisal_followed(sender, instance: AnnualAppraisal, name: str, **kwargs) -> None:
    """Rating and confirming each complete their step (rating again changes nothing)."""
    if name in APPRAISAL_STEPS:
        by = (kwargs.get("method_kwargs") or {}).get("by")
        process = AppraisalProcess.objects.filter(appraisal=instance).first()
        settle_step(process, getattr(AppraisalFlow, APPRAISAL_STEPS[name]), by)


@receiver(post_transition, sender=RewardSettlement, dispatch_uid="workflows.flows_appraisal.settle")
def settlement_followed(sender, instance: RewardSettlement, name: str, **kwargs) -> None:
    if name == "settle":
        by = (kwargs.get("method_kwargs") or {}).get("by")
        process = SettlementProcess.objects.filter(settlement=instance).first()
        settle_step(process, SettlementFlow.settle, by)
