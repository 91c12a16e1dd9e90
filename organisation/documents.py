"""Paperwork about the organisation: the village post register of a township."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from core.text import pinyin_key
from organisation.constants import PostStatus, VillageKind
from organisation.kinds import VILLAGE_POST_REGISTER
from organisation.models import Post, Township, Village
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from policy.models import Policy
from policy.selectors import policy_in_force

VILLAGE_KIND_CN: dict[str, str] = {
    VillageKind.VILLAGE: "村",
    VillageKind.RESIDENTS: "居",
    VillageKind.COMMUNITY: "社区",
}


@dataclass(frozen=True)
class HeldPost:
    number: int
    name: str
    masked_id: str
    surplus: bool


@dataclass(frozen=True)
class VillageRow:
    village: Village
    kind: str
    population: int
    population_date: datetime.date
    quota: int
    active: int
    holders: list[HeldPost]
    vacant: int
    surplus: int

    @property
    def short_of_quota(self) -> int:
        """Posts the quota allows that the village does not have yet."""
        return max(self.quota - self.active, 0)


@dataclass
class Totals:
    villages: int = 0
    population: int = 0
    quota: int = 0
    active: int = 0
    occupied: int = 0
    vacant: int = 0
    surplus: int = 0
    short_of_quota: int = 0

    def add(self, row: VillageRow) -> None:
        self.villages += 1
        self.population += row.population
        self.quota += row.quota
        self.active += row.active
        self.occupied += len(row.holders)
        self.vacant += row.vacant
        self.surplus += row.surplus
        self.short_of_quota += row.short_of_quota


def village_post_register_context(*, township: Township, on: datetime.date) -> dict:
    """The register's content: each village with its quota under the policy in force on
    ``on``, its posts and their holders. Three queries whatever the number of villages."""
    policy: Policy = policy_in_force(county=township.county, on=on)
    open_posts = (
        Post.objects.exclude(status=PostStatus.ABOLISHED)
        .select_related("holder")
        .order_by("number")
    )
    villages = sorted(
        Village.objects.filter(township=township).prefetch_related(
            Prefetch("posts", queryset=open_posts, to_attr="open_posts")
        ),
        key=lambda v: pinyin_key(v.name),
    )
    rows: list[VillageRow] = []
    totals = Totals()
    for village in villages:
        posts: list[Post] = village.open_posts  # type: ignore[attr-defined]
        active = [p for p in posts if p.status == PostStatus.ACTIVE]
        row = VillageRow(
            village=village,
            kind=VILLAGE_KIND_CN.get(village.kind, village.kind),
            population=village.registered_population,
            population_date=village.population_effective_date,
            quota=policy.posts_for_population(village.registered_population),
            active=len(active),
            holders=[
                HeldPost(
                    number=p.number,
                    name=p.holder.name,
                    masked_id=p.holder.masked_id_number,
                    surplus=p.status == PostStatus.SURPLUS,
                )
                for p in posts
                if p.holder is not None
            ],
            vacant=sum(1 for p in active if p.holder_id is None),
            surplus=sum(1 for p in posts if p.status == PostStatus.SURPLUS),
        )
        rows.append(row)
        totals.add(row)
    return {"township": township, "policy": policy, "on": on, "rows": rows, "totals": totals}


@transaction.atomic
def village_post_register_issue(*, township: Township, by) -> Document:
    """Issue the township's village post register as of today; it supersedes the township's
    previous register, which stays on record."""
    today = timezone.localdate()
    context = village_post_register_context(township=township, on=today)
    return document_issue(
        kind=VILLAGE_POST_REGISTER,
        title=f"{township.name}村级人口主任岗位登记表",
        context=context,
        subject=township,
        by=by,
        county=township.county,
        township=township,
        policy=context["policy"],
        issuing_body=township.issuing_body,
        supersedes=document_current(kind=VILLAGE_POST_REGISTER, subject=township),
    )
