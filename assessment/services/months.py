"""The month of a township: open → scored → published → settled; a correction reopens it.

Each service is one transaction: it locks the month's row, refuses a step the month's state
does not allow (a second submission of the same step gets a clear message, never an error
page), makes the transition with its audit row and what follows from it. Publishing ranks the
directors, computes each one's pay from the policy the month applies, and submits the
background job that issues the bulletin and the slips (``assessment.jobs``); the
``month_published`` signal goes out once the transaction has committed.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts.scoping import can_see
from assessment.constants import ItemKind, MonthState
from assessment.models import AssessmentMonth, MonthCorrection, MonthlyScore
from assessment.pay import competition_ranks, pay_after_deduction, score_round
from assessment.selectors import month_bounds, scheme_in_use, scores_mean
from assessment.signals import month_opened, month_published
from audit.models import AuditEntry
from audit.services import AuditBatch, audit_record, audited_transition, snapshot
from contracts.constants import PENDING_STATES
from contracts.models import Contract
from jobs.models import Job
from jobs.services import job_submit
from policy.selectors import NoPolicyInForce, policy_in_force

SCORE_PERMISSION = "assessment.score_month"
PUBLISH_PERMISSION = "assessment.publish_month"
DOCUMENTS_JOB = "assessment.month_documents"


def _month_label(year: int, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": year, "month": month}


def _require(by, permission: str, obj, message: str) -> None:
    if not (by.has_perm(permission) and can_see(by, obj)):
        raise PermissionDenied(message)


def _locked(month: AssessmentMonth) -> AssessmentMonth:
    """The month's row, locked for the rest of the transaction."""
    return (
        AssessmentMonth.objects.select_for_update(of=("self",))
        .select_related("township__county", "policy", "scheme")
        .get(pk=month.pk)
    )


def _refuse_state(month: AssessmentMonth, allowed: tuple[str, ...], step: str) -> None:
    if month.state in allowed:
        return
    if month.state in (MonthState.PUBLISHED, MonthState.SETTLED) and step == "publish":
        raise ValidationError(
            _("%(month)s is already published; it cannot be published twice.") % {"month": month}
        )
    raise ValidationError(
        _("%(month)s is “%(state)s”: this step cannot be taken now. Reload the page.")
        % {"month": month, "state": month.get_state_display()}
    )


def _save_transition(
    month: AssessmentMonth, name: str, *, by, reason: str = "", stamp: bool = False
) -> None:
    """Make the transition ``name`` (``stamp``: it records who and when), save it with its
    audit row."""
    kwargs = {"by": by, "at": timezone.now()} if stamp else {}
    try:
        with audited_transition(month, name, by=by, reason=reason):
            getattr(month, name)(**kwargs)
    except ConcurrentTransition as exc:
        raise ValidationError(
            _("Someone else changed %(month)s meanwhile. Reload the page and check it.")
            % {"month": month}
        ) from exc


def directors_in_force(township, year: int, month: int) -> list[Contract]:
    """One contract per director whose contract was in force in ``township`` on some day of
    the month (the latest, when a renewal falls within it). A contract counts from its term's
    first day: one filed and inducted (or a renewal signed) before its term starts is in
    force early, but its director is scored on it only from the term's first month."""
    first, last = month_bounds(year, month)
    contracts = (
        Contract.objects.filter(township=township, activated_on__lte=last, start_date__lte=last)
        .exclude(state__in=PENDING_STATES)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("person", "post__village")
        .order_by("person_id", "-start_date", "-id")
    )
    chosen: dict[int, Contract] = {}
    for contract in contracts:
        chosen.setdefault(contract.person_id, contract)
    return list(chosen.values())


@transaction.atomic
def month_open(*, township, year: int, month: int, by) -> AssessmentMonth:
    """Open ``township``'s month for scoring: one score row per director whose contract is
    in force during the month, with the base pay of the policy in force on the month's first
    day and the county's scoring scheme of the year (its highest version)."""
    _require(
        by,
        SCORE_PERMISSION,
        township,
        _("Only the office staff of %(township)s may open its months.") % {"township": township},
    )
    if not 1 <= month <= 12 or year < 2000:
        raise ValidationError({"month": _("Choose a month of the year.")})
    first, _last = month_bounds(year, month)
    if first > timezone.localdate():
        raise ValidationError(
            {"month": _("%(month)s has not begun yet.") % {"month": _month_label(year, month)}}
        )
    if AssessmentMonth.objects.filter(township=township, year=year, month=month).exists():
        raise ValidationError(
            {
                "month": _("%(township)s has already opened %(month)s.")
                % {"township": township.name, "month": _month_label(year, month)}
            }
        )
    scheme = scheme_in_use(county=township.county, year=year)
    if scheme is None:
        raise ValidationError(
            {
                "month": _("The county has no scoring scheme for %(year)s yet; county HR sets it.")
                % {"year": year}
            }
        )
    try:
        policy = policy_in_force(county=township.county, on=first)
    except NoPolicyInForce as exc:
        raise ValidationError({"month": str(exc)}) from exc
    record = AssessmentMonth(
        township=township, year=year, month=month, scheme=scheme, policy=policy, opened_by=by
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "month": _("%(township)s has already opened %(month)s.")
                % {"township": township.name, "month": _month_label(year, month)}
            }
        ) from exc
    audit_record(
        obj=record,
        action=AuditEntry.Action.CREATE,
        by=by,
        after=snapshot(record),
        transition="open",
    )
    MonthlyScore.objects.bulk_create(
        [
            MonthlyScore(
                month=record,
                person=contract.person,
                contract=contract,
                village=contract.post.village,
                scheme=scheme,
                base_pay=policy.monthly_pay,
            )
            for contract in directors_in_force(township, year, month)
        ]
    )
    month_opened.send(sender=AssessmentMonth, month=record, by=by)
    return record


def _parse_points(score: MonthlyScore, points: dict) -> tuple[dict[str, str], Decimal]:
    """The points per item as stored (decimal strings) and the total, rounded; a
    ``ValidationError`` naming the item when one is missing, not a number or out of range."""
    stored: dict[str, str] = {}
    total = Decimal(0)
    for item in score.scheme.items.all():
        raw = points.get(str(item.pk), points.get(item.pk))
        if raw is None or str(raw).strip() == "":
            if item.kind == ItemKind.SCORED:
                raise ValidationError(
                    _("Enter the points of “%(item)s” for %(name)s.")
                    % {"item": item.name, "name": score.person.name}
                )
            raw = "0"
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise ValidationError(
                _("The points of “%(item)s” are not a number.") % {"item": item.name}
            ) from exc
        if not value.is_finite() or value < 0 or value > item.max_points:
            raise ValidationError(
                _("The points of “%(item)s” (%(value)s) must be between 0 and %(max)s.")
                % {"item": item.name, "value": raw, "max": format(item.max_points.normalize(), "f")}
            )
        if value.as_tuple().exponent < -3:  # type: ignore[operator]
            raise ValidationError(
                _("The points of “%(item)s” have more than three decimals.") % {"item": item.name}
            )
        stored[str(item.pk)] = str(value)
        total += -value if item.kind == ItemKind.DEDUCTION else value
    return stored, total


@transaction.atomic
def score_record(*, score: MonthlyScore, points: dict, remarks: str = "", by) -> MonthlyScore:
    """Record a director's points per item. Each item is within 0 and its most points; the
    total (scored and bonus items less deduction items) within 0 and the policy's monthly
    maximum, rounded to two decimals half-up."""
    month = _locked(score.month)
    _require(
        by,
        SCORE_PERMISSION,
        month,
        _("Only the office staff of %(township)s may score its directors.")
        % {"township": month.township.name},
    )
    if month.state != MonthState.OPEN:
        raise ValidationError(
            _("%(month)s is “%(state)s”: scores can no longer be changed.")
            % {"month": month, "state": month.get_state_display()}
        )
    score = (
        MonthlyScore.objects.select_related("person", "scheme", "month")
        .prefetch_related("scheme__items")
        .get(pk=score.pk, month=month)
    )
    stored, raw_total = _parse_points(score, points)
    total = score_round(raw_total)
    most = Decimal(month.policy.monthly_score_max)
    if total < 0 or total > most:
        raise ValidationError(
            _("The total for %(name)s (%(total)s) must be between 0 and %(max)s.")
            % {"name": score.person.name, "total": total, "max": most}
        )
    remarks = " ".join((remarks or "").split())
    if len(remarks) > 500:
        raise ValidationError({"remarks": _("The remarks are longer than 500 characters.")})
    before = snapshot(score, ["points", "total", "remarks"])
    score.points, score.total, score.remarks = stored, total, remarks
    score.recorded_by, score.recorded_at = by, timezone.now()
    score.save(update_fields=["points", "total", "remarks", "recorded_by", "recorded_at"])
    audit_record(
        obj=score,
        action=AuditEntry.Action.UPDATE,
        by=by,
        before=before,
        after=snapshot(score, ["points", "total", "remarks"]),
        transition="score",
    )
    return score


@transaction.atomic
def scores_record(*, month: AssessmentMonth, rows: dict[int, tuple[dict, str]], by) -> int:
    """Record the points of many directors at once (the score grid): ``rows`` maps a score's
    id to its (points, remarks). All or nothing: the first refused row's message names the
    director and the item, and no row is saved. Rows left entirely empty are skipped."""
    _require(
        by,
        SCORE_PERMISSION,
        month,
        _("Only the office staff of %(township)s may score its directors.")
        % {"township": month.township.name},
    )
    scores = {s.pk: s for s in month.scores.all()}
    saved = 0
    for score_id, (points, remarks) in rows.items():
        score = scores.get(score_id)
        if score is None:
            raise ValidationError(_("A row of the grid is not a director of this month."))
        if not any(str(v).strip() for v in points.values()) and not remarks:
            continue
        try:
            score_record(score=score, points=points, remarks=remarks, by=by)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
            if score.person.name in problem:  # the message names the director already
                raise ValidationError(problem) from exc
            raise ValidationError(
                _("%(name)s: %(problem)s") % {"name": score.person.name, "problem": problem}
            ) from exc
        saved += 1
    return saved


@transaction.atomic
def month_finish_scoring(*, month: AssessmentMonth, by) -> AssessmentMonth:
    """Every director is scored: the month goes to the committee for publishing."""
    month = _locked(month)
    _require(
        by,
        SCORE_PERMISSION,
        month,
        _("Only the office staff of %(township)s may finish its scoring.")
        % {"township": month.township.name},
    )
    _refuse_state(month, (MonthState.OPEN,), "finish_scoring")
    missing = list(
        month.scores.filter(total__isnull=True)
        .select_related("person")
        .order_by("person__name_pinyin")[:5]
    )
    if missing:
        raise ValidationError(
            _("Not every director is scored yet: %(names)s.")
            % {"names": "、".join(s.person.name for s in missing)}
        )
    _save_transition(month, "finish_scoring", by=by, stamp=True)
    return month


@transaction.atomic
def month_resume_scoring(*, month: AssessmentMonth, by) -> AssessmentMonth:
    """Back to scoring before publishing (a score to change)."""
    month = _locked(month)
    _require(
        by,
        SCORE_PERMISSION,
        month,
        _("Only the office staff of %(township)s may score its directors.")
        % {"township": month.township.name},
    )
    _refuse_state(month, (MonthState.SCORED,), "resume_scoring")
    _save_transition(month, "resume_scoring", by=by)
    return month


def _rank_and_pay(month: AssessmentMonth, *, by) -> None:
    scores = list(
        month.scores.select_related("person").order_by("person__name_pinyin", "person_id")
    )
    ordered = sorted(scores, key=lambda s: s.total or Decimal(0), reverse=True)
    bands = month.policy.pay_deduction_bands
    batch = AuditBatch(by=by, place=(month.township.county_id, month.township_id))
    for score, rank in zip(ordered, competition_ranks(s.total for s in ordered), strict=True):
        percent, deduction, pay = pay_after_deduction(
            score.total or Decimal(0), base=score.base_pay, bands=bands
        )
        batch.update(
            score,
            transition="publish",
            rank=rank,
            deduction_percent=percent,
            deduction=deduction,
            pay=pay,
        )
    batch.save()
    # The month's figures as published, for the dashboards' ranking (saved with the month).
    month.scored_count, month.mean_total = scores_mean(month.pk)


def documents_job_key(month: AssessmentMonth) -> str:
    return f"{month.pk}:{month.revision}"


@transaction.atomic
def month_publish(*, month: AssessmentMonth, by) -> AssessmentMonth:
    """Publish a scored month: rank the directors (1, 2, 2, 4; ties listed by the pinyin of
    the name), compute each one's pay after the deduction of their score's band, and submit
    the job that issues the monthly bulletin and every director's slip. A month is published
    once; a correction reopens it first."""
    month = _locked(month)
    _require(
        by,
        PUBLISH_PERMISSION,
        month,
        _("Only the committee of %(township)s may publish its months.")
        % {"township": month.township.name},
    )
    _refuse_state(month, (MonthState.SCORED,), "publish")
    if month.scores.filter(total__isnull=True).exists():
        raise ValidationError(_("Not every director is scored yet."))
    _rank_and_pay(month, by=by)
    _save_transition(month, "publish", by=by, stamp=True)
    month_documents_submit(month=month, by=by)
    transaction.on_commit(lambda: month_published.send(sender=AssessmentMonth, month=month, by=by))
    return month


def month_documents_submit(*, month: AssessmentMonth, by) -> Job:
    """The background job that issues the month's bulletin and slips for its revision (the
    one already submitted for that revision, if any)."""
    return job_submit(
        kind=DOCUMENTS_JOB,
        key=documents_job_key(month),
        label=_("Monthly bulletin and pay slips of %(month)s") % {"month": month},
        params={"month_id": month.pk, "revision": month.revision},
        county=month.township.county,
        township=month.township,
        by=by,
    )


def month_documents_job(month: AssessmentMonth) -> Job | None:
    return Job.objects.filter(kind=DOCUMENTS_JOB, key=documents_job_key(month)).first()


@transaction.atomic
def month_settle(*, month: AssessmentMonth, by) -> AssessmentMonth:
    """Settle the month's pay: the month is locked; only a correction reopens it."""
    month = _locked(month)
    _require(
        by,
        PUBLISH_PERMISSION,
        month,
        _("Only the committee of %(township)s may settle its months.")
        % {"township": month.township.name},
    )
    _refuse_state(month, (MonthState.PUBLISHED,), "settle")
    _save_transition(month, "settle", by=by, stamp=True)
    return month


@transaction.atomic
def month_reopen(*, month: AssessmentMonth, reason: str, by) -> AssessmentMonth:
    """Reopen a published or settled month for a correction, with its reason. Publishing it
    again issues documents that supersede the earlier ones."""
    month = _locked(month)
    _require(
        by,
        PUBLISH_PERMISSION,
        month,
        _("Only the committee of %(township)s may correct its months.")
        % {"township": month.township.name},
    )
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    _refuse_state(month, (MonthState.PUBLISHED, MonthState.SETTLED), "reopen")
    _save_transition(month, "reopen", by=by, reason=reason)
    correction = MonthCorrection.objects.create(
        month=month, revision=month.revision, reason=reason, by=by
    )
    audit_record(
        obj=correction,
        action=AuditEntry.Action.CREATE,
        by=by,
        after=snapshot(correction),
        reason=reason,
    )
    return month


def first_open_month(today: datetime.date) -> tuple[int, int]:
    """The month a township opens by default: the current one."""
    return today.year, today.month
