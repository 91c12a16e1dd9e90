"""Contracts in force for the renewal and sweep tests (``tests.builders.contract_in_force``
with these tests' defaults), and the renewal records of the permission matrix."""

import datetime
from typing import cast

from accounts.constants import Role
from accounts.models import User
from contracts.constants import ContractState
from contracts.models import Contract
from contracts.services.drafting import contract_end_date
from policy.selectors import policy_in_force
from tests.builders import contract_in_force
from tests.factories import UserFactory


def active_contract(
    township,
    *,
    start: datetime.date,
    birth: datetime.date = datetime.date(1980, 5, 17),
    name: str = "王晓燕",
    village=None,
    with_user: bool = False,
) -> Contract:
    """An active contract from ``start`` (``tests.builders.contract_in_force``), its
    director without a login unless ``with_user``."""
    return contract_in_force(
        township, start=start, birth=birth, name=name, village=village, with_user=with_user
    )


def side_review(world, side: str):
    """The renewal review of the matrix world's side (``tests.matrix_support``): the side's
    director in post on a contract ending in 59 days, its review opened today."""
    from django.utils import timezone

    from contracts.services.renewal import renewal_review_open
    from workdays.calendar import add_years

    reviews = world.__dict__.setdefault("_renewal_reviews", {})
    if side not in reviews:
        records = world.side(side)
        today = timezone.localdate()
        start = add_years(today, -3) + datetime.timedelta(days=60)
        policy = policy_in_force(county=records.township.county, on=start)
        contract = Contract(
            person=records.person,
            post=records.post,
            township=records.township,
            policy=policy,
            term_years=policy.term_years,
            start_date=start,
            end_date=contract_end_date(start, policy.term_years),
            monthly_pay=policy.monthly_pay,
            state=ContractState.ACTIVE,
            activated_on=start,
        )
        contract.save()
        reviews[side] = renewal_review_open(contract=contract, today=today, by=None)
    return reviews[side]


def side_notification(world, side: str):
    """A notification of the matrix world's director (own side) or of a user outside the
    world (foreign side)."""
    from notifications.models import Notification

    notifications = world.__dict__.setdefault("_notifications", {})
    if side not in notifications:
        owner = (
            world.users[Role.DIRECTOR]
            if side == "own"
            else cast(User, UserFactory(role=Role.COUNTY_HR))
        )
        notifications[side] = Notification.objects.create(
            user=owner, key=f"matrix:{side}", text="测试通知"
        )
    return notifications[side]
