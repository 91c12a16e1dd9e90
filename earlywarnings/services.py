"""Writes of the early warnings and yellow cards, each one transaction: the record, its audit
row, its document (``paperwork.table.issue_for``), its notifications.

- ``warning_open``: a rule of ``earlywarnings.rules`` opens a warning (nobody's name on it, or
  the user whose step triggered the rule). Opening the same rule and period for the same
  person again opens nothing and returns ``None``.
- ``warning_acknowledge``: the director, or the township committee on their behalf, records
  that the director received it, with the director's response.
- ``warning_close``: the township committee closes an acknowledged warning with its follow-up.
- ``yellowcard_decide``: county HR gives a yellow card (黄牌警告) to a township or a director.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.constants import IN_FORCE_STATES
from contracts.models import Contract
from contracts.services.endings import clean
from core.services import lock, require_permission, require_state
from earlywarnings.constants import WarningRule, WarningState
from earlywarnings.models import Warning, YellowCard
from notifications.models import Category
from notifications.services import notify
from organisation.models import Township
from paperwork.table import issue_for
from people.models import Person
from policy.models import Policy
from policy.selectors import policy_in_force

MANAGE_TERM = "contracts.manage_term"
ISSUE_YELLOW_CARD = "earlywarnings.issue_yellowcard"


@dataclass(frozen=True)
class Finding:
    """What a rule found about one director: the warning to open unless it is open already."""

    contract: Contract
    rule: str
    period: str
    policy: Policy
    month: object = None  # assessment.models.AssessmentMonth
    score: Decimal | None = None
    pass_line: Decimal | None = None
    rank: int | None = None
    bottom_count: int | None = None
    months: list = field(default_factory=list)
    due_date: datetime.date | None = None
    details: dict = field(default_factory=dict)


def warning_url(warning: Warning) -> str:
    try:
        return reverse("earlywarnings:detail", args=[warning.pk])
    except NoReverseMatch:
        return ""


def committee_of(township) -> Iterable[User]:
    return User.objects.filter(
        role=Role.TOWNSHIP_COMMITTEE, township=township, is_active=True
    ).order_by("pk")


def _exists(person_id: int, rule: str, period: str) -> bool:
    return Warning.objects.filter(person_id=person_id, rule=rule, period=period).exists()


@transaction.atomic
def warning_open(*, finding: Finding, on: datetime.date, by=None) -> Warning | None:
    """Open the warning ``finding`` describes, issue its notice and tell the director and the
    township committee; ``None`` when this person already has a warning of this rule and
    period (the rules run again and again: nothing new then)."""
    contract = finding.contract
    if _exists(contract.person_id, finding.rule, finding.period):
        return None
    warning = Warning(
        person_id=contract.person_id,
        contract=contract,
        township_id=contract.township_id,
        policy=finding.policy,
        rule=finding.rule,
        period=finding.period,
        month=finding.month,
        score=finding.score,
        pass_line=finding.pass_line,
        rank=finding.rank,
        bottom_count=finding.bottom_count,
        months=[[y, m, str(s), r] for y, m, s, r in finding.months],
        due_date=finding.due_date,
        details=finding.details,
        opened_on=on,
    )
    try:
        with transaction.atomic():
            warning.save()
    except IntegrityError:
        return None  # opened meanwhile by another run
    audit_record(
        obj=warning,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="open",
        after=snapshot(warning),
    )
    issue_for(warning, "open", by=by)
    person = contract.person
    village = contract.post.village
    url = warning_url(warning)
    notify(
        category=Category.WARNINGS,
        users=User.objects.filter(person_id=person.pk, is_active=True),
        key=f"warning-opened-{warning.pk}",
        text=_("An early warning is opened about you: %(rule)s. Read the notice and respond.")
        % {"rule": warning.get_rule_display()},
        url=url,
    )
    notify(
        category=Category.WARNINGS,
        users=committee_of(contract.township),
        key=f"warning-opened-committee-{warning.pk}",
        text=_("An early warning is opened about %(name)s (%(village)s): %(rule)s.")
        % {"name": person.name, "village": village.name, "rule": warning.get_rule_display()},
        url=url,
    )
    return warning


def can_acknowledge(user, warning: Warning) -> bool:
    """The director themselves, or the township committee on their behalf."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "role", "") == Role.DIRECTOR:
        return user.person_id is not None and user.person_id == warning.person_id
    return user.has_perm(MANAGE_TERM, warning)


@transaction.atomic
def warning_acknowledge(*, warning: Warning, response: str, by, on: datetime.date) -> Warning:
    """Record that the director received the warning, with their response (required)."""
    warning = lock(warning, related=("person", "township"))
    if not can_acknowledge(by, warning):
        raise PermissionDenied(
            _("Only the director or the committee of %(township)s may acknowledge this warning.")
            % {"township": warning.township}
        )
    require_state(warning, [WarningState.OPEN], action=_("Acknowledging a warning"))
    response = clean(response, field="response", label=_("Response"))
    if not response:
        raise ValidationError(
            {"response": _("Write the director's response: what they will do about it.")}
        )
    with audited_transition(warning, "acknowledge", by=by):
        warning.acknowledge(response=response, on=on, by=by)
    notify(
        category=Category.WARNINGS,
        users=committee_of(warning.township),
        key=f"warning-acknowledged-{warning.pk}",
        text=_("%(name)s acknowledged an early warning.") % {"name": warning.person.name},
        url=warning_url(warning),
    )
    return warning


@transaction.atomic
def warning_close(*, warning: Warning, note: str, by, on: datetime.date) -> Warning:
    """The township committee closes an acknowledged warning with its follow-up."""
    warning = lock(warning, related=("person", "township"))
    require_permission(
        by,
        MANAGE_TERM,
        warning,
        message=_("Only committee members of %(township)s may close its warnings.")
        % {"township": warning.township},
    )
    require_state(warning, [WarningState.ACKNOWLEDGED], action=_("Closing a warning"))
    note = clean(note, field="note", label=_("Follow-up"))
    if not note:
        raise ValidationError({"note": _("Say how the warning was followed up.")})
    with audited_transition(warning, "close", by=by):
        warning.close(note=note, on=on, by=by)
    return warning


@transaction.atomic
def yellowcard_decide(
    *,
    county,
    township: Township | None = None,
    person: Person | None = None,
    reason: str,
    by,
    on: datetime.date,
) -> YellowCard:
    """County HR gives a yellow card to ``township`` or to the director ``person`` (exactly
    one), with the reason; the decision document is issued and the township committee (and
    the director) are told."""
    require_permission(
        by,
        ISSUE_YELLOW_CARD,
        message=_("Only the county HR office may decide a yellow card."),
    )
    if by.role != Role.ADMINISTRATOR and by.county_id != county.pk:
        raise PermissionDenied(_("Only the county HR office may decide a yellow card."))
    if (township is None) == (person is None):
        raise ValidationError(
            {
                "target": _(
                    "A yellow card is given to a township or to a director, exactly one of them."
                )
            }
        )
    reason = clean(reason, field="reason", label=_("Reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the yellow card.")})
    contract = None
    if person is not None:
        contract = (
            Contract.objects.filter(
                person=person, state__in=IN_FORCE_STATES, township__county=county
            )
            .select_related("township", "post__village")
            .order_by("-start_date")
            .first()
        )
        if contract is None:
            raise ValidationError(
                {"person": _("%(name)s holds no post in this county.") % {"name": person.name}}
            )
        concerns = contract.township
    else:
        assert township is not None
        if township.county_id != county.pk:
            raise ValidationError({"township": _("This township is not in your county.")})
        concerns = township
    card = YellowCard(
        county=county,
        township=township,
        person=person,
        contract=contract,
        concerns=concerns,
        policy=policy_in_force(county=county, on=on),
        reason=reason,
        decided_on=on,
        decided_by=by if getattr(by, "pk", None) else None,
    )
    card.full_clean()
    card.save()
    audit_record(
        obj=card, action=AuditEntry.Action.CREATE, by=by, transition="decide", after=snapshot(card)
    )
    issue_for(card, "decide", by=by)
    try:
        url = reverse("earlywarnings:yellowcard_detail", args=[card.pk])
    except NoReverseMatch:
        url = ""
    text = _("The county gave a yellow card to %(target)s.") % {"target": card.target_name}
    notify(
        users=committee_of(concerns),
        key=f"yellowcard-{card.pk}",
        text=text,
        url=url,
        category=Category.WARNINGS,
    )
    if person is not None:
        notify(
            category=Category.WARNINGS,
            users=User.objects.filter(person=person, is_active=True),
            key=f"yellowcard-director-{card.pk}",
            text=text,
            url="",
        )
    return card


__all__ = [
    "Finding",
    "WarningRule",
    "warning_acknowledge",
    "warning_close",
    "warning_open",
    "yellowcard_decide",
]
