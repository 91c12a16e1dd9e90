"""Eligibility review (资格审查), waivers of a failed rule, and the end of the review with the
admission numbers and tickets.

- ``application_review``: a committee member of the campaign's township, after registration
  closed, decides each submitted application with a checklist of every rule and reasons; the
  eligibility result is issued.
- ``waiver_request``: a committee member asks the county to waive one failed rule of an
  ineligible application, with a written justification.
- ``waiver_decide``: a county HR officer (never the one who asked) approves or rejects it with
  a note. When every failed rule of the application is waived, the application becomes
  eligible and a new eligibility result supersedes the previous one.
- ``campaign_finish_review``: the step that ends the review task of the flow: every
  application has a result and no waiver waits; admission numbers, rooms and seats are
  assigned (``admission_assign``) and every admission ticket is issued.

Each step is one transaction with its audit row; a refusal changes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry
from audit.services import AuditBatch, audit_record, audited_transition, audited_update
from core.services import lock, require_permission
from core.text import join_list, pinyin_key
from paperwork.table import issue_for
from recruitment.constants import (
    ApplicationState,
    CampaignState,
    EligibilityRule,
    WaiverDecision,
)
from recruitment.models import Application, Campaign, Waiver
from recruitment.services.common import (
    campaign_lock,
    require_campaign_state,
    require_runner,
)

APPROVE_WAIVER = "recruitment.approve_waiver"
ROOM_SEATS = 30  # seats in one exam room (考场), the usual size of a school classroom
SEQUENCE_DIGITS = 4  # admission number: <year><township id, 3 digits><sequence, 4 digits>
JUSTIFICATION_MIN_LENGTH = 10
# A waiver makes sense until the exams: later it could not give the applicant a seat.
WAIVER_CAMPAIGN_STATES = (CampaignState.REGISTRATION_CLOSED, CampaignState.REVIEWED)


def _state_error(message: str) -> ValidationError:
    return ValidationError({"__all__": [message]})


def normalise_checks(checks: list[dict]) -> list[dict]:
    """The reviewer's checklist as one entry per ``EligibilityRule``, in the rules' order:
    rule, passed (bool) and detail (the reason, stripped). Refuses unknown or missing rules."""
    by_rule: dict[str, dict] = {}
    for entry in checks:
        rule = str(entry.get("rule", ""))
        if rule not in EligibilityRule.values:
            raise ValidationError({"checks": [_("Unknown rule %(rule)s.") % {"rule": rule}]})
        if rule in by_rule:
            raise ValidationError(
                {"checks": [_("The rule %(rule)s is listed twice.") % {"rule": rule}]}
            )
        by_rule[rule] = {
            "rule": rule,
            "passed": bool(entry.get("passed")),
            "detail": str(entry.get("detail") or "").strip(),
        }
    missing = [EligibilityRule(r).label for r in EligibilityRule.values if r not in by_rule]
    if missing:
        raise ValidationError(
            {"checks": [_("The checklist lacks: %(rules)s.") % {"rules": join_list(missing)}]}
        )
    return [by_rule[r] for r in EligibilityRule.values]


def failed_rules(checks: list[dict]) -> list[str]:
    return [c["rule"] for c in checks if not c.get("passed")]


def application_review(
    *, application: Application, by, eligible: bool, checks: list[dict], note: str
) -> Application:
    """Decide one submitted application: eligible when every rule passed; ineligible with at
    least one failed rule, a reason for each failed rule and a note. Issues the eligibility
    result."""
    require_runner(by, application.campaign.township)
    note = (note or "").strip()
    checks = normalise_checks(checks)
    failed = failed_rules(checks)
    errors: dict[str, list[str]] = {}
    if eligible and failed:
        errors["checks"] = [
            _("An eligible application passes every rule; these are not ticked: %(rules)s.")
            % {"rules": join_list(EligibilityRule(r).label for r in failed)}
        ]
    if not eligible:
        if not failed:
            errors["checks"] = [
                _("An ineligible application fails at least one rule: untick the rule it fails.")
            ]
        unexplained = [c["rule"] for c in checks if not c["passed"] and not c["detail"]]
        if unexplained:
            errors.setdefault("checks", []).append(
                _("Give the reason for each failed rule: %(rules)s.")
                % {"rules": join_list(EligibilityRule(r).label for r in unexplained)}
            )
        if not note:
            errors["note"] = [_("Write a note explaining the decision.")]
    if errors:
        raise ValidationError(errors)

    transition = "mark_eligible" if eligible else "mark_ineligible"
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        campaign = Campaign.objects.get(pk=application.campaign_id)
        if campaign.state != CampaignState.REGISTRATION_CLOSED:
            raise _state_error(
                _(
                    "Applications are reviewed after registration closes and before the review "
                    "is finished; this campaign is: %(state)s."
                )
                % {"state": campaign.get_state_display()}
            )
        if application.state != ApplicationState.SUBMITTED:
            raise _state_error(
                _("This application has already been reviewed: %(state)s.")
                % {"state": application.get_state_display()}
            )
        with audited_transition(application, transition, by=by, reason=note):
            if eligible:
                application.mark_eligible(by=by, checks=checks, note=note)
            else:
                application.mark_ineligible(by=by, checks=checks, note=note)
        issue_for(application, transition, by=by)
    return application


def waivable_rules(application: Application) -> list[str]:
    """Failed rules of an ineligible application not yet waived or waiting for a decision."""
    if application.state != ApplicationState.INELIGIBLE:
        return []
    taken = set(
        application.waivers.filter(
            decision__in=[WaiverDecision.PENDING, WaiverDecision.APPROVED]
        ).values_list("rule", flat=True)
    )
    return [r for r in failed_rules(application.checks) if r not in taken]


def waiver_request(*, application: Application, rule: str, justification: str, by) -> Waiver:
    """Ask the county to waive ``rule`` for an ineligible application."""
    require_runner(by, application.campaign.township)
    justification = (justification or "").strip()
    if len(justification) < JUSTIFICATION_MIN_LENGTH:
        raise ValidationError(
            {
                "justification": [
                    _("Write a justification of at least %(min)s characters.")
                    % {"min": JUSTIFICATION_MIN_LENGTH}
                ]
            }
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        campaign = Campaign.objects.get(pk=application.campaign_id)
        _check_waiver_states(application, campaign)
        if application.waivers.filter(decision=WaiverDecision.PENDING).exists():
            raise _state_error(
                _("A waiver for this application is already waiting for the county's decision.")
            )
        if rule not in failed_rules(application.checks):
            raise ValidationError(
                {"rule": [_("Only a rule the application failed can be waived.")]}
            )
        if application.waivers.filter(rule=rule, decision=WaiverDecision.APPROVED).exists():
            raise ValidationError({"rule": [_("This rule has already been waived.")]})
        waiver = Waiver.objects.create(
            application=application, rule=rule, justification=justification, requested_by=by
        )
        audit_record(
            obj=waiver,
            action=AuditEntry.Action.CREATE,
            by=by,
            transition="waiver_request",
            after={
                "application_id": application.pk,
                "rule": rule,
                "decision": waiver.decision,
                "justification": justification,
            },
            reason=justification,
        )
    return waiver


def _check_waiver_states(application: Application, campaign: Campaign) -> None:
    if campaign.state not in WAIVER_CAMPAIGN_STATES:
        raise _state_error(
            _(
                "Waivers are possible between the close of registration and the exams; this "
                "campaign is: %(state)s."
            )
            % {"state": campaign.get_state_display()}
        )
    if application.state != ApplicationState.INELIGIBLE:
        raise _state_error(
            _("Only an ineligible application can have a rule waived; this one is: %(state)s.")
            % {"state": application.get_state_display()}
        )


def waiver_decide(*, waiver: Waiver, approve: bool, note: str, by) -> Waiver:
    """A county HR officer approves or rejects a pending waiver. An approval that leaves no
    failed rule unwaived makes the application eligible and reissues its eligibility result."""
    require_permission(
        by, APPROVE_WAIVER, waiver, message=_("Only county HR officers may decide waivers.")
    )
    if waiver.requested_by_id == by.pk:
        raise PermissionDenied(_("You asked for this waiver; another officer must decide it."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Write a note explaining the decision.")]})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=waiver.application_id)
        waiver = Waiver.objects.select_for_update().get(pk=waiver.pk)
        campaign = Campaign.objects.get(pk=application.campaign_id)
        if waiver.decision != WaiverDecision.PENDING:
            raise _state_error(
                _("This waiver has already been decided: %(decision)s.")
                % {"decision": waiver.get_decision_display()}
            )
        _check_waiver_states(application, campaign)
        audited_update(
            waiver,
            {
                "decision": WaiverDecision.APPROVED if approve else WaiverDecision.REJECTED,
                "decided_by": by,
                "decided_at": timezone.now(),
                "decision_note": note,
            },
            by=by,
            reason=note,
            transition="waiver_approve" if approve else "waiver_reject",
        )
        if approve:
            waived = set(
                application.waivers.filter(decision=WaiverDecision.APPROVED).values_list(
                    "rule", flat=True
                )
            )
            if set(failed_rules(application.checks)) <= waived:
                with audited_transition(application, "waive", by=by, reason=note):
                    application.waive()
                issue_for(application, "waive", by=by)
    return waiver


# The end of the review: admission numbers and tickets ------------------------------------------


def campaign_finish_review(*, campaign: Campaign, by) -> Campaign:
    """Every application has an eligibility result and no waiver waits for the county: the
    campaign is reviewed, and admission numbers and tickets are issued
    (``admission_assign``)."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(
            campaign, [CampaignState.REGISTRATION_CLOSED], _("Finishing the eligibility review")
        )
        waiting = campaign.applications.filter(state=ApplicationState.SUBMITTED).count()
        if waiting:
            raise ValidationError(
                ngettext(
                    "%(count)s application has no eligibility result yet.",
                    "%(count)s applications have no eligibility result yet.",
                    waiting,
                )
                % {"count": waiting}
            )
        pending_waivers = (
            campaign.applications.filter(waivers__decision=WaiverDecision.PENDING)
            .distinct()
            .count()
        )
        if pending_waivers:
            raise ValidationError(
                ngettext(
                    "%(count)s waiver request waits for the county HR decision.",
                    "%(count)s waiver requests wait for the county HR decision.",
                    pending_waivers,
                )
                % {"count": pending_waivers}
            )
        with audited_transition(campaign, "finish_review", by=by):
            campaign.finish_review()
        admission_assign(campaign=campaign, by=by)
        return campaign


def admission_prefix(campaign: Campaign) -> str:
    """<year of the written exam><township id, last three digits>, e.g. 2026012."""
    return f"{campaign.written_exam_at.year}{campaign.township_id % 1000:03d}"


def admission_assign(*, campaign: Campaign, by) -> int:
    """Give every eligible application of the campaign without one an admission number, an
    exam room and a seat, and issue its admission ticket. Returns how many were assigned.

    Numbers are <year of the written exam><township id, 3 digits><sequence, 4 digits>; the
    sequence continues after the township's earlier numbers of that year, so a number is
    unique in the campaign and in the township's year. Seats follow the pinyin order of the
    applicants' names (then the order of registration), ``ROOM_SEATS`` to a room, rooms
    numbered 01, 02, …: a list in pinyin order is how a room's door list is read. Running it
    again assigns only applications that have no number yet (after the last seat).
    """
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.REVIEWED], _("Assigning admission numbers"))
        # The township's campaigns share the sequence of a year: one assigns at a time, and
        # the next reads the numbers the previous one committed.
        lock(campaign.township)
        applications = list(
            campaign.applications.filter(state=ApplicationState.ELIGIBLE, admission_number="")
            .select_related("offer__village", "campaign__township__county", "campaign__policy")
            .order_by("pk")
        )
        if not applications:
            return 0
        applications.sort(key=lambda a: (pinyin_key(a.name), a.pk))

        prefix = admission_prefix(campaign)
        last = Application.objects.filter(
            admission_number__startswith=prefix,
            admission_number__regex=rf"^{prefix}\d{{{SEQUENCE_DIGITS}}}$",
        ).aggregate(last=Max("admission_number"))["last"]
        first = int(last[-SEQUENCE_DIGITS:]) + 1 if last else 1
        if first + len(applications) - 1 >= 10**SEQUENCE_DIGITS:
            raise ValidationError(
                _(
                    "The township has no admission numbers left for %(year)s: at most "
                    "%(max)s a year."
                )
                % {"year": campaign.written_exam_at.year, "max": 10**SEQUENCE_DIGITS - 1}
            )
        taken = campaign.applications.exclude(admission_number="").count()

        batch = AuditBatch(by=by, place=campaign.township.audit_place)
        for index, application in enumerate(applications):
            position = taken + index
            batch.update(
                application,
                transition="admit",
                admission_number=f"{prefix}{first + index:0{SEQUENCE_DIGITS}d}",
                exam_room=f"{position // ROOM_SEATS + 1:02d}",
                seat_number=position % ROOM_SEATS + 1,
            )
        try:
            with transaction.atomic():
                batch.save()
        except IntegrityError as exc:
            # Another township whose id ends in the same three digits took these numbers at
            # the same moment (application_unique_admission_number).
            raise ValidationError(
                _(
                    "Admission numbers were being given to another campaign at the same moment. "
                    "Nothing was changed; please try again."
                )
            ) from exc
        for application in applications:
            issue_for(application, "admit", by=by)
        return len(applications)
