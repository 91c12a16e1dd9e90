"""A small builder of the monthly records the appraisal reads (the assessment's services are
another part of the work): a county's scoring scheme, published months and scores."""

import datetime
from decimal import Decimal

from assessment.constants import MonthState
from assessment.models import AssessmentMonth, MonthlyScore, ScoringScheme
from policy.selectors import policy_in_force


def scheme(county, year: int) -> ScoringScheme:
    found, _ = ScoringScheme.objects.get_or_create(
        county=county, year=year, version=1, defaults={"title": f"{year}年度月考核细则"}
    )
    return found


def month(township, year: int, number: int, state: str = MonthState.PUBLISHED) -> AssessmentMonth:
    found = AssessmentMonth.objects.filter(township=township, year=year, month=number).first()
    if found is not None:
        return found
    row = AssessmentMonth(
        township=township,
        year=year,
        month=number,
        scheme=scheme(township.county, year),
        policy=policy_in_force(county=township.county, on=datetime.date(year, number, 1)),
        # The assessment's services drive the states; the builder sets them.
        state=state,
    )
    row.save()
    return row


def score(contract, year: int, number: int, total, state: str = MonthState.PUBLISHED):
    row = month(contract.township, year, number, state)
    return MonthlyScore.objects.create(
        month=row,
        person=contract.person,
        contract=contract,
        village=contract.post.village,
        scheme=row.scheme,
        total=Decimal(str(total)),
        base_pay=contract.monthly_pay,
    )


def scores(contract, year: int, totals, first_month: int = 1) -> None:
    for offset, total in enumerate(totals):
        score(contract, year, first_month + offset, total)


def confirmed(contract, year: int, grade: str, score_value: str = "85"):
    """A confirmed appraisal of ``contract``'s director for ``year`` graded ``grade``, as the
    appraisal's services leave it (without their paperwork and audit rows)."""
    from appraisal.constants import AppraisalState
    from appraisal.models import AnnualAppraisal

    return AnnualAppraisal.objects.create(
        person=contract.person,
        contract=contract,
        township=contract.township,
        year=year,
        policy=policy_in_force(county=contract.township.county, on=datetime.date(year, 12, 31)),
        scheme=scheme(contract.township.county, year),
        state=AppraisalState.CONFIRMED,
        months_counted=12,
        monthly_mean=Decimal(score_value),
        appraisal_score=Decimal(score_value),
        score=Decimal(score_value),
        grade=grade,
    )
