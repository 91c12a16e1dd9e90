"""Signing and filing a contract, and recording the director's induction training.

A drafted contract is signed by the township and the director (``contract_sign``), filed with
the county by a county HR officer (``contract_file``, 县备案) and comes into force once induction
training is recorded too (``contract_record_induction``; a renewal needs none). Whichever of
filing and induction completes the pair puts the contract in force in the same transaction:
the post is occupied by its person, its open vacancy filled, and a renewed contract ends.

Each service is one transaction: it locks the contract row, refuses a stale submission (the
contract changed since the page was read), makes the transition with its audit row, and issues
the document the table ``contracts.paperwork`` declares.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audited_transition, audited_update
from contracts.constants import IN_FORCE_STATES, ContractState, InductionSource
from contracts.models import Contract
from contracts.services.posts import post_occupy
from paperwork.table import issue_for

SIGN_PERMISSION = "contracts.manage_term"
FILE_PERMISSION = "contracts.file_contract"


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _locked(contract: Contract) -> Contract:
    """Lock the contract's row and refuse a submission made on a stale copy: someone else
    changed its state since the page was read. The service goes on with the row as locked
    (returned): ``refresh_from_db`` of a protected FSM field is not thread-safe in
    django-fsm-2 (its mixin switches the field's protection off and on for every instance of
    the model), so the caller's copy is left as it was."""
    current = Contract.objects.select_for_update().get(pk=contract.pk)
    if current.state != contract.state:
        raise ValidationError(
            _(
                "Someone else changed this contract meanwhile: it is now “%(state)s”. "
                "Reload the page and check it."
            )
            % {"state": current.get_state_display()}
        )
    return current


def _check_day(value, *, field: str, label: str, not_before: datetime.date, today) -> None:
    if value is None:
        raise ValidationError({field: _("Enter the date %(what)s.") % {"what": label}})
    if value > today:
        raise ValidationError(
            {
                field: _("The date %(what)s (%(date)s) is in the future.")
                % {"what": label, "date": _day(value)}
            }
        )
    if value < not_before:
        raise ValidationError(
            {
                field: _(
                    "The date %(what)s (%(date)s) is before the contract was drafted (%(drafted)s)."
                )
                % {"what": label, "date": _day(value), "drafted": _day(not_before)}
            }
        )


def drafted_on(contract: Contract) -> datetime.date:
    return timezone.localdate(contract.created_at)


@transaction.atomic
def contract_sign(
    *,
    contract: Contract,
    signatory: str,
    township_on: datetime.date,
    director_on: datetime.date,
    by,
) -> Contract:
    """Record both signatures of a drafted contract (the township's signatory and date, the
    director's date), issue the signed contract (superseding the drafted print) and submit it
    for county filing. Only a committee member of the contract's township signs."""
    if not by.has_perm(SIGN_PERMISSION, contract):
        raise PermissionDenied(
            _("Only a committee member of %(township)s may sign its contracts.")
            % {"township": contract.township.name}
        )
    contract = _locked(contract)
    if contract.state != ContractState.DRAFTED:
        raise ValidationError(
            _("Only a drafted contract can be signed; this one is “%(state)s”.")
            % {"state": contract.get_state_display()}
        )
    signatory = " ".join((signatory or "").split())
    if not signatory:
        raise ValidationError(
            {"signatory": _("Enter the name of the person who signed for the township.")}
        )
    max_length = Contract._meta.get_field("township_signatory").max_length or 64
    if len(signatory) > max_length:
        raise ValidationError(
            {
                "signatory": _("The signatory's name is longer than %(n)s characters.")
                % {"n": max_length}
            }
        )
    today = timezone.localdate()
    start = drafted_on(contract)
    _check_day(
        township_on,
        field="township_on",
        label=_("the township signed"),
        not_before=start,
        today=today,
    )
    _check_day(
        director_on,
        field="director_on",
        label=_("the director signed"),
        not_before=start,
        today=today,
    )
    with audited_transition(contract, "sign", by=by):
        contract.sign(signatory=signatory, township_on=township_on, director_on=director_on, by=by)
        contract.filing_submitted_on = today
    issue_for(contract, "sign", by=by)
    return contract


@transaction.atomic
def contract_file(*, contract: Contract, by, filing_number: str = "") -> Contract:
    """File a signed contract with the county (县备案) and issue the county filing form. If
    induction training is already recorded (or not required), the contract comes into force.
    Only a county HR officer of the contract's county files."""
    if not by.has_perm(FILE_PERMISSION, contract):
        raise PermissionDenied(_("Only a county HR officer may file contracts with the county."))
    contract = _locked(contract)
    if contract.state != ContractState.SIGNED:
        raise ValidationError(
            _("Only a signed contract can be filed; this one is “%(state)s”.")
            % {"state": contract.get_state_display()}
        )
    if contract.is_filed():
        raise ValidationError(
            _("This contract was already filed with the county on %(date)s.")
            % {"date": _day(contract.filed_on)}  # type: ignore[arg-type]
        )
    filing_number = " ".join((filing_number or "").split())
    max_length = Contract._meta.get_field("filing_number").max_length or 32
    if len(filing_number) > max_length:
        raise ValidationError(
            {
                "filing_number": _("The filing number is longer than %(n)s characters.")
                % {"n": max_length}
            }
        )
    today = timezone.localdate()
    audited_update(
        contract,
        {"filed_on": today, "filed_by": by, "filing_number": filing_number},
        by=by,
        transition="file",
    )
    issue_for(contract, "file", by=by)
    _activate_if_complete(contract, on=today, by=by)
    return contract


@transaction.atomic
def contract_record_induction(
    *,
    contract: Contract,
    on: datetime.date,
    by,
    source: str = InductionSource.RECORDED,
    note: str = "",
) -> Contract:
    """Record the director's induction training (初任培训) as a dated fact with its source, and
    issue the induction certificate. If the contract is signed and already filed, it comes
    into force. Only a county HR officer records it."""
    if not by.has_perm(FILE_PERMISSION, contract):
        raise PermissionDenied(_("Only a county HR officer may record induction training."))
    contract = _locked(contract)
    if contract.state not in (ContractState.DRAFTED, ContractState.SIGNED):
        raise ValidationError(
            _(
                "Induction training is recorded for a contract that is not yet in force; "
                "this one is “%(state)s”."
            )
            % {"state": contract.get_state_display()}
        )
    if contract.induction_source == InductionSource.NOT_REQUIRED:
        raise ValidationError(
            _("This contract renews a term: the director does not take induction training again.")
        )
    if contract.induction_on is not None:
        raise ValidationError(
            _("Induction training was already recorded (completed on %(date)s).")
            % {"date": _day(contract.induction_on)}
        )
    if source not in InductionSource.values or source == InductionSource.NOT_REQUIRED:
        raise ValidationError({"source": _("Say where the induction training record comes from.")})
    if on is None:
        raise ValidationError({"on": _("Enter the day the induction training was completed.")})
    today = timezone.localdate()
    if on > today:
        raise ValidationError(
            {
                "on": _("The induction training date (%(date)s) is in the future.")
                % {"date": _day(on)}
            }
        )
    note = " ".join((note or "").split())
    max_length = Contract._meta.get_field("induction_note").max_length or 200
    if len(note) > max_length:
        raise ValidationError(
            {"note": _("The note is longer than %(n)s characters.") % {"n": max_length}}
        )
    audited_update(
        contract,
        {"induction_on": on, "induction_source": source, "induction_note": note},
        by=by,
        transition="record_induction",
    )
    issue_for(contract, "record_induction", by=by)
    _activate_if_complete(contract, on=today, by=by)
    return contract


def _activate_if_complete(contract: Contract, *, on: datetime.date, by) -> bool:
    """Put a signed contract in force once it is filed and induction is recorded (or not
    required): the contract it renews ends first (one contract in force per post and person),
    then the post is occupied by its person and its open vacancy filled."""
    if contract.state != ContractState.SIGNED or not (
        contract.is_filed() and contract.has_induction()
    ):
        return False
    if contract.renews_id is not None:
        old = Contract.objects.select_for_update().get(pk=contract.renews_id)
        if old.state != ContractState.EXPIRING:
            raise ValidationError(
                _(
                    "The contract this one renews is “%(state)s”, not waiting for its "
                    "renewal; it cannot come into force."
                )
                % {"state": old.get_state_display()}
            )
        with audited_transition(old, "renew", by=by):
            old.renew()
    elsewhere = (
        Contract.objects.filter(person_id=contract.person_id, state__in=IN_FORCE_STATES)
        .select_related("post__village")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            _(
                "%(name)s already has a contract in force for %(village)s: a person directs one "
                "post at a time, so this contract cannot come into force."
            )
            % {"name": contract.person.name, "village": elsewhere.post.village.name}
        )
    with audited_transition(contract, "activate", by=by):
        contract.activate(on=on)
    post_occupy(contract=contract, on=on, by=by)
    return True
