"""What the appraisal tells the contract term, registered from ``AppraisalConfig.ready``:

- the dismissal detector's lagging years (工作连续2年落后, seed 001): the years whose
  confirmed grade is at or below the policy's ``lagging_grade``;
- the renewal review's appraisal grades over the contract's term; training compliance is
  answered by the provider registered before this one (chained).
"""

from collections.abc import Iterable

from appraisal.constants import AppraisalState
from appraisal.models import AnnualAppraisal
from contracts.constants import GroundDetector
from contracts.detectors import register_provider
from contracts.models import Contract
from contracts.term_records import TermRecords, register_term_records
from policy.constants import Grade


class LaggingYears:
    """Years graded at or below the lagging grade of the policy each appraisal applied."""

    def years(self, *, person_ids: Iterable[int], until: int) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        rows = AnnualAppraisal.objects.filter(
            person_id__in=list(person_ids), state=AppraisalState.CONFIRMED, year__lte=until
        ).values_list("person_id", "year", "grade", "policy__lagging_grade")
        for person_id, year, grade, lagging in rows:
            if grade in Grade.at_or_below(lagging):
                found.setdefault(person_id, set()).add(year)
        return found


class AppraisalTermRecords:
    def __init__(self, previous: TermRecords) -> None:
        self.previous = previous

    def appraisal_grades(self, contract: Contract) -> list[dict] | None:
        rows = AnnualAppraisal.objects.filter(
            person_id=contract.person_id,
            state=AppraisalState.CONFIRMED,
            year__gte=contract.start_date.year,
            year__lte=contract.end_date.year,
        ).order_by("year")
        found = [{"year": a.year, "grade": str(a.get_grade_display())} for a in rows]
        return found or None

    def training_compliance(self, contract: Contract) -> list[dict] | None:
        return self.previous.training_compliance(contract)


def register() -> None:
    register_provider(GroundDetector.LAGGING, LaggingYears())
    records = AppraisalTermRecords(previous=None)  # type: ignore[arg-type]
    # Chained: training compliance is answered by the provider registered before this one.
    records.previous = register_term_records(records)
