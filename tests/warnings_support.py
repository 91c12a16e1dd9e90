"""Published months of scores for the tests of the early warnings, written straight into the
assessment's tables (the monthly cycle's services are another part's), and the permission
matrix's records of the warnings pages."""

import datetime
from decimal import Decimal

from assessment.constants import MonthState
from assessment.models import AssessmentMonth, MonthlyScore, ScoringScheme
from contracts.models import Contract
from organisation.models import Township
from policy.selectors import policy_in_force


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """1, 2, 2, 4: the rank of each total, highest first."""
    return [1 + sum(1 for other in totals if other > total) for total in totals]


def scheme_of(township: Township, year: int) -> ScoringScheme:
    scheme, _ = ScoringScheme.objects.get_or_create(
        county=township.county, year=year, version=1, defaults={"title": f"{year}年月度考核"}
    )
    return scheme


def published_month(
    township: Township,
    year: int,
    month: int,
    scores: dict[Contract, str | Decimal],
    *,
    state: str = MonthState.PUBLISHED,
) -> AssessmentMonth:
    """A month of ``township`` in ``state`` with the ``scores`` (contract → total) ranked."""
    policy = policy_in_force(county=township.county, on=datetime.date(year, month, 1))
    row = AssessmentMonth.objects.create(
        township=township,
        year=year,
        month=month,
        scheme=scheme_of(township, year),
        policy=policy,
        state=state,
    )
    contracts = list(scores)
    totals = [Decimal(str(scores[c])) for c in contracts]
    ranks = competition_ranks(totals)
    MonthlyScore.objects.bulk_create(
        [
            MonthlyScore(
                month=row,
                person_id=c.person_id,
                contract=c,
                village=c.post.village,
                scheme=row.scheme,
                total=total,
                rank=rank,
                base_pay=policy.monthly_pay,
            )
            for c, total, rank in zip(contracts, totals, ranks, strict=True)
        ]
    )
    return row


# --- the permission matrix's records -----------------------------------------------------------


class WarningsRecords:
    """One side's records for the pages of ``earlywarnings.urls``: an open warning of the side's
    director (on the matrix's contract, ``World.term``) and a yellow card to the side's
    township."""

    def __init__(self, world, side_name: str):
        from earlywarnings.constants import WarningRule
        from earlywarnings.models import Warning, YellowCard

        side = world.side(side_name)
        contract = world.term(side_name).contract
        today = datetime.date(2026, 11, 29)
        self.warning = Warning.objects.create(
            person_id=contract.person_id,
            contract=contract,
            township=side.township,
            policy=world.policy,
            rule=WarningRule.LOW_SCORE,
            period="2026-10",
            score=Decimal("55"),
            pass_line=world.policy.warning_pass_line,
            opened_on=today,
        )
        self.yellowcard = YellowCard.objects.create(
            county=side.township.county,
            township=side.township,
            concerns=side.township,
            policy=world.policy,
            reason="年度目标考核未达标。",
            decided_on=today,
        )


def warnings_records(world, side: str) -> WarningsRecords:
    """Built on first use, once per side of the world."""
    cache = world.__dict__.setdefault("_warnings", {})
    if side not in cache:
        cache[side] = WarningsRecords(world, side)
    return cache[side]
