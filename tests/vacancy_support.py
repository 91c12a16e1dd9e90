"""A vacant post with a reserve list behind it, for the vacancy tests.

``reserve_world`` concludes a campaign of the township for one post of 新寨村 with three more
candidates above the pass line (ranks 2–4, on the reserve list), takes the hire's drafted
contract into force as the signing service will (state set in the database, the post's
holder set; the signing helper's services replace this), and ends it the day given
(``contracts.services.posts.post_vacate``, the contract marked terminated): the vacancy
opens.
"""

import datetime
from dataclasses import dataclass

from contracts.constants import ContractState
from contracts.models import Contract, Vacancy
from contracts.services.posts import post_vacate
from organisation.models import Post
from recruitment.constants import CampaignState
from recruitment.models import Application, Campaign
from tests.builders import CampaignBuilder, at, moment


@dataclass
class ReserveWorld:
    campaign: Campaign
    hired: Application
    reserve: list[Application]  # in rank order
    contract: Contract
    vacancy: Vacancy


def activate(contract: Contract) -> Contract:
    """The contract in force and its person the post's director."""
    Contract.objects.filter(pk=contract.pk).update(state=ContractState.ACTIVE)
    Post.objects.filter(pk=contract.post_id).update(holder=contract.person_id)
    contract.refresh_from_db()
    return contract


def reserve_world(township, committee, head, *, vacant_on: datetime.date | None = None):
    builder = CampaignBuilder.open(township, by=committee, head=head, villages=("新寨村",))
    builder.announce()
    builder.apply("罗昇", interview="95")
    builder.apply("王芳", interview="90", female=True)
    builder.apply("张伟", interview="85")
    builder.apply("黄丽", interview="80", female=True)
    builder.to(CampaignState.CONCLUDED)
    campaign = builder.campaign
    applications = list(campaign.applications.order_by("rank"))
    hired, reserve = applications[0], applications[1:]
    contract = activate(Contract.objects.get(application=hired))
    day = vacant_on or contract.start_date + datetime.timedelta(days=60)
    with at(moment(day)):
        vacancy = post_vacate(contract=contract, on=day, by=committee)
    # The ending service (resignation, termination, ...) moves the contract out of force.
    Contract.objects.filter(pk=contract.pk).update(state=ContractState.TERMINATED)
    contract.refresh_from_db()
    return ReserveWorld(campaign, hired, reserve, contract, vacancy)
