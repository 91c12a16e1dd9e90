"""Changes to villages and posts. Each service is one transaction with its audit rows.

Which policy decides a village's quota: the version in force today, or on the population
figure's date when that date lies ahead. A figure backdated to before a policy change still
gets today's rules, because the posts exist now; a figure dated in the future is judged by the
rules that will then apply.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, audited_create, audited_update, snapshot
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


def quota_policy(*, county, effective_date: datetime.date) -> Policy:
    """The policy version that decides the posts of a village whose figure dates from
    ``effective_date`` (see the module docstring). Raises ``NoPolicyInForce``."""
    return policy_in_force(county=county, on=max(effective_date, timezone.localdate()))


@transaction.atomic
def village_reconcile_posts(*, village: Village, policy: Policy, by) -> QuotaResult:
    """Bring the village's posts in line with its quota under ``policy``.

    Missing posts are created (or surplus ones reactivated); posts above the quota are
    abolished when vacant and flagged as surplus when occupied. An occupied post is never
    deleted or abolished.
    """
    quota = policy.posts_for_population(village.registered_population)
    posts = list(village.posts.exclude(status=PostStatus.ABOLISHED).order_by("number"))
    created = reactivated = abolished = marked_surplus = 0
    reason = (
        f"quota {quota} for population {village.registered_population} (policy v{policy.version})"
    )

    def change(post: Post, status: str) -> None:
        audited_update(post, {"status": status}, by=by, reason=reason)

    # Occupied posts first, so that vacant ones are the ones given up.
    posts.sort(key=lambda p: (not p.is_occupied, p.number))
    for index, post in enumerate(posts):
        post.village = village  # spares a query per post when the audit row looks up the place
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
        last_number = village.posts.order_by("-number").values_list("number", flat=True).first()
        next_number = (last_number or 0) + 1
        for offset in range(missing):
            post = Post.objects.create(village=village, number=next_number + offset)
            audit_record(
                obj=post,
                action=AuditEntry.Action.CREATE,
                by=by,
                after=snapshot(post),
                reason=reason,
            )
            created += 1
    return QuotaResult(quota, created, reactivated, abolished, marked_surplus)


def _check_name_free(*, township: Township, name: str, exclude_pk: int | None = None) -> None:
    clashes = Village.objects.filter(township=township, name__iexact=name)
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise ValidationError(
            {
                "name": _("There is already a village named “%(name)s” in %(township)s.")
                % {"name": name, "township": township.name}
            }
        )


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
    """Create a village and its posts under the quota of the policy that applies."""
    village = Village(
        township=township,
        name=name.strip(),
        kind=kind,
        registered_population=registered_population,
        population_effective_date=population_effective_date,
    )
    _check_name_free(township=township, name=village.name)
    audited_create(village, by=by)
    policy = quota_policy(county=township.county, effective_date=population_effective_date)
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
    """Record a new registered population and re-evaluate the village's posts.

    A figure dated before the one on record is refused: it would replace newer data with
    older. A correction of the current figure keeps its date.
    """
    locked = (
        Village.objects.select_for_update().select_related("township__county").get(pk=village.pk)
    )
    if effective_date < locked.population_effective_date:
        raise ValidationError(
            {
                "population_effective_date": _(
                    "The village already has a population figure dated %(current)s; a figure "
                    "dated %(given)s is older and cannot replace it."
                )
                % {
                    "current": locked.population_effective_date.isoformat(),
                    "given": effective_date.isoformat(),
                }
            }
        )
    audited_update(
        locked,
        {
            "registered_population": registered_population,
            "population_effective_date": effective_date,
        },
        by=by,
        reason=reason,
        clean=True,
    )
    village.registered_population = registered_population
    village.population_effective_date = effective_date
    policy = quota_policy(county=locked.township.county, effective_date=effective_date)
    return village_reconcile_posts(village=locked, policy=policy, by=by)
