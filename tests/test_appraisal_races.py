"""Two long-service rewards granted at once for one director, on the settlement lists of two
years (two locks, so nothing serialises them but the database): one is kept
(``reward_long_service_once``), the other is refused with a message. PostgreSQL only."""

import datetime

from django.core.exceptions import ValidationError

from accounts.models import User
from appraisal.constants import RewardKind
from appraisal.models import Reward, RewardSettlement
from appraisal.services.rewards import reward_grant, settlement_due
from people.models import Person
from policy.constants import Grade
from tests.appraisal_support import confirmed
from tests.builders import contract_in_force
from tests.test_hostile_races import RACES, race, unexpected

pytestmark = RACES


def test_two_concurrent_long_service_grants_give_one(township, committee, policy):
    contract = contract_in_force(
        township, start=datetime.date(2022, 1, 1), birth=datetime.date(1990, 1, 1), name="张丽"
    )
    for year in (2022, 2023, 2024, 2025):
        confirmed(contract, year, Grade.COMPETENT)
    settlements = [
        RewardSettlement.objects.create(
            township=township, year=year, policy=policy, due_on=settlement_due(year, policy)
        )
        for year in (2024, 2025)
    ]

    def work(i):
        by = User.objects.get(pk=committee.pk)
        return reward_grant(
            settlement=settlements[i % 2],
            person=Person.objects.get(pk=contract.person_id),
            kind=RewardKind.LONG_SERVICE,
            by=by,
        )

    results = race(work, n=2)
    assert not unexpected(results, allowed=(ValidationError,))
    assert sum(isinstance(r, Reward) for r in results) == 1
    assert Reward.objects.filter(kind=RewardKind.LONG_SERVICE).count() == 1
