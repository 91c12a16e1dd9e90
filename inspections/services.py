"""Writes of the monthly inspections: plan a day, start it (the draw), sign and correct
records, end it. Each is one transaction: lock, check, transition or create, audit row,
paperwork (the printed inspection record when the day ends, and again when one of its records
is corrected afterwards).

The audit log is read by township committee members and county HR, who must not learn the
drawn villages before the day ends (seed 002: 只有带队组长知道检查点): the audit rows of a draw
and of a record leave out the seed, the result, the village and the findings. The draw and
the records themselves keep everything.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import AssessmentMonth
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from core.services import lock, require_permission, require_state
from inspections.constants import DRAW_ALGORITHM, DayState
from inspections.models import InspectionDay, InspectionRecord, SpotCheckDraw
from organisation.models import Township, Village
from paperwork.table import issue_for
from people.models import Person
from policy.selectors import NoPolicyInForce, policy_in_force

RUN = "inspections.run_inspection"
SEED_BITS = 128


def cn_date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def require_runner(by, township: Township) -> None:
    require_permission(
        by,
        RUN,
        township,
        message=_("Only office staff of %(township)s may run its inspections.")
        % {"township": township.name},
    )


def require_leader(by, day: InspectionDay, action: str) -> None:
    require_runner(by, day.township)
    if by.pk != day.leader_id:
        raise PermissionDenied(
            _("%(action)s is for the day's leader, %(leader)s, alone.")
            % {"action": action, "leader": day.leader.display_name}
        )


def month_of(township: Township, on: datetime.date) -> AssessmentMonth | None:
    """The township's assessment month of ``on``, when it has been opened."""
    return AssessmentMonth.objects.filter(township=township, year=on.year, month=on.month).first()


# Plan ----------------------------------------------------------------------------------------


@transaction.atomic
def day_plan(*, township: Township, date: datetime.date, leader, team: str, by) -> InspectionDay:
    """Plan an inspection day of ``township`` on ``date``, led by ``leader`` (an officer who
    may run the township's inspections) with ``team`` (the inspectors' names). The day is
    linked to the township's assessment month of that date when it is open."""
    require_runner(by, township)
    errors: dict[str, str] = {}
    if date < timezone.localdate():
        errors["date"] = _("An inspection day is planned for today or a later day.")
    if leader is None or not leader.is_active or not leader.has_perm(RUN, township):
        errors["leader"] = _(
            "The leader must be an officer of %(township)s who may run its inspections."
        ) % {"township": township.name}
    if not team.strip():
        errors["team"] = _("Name the members of the inspection team.")
    if errors:
        raise ValidationError(errors)
    day = InspectionDay(
        township=township, date=date, leader=leader, team=team.strip(), planned_by=by
    )
    day.month = month_of(township, date)
    day.full_clean(exclude=["state"])
    day.save()
    audit_record(
        obj=day,
        action=AuditEntry.Action.CREATE,
        by=by,
        after=snapshot(day),
        transition="plan",
    )
    return day


# Start: the draw -------------------------------------------------------------------------------


def candidates_of(township: Township) -> list[dict]:
    """Every village of the township, ascending by id, as the draw records them."""
    return [
        {"id": pk, "name": name}
        for pk, name in Village.objects.filter(township=township)
        .order_by("pk")
        .values_list("pk", "name")
    ]


@transaction.atomic
def day_start(*, day: InspectionDay, by) -> SpotCheckDraw:
    """The leader starts the day and the villages are drawn by lot, once: a day already
    started (or ended) is refused, and a second draw cannot be made, since the draw's row is
    one per day and is never changed."""
    day = lock(day, related=("township__county", "leader"))
    require_leader(by, day, _("Starting the day and drawing the villages"))
    if SpotCheckDraw.objects.filter(day=day).exists():
        raise ValidationError(
            _(
                "The villages of this day were drawn already; a draw is made once and cannot "
                "be redone or changed. Nothing was changed."
            )
        )
    require_state(day, [DayState.PLANNED], action=_("Starting the day"))
    today = timezone.localdate()
    if day.date != today:
        raise ValidationError(
            _(
                "This day was planned for %(date)s; it can be started on that day only. Plan "
                "a new day instead."
            )
            % {"date": cn_date(day.date)}
        )
    try:
        policy = policy_in_force(county=day.township.county, on=today)
    except NoPolicyInForce as exc:
        raise ValidationError(str(exc)) from exc
    candidates = candidates_of(day.township)
    if not candidates:
        raise ValidationError(
            _("%(township)s has no villages to draw.") % {"township": day.township}
        )
    count = min(policy.spot_check_villages, len(candidates))
    seed = secrets.token_hex(SEED_BITS // 8)
    now = timezone.now()
    draw = SpotCheckDraw(
        day=day,
        policy=policy,
        candidates=candidates,
        count=count,
        seed=seed,
        algorithm=DRAW_ALGORITHM,
        result=SpotCheckDraw.compute(
            candidate_ids=[c["id"] for c in candidates], seed=seed, count=count
        ),
        drawn_by=by,
        drawn_at=now,
    )
    draw.save()
    # The seed and the result stay out of the audit log until the day ends (module docstring).
    audit_record(
        obj=draw,
        action=AuditEntry.Action.CREATE,
        by=by,
        after=snapshot(draw, ["day", "policy", "count", "algorithm", "drawn_by", "drawn_at"]),
        transition="draw",
    )
    with audited_transition(day, "start", by=by):
        day.start(at=now)
    return draw


def draw_reproduce(draw: SpotCheckDraw) -> bool:
    """Whether the draw's result is what its candidates, seed and algorithm give."""
    return draw.reproduces()


# Records --------------------------------------------------------------------------------------


def director_in_post(village: Village) -> Person | None:
    post = (
        village.posts.filter(holder__isnull=False)
        .select_related("holder")
        .order_by("number")
        .first()
    )
    return post.holder if post else None


def _record_fields(*, findings: str, inspectors: str) -> tuple[str, str]:
    errors = {}
    findings, inspectors = findings.strip(), inspectors.strip()
    if not findings:
        errors["findings"] = _("Write down what the inspection found.")
    if not inspectors:
        errors["inspectors"] = _("Name the inspectors who sign the record.")
    if errors:
        raise ValidationError(errors)
    return findings, inspectors


def _audit_record_created(record: InspectionRecord, *, by, transition: str) -> None:
    # Which village and what was found stay out of the audit log (module docstring).
    audit_record(
        obj=record,
        action=AuditEntry.Action.CREATE,
        by=by,
        after=snapshot(record, ["day", "corrects", "signed_by", "signed_at"]),
        transition=transition,
    )


@transaction.atomic
def record_sign(
    *,
    day: InspectionDay,
    village: Village,
    findings: str,
    observations: str = "",
    inspectors: str,
    by,
) -> InspectionRecord:
    """The leader records and signs what the team found in a drawn village of the day. Once
    signed, the record is never changed (``record_correct`` puts a mistake right)."""
    day = lock(day, related=("township", "leader"))
    require_leader(by, day, _("Signing an inspection record"))
    require_state(day, [DayState.STARTED], action=_("Signing an inspection record"))
    draw = SpotCheckDraw.objects.get(day=day)
    if village.pk not in draw.result:
        raise ValidationError(
            {"village": _("%(village)s was not drawn for this day.") % {"village": village.name}}
        )
    if InspectionRecord.objects.filter(day=day, village=village).exists():
        raise ValidationError(
            {
                "village": _(
                    "%(village)s already has a signed record for this day; correct it instead."
                )
                % {"village": village.name}
            }
        )
    findings, inspectors = _record_fields(findings=findings, inspectors=inspectors)
    record = InspectionRecord(
        day=day,
        village=village,
        director=director_in_post(village),
        findings=findings,
        observations=observations.strip(),
        inspectors=inspectors,
        signed_by=by,
        signed_at=timezone.now(),
    )
    record.full_clean()
    record.save()
    _audit_record_created(record, by=by, transition="sign")
    return record


@transaction.atomic
def record_correct(
    *,
    record: InspectionRecord,
    findings: str,
    observations: str = "",
    inspectors: str,
    reason: str,
    by,
) -> InspectionRecord:
    """A new signed record replacing ``record`` (the one in force for its village), with the
    reason. The old record stays as it was, and the page shows both."""
    day = lock(record.day, related=("township", "leader"))
    require_leader(by, day, _("Correcting an inspection record"))
    record = InspectionRecord.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the signed record is corrected.")})
    if InspectionRecord.objects.filter(corrects=record).exists():
        raise ValidationError(
            _("This record was corrected already; correct the latest record of the village.")
        )
    findings, inspectors = _record_fields(findings=findings, inspectors=inspectors)
    correction = InspectionRecord(
        day=day,
        village=record.village,
        director=record.director,
        findings=findings,
        observations=observations.strip(),
        inspectors=inspectors,
        signed_by=by,
        signed_at=timezone.now(),
        corrects=record,
        correction_reason=reason.strip(),
    )
    correction.full_clean()
    correction.save()
    _audit_record_created(correction, by=by, transition="correct")
    if day.state == DayState.ENDED:
        # The day's printed record is out: a new version supersedes it.
        issue_for(day, "correct_record", by=by)
    return correction


# End ---------------------------------------------------------------------------------------


@transaction.atomic
def day_end(*, day: InspectionDay, by) -> InspectionDay:
    """The leader ends the day: from now on everyone in scope sees the draw and the records."""
    day = lock(day, related=("township", "leader"))
    require_leader(by, day, _("Ending the day"))
    require_state(day, [DayState.STARTED], action=_("Ending the day"))
    with audited_transition(day, "end", by=by):
        day.end(by=by, at=timezone.now())
    issue_for(day, "end", by=by)
    return day
