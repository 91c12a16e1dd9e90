"""Rewards and their settlement (appraisal.services.rewards): who qualifies for each kind,
the long-service reward once per person, the pension in full years across a renewal, the
settlement due by the end of February of the next year and the sweep's flag."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from appraisal.constants import RewardKind, SettlementState
from appraisal.kinds import COMMENDATION, LONG_SERVICE_APPROVAL, PENSION_STATEMENT
from appraisal.models import Reward, RewardSettlement
from appraisal.services.rewards import (
    qualify,
    reward_grant,
    reward_settlements_overdue,
    settlement_propose,
    settlement_settle,
)
from contracts.constants import ContractOrigin, ContractState, EndReason
from contracts.models import Contract
from core.education import Education
from notifications.models import Notification
from paperwork.selectors import document_current
from policy.constants import Grade
from tests.appraisal_support import confirmed
from tests.builders import contract_in_force

pytestmark = pytest.mark.django_db
E, C, B = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASICALLY_COMPETENT


def director(
    township, *, start=datetime.date(2023, 1, 1), birth=datetime.date(1990, 6, 1), name="张丽"
):
    return contract_in_force(township, start=start, birth=birth, name=name)


def graded(contract, grades: dict[int, str]):
    for year, grade in grades.items():
        confirmed(contract, year, grade)


def test_commendation_for_excellent_only(township, policy):
    contract = director(township)
    graded(contract, {2024: E, 2025: C})
    assert qualify(
        person=contract.person, year=2024, kind=RewardKind.COMMENDATION, policy=policy
    ).ok
    refused = qualify(
        person=contract.person, year=2025, kind=RewardKind.COMMENDATION, policy=policy
    )
    assert not refused.ok and "张丽" in refused.reason


@pytest.mark.parametrize(
    ("grades", "ok"),
    [
        ({2023: C, 2024: C, 2025: E}, True),
        ({2023: C, 2024: B, 2025: E}, False),  # one year below 合格
        ({2024: C, 2025: C}, False),  # two years only
        ({2022: C, 2023: C, 2025: C}, False),  # not consecutive
    ],
)
def test_long_service_needs_consecutive_passing_years(township, policy, grades, ok):
    contract = director(township, start=datetime.date(2022, 1, 1))
    graded(contract, grades)
    found = qualify(person=contract.person, year=2025, kind=RewardKind.LONG_SERVICE, policy=policy)
    assert found.ok is ok
    if ok:
        assert found.amount == Decimal("3000")


def test_long_service_is_paid_once_per_person(township, committee, policy):
    contract = director(township)
    graded(contract, {2023: C, 2024: C, 2025: C, 2026: C})
    settlement = settlement_propose(township=township, year=2025, by=committee)
    assert settlement.rewards.filter(kind=RewardKind.LONG_SERVICE).count() == 1
    # Four passing years later still: not a second time, neither proposed nor by hand.
    Contract.objects.filter(pk=contract.pk).update(end_date=datetime.date(2027, 12, 31))
    later = settlement_propose(township=township, year=2026, by=committee)
    assert not later.rewards.filter(kind=RewardKind.LONG_SERVICE).exists()
    with pytest.raises(ValidationError, match=r"已领取|once"):
        reward_grant(
            settlement=later, person=contract.person, kind=RewardKind.LONG_SERVICE, by=committee
        )
    assert Reward.objects.filter(kind=RewardKind.LONG_SERVICE).count() == 1


def test_the_database_refuses_a_second_long_service_reward(township, committee):
    contract = director(township)
    graded(contract, {2023: C, 2024: C, 2025: C})
    settlement = settlement_propose(township=township, year=2025, by=committee)
    first = settlement.rewards.get(kind=RewardKind.LONG_SERVICE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reward.objects.create(
            person=first.person,
            contract=first.contract,
            township=first.township,
            settlement=first.settlement,
            year=2026,
            kind=RewardKind.LONG_SERVICE,
            policy=first.policy,
            amount=first.amount,
            basis="again",
        )


def test_recommendation_when_every_condition_holds(township, policy):
    contract = director(township, birth=datetime.date(1985, 12, 31))  # 40 on 31 Dec 2025
    graded(contract, {2023: E, 2024: E, 2025: E})
    found = qualify(
        person=contract.person, year=2025, kind=RewardKind.RECOMMENDATION, policy=policy
    )
    assert found.ok and found.bonus_points == 10


@pytest.mark.parametrize(
    ("birth", "education", "grades", "why"),
    [
        (datetime.date(1984, 12, 31), Education.HIGH_SCHOOL, {2023: E, 2024: E, 2025: E}, "41"),
        (
            datetime.date(1990, 1, 1),
            Education.JUNIOR_HIGH,
            {2023: E, 2024: E, 2025: E},
            "education|学历",
        ),
        (datetime.date(1990, 1, 1), Education.HIGH_SCHOOL, {2023: E, 2024: C, 2025: E}, "2024"),
        (datetime.date(1990, 1, 1), Education.HIGH_SCHOOL, {2024: E, 2025: E}, "2023"),
    ],
)
def test_recommendation_is_refused_for_each_condition(
    township, policy, birth, education, grades, why
):
    contract = director(township, birth=birth)
    type(contract.person).objects.filter(pk=contract.person.pk).update(education=education)
    contract.person.refresh_from_db()
    graded(contract, grades)
    found = qualify(
        person=contract.person, year=2025, kind=RewardKind.RECOMMENDATION, policy=policy
    )
    assert not found.ok
    assert re.search(why, found.reason), found.reason


def test_pension_counts_full_years_across_a_renewal(township, policy):
    first = director(township, start=datetime.date(2021, 3, 1))
    Contract.objects.filter(pk=first.pk).update(
        state=ContractState.RENEWED,
        end_date=datetime.date(2024, 2, 29),
        ended_on=datetime.date(2024, 2, 29),
        end_reason=EndReason.RENEWAL,
    )
    Contract.objects.create(
        person=first.person,
        post=first.post,
        township=township,
        policy=first.policy,
        state=ContractState.ACTIVE,
        term_years=3,
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2027, 2, 28),
        monthly_pay=first.monthly_pay,
        origin=ContractOrigin.RENEWAL,
        renews=first,
        activated_on=datetime.date(2024, 3, 1),
    )
    # Full years on 31 Dec 2024: 2021-03-01 → 2024-02-29 is 3; on 31 Dec 2025: 4 (2025-02-28).
    found = qualify(person=first.person, year=2025, kind=RewardKind.PENSION, policy=policy)
    assert found.ok and found.full_years == 4 and found.amount == Decimal("100.00")
    found = qualify(person=first.person, year=2024, kind=RewardKind.PENSION, policy=policy)
    assert found.full_years == 3 and found.amount == Decimal("100.00")


def test_pension_of_a_director_hired_in_november_waits_for_a_full_year(township, policy):
    late = director(township, start=datetime.date(2024, 11, 15))
    assert not qualify(person=late.person, year=2024, kind=RewardKind.PENSION, policy=policy).ok
    found = qualify(person=late.person, year=2025, kind=RewardKind.PENSION, policy=policy)
    assert found.ok and found.full_years == 1


def test_a_reward_for_someone_who_does_not_qualify_is_refused(township, committee):
    contract = director(township)
    graded(contract, {2025: C})
    settlement = settlement_propose(township=township, year=2025, by=committee)
    with pytest.raises(ValidationError, match="张丽"):
        reward_grant(
            settlement=settlement,
            person=contract.person,
            kind=RewardKind.COMMENDATION,
            by=committee,
        )
    assert not settlement.rewards.filter(kind=RewardKind.COMMENDATION).exists()


def test_settling_issues_the_documents_and_is_due_by_february(township, committee, hr):
    contract = director(township, start=datetime.date(2022, 12, 1))
    graded(contract, {2023: E, 2024: E, 2025: E})
    settlement = settlement_propose(township=township, year=2025, by=committee)
    assert settlement.due_on == datetime.date(2026, 2, 28)
    kinds = set(settlement.rewards.values_list("kind", flat=True))
    assert kinds == {
        RewardKind.COMMENDATION,
        RewardKind.LONG_SERVICE,
        RewardKind.RECOMMENDATION,
        RewardKind.PENSION,
    }
    settlement = settlement_settle(settlement=settlement, on=datetime.date(2026, 2, 10), by=hr)
    assert settlement.state == SettlementState.SETTLED
    commendation = settlement.rewards.get(kind=RewardKind.COMMENDATION)
    assert document_current(kind=COMMENDATION, subject=commendation) is not None
    long_service = settlement.rewards.get(kind=RewardKind.LONG_SERVICE)
    assert document_current(kind=LONG_SERVICE_APPROVAL, subject=long_service) is not None
    assert document_current(kind=PENSION_STATEMENT, subject=settlement) is not None


def test_settlement_needs_every_appraisal_confirmed(township, committee):
    from appraisal.models import AnnualAppraisal

    contract = director(township)
    appraisal = confirmed(contract, 2025, C)
    AnnualAppraisal.objects.filter(pk=appraisal.pk).update(state="rated")
    with pytest.raises(ValidationError, match="张丽"):
        settlement_propose(township=township, year=2025, by=committee)
    assert not RewardSettlement.objects.exists()


def test_the_sweep_flags_a_settlement_not_done_by_the_end_of_february(township, committee, hr):
    contract = director(township)
    graded(contract, {2025: C})
    settlement = settlement_propose(township=township, year=2025, by=committee)
    assert reward_settlements_overdue(today=datetime.date(2026, 2, 28)) == 0
    assert reward_settlements_overdue(today=datetime.date(2026, 3, 1)) == 1
    settlement.refresh_from_db()
    assert settlement.overdue_since == datetime.date(2026, 3, 1)
    assert Notification.objects.filter(user=hr, key=f"settlement:{settlement.pk}:overdue").exists()
    assert reward_settlements_overdue(today=datetime.date(2026, 3, 2)) == 0


def test_a_settled_list_is_not_flagged(township, committee, hr):
    contract = director(township)
    graded(contract, {2025: C})
    settlement = settlement_propose(township=township, year=2025, by=committee)
    settlement_settle(settlement=settlement, on=datetime.date(2026, 2, 27), by=hr)
    assert reward_settlements_overdue(today=datetime.date(2026, 6, 1)) == 0
