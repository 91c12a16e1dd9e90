"""Changes to villages and posts. Each service is one transaction with its audit rows."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from audit.models import AuditEntry
from audit.services import audit_record, snapshot
from organisation.constants import PostStatus
from organisation.models import Post, Township, Village
from policy.models import Policy
from policy.selectors import policy_in_force


@dataclass(frozen=True)
class QuotaResult:
    quota: int
    created: int
    reactivated: int
    abolished: int
    marked_surplus: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.reactivated or self.abolished or self.marked_surplus)


def village_reconcile_posts(*, village: Village, policy: Policy, by) -> QuotaResult:
    """Bring the village's posts in line with its quota under ``policy``.

    Missing posts are created (or surplus ones reactivated); posts above the quota are
    abolished when vacant and flagged as surplus when occupied. An occupied post is never
    deleted or abolished.
    """
    quota = policy.posts_for_population(village.registered_population)
    posts = list(village.posts.exclude(status=PostStatus.ABOLISHED).order_by("number"))
    created = reactivated = abolished = marked_surplus = 0

    def change(post: Post, status: str) -> None:
        before = snapshot(post, ["status"])
        post.status = status
        post.save(update_fields=["status"])
        audit_record(
            obj=post,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before=before,
            after=snapshot(post, ["status"]),
            reason=f"quota {quota} for population {village.registered_population}",
        )

    # Occupied posts first, so that vacant ones are the ones given up.
    posts.sort(key=lambda p: (not p.is_occupied, p.number))
    for index, post in enumerate(posts):
        within = index < quota
        if within and post.status == PostStatus.SURPLUS:
            change(post, PostStatus.ACTIVE)
            reactivated += 1
        elif not within and post.is_occupied and post.status != PostStatus.SURPLUS:
            change(post, PostStatus.SURPLUS)
            marked_surplus += 1
        elif not within and not post.is_occupied:
            change(post, PostStatus.ABOLISHED)
            abolished += 1

    missing = quota - len(posts)
    if missing > 0:
        next_number = (village.posts.order_by("-number").values_list("number", flat=True)
                       .first() or 0) + 1
        for offset in range(missing):
            post = Post.objects.create(village=village, number=next_number + offset)
            audit_record(obj=post, action=AuditEntry.Action.CREATE, by=by,
                         after=snapshot(post), reason=f"quota {quota}")
            created += 1
    return QuotaResult(quota, created, reactivated, abolished, marked_surplus)


@transaction.atomic
def village_create(
    *,
    township: Township,
    name: str,
    kind: str,
    registered_population: int,
    population_effective_date: datetime.date,
    by,
) -> Village:
    village = Village(
        township=township,
        name=name.strip(),
        kind=kind,
        registered_population=registered_population,
        population_effective_date=population_effective_date,
    )
    village.full_clean()
    village.save()
    audit_record(obj=village, action=AuditEntry.Action.CREATE, by=by, after=snapshot(village))
    policy = policy_in_force(county=township.county, on=population_effective_date)
    village_reconcile_posts(village=village, policy=policy, by=by)
    return village


@transaction.atomic
def village_set_population(
    *,
    village: Village,
    registered_population: int,
    effective_date: datetime.date,
    by,
    reason: str = "",
) -> QuotaResult:
    """Record a new registered population and re-evaluate the village's posts."""
    village = Village.objects.select_for_update().get(pk=village.pk)
    fields = ["registered_population", "population_effective_date"]
    before = snapshot(village, fields)
    village.registered_population = registered_population
    village.population_effective_date = effective_date
    village.full_clean()
    village.save(update_fields=fields)
    audit_record(obj=village, action=AuditEntry.Action.UPDATE, by=by, before=before,
                 after=snapshot(village, fields), reason=reason)
    policy = policy_in_force(county=village.township.county, on=effective_date)
    return village_reconcile_posts(village=village, policy=policy, by=by)
