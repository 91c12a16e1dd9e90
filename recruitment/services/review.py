"""Eligibility review (资格审查) and waivers of a failed rule.

- ``application_review``: a committee member of the campaign's township, after registration
  closed, decides each submitted application with a checklist of every rule and reasons; the
  eligibility result is issued.
- ``waiver_request``: a committee member asks the county to waive one failed rule of an
  ineligible application, with a written justification.
- ``waiver_decide``: a county HR officer (never the one who asked) approves or rejects it with
  a note. When every failed rule of the application is waived, the application becomes
  eligible and a new eligibility result supersedes the previous one.

Each step is one transaction with its audit row; a refusal changes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_see
from audit.models import AuditEntry
from audit.services import audit_record
from recruitment.constants import (
    ApplicationState,
    CampaignState,
    EligibilityRule,
    WaiverDecision,
)
from recruitment.models import Application, Campaign, Waiver
from recruitment.paperwork import issue_for

RUN_CAMPAIGN = "recruitment.run_campaign"
APPROVE_WAIVER = "recruitment.approve_waiver"
JUSTIFICATION_MIN_LENGTH = 10
# A waiver makes sense until the exams: later it could not give the applicant a seat.
WAIVER_CAMPAIGN_STATES = (CampaignState.REGISTRATION_CLOSED, CampaignState.REVIEWED)


def _require_committee(user, application: Application, *, action: str) -> None:
    if not user.has_perm(RUN_CAMPAIGN):
        raise PermissionDenied(
            _("Only members of the township's recruitment committee may %(action)s.")
            % {"action": action}
        )
    if not can_see(user, application):
        raise PermissionDenied(_("This application belongs to another township."))


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
            {
                "checks": [
                    _("The checklist lacks: %(rules)s.") % {"rules": ", ".join(map(str, missing))}
                ]
            }
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
    _require_committee(by, application, action=_("review applications"))
    note = (note or "").strip()
    checks = normalise_checks(checks)
    failed = failed_rules(checks)
    errors: dict[str, list[str]] = {}
    if eligible and failed:
        errors["checks"] = [
            _("An eligible application passes every rule; these are not ticked: %(rules)s.")
            % {"rules": ", ".join(str(EligibilityRule(r).label) for r in failed)}
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
                % {"rules": ", ".join(str(EligibilityRule(r).label) for r in unexplained)}
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
        before = {"state": application.state, "checks": application.checks}
        if eligible:
            application.mark_eligible(by=by, checks=checks, note=note)
        else:
            application.mark_ineligible(by=by, checks=checks, note=note)
        application.save()
        audit_record(
            obj=application,
            action=AuditEntry.Action.TRANSITION,
            by=by,
            transition=transition,
            before=before,
            after={"state": application.state, "checks": checks, "review_note": note},
            reason=note,
        )
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
    _require_committee(by, application, action=_("request waivers"))
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
    if not by.has_perm(APPROVE_WAIVER):
        raise PermissionDenied(_("Only county HR officers may decide waivers."))
    if not can_see(by, waiver):
        raise PermissionDenied(_("This waiver belongs to another county."))
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
        waiver.decision = WaiverDecision.APPROVED if approve else WaiverDecision.REJECTED
        waiver.decided_by = by
        waiver.decided_at = timezone.now()
        waiver.decision_note = note
        waiver.save()
        audit_record(
            obj=waiver,
            action=AuditEntry.Action.TRANSITION,
            by=by,
            transition="waiver_approve" if approve else "waiver_reject",
            before={"decision": WaiverDecision.PENDING},
            after={"decision": waiver.decision, "decision_note": note},
            reason=note,
        )
        if approve:
            waived = set(
                application.waivers.filter(decision=WaiverDecision.APPROVED).values_list(
                    "rule", flat=True
                )
            )
            if set(failed_rules(application.checks)) <= waived:
                before = {"state": application.state}
                application.waive()
                application.save()
                audit_record(
                    obj=application,
                    action=AuditEntry.Action.TRANSITION,
                    by=by,
                    transition="waive",
                    before=before,
                    after={
                        "state": application.state,
                        "waivers": sorted(
                            application.waivers.filter(
                                decision=WaiverDecision.APPROVED
                            ).values_list("pk", flat=True)
                        ),
                    },
                    reason=note,
                )
                issue_for(application, "waive", by=by)
    return waiver
