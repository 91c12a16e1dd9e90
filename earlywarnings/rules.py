"""The rules that open early warnings (seed 000: 建立人事预警警告制度), every number from the
policy (``policy.models.Policy``) in force for the month or the day:

- **Low score** (``low_score``): a director's published monthly score below
  ``warning_pass_line`` (60 by default). A score exactly at the line is not below it.
- **Bottom of the township** (``bottom_ranked``): among the bottom ``warning_bottom_count``
  (N, 3 by default) of the township's ranking in each of ``warning_bottom_months`` (K, 3 by
  default) consecutive published months. The bottom N of a month are the directors whose
  score is at or below the N-th lowest score of that month, so a tie at the boundary puts
  everyone tied there at the bottom (scores 90, 80, 65, 65, 60 with N = 2: 65, 65 and 60).
  A month with N or fewer scored directors has no bottom (everyone would be in it). The K
  months must follow each other in the calendar and all be published; a run of K months
  opens one warning, for its last month, and the next warning of a longer run comes after K
  more months (a run of six months opens two, not four).
- **Missed refresher** (``missed_refresher``): a director in post on the first day of one of
  the county's refresher courses of a year who did not meet the year's refresher requirement
  (``training.selectors.compliance``: ``refresher_per_year`` courses of at least
  ``refresher_min_days`` days each, by the policy judging that year). It is judged once the
  county's refresher year has ended: when every refresher course of that year has ended, and
  at the latest when the year closes. A year in which the county held no refresher course
  counts against nobody (as the dismissal detector's provider has it); a director whose
  contract is no longer in force is not warned. The period is the year (``2025``).
- **Unsigned agreement** (``unsigned_agreement``): the year's target-responsibility agreement
  not signed after the policy's date (``agreement_due_month``/``agreement_due_day``, 31 March
  by default; the due day itself is not late), read from ``agreements.selectors.overdue``: a
  drafted agreement still unsigned, or a director in post with none. The period is the year.

Each rule is a function returning ``Finding``s; ``earlywarnings.services.warning_open`` opens
each one in its own transaction, and opens nothing for a rule and period the person already
has a warning of, so running the rules again (a month republished after a correction, the
daily sweep) opens nothing new. A correction that raises a score does not withdraw a warning
already opened: the township closes it with its follow-up.

The score rules run when a month is published (``assessment.signals.month_published``,
connected in ``EarlyWarningsConfig.ready``) and in the daily sweep (``early_warnings``), which
also catches up with months published while the rules could not run; the refresher and
agreement rules run in the daily sweep.
"""

import datetime
import logging
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agreements.selectors import overdue
from assessment.constants import COUNTED_STATES
from assessment.models import AssessmentMonth, MonthlyScore
from contracts.constants import IN_FORCE_STATES
from contracts.models import Contract
from contracts.sweep import sweep_step
from earlywarnings.constants import WarningRule
from earlywarnings.models import Warning
from earlywarnings.services import Finding, warning_open
from policy.selectors import policy_in_force
from training.constants import CourseKind
from training.models import Course
from training.selectors import compliance, policy_for_year

logger = logging.getLogger(__name__)

SCORE_RELATED = ("contract__person", "contract__township", "contract__post__village")
SWEEP_MONTHS = 13  # the months the daily sweep looks back at


def month_period(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """(year, month) of ``count`` months ending with ``year``-``month``, latest first."""
    index = year * 12 + month - 1
    return [divmod(index - k, 12) for k in range(count)]


def _ym(pair: tuple[int, int]) -> tuple[int, int]:
    year, zero_based = pair
    return year, zero_based + 1


def low_score_findings(month: AssessmentMonth) -> list[Finding]:
    """The directors whose published score of ``month`` is below the policy's pass line."""
    if month.state not in COUNTED_STATES:
        return []
    line = month.policy.warning_pass_line
    scores = (
        MonthlyScore.objects.filter(month=month, total__isnull=False, total__lt=line)
        .select_related(*SCORE_RELATED)
        .order_by("total", "pk")
    )
    return [
        Finding(
            contract=s.contract,
            rule=WarningRule.LOW_SCORE,
            period=month_period(month.year, month.month),
            policy=month.policy,
            month=month,
            score=s.total,
            pass_line=line,
            rank=s.rank,
        )
        for s in scores
    ]


def bottom_of(month: AssessmentMonth, count: int) -> dict[int, tuple[Decimal, int | None]]:
    """person id → (score, rank) of the bottom ``count`` of ``month``, ties at the boundary
    included; nobody when the month has ``count`` or fewer scored directors."""
    rows: list[tuple[int, Decimal, int | None]] = list(
        MonthlyScore.objects.filter(month=month, total__isnull=False).values_list(
            "person_id", "total", "rank"
        )  # type: ignore[arg-type]
    )
    if len(rows) <= count:
        return {}
    boundary = sorted(total for _person, total, _rank in rows)[count - 1]
    return {person: (total, rank) for person, total, rank in rows if total <= boundary}


def bottom_ranked_findings(month: AssessmentMonth) -> list[Finding]:
    """The directors at the bottom of ``month``'s township in each of the K published months
    ending with ``month`` (see the module's docstring)."""
    if month.state not in COUNTED_STATES:
        return []
    policy = month.policy
    count, running = policy.warning_bottom_count, policy.warning_bottom_months
    window = [_ym(p) for p in months_back(month.year, month.month, running)]
    wanted = Q()
    for year, number in window:
        wanted |= Q(year=year, month=number)
    months = {
        (m.year, m.month): m
        for m in AssessmentMonth.objects.filter(
            wanted, township_id=month.township_id, state__in=COUNTED_STATES
        )
    }
    if len(months) < running:
        return []
    bottoms = [bottom_of(months[ym], count) for ym in window]
    people = set(bottoms[0])
    for bottom in bottoms[1:]:
        people &= set(bottom)
    if not people:
        return []
    # A run already warned within the last K - 1 months is the same run: not warned again
    # until K more months have passed.
    earlier = {month_period(*_ym(p)) for p in months_back(month.year, month.month, running)[1:]}
    warned = set(
        Warning.objects.filter(
            person_id__in=people, rule=WarningRule.BOTTOM_RANKED, period__in=earlier
        ).values_list("person_id", flat=True)
    )
    scores = MonthlyScore.objects.filter(month=month, person_id__in=people - warned).select_related(
        *SCORE_RELATED
    )
    findings = []
    for s in scores.order_by("total", "pk"):
        history = [
            [year, number, bottom[s.person_id][0], bottom[s.person_id][1]]
            for (year, number), bottom in reversed(list(zip(window, bottoms, strict=True)))
        ]
        findings.append(
            Finding(
                contract=s.contract,
                rule=WarningRule.BOTTOM_RANKED,
                period=month_period(month.year, month.month),
                policy=policy,
                month=month,
                score=s.total,
                rank=s.rank,
                bottom_count=count,
                months=history,
            )
        )
    return findings


def refresher_years_ended(today: datetime.date) -> dict[tuple[int, int], datetime.date]:
    """(county id, year) → the last first day of that year's refresher courses, for the
    county refresher years that have ended by ``today`` (this year and the last: a year
    closes on 31 December, and the sweep catches up after a gap)."""
    years: dict[tuple[int, int], list[tuple[datetime.date, datetime.date]]] = {}
    for county_id, year, starts_on, ends_on in Course.objects.filter(
        kind=CourseKind.REFRESHER, year__gte=today.year - 1, year__lte=today.year
    ).values_list("county_id", "year", "starts_on", "ends_on"):
        years.setdefault((county_id, year), []).append((starts_on, ends_on))
    return {
        key: max(start for start, _end in courses)
        for key, courses in years.items()
        if key[1] < today.year or max(end for _start, end in courses) < today
    }


def missed_refresher_findings(*, today: datetime.date) -> list[Finding]:
    """The directors in post who missed the refresher of a year that has ended (see the
    module's docstring)."""
    findings = []
    for (county_id, year), last_start in sorted(refresher_years_ended(today).items()):
        policy = policy_for_year(county_id, year, today=today)
        if policy is None:
            continue
        period = str(year)
        warned = Warning.objects.filter(rule=WarningRule.MISSED_REFRESHER, period=period)
        # In post on the first day of a course (the last one at the latest): the course was
        # theirs to attend.
        contracts = list(
            Contract.objects.filter(
                township__county_id=county_id,
                state__in=IN_FORCE_STATES,
                activated_on__isnull=False,
                activated_on__lte=last_start,
            )
            .exclude(person_id__in=warned.values("person_id"))
            .select_related(*[path.removeprefix("contract__") for path in SCORE_RELATED])
            .order_by("pk")
        )
        found = compliance([c.person_id for c in contracts], year)
        for contract in contracts:
            row = found.get(contract.person_id)
            if row is None or row.refresher_met:
                continue
            findings.append(
                Finding(
                    contract=contract,
                    rule=WarningRule.MISSED_REFRESHER,
                    period=period,
                    policy=policy,
                    details={
                        "days": str(row.refresher_days),
                        "min_days": row.refresher_min_days,
                    },
                )
            )
    return findings


def unsigned_agreement_findings(*, today: datetime.date) -> list[Finding]:
    """The directors whose agreement of this year is not signed after the policy's date."""
    late = overdue(today=today)
    warned = set(
        Warning.objects.filter(
            rule=WarningRule.UNSIGNED_AGREEMENT, period__in={str(item.year) for item in late}
        ).values_list("person_id", "period")
    )
    policies: dict[int, object] = {}
    findings = []
    for item in late:
        contract = item.contract
        if (contract.person_id, str(item.year)) in warned:
            continue
        county_id = contract.township.county_id
        if county_id not in policies:
            policies[county_id] = policy_in_force(county=contract.township.county, on=today)
        findings.append(
            Finding(
                contract=contract,
                rule=WarningRule.UNSIGNED_AGREEMENT,
                period=str(item.year),
                policy=policies[county_id],  # type: ignore[arg-type]
                due_date=item.due_on,
            )
        )
    return findings


def open_findings(findings: list[Finding], *, on: datetime.date, by=None) -> list[Warning]:
    """Open each finding's warning, one transaction each; what was opened."""
    opened = []
    for finding in findings:
        warning = warning_open(finding=finding, on=on, by=by)
        if warning is not None:
            opened.append(warning)
    return opened


def warnings_for_month(
    *, month: AssessmentMonth, by=None, on: datetime.date | None = None
) -> list[Warning]:
    """Run the score rules over a published month; the warnings opened (none the second
    time)."""
    on = on or timezone.localdate()
    findings = low_score_findings(month) + bottom_ranked_findings(month)
    return open_findings(findings, on=on, by=by)


def on_month_published(sender, *, month, by=None, **kwargs) -> None:
    """``assessment.signals.month_published``: sent after the publication is committed. A
    failure here leaves the month published; the daily sweep opens the warnings later."""
    try:
        warnings_for_month(month=month, by=by)
    except Exception:
        logger.exception("Early warnings of month %s not opened; the sweep will retry", month.pk)


def recent_months(today: datetime.date) -> list[AssessmentMonth]:
    """The published months of the last ``SWEEP_MONTHS`` months, oldest first."""
    since_year, since_month = _ym(months_back(today.year, today.month, SWEEP_MONTHS)[-1])
    return list(
        AssessmentMonth.objects.filter(state__in=COUNTED_STATES)
        .filter(Q(year__gt=since_year) | Q(year=since_year, month__gte=since_month))
        .select_related("policy", "township")
        .order_by("year", "month", "township_id")
    )


@sweep_step("early_warnings", 70, label=gettext_lazy("Early warnings opened: %(count)s"))
def early_warnings(*, today: datetime.date) -> int:
    """Every rule over what is due on or before ``today``; opens what is not open yet."""
    opened = 0
    for month in recent_months(today):
        opened += len(warnings_for_month(month=month, on=today))
    opened += len(open_findings(missed_refresher_findings(today=today), on=today))
    opened += len(open_findings(unsigned_agreement_findings(today=today), on=today))
    return opened
