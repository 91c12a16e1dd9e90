"""The end of a contract other than expiry and dismissal: resignation (辞职) and termination
by a township decision (解聘), seed 001's 分流 section.

- ``resignation_request``: the director asks to resign, from their own login, or a committee
  member records the request for them; the notice period (policy ``contract_notice_days``)
  counts from the day after the request.
- ``resignation_accept``: the township committee accepts with the last day of service, no
  earlier than the notice allows unless both parties agreed (``agreed_earlier``), and issues
  the termination certificate. When that day has come the contract ends at once, otherwise
  the sweep step ``resignations_due`` ends it on the day.
- ``contract_terminate``: a township decision for change of post, health or the renewal age,
  with the termination certificate.

Every end of a contract vacates its post in the same transaction (``posts.post_vacate``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.constants import (
    IN_FORCE_STATES,
    TERMINATION_REASONS,
    EndReason,
    ResignationState,
)
from contracts.dates import notice_ends_on, notice_rule_text
from contracts.models import Contract, Resignation
from contracts.services.posts import post_vacate
from contracts.signals import resignation_requested
from contracts.sweep import sweep_step
from core.identity import age_on
from core.normalise import clean_text
from core.services import lock, require_permission, require_state
from notifications.models import Category
from notifications.services import notify
from paperwork.table import issue_for
from policy.selectors import policy_in_force

MANAGE_TERM = "contracts.manage_term"


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def clean(value, *, field: str, label, multiline: bool = True) -> str:
    """Text from a person, normalised (``core.normalise``); a character that cannot be stored
    or printed on the documents is refused by the field's name."""
    try:
        return clean_text(value, label=label, multiline=multiline).strip()
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def resignation_url(resignation: Resignation) -> str:
    try:
        return reverse("endings:resignation_detail", args=[resignation.pk])
    except NoReverseMatch:
        return ""


def is_own_contract(by, contract: Contract) -> bool:
    """``by`` is the director of ``contract``, signed in with their own account."""
    return bool(
        by is not None
        and getattr(by, "is_authenticated", False)
        and by.is_active
        and by.role == Role.DIRECTOR
        and by.person_id is not None
        and by.person_id == contract.person_id
    )


def require_term_manager(by, contract: Contract) -> None:
    """A committee member of the contract's township (``contracts.manage_term`` in scope)."""
    require_permission(
        by,
        MANAGE_TERM,
        contract,
        message=_("Only committee members of %(township)s may decide on its directors' terms.")
        % {"township": contract.township},
    )


def require_in_force(contract: Contract, action: str) -> None:
    require_state(contract, IN_FORCE_STATES, action=action)


def _end_contract(
    contract: Contract, *, on: datetime.date, reason: str, note: str, by, transition: str
) -> None:
    """End the contract in force on ``on`` and vacate its post: one step of the caller's
    transaction."""
    with audited_transition(contract, transition, by=by, reason=note):
        contract.terminate(on=on, reason=reason, note=note)
    post_vacate(contract=contract, on=on, by=by)


# --- resignation -----------------------------------------------------------------------------


@transaction.atomic
def resignation_request(
    *,
    contract: Contract,
    by,
    reason: str,
    wished_end_date: datetime.date | None = None,
    on: datetime.date,
) -> Resignation:
    """The director asks to resign on ``on``: by themselves, or recorded by a committee
    member of the township. The notice period ends ``contract_notice_days`` days after the
    day of the request (counted from the next day; a rest day moves the last day on)."""
    contract = lock(contract, related=("township__county", "person", "post__village"))
    if not is_own_contract(by, contract):
        require_term_manager(by, contract)
    require_in_force(contract, _("Requesting to resign"))
    reason = clean(reason, field="reason", label=_("Reason for resigning"))
    if Resignation.objects.filter(contract=contract, state=ResignationState.REQUESTED).exists():
        raise ValidationError(
            _("A resignation of this contract is already waiting for the township's answer.")
        )
    if wished_end_date is not None and wished_end_date < on:
        raise ValidationError(
            {
                "wished_end_date": _(
                    "The last day wished (%(wished)s) is before the day of the request (%(on)s)."
                )
                % {"wished": day(wished_end_date), "on": day(on)}
            }
        )
    policy = policy_in_force(county=contract.township.county, on=on)
    resignation = Resignation(
        contract=contract,
        requested_on=on,
        requested_by=by,
        reason=reason,
        wished_end_date=wished_end_date,
        notice_ends_on=notice_ends_on(on, policy.contract_notice_days),
    )
    resignation.save()
    audit_record(
        obj=resignation,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="request",
        after=snapshot(resignation),
        reason=reason,
    )
    notify(
        category=Category.OTHER,
        users=User.objects.filter(
            role=Role.TOWNSHIP_COMMITTEE, township_id=contract.township_id, is_active=True
        ),
        key=f"resignation-requested-{resignation.pk}",
        text=_("%(name)s (%(village)s) asks to resign; the notice period ends on %(day)s.")
        % {
            "name": contract.person.name,
            "village": contract.post.village.name,
            "day": day(resignation.notice_ends_on),
        },
        url=resignation_url(resignation),
    )
    resignation_requested.send(sender=Resignation, resignation=resignation)
    return resignation


def notice_explanation(resignation: Resignation) -> str:
    """The notice rule as the pages show it beside the date."""
    contract = resignation.contract
    policy = policy_in_force(county=contract.township.county, on=resignation.requested_on)
    return notice_rule_text(policy.contract_notice_days)


@transaction.atomic
def resignation_accept(
    *,
    resignation: Resignation,
    end_date: datetime.date,
    agreed_earlier: bool,
    by,
    on: datetime.date,
) -> Resignation:
    """The township accepts the resignation with ``end_date``, the last day of service, and
    issues the termination certificate. An end date inside the notice period is refused
    unless both parties agreed on it. When ``end_date`` is ``on`` or earlier the contract
    ends now and the post falls vacant; otherwise the sweep ends it on the day."""
    resignation = lock(resignation)
    contract = lock(resignation.contract, related=("township__county", "person", "post__village"))
    require_term_manager(by, contract)
    require_state(resignation, [ResignationState.REQUESTED], action=_("Accepting a resignation"))
    require_in_force(contract, _("Accepting a resignation"))
    policy = policy_in_force(county=contract.township.county, on=resignation.requested_on)
    if end_date < resignation.requested_on:
        raise ValidationError(
            {
                "end_date": _(
                    "The last day of service (%(end)s) is before the request (%(requested)s)."
                )
                % {"end": day(end_date), "requested": day(resignation.requested_on)}
            }
        )
    if end_date > contract.end_date:
        raise ValidationError(
            {
                "end_date": _(
                    "The last day of service (%(end)s) is after the end of the contract "
                    "(%(contract_end)s)."
                )
                % {"end": day(end_date), "contract_end": day(contract.end_date)}
            }
        )
    if end_date < resignation.notice_ends_on and not agreed_earlier:
        raise ValidationError(
            {
                "end_date": _(
                    "The last day of service (%(end)s) is inside the notice period, which ends "
                    "on %(notice)s (%(rule)s). An earlier day needs the agreement of both "
                    "parties: tick “both parties agreed on an earlier end” if they did."
                )
                % {
                    "end": day(end_date),
                    "notice": day(resignation.notice_ends_on),
                    "rule": notice_rule_text(policy.contract_notice_days),
                }
            }
        )
    agreed = bool(agreed_earlier and end_date < resignation.notice_ends_on)
    with audited_transition(resignation, "accept", by=by):
        resignation.accept(end_date=end_date, agreed_earlier=agreed, on=on, by=by)
    resignation.contract = contract
    issue_for(resignation, "accept", by=by)
    notify(
        category=Category.OTHER,
        users=User.objects.filter(person_id=contract.person_id, is_active=True),
        key=f"resignation-accepted-{resignation.pk}",
        text=_("Your resignation is accepted; your last day of service is %(day)s.")
        % {"day": day(end_date)},
        url=resignation_url(resignation),
    )
    if end_date <= on:
        _end_contract(
            contract,
            on=end_date,
            reason=EndReason.RESIGNATION,
            note=resignation.reason,
            by=by,
            transition="terminate",
        )
    return resignation


@sweep_step("resignations_due", 20)
def resignations_due(*, today: datetime.date) -> int:
    """End the contracts whose accepted resignation's last day has come (by the system).
    A contract already ended is left alone, so a second run changes nothing."""
    due = Resignation.objects.filter(
        state=ResignationState.ACCEPTED,
        end_date__lte=today,
        contract__state__in=IN_FORCE_STATES,
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(due):
        with transaction.atomic():
            resignation = Resignation.objects.select_related("contract").get(pk=pk)
            contract = lock(resignation.contract, related=("township__county", "post__village"))
            if contract.state not in IN_FORCE_STATES:
                continue
            assert resignation.end_date is not None
            _end_contract(
                contract,
                on=resignation.end_date,
                reason=EndReason.RESIGNATION,
                note=resignation.reason,
                by=None,
                transition="terminate",
            )
            done += 1
    return done


# --- termination by a township decision ------------------------------------------------------


@transaction.atomic
def contract_terminate(
    *, contract: Contract, reason: str, on: datetime.date, note: str, by
) -> Contract:
    """A township decision to end the contract on ``on`` (解聘) for change of post, health or
    reaching the renewal age, with the termination certificate; the post falls vacant."""
    contract = lock(contract, related=("township__county", "person", "post__village", "policy"))
    require_term_manager(by, contract)
    require_in_force(contract, _("Terminating a contract"))
    note = clean(note, field="note", label=_("The township's decision and its grounds"))
    if reason not in TERMINATION_REASONS:
        raise ValidationError(
            {"reason": _("Choose the reason: change of post, health or the renewal age.")}
        )
    if not note:
        raise ValidationError({"note": _("Write down the township's decision and its grounds.")})
    if on < contract.start_date:
        raise ValidationError(
            {
                "on": _("The contract cannot end (%(on)s) before it started (%(start)s).")
                % {"on": day(on), "start": day(contract.start_date)}
            }
        )
    if on > timezone.localdate():
        raise ValidationError(
            {
                "on": _("Record a termination on the day it takes effect, not before (%(on)s).")
                % {"on": day(on)}
            }
        )
    if on > contract.end_date:
        raise ValidationError(
            {
                "on": _("The day (%(on)s) is after the end of the contract (%(end)s).")
                % {"on": day(on), "end": day(contract.end_date)}
            }
        )
    if reason == EndReason.OVER_AGE:
        policy = policy_in_force(county=contract.township.county, on=on)
        age = age_on(contract.person.birth_date, on)
        if age < policy.renewal_max_age:
            raise ValidationError(
                {
                    "reason": _(
                        "%(name)s is %(age)s on %(on)s, under the renewal age of %(max)s: "
                        "this is not a reason to terminate."
                    )
                    % {
                        "name": contract.person.name,
                        "age": age,
                        "on": day(on),
                        "max": policy.renewal_max_age,
                    }
                }
            )
    _end_contract(contract, on=on, reason=reason, note=note, by=by, transition="terminate")
    issue_for(contract, "terminate", by=by)
    return contract
