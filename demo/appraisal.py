"""The annual appraisal and rewards in the demo county, from whatever monthly scores the
demo's monthly cycle published (``demo`` loads them before this).

For the two years before this one (2024, 2025 when today is in 2026), every township with
published monthly scores has its appraisal opened and rated by a committee member (ratings
derived from each director's monthly mean, so the grades vary), confirmed by county HR, and
its rewards proposed and settled on 20 February of the next year. A director hired in
November 2024 is appraised for 2024 on the months served.

The long-service reward needs three consecutive passing years, and the system's scores begin
in late 2024. So one director (the first in pinyin order of those passing 2024 and 2025) is
given the history a county enters from its paper archive: the previous three-year contract
(ended by renewal the day before the current one began) and the confirmed appraisals of the
two years before 2024, marked as entered from paper records. That director receives the
long-service reward in the settlement of 2025, and their pension counts the full years over
both contracts.

One year is left for county HR to finish in the browser: 永宁镇's appraisal of last year is
rated by its committee but not confirmed, and its rewards are not settled (so the settlement
shows as overdue after February).

Idempotent: once the county has an annual appraisal, nothing is done.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from accounts.constants import Role
from accounts.models import User
from appraisal.constants import RATING_KEYS, AppraisalState, RewardKind
from appraisal.models import AnnualAppraisal, Reward, RewardSettlement
from appraisal.scoring import q2
from appraisal.services.appraisals import (
    appraisal_confirm,
    appraisal_rate,
    appraisals_open,
    year_policy,
)
from appraisal.services.rewards import settlement_propose, settlement_settle
from assessment.constants import COUNTED_STATES
from assessment.models import MonthlyScore
from contracts.constants import ContractOrigin, ContractState, EndReason, InductionSource
from contracts.models import Contract
from demo import data
from organisation.models import County, Township
from policy.constants import Grade

PAPER_RECORD = "据纸质档案录入（系统启用前的年度考核）"
SETTLED_ON_DAY = (2, 20)
# Added to a director's monthly mean for the ratings, by the director: grades vary.
OFFSETS = (Decimal(4), Decimal(1), Decimal(-2), Decimal(6), Decimal(-8))


@dataclass
class AppraisalDemo:
    appraisals: int = 0
    settlements: int = 0
    rewards: int = 0
    long_service: str = ""
    skipped: list[str] = field(default_factory=list)


# The township whose appraisal of last year waits for county HR (confirm, settle).
LIVE_TOWNSHIP = "永宁镇"


def _committee(township: Township) -> User | None:
    return (
        User.objects.filter(role=Role.TOWNSHIP_COMMITTEE, township=township, is_active=True)
        .order_by("username")
        .first()
    )


def _ratings(mean: Decimal, person_id: int) -> dict[str, Decimal]:
    offset = OFFSETS[person_id % len(OFFSETS)]
    return {
        key: min(max(q2(mean + offset + Decimal(i % 3) - 1), Decimal(0)), Decimal(100))
        for i, key in enumerate(RATING_KEYS)
    }


def _paper_history(contract: Contract, years: list[int]) -> None:
    """The previous contract and the confirmed appraisals of ``years`` from paper records."""
    start = contract.start_date
    old_start = datetime.date(start.year - 3, start.month, start.day)
    old_end = start - datetime.timedelta(days=1)
    previous = Contract.objects.create(
        person=contract.person,
        post=contract.post,
        township=contract.township,
        policy=contract.policy,
        state=ContractState.RENEWED,
        term_years=3,
        start_date=old_start,
        end_date=old_end,
        monthly_pay=contract.monthly_pay,
        origin=ContractOrigin.IMPORT,
        induction_source=InductionSource.IMPORTED,
        activated_on=old_start,
        filed_on=old_start,
        ended_on=old_end,
        end_reason=EndReason.RENEWAL,
        end_note=PAPER_RECORD,
    )
    for year in years:
        AnnualAppraisal.objects.create(
            person=contract.person,
            contract=previous,
            township=contract.township,
            year=year,
            policy=year_policy(contract.township.county, year),
            scheme=None,
            state=AppraisalState.CONFIRMED,
            months_served=12,
            months_counted=12,
            monthly_mean=Decimal("86.00"),
            appraisal_score=Decimal("85.00"),
            score=Decimal("85.30"),
            grade=Grade.COMPETENT,
            remarks=PAPER_RECORD,
        )


def _scored_townships(county: County, year: int) -> list[Township]:
    ids = set(
        MonthlyScore.objects.filter(
            month__township__county=county,
            month__year=year,
            month__state__in=COUNTED_STATES,
            total__isnull=False,
        ).values_list("month__township_id", flat=True)
    )
    return list(Township.objects.filter(pk__in=ids).order_by("name_pinyin", "pk"))


def demo_appraisal_load(today: datetime.date | None = None) -> AppraisalDemo:
    result = AppraisalDemo()
    county = County.objects.filter(name=data.COUNTY["name"]).first()
    if county is None or AnnualAppraisal.objects.filter(township__county=county).exists():
        return result
    today = today or timezone.localdate()
    hr = User.objects.filter(role=Role.COUNTY_HR, county=county, is_active=True).order_by(
        "username"
    )[:1]
    if not hr:
        result.skipped.append("no county HR account")
        return result
    officer = hr[0]
    years = [today.year - 2, today.year - 1]
    with translation.override("zh-hans"), transaction.atomic():
        for year in years:
            for township in _scored_townships(county, year):
                member = _committee(township)
                if member is None:
                    result.skipped.append(f"{township.name}: no committee account")
                    continue
                opened = appraisals_open(township=township, year=year, by=member, today=today)
                live = year == years[-1] and township.name == LIVE_TOWNSHIP
                for appraisal in opened:
                    mean = appraisal.monthly_mean or Decimal(80)
                    rated = appraisal_rate(
                        appraisal=appraisal, ratings=_ratings(mean, appraisal.person_id), by=member
                    )
                    if not live:
                        appraisal_confirm(appraisal=rated, by=officer)
                    result.appraisals += 1
                if live:
                    continue  # county HR confirms and settles it in the browser
                if year == years[-1] and not result.long_service:
                    _long_service_history(township, years, result)
                settlement = settlement_propose(township=township, year=year, by=member)
                settlement_settle(
                    settlement=settlement,
                    on=datetime.date(year + 1, *SETTLED_ON_DAY),
                    by=officer,
                )
                result.settlements += 1
        result.rewards = Reward.objects.filter(township__county=county).count()
    return result


def _long_service_history(township: Township, years: list[int], result) -> None:
    """Give the first director (pinyin) of ``township`` who passed both ``years`` the paper
    history that makes three consecutive passing years."""
    policy = year_policy(township.county, years[-1])
    passing = Grade.at_or_above(policy.long_service_min_grade)
    confirmed = AnnualAppraisal.objects.filter(
        township=township, state=AppraisalState.CONFIRMED, grade__in=passing
    )
    both = set(confirmed.filter(year=years[0]).values_list("person_id", flat=True))
    for appraisal in (
        confirmed.filter(year=years[-1], person_id__in=both)
        .select_related(
            "contract__person", "contract__post", "contract__township__county", "contract__policy"
        )
        .order_by("person__name_pinyin", "pk")
    ):
        _paper_history(appraisal.contract, [years[0] - 2, years[0] - 1])
        result.long_service = appraisal.person.name
        return


def demo_appraisal_lines() -> list[str]:
    """What the demo shows, for ``load_demo`` to print."""
    county = County.objects.filter(name=data.COUNTY["name"]).first()
    if county is None:
        return []
    lines = []
    for settlement in RewardSettlement.objects.filter(township__county=county).order_by(
        "year", "township__name_pinyin"
    ):
        kinds = {
            str(RewardKind(k).label): n
            for k, n in Reward.objects.filter(settlement=settlement)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by("kind")
        }
        lines.append(
            f"{settlement.township.name} {settlement.year}: "
            + ("、".join(f"{k} {n}" for k, n in kinds.items()) or "—")
        )
    return lines
