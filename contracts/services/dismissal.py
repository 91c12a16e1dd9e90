"""Dismissal cases (辞退), seed 001's 辞退 section: opened → director heard → decided by the
committee → filed with the county.

- ``case_open``: a committee member opens a case with one or more of the nine grounds, each
  for a period (a year), a summary and evidence (text and files); the director has
  ``policy.hearing_statement_days`` to give a statement. ``case_open_detected`` does the same
  for a case that ``contracts.detectors`` found (``detected``, nobody's name on it).
- ``case_hear``: the director's written statement, or the record that they gave none by the
  date it was due.
- ``case_decide``: dismiss (the contract ends, the post falls vacant, the dismissal notice) or
  close (the contract untouched), with reasons; never before the hearing.
- ``case_file``: county HR files the decided case.

The contract stays in force while a case is open. The database refuses a ground and period
opened twice for one person (``CaseGround``); these services say so first, in words.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, audited_update, snapshot
from contracts.constants import IN_FORCE_STATES, CaseDecision, CaseState
from contracts.evidence import check_evidence_file
from contracts.models import (
    BirthRecord,
    CaseEvidence,
    CaseGround,
    Contract,
    DismissalCase,
    DismissalGround,
)
from contracts.services.endings import clean
from contracts.services.posts import post_vacate
from contracts.signals import dismissal_case_opened
from core.files import save_on_commit
from core.services import lock, require_permission, require_state
from notifications.models import Category
from notifications.services import notify
from paperwork.table import issue_for
from policy.selectors import policy_in_force
from workdays.calendar import period_end

OPEN_CASE = "contracts.open_dismissalcase"
FILE_CASE = "contracts.file_dismissalcase"
EVIDENCE_MAX_FILES = 10

# A case still running: the contract stays in force meanwhile.
OPEN_CASE_STATES = [CaseState.OPENED, CaseState.HEARD]


@dataclass(frozen=True)
class GroundClaim:
    """One ground of a case for a period (a year, or the last of the consecutive years it
    covers), with what shows it."""

    ground: DismissalGround
    period: int
    detail: str = ""


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence: a description, a file (an upload), or both."""

    text: str = ""
    file: Any = None


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def case_url(case: DismissalCase) -> str:
    try:
        return reverse("endings:case_detail", args=[case.pk])
    except NoReverseMatch:
        return ""


def committee_of(township) -> Iterable[User]:
    return User.objects.filter(
        role=Role.TOWNSHIP_COMMITTEE, township=township, is_active=True
    ).order_by("pk")


def require_case_officer(by, obj) -> None:
    require_permission(
        by,
        OPEN_CASE,
        obj,
        message=_("Only committee members of %(township)s may open and decide its dismissal cases.")
        % {"township": obj.township},
    )


def _taken(contract: Contract, claims: Sequence[GroundClaim]) -> list[GroundClaim]:
    """The claims already opened for this person (same ground and period)."""
    opened = set(
        CaseGround.objects.filter(
            person_id=contract.person_id,
            ground__in=[c.ground for c in claims],
            period__in=[c.period for c in claims],
        ).values_list("ground_id", "period")
    )
    return [c for c in claims if (c.ground.pk, c.period) in opened]


def _refuse_taken(taken: Sequence[GroundClaim]) -> None:
    raise ValidationError(
        {
            "grounds": [
                _(
                    "A case on “%(ground)s” for %(period)s is already opened for this "
                    "director; the same ground and period is not opened twice."
                )
                % {"ground": c.ground.text, "period": c.period}
                for c in taken
            ]
        }
    )


def _checked_evidence(evidence: Sequence[Evidence]) -> list[tuple[str, Any, str]]:
    """(text, checked file or None, original name) for each piece, files checked with the
    project's bounds for scans (PDF, JPEG or PNG of at most 5 MB)."""
    files = [e for e in evidence if e.file is not None]
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(
            {
                "evidence": _("At most %(max)s files can be attached to a case.")
                % {"max": EVIDENCE_MAX_FILES}
            }
        )
    checked: list[tuple[str, Any, str]] = []
    for number, piece in enumerate(evidence, start=1):
        text = clean(piece.text, field="evidence_text", label=_("Evidence (description)"))
        if piece.file is None:
            if text:
                checked.append((text, None, ""))
            continue
        try:
            scan = check_evidence_file(piece.file, number=number)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
        original = str(getattr(piece.file, "name", "") or scan.name)[:200]
        checked.append((text, scan, original))
    return checked


def _create_case(
    *,
    contract: Contract,
    claims: Sequence[GroundClaim],
    summary: str,
    evidence: Sequence[Evidence],
    by,
    on: datetime.date,
    detected: bool,
) -> DismissalCase:
    if not claims:
        raise ValidationError(
            {"grounds": _("Choose at least one of the grounds for dismissal; a case needs one.")}
        )
    require_state(contract, IN_FORCE_STATES, action=_("Opening a dismissal case"))
    taken = _taken(contract, claims)
    if taken:
        _refuse_taken(taken)
    pieces = _checked_evidence(evidence)
    policy = policy_in_force(county=contract.township.county, on=on)
    case = DismissalCase(
        contract=contract,
        township=contract.township,
        policy=policy,
        detected=detected,
        opened_on=on,
        opened_by=by if getattr(by, "pk", None) else None,
        summary=(summary or "").strip(),
        statement_due=period_end(on, policy.hearing_statement_days),
    )
    case.save()
    try:
        with transaction.atomic():
            CaseGround.objects.bulk_create(
                [
                    CaseGround(
                        case=case,
                        ground=c.ground,
                        person_id=contract.person_id,
                        period=c.period,
                        detail=c.detail[:200],
                    )
                    for c in claims
                ]
            )
    except IntegrityError as exc:
        # Opened meanwhile by another submission (or listed twice in this one).
        taken = _taken(contract, claims) or list(claims)
        raise ValidationError(
            {
                "grounds": [
                    _(
                        "A case on “%(ground)s” for %(period)s is already opened for this "
                        "director; the same ground and period is not opened twice."
                    )
                    % {"ground": c.ground.text, "period": c.period}
                    for c in taken
                ]
            }
        ) from exc
    for text, scan, original in pieces:
        item = CaseEvidence(case=case, text=text, added_by=case.opened_by)
        if scan is not None:
            item.original_name = original
            save_on_commit(item.file, scan.name, scan.content)
        item.save()
    audit_record(
        obj=case,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="open",
        after={
            **snapshot(case),
            "grounds": [f"{c.ground.text}（{c.period}）" for c in claims],
        },
    )
    director = User.objects.filter(person_id=contract.person_id, is_active=True)
    notify(
        category=Category.WARNINGS,
        users=director,
        key=f"case-opened-{case.pk}",
        text=_("A dismissal case is opened about you. You may give a written statement by %(due)s.")
        % {"due": day(case.statement_due)},
        url=case_url(case),
    )
    dismissal_case_opened.send(sender=DismissalCase, case=case)
    return case


@transaction.atomic
def case_open(
    *,
    contract: Contract,
    grounds: Sequence[DismissalGround],
    period: int,
    summary: str,
    evidence: Sequence[Evidence] = (),
    by,
    on: datetime.date,
) -> DismissalCase:
    """A committee member opens a case against the director of ``contract`` on ``grounds``
    for the year ``period``, with a summary of the facts and evidence."""
    contract = lock(contract, related=("township__county", "person", "post__village"))
    require_case_officer(by, contract)
    summary = clean(summary, field="summary", label=_("Facts"))
    if not summary:
        raise ValidationError({"summary": _("Describe the facts of the case.")})
    if not (1990 <= period <= on.year):
        raise ValidationError(
            {"period": _("The year must be between 1990 and %(year)s.") % {"year": on.year}}
        )
    claims = [GroundClaim(ground=g, period=period) for g in dict.fromkeys(grounds)]
    return _create_case(
        contract=contract,
        claims=claims,
        summary=summary,
        evidence=evidence,
        by=by,
        on=on,
        detected=False,
    )


@transaction.atomic
def case_open_detected(
    *, contract: Contract, claims: Sequence[GroundClaim], summary: str, on: datetime.date
) -> DismissalCase:
    """A case the detectors found (``contracts.detectors``): opened by the system, for the
    committee to hear and decide; the township's committee is notified."""
    contract = lock(contract, related=("township__county", "person", "post__village"))
    case = _create_case(
        contract=contract,
        claims=claims,
        summary=summary,
        evidence=(),
        by=None,
        on=on,
        detected=True,
    )
    notify(
        category=Category.WARNINGS,
        users=committee_of(contract.township),
        key=f"case-detected-{case.pk}",
        text=_(
            "The records show a ground for dismissal of %(name)s (%(village)s): a case is "
            "opened for the committee to hear the director and decide."
        )
        % {"name": contract.person.name, "village": contract.post.village.name},
        url=case_url(case),
    )
    return case


@transaction.atomic
def case_hear(
    *, case: DismissalCase, statement: str, declined: bool, by, on: datetime.date
) -> DismissalCase:
    """Record the director's written statement, or that they gave none: the latter only once
    the statement was due (``statement_due`` has passed)."""
    case = lock(case, related=("township", "contract__person"))
    require_case_officer(by, case)
    require_state(case, [CaseState.OPENED], action=_("Recording the director's statement"))
    statement = clean(statement, field="statement", label=_("The director's written statement"))
    if declined:
        if statement:
            raise ValidationError(
                {
                    "statement": _(
                        "Either record the statement or that the director gave none, not both."
                    )
                }
            )
        if case.statement_due is not None and on <= case.statement_due:
            raise ValidationError(
                {
                    "declined": _(
                        "The director may give a statement until %(due)s; that they gave none "
                        "can be recorded from the day after."
                    )
                    % {"due": day(case.statement_due)}
                }
            )
    elif not statement:
        raise ValidationError(
            {"statement": _("Enter the director's written statement, as they gave it.")}
        )
    with audited_transition(case, "hear", by=by):
        case.hear(on=on, statement=statement, declined=bool(declined))
    return case


@transaction.atomic
def case_decide(
    *, case: DismissalCase, decision: str, reasons: str, by, on: datetime.date
) -> DismissalCase:
    """The committee decides, with reasons, after the hearing: dismiss (the contract ends on
    ``on``, the post falls vacant and the dismissal notice is issued) or close the case."""
    case = lock(case, related=("township__county", "policy"))
    require_case_officer(by, case)
    if case.state == CaseState.OPENED:
        raise ValidationError(
            _(
                "The director has not been heard yet: record their statement, or that they "
                "gave none, before deciding. Nothing was changed."
            )
        )
    require_state(case, [CaseState.HEARD], action=_("Deciding a dismissal case"))
    reasons = clean(reasons, field="reasons", label=_("Reasons"))
    if decision not in CaseDecision.values:
        raise ValidationError({"decision": _("Choose to dismiss the director or close the case.")})
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    with audited_transition(case, "decide", by=by, reason=reasons):
        case.decide(decision=decision, reasons=reasons, on=on, by=by)
    if decision == CaseDecision.DISMISS:
        contract = lock(case.contract, related=("township__county", "person", "post__village"))
        require_state(contract, IN_FORCE_STATES, action=_("Dismissing a director"))
        with audited_transition(contract, "dismiss", by=by, reason=reasons):
            contract.dismiss(on=on, note=reasons)
        post_vacate(contract=contract, on=on, by=by)
        case.contract = contract
    issue_for(case, "decide", by=by)
    return case


@transaction.atomic
def case_file(*, case: DismissalCase, by, on: datetime.date) -> DismissalCase:
    """County HR files the decided case (县备案)."""
    case = lock(case, related=("township__county",))
    require_permission(
        by,
        FILE_CASE,
        case,
        message=_("Only county HR officers of %(county)s may file dismissal cases.")
        % {"county": case.township.county},
    )
    require_state(case, [CaseState.DECIDED], action=_("Filing a dismissal case"))
    with audited_transition(case, "file", by=by):
        case.file(on=on, by=by)
    return case


@transaction.atomic
def birth_record_save(*, village, year: int, violations: int, note: str, by):
    """Record (or correct) the births against the rule in ``village`` in ``year``: one row
    per village and year, the detectors' input."""
    require_permission(
        by,
        "contracts.add_birthrecord",
        village,
        message=_("Only the township's office and committee record its villages' births."),
    )
    if violations < 0:
        raise ValidationError({"violations": _("The number of births cannot be negative.")})
    record = BirthRecord.objects.select_for_update().filter(village=village, year=year).first()
    note = clean(note, field="note", label=_("Note"), multiline=False)
    if record is None:
        record = BirthRecord(
            village=village, year=year, violations=violations, note=note, recorded_by=by
        )
        record.save()
        audit_record(obj=record, action=AuditEntry.Action.CREATE, by=by, after=snapshot(record))
    else:
        audited_update(record, {"violations": violations, "note": note, "recorded_by": by}, by=by)
    return record
