"""The annual appraisal (年度考核): opened for a township's directors of the year, rated by
the township committee, confirmed by county HR.

- ``appraisals_open``: one appraisal per director who served in the township that year and
  has at least one published monthly score, with the months served and the counted monthly
  scores; refused for a year without a scoring scheme.
- ``appraisal_rate``: the six ratings (0–100), bonus and deduction within the policy's
  limits with their reasons; computes the score and the grade.
- ``appraisal_confirm``: county HR confirms; refused when the township would have more 优秀
  than the policy's cap allows. Issues the annual appraisal form.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import scoring
from appraisal.constants import RATING_KEYS, AppraisalState
from appraisal.models import AnnualAppraisal
from appraisal.selectors import contract_last_day, counted_totals, service_periods
from appraisal.signals import appraisal_opened
from assessment.models import ScoringScheme
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.constants import PENDING_STATES
from contracts.models import Contract
from core.services import lock, require_permission, require_state
from notifications.models import Category
from notifications.services import notify
from paperwork.table import issue_for
from policy.constants import Grade
from policy.models import APPRAISAL_RATINGS
from policy.selectors import policy_in_force

RATE = "appraisal.rate_appraisal"
CONFIRM = "appraisal.confirm_appraisal"


def year_policy(county, year: int):
    """The policy version an appraisal of ``year`` applies: the one in force on its last day."""
    return policy_in_force(county=county, on=datetime.date(year, 12, 31))


def scheme_for(county, year: int) -> ScoringScheme:
    scheme = ScoringScheme.objects.filter(county=county, year=year).order_by("-version").first()
    if scheme is None:
        raise ValidationError(
            _(
                "%(county)s has no scoring scheme for %(year)s: a year without a scheme cannot "
                "be appraised. Nothing was changed."
            )
            % {"county": county, "year": year}
        )
    return scheme


def _contracts_of_year(township, year: int) -> dict[int, Contract]:
    """The contract of each director who served in ``township`` during ``year``: the latest
    one that year."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    found: dict[int, Contract] = {}
    rows = (
        Contract.objects.filter(township=township, start_date__lte=last)
        .exclude(state__in=PENDING_STATES)
        .select_related("person")
        .order_by("start_date", "pk")
    )
    for contract in rows:
        if contract_last_day(contract) >= first:
            found[contract.person_id] = contract
    return found


@transaction.atomic
def appraisals_open(*, township, year: int, by, today: datetime.date) -> list[AnnualAppraisal]:
    """Open the year's appraisal of every director who served in ``township`` in ``year``
    (those already opened are left as they are); returns the new ones."""
    require_permission(
        by,
        RATE,
        township,
        message=_("Only committee members of %(township)s open its annual appraisal.")
        % {"township": township},
    )
    if year >= today.year:
        raise ValidationError(
            _("The appraisal of %(year)s opens after the year ends. Nothing was changed.")
            % {"year": year}
        )
    county = township.county
    scheme = scheme_for(county, year)
    policy = year_policy(county, year)
    contracts = _contracts_of_year(township, year)
    existing = set(
        AnnualAppraisal.objects.filter(person_id__in=list(contracts), year=year).values_list(
            "person_id", flat=True
        )
    )
    totals = counted_totals([pid for pid in contracts if pid not in existing], year)
    # A director without a single published monthly score that year (hired in its last
    # weeks) has nothing to combine the ratings with: appraised from the next year on.
    fresh = [pid for pid in contracts if pid not in existing and totals.get(pid)]
    periods = service_periods(fresh)
    created = []
    for person_id in fresh:
        contract = contracts[person_id]
        counted = totals.get(person_id, [])
        appraisal = AnnualAppraisal(
            person_id=person_id,
            contract=contract,
            township=township,
            year=year,
            policy=policy,
            scheme=scheme,
            months_served=scoring.months_served(periods.get(person_id, []), year),
            months_counted=len(counted),
            monthly_mean=scoring.monthly_mean(counted),
        )
        appraisal.save()
        audit_record(
            obj=appraisal,
            action=AuditEntry.Action.CREATE,
            by=by,
            transition="open",
            after=snapshot(appraisal),
        )
        created.append(appraisal)
        appraisal_opened.send(sender=AnnualAppraisal, appraisal=appraisal)
    return created


def _decimal(value, field: str, label, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s: enter a number.") % {"label": label}}) from None
    if not number.is_finite() or number < low or number > high:
        raise ValidationError(
            {
                field: _("%(label)s: enter a number from %(low)s to %(high)s.")
                % {"label": label, "low": low, "high": high}
            }
        )
    if number != scoring.q2(number):
        raise ValidationError({field: _("%(label)s: at most two decimals.") % {"label": label}})
    return number


@transaction.atomic
def appraisal_rate(
    *,
    appraisal: AnnualAppraisal,
    ratings: dict,
    by,
    bonus=Decimal(0),
    bonus_reason: str = "",
    deduction=Decimal(0),
    deduction_reason: str = "",
    remarks: str = "",
) -> AnnualAppraisal:
    """The township committee's ratings of a director; the score and the grade follow.

    Refused: a rating outside 0–100, bonus or deduction over the policy's limit or without a
    reason, a year with no counted monthly score, an appraisal already confirmed."""
    appraisal = lock(appraisal, related=("person", "township__county", "policy"))
    require_permission(
        by,
        RATE,
        appraisal,
        message=_("Only committee members of %(township)s rate its directors.")
        % {"township": appraisal.township},
    )
    require_state(
        appraisal, [AppraisalState.DRAFTED, AppraisalState.RATED], action=_("Rating a director")
    )
    policy = appraisal.policy
    clean = {
        key: _decimal(ratings.get(key, ""), key, APPRAISAL_RATINGS[key], Decimal(0), Decimal(100))
        for key in RATING_KEYS
    }
    bonus = _decimal(bonus or 0, "bonus", _("Bonus points"), Decimal(0), policy.annual_bonus_max)
    deduction = _decimal(
        deduction or 0,
        "deduction",
        _("Deduction points"),
        Decimal(0),
        policy.annual_deduction_max,
    )
    bonus_reason, deduction_reason = (bonus_reason or "").strip(), (deduction_reason or "").strip()
    if bonus and not bonus_reason:
        raise ValidationError({"bonus_reason": _("Reason for the bonus: say what it is for.")})
    if deduction and not deduction_reason:
        raise ValidationError(
            {"deduction_reason": _("Reason for the deduction: say what it is for.")}
        )
    # The monthly scores may have been published since the appraisal opened: read them now.
    counted = counted_totals([appraisal.person_id], appraisal.year).get(appraisal.person_id, [])
    mean = scoring.monthly_mean(counted)
    if mean is None:
        raise ValidationError(
            _(
                "%(name)s has no published monthly score in %(year)s: the annual score needs "
                "the monthly mean. Nothing was changed."
            )
            % {"name": appraisal.person.name, "year": appraisal.year}
        )
    appraisal_part = scoring.appraisal_score(clean, policy.appraisal_weights)
    score = scoring.annual_score(
        mean=mean, appraisal=appraisal_part, policy=policy, bonus=bonus, deduction=deduction
    )
    with audited_transition(appraisal, "rate", by=by):
        appraisal.rate(by=by, at=timezone.now())
        appraisal.ratings = {key: str(value) for key, value in clean.items()}
        appraisal.months_counted = len(counted)
        appraisal.monthly_mean = mean
        appraisal.appraisal_score = appraisal_part
        appraisal.bonus, appraisal.bonus_reason = bonus, bonus_reason if bonus else ""
        appraisal.deduction = deduction
        appraisal.deduction_reason = deduction_reason if deduction else ""
        appraisal.score = score
        appraisal.grade = scoring.grade_for(score, policy.grade_thresholds)
        appraisal.remarks = (remarks or "").strip()[:500]
    return appraisal


@transaction.atomic
def appraisal_confirm(*, appraisal: AnnualAppraisal, by) -> AnnualAppraisal:
    """County HR confirms a rated appraisal; the annual appraisal form is issued and the
    director told. Refused when it would make more 优秀 in the township and year than the
    policy's cap allows."""
    appraisal = lock(appraisal, related=("person", "township__county", "policy"))
    require_permission(
        by,
        CONFIRM,
        appraisal,
        message=_("Only county HR officers confirm annual appraisals."),
    )
    require_state(appraisal, [AppraisalState.RATED], action=_("Confirming an appraisal"))
    cap = appraisal.policy.excellent_share_max
    if appraisal.grade == Grade.EXCELLENT and cap is not None:
        peers = AnnualAppraisal.objects.filter(township=appraisal.township, year=appraisal.year)
        total = peers.count()
        allowed = scoring.excellent_allowed(total, cap)
        confirmed = peers.filter(state=AppraisalState.CONFIRMED, grade=Grade.EXCELLENT).count()
        if allowed is not None and confirmed + 1 > allowed:
            raise ValidationError(
                _(
                    "The policy allows at most %(cap)s%% of the directors of %(township)s to be "
                    "graded Excellent: %(allowed)s of %(total)s. %(count)s are already "
                    "confirmed Excellent, so %(name)s cannot be confirmed Excellent. Nothing "
                    "was changed."
                )
                % {
                    "cap": cap,
                    "township": appraisal.township.name,
                    "allowed": allowed,
                    "total": total,
                    "count": confirmed,
                    "name": appraisal.person.name,
                }
            )
    with audited_transition(appraisal, "confirm", by=by):
        appraisal.confirm(by=by, at=timezone.now())
    issue_for(appraisal, "confirm", by=by)
    director = getattr(appraisal.person, "user", None)
    notify(
        category=Category.OTHER,
        users=[director],
        key=f"appraisal:{appraisal.pk}:confirmed",
        text=_("Your annual appraisal of %(year)s is confirmed: %(score)s, %(grade)s.")
        % {
            "year": appraisal.year,
            "score": appraisal.score,
            "grade": appraisal.get_grade_display(),
        },
        url="",
    )
    return appraisal
