"""What the appraisal tells the contract term: the lagging years for the dismissal detector
and the appraisal grades of a renewal review (chained to the training provider)."""

import datetime

import pytest

from appraisal.providers import AppraisalTermRecords, LaggingYears
from contracts.constants import GroundDetector
from contracts.detectors import provider
from contracts.term_records import term_records
from policy.constants import Grade
from tests.appraisal_support import confirmed
from tests.builders import contract_in_force
from tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def test_the_providers_are_registered():
    assert isinstance(provider(GroundDetector.LAGGING), LaggingYears)
    assert isinstance(term_records(), AppraisalTermRecords)


def test_lagging_years_are_those_at_or_below_the_policy_s_grade(county, township):
    contract = contract_in_force(
        township, start=datetime.date(2022, 1, 1), birth=datetime.date(1990, 1, 1), name="张丽"
    )
    confirmed(contract, 2023, Grade.INCOMPETENT)
    confirmed(contract, 2024, Grade.BASICALLY_COMPETENT)
    found = LaggingYears().years(person_ids=[contract.person_id], until=2025)
    assert found == {contract.person_id: {2023}}
    PolicyFactory(
        county=county,
        effective_from=datetime.date(2024, 6, 1),
        lagging_grade=Grade.BASICALLY_COMPETENT,
    )
    # The 2024 appraisal applied the old version (confirmed before); a new one follows the new.
    confirmed(contract, 2025, Grade.BASICALLY_COMPETENT)
    found = LaggingYears().years(person_ids=[contract.person_id], until=2025)
    assert found == {contract.person_id: {2023, 2025}}


def test_the_term_records_give_the_grades_and_ask_the_previous_for_training(township):
    contract = contract_in_force(
        township, start=datetime.date(2023, 1, 1), birth=datetime.date(1990, 1, 1), name="张丽"
    )
    confirmed(contract, 2023, Grade.COMPETENT)
    confirmed(contract, 2024, Grade.EXCELLENT)

    class Training:
        def training_compliance(self, contract):
            return [{"year": 2023, "attended": True, "note": "ok"}]

    records = AppraisalTermRecords(previous=Training())  # type: ignore[arg-type]
    assert records.appraisal_grades(contract) == [
        {"year": 2023, "grade": "合格"},
        {"year": 2024, "grade": "优秀"},
    ]
    assert records.training_compliance(contract) == [{"year": 2023, "attended": True, "note": "ok"}]
