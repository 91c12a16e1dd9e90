"""Contracts in force for the renewal and sweep tests, made as the signing flow would leave
them (state active, the person the post's holder), until that flow is merged."""

import datetime

from accounts.constants import Role
from contracts.constants import ContractState
from contracts.models import Contract
from contracts.services.drafting import contract_end_date
from policy.selectors import policy_in_force
from tests.factories import PersonFactory, PostFactory, UserFactory, VillageFactory, make_id_number


def active_contract(
    township,
    *,
    start: datetime.date,
    birth: datetime.date = datetime.date(1980, 5, 17),
    name: str = "王晓燕",
    village=None,
    with_user: bool = False,
) -> Contract:
    village = village or VillageFactory(township=township)
    post = PostFactory(village=village)
    person = PersonFactory(
        name=name, id_number=make_id_number(birth), township=township, village=village
    )
    policy = policy_in_force(county=township.county, on=start)
    contract = Contract(
        person=person,
        post=post,
        township=township,
        policy=policy,
        term_years=policy.term_years,
        start_date=start,
        end_date=contract_end_date(start, policy.term_years),
        monthly_pay=policy.monthly_pay,
        state=ContractState.ACTIVE,
        activated_on=start,
    )
    contract.save()
    post.holder = person
    post.save(update_fields=["holder"])
    if with_user:
        UserFactory(
            role=Role.DIRECTOR,
            county=township.county,
            township=township,
            village=village,
            person=person,
        )
    return contract
