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


# The permission matrix (tests/test_permission_matrix.py) ---------------------------------------

_MATRIX: dict[tuple[int, str], object] = {}


class MatrixRecords:
    """One side's appraisal of 2025 (rated, waiting for the county), its proposed settlement
    list, and both flows' processes with a task at each human step."""

    def __init__(self, world, side: str) -> None:
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        from appraisal.constants import AppraisalState
        from appraisal.models import AnnualAppraisal, RewardSettlement
        from workflows.flows_appraisal import AppraisalFlow, SettlementFlow
        from workflows.models import AppraisalProcess, SettlementProcess

        term = world.term(side)
        contract = term.contract
        township = contract.township
        self.township = township
        self.appraisal = AnnualAppraisal.objects.create(
            person=contract.person,
            contract=contract,
            township=township,
            year=2025,
            policy=world.policy,
            scheme=scheme(world.county, 2025),
            state=AppraisalState.RATED,
            months_counted=12,
            monthly_mean=Decimal("85"),
            appraisal_score=Decimal("85"),
            score=Decimal("85"),
            grade="competent",
        )
        self.settlement = RewardSettlement.objects.create(
            township=township, year=2024, policy=world.policy, due_on=datetime.date(2025, 2, 28)
        )
        self.tasks = {}
        for flow_class, process in (
            (
                AppraisalFlow,
                AppraisalProcess.objects.create(flow_class=AppraisalFlow, appraisal=self.appraisal),
            ),
            (
                SettlementFlow,
                SettlementProcess.objects.create(
                    flow_class=SettlementFlow, settlement=self.settlement
                ),
            ),
        ):
            for node in flow_class.instance.nodes():
                if node.task_type != "HUMAN":
                    continue
                self.tasks[node] = Task.objects.create(
                    process=process,
                    flow_task=node,
                    flow_task_type=node.task_type,
                    status=STATUS.NEW,
                )


def matrix_records(world, side: str) -> MatrixRecords:
    key = (id(world), side)
    if key not in _MATRIX:
        _MATRIX[key] = MatrixRecords(world, side)
    return _MATRIX[key]  # type: ignore[return-value]
