"""The arithmetic of the annual appraisal and the pension, pure functions on policy numbers.

Every number comes from the policy version applied (``policy.models.Policy``): the weights
of the monthly mean and of the year-end appraisal (30/70 by default), the weight of each
rating (德、能、勤、绩、廉、群众满意度), the grade thresholds. Scores have two decimals,
rounded half-up; the mean and the appraisal score are rounded as they are printed on the form,
and the annual score is computed from the printed values, so anyone can recompute it.
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from policy.constants import Grade

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_mean(totals: list[Decimal]) -> Decimal | None:
    """The mean of the counted monthly scores, two decimals half-up; ``None`` for none."""
    if not totals:
        return None
    return q2(sum(totals, Decimal(0)) / len(totals))


def appraisal_score(ratings: dict[str, Decimal], weights: dict) -> Decimal:
    """The year-end appraisal: each rating (0–100) times its weight (per cent)."""
    total = sum(
        (Decimal(str(ratings[key])) * Decimal(str(weight)) / HUNDRED)
        for key, weight in weights.items()
    )
    return q2(Decimal(total))


def annual_score(
    *, mean: Decimal, appraisal: Decimal, policy, bonus: Decimal, deduction: Decimal
) -> Decimal:
    """monthly weight × mean + appraisal weight × appraisal + bonus − deduction, two decimals
    half-up, kept within 0–100."""
    raw = (
        Decimal(policy.annual_monthly_weight) * mean / HUNDRED
        + Decimal(policy.annual_appraisal_weight) * appraisal / HUNDRED
        + bonus
        - deduction
    )
    return min(max(q2(raw), Decimal(0)), HUNDRED)


def grade_for(score: Decimal, thresholds: dict) -> str:
    """The best grade whose lowest score ``score`` reaches (以上 includes the number)."""
    for grade in (Grade.EXCELLENT, Grade.COMPETENT, Grade.BASICALLY_COMPETENT):
        low = thresholds.get(grade.value)
        if low is not None and score >= Decimal(str(low)):
            return grade.value
    return Grade.INCOMPETENT.value


def excellent_allowed(total: int, share_max: int | None) -> int | None:
    """How many directors of ``total`` may be 优秀 under a cap of ``share_max`` per cent
    (rounded down); ``None`` without a cap."""
    if share_max is None:
        return None
    return total * share_max // 100


def months_served(periods: list[tuple[datetime.date, datetime.date]], year: int) -> int:
    """The calendar months of ``year`` with at least one day inside one of ``periods``
    (start and last day, both included)."""
    months = 0
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if any(start <= last and end >= first for start, end in periods):
            months += 1
    return months


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(periods: list[tuple[datetime.date, datetime.date]], until: datetime.date) -> int:
    """Full years of service up to ``until``: periods that follow one another without a gap
    (a renewal starts the day after the old term ends) count as one run; each run counts its
    completed years (a year from 1 March is complete on the last day of February), the
    remainder is dropped."""
    runs: list[list[datetime.date]] = []
    for start, end in sorted(periods):
        if start > until:
            continue
        end = min(end, until)
        if runs and start <= runs[-1][1] + datetime.timedelta(days=1):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    years = 0
    for start, end in runs:
        n = 0
        while add_years(start, n + 1) - datetime.timedelta(days=1) <= end:
            n += 1
        years += n
    return years
