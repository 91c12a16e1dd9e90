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
from core.services import lock, require_permission
from organisation.constants import PostStatus
from organisation.models import Post, Township, Village
from policy.models import Policy
from policy.selectors import policy_in_force, policy_in_force_or_none
from policy.services import policy_create_version


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
    reason = _(
        "%(quota)s posts for a registered population of %(population)s (policy version %(version)s)"
    ) % {"quota": quota, "population": village.registered_population, "version": policy.version}

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


# Policy versions and the posts they decide ----------------------------------------------------


@dataclass(frozen=True)
class PolicyRevision:
    """A saved version and what it did to the county's posts."""

    policy: Policy
    tiers_changed: bool
    reconciled_villages: int = 0
    posts_created: int = 0
    posts_reactivated: int = 0
    posts_abolished: int = 0
    posts_marked_surplus: int = 0

    @property
    def reconciled(self) -> bool:
        return self.reconciled_villages > 0


@transaction.atomic
def policy_revise(
    *, county, by, base: Policy | None = None, today: datetime.date | None = None, **values
) -> PolicyRevision:
    """Save a new version (``policy_create_version``) and apply its quota to the villages.

    Villages are reconciled only when the quota tiers differ from the version in force
    before, and only when the new version is itself in force today (its effective date is
    today or past and no later version overrides it). A version that takes effect later
    changes no post now; the village lists flag the mismatch once it is in force. Other
    numbers do not touch posts. Reconciling never removes an occupied post: it is flagged
    as surplus instead.
    """
    today = today or timezone.localdate()
    previous = policy_in_force_or_none(county=county, on=today)
    policy = policy_create_version(county=county, by=by, base=base, **values)
    tiers_changed = previous is None or previous.quota_tiers != policy.quota_tiers
    current = policy_in_force_or_none(county=county, on=today)
    if not tiers_changed or current is None or current.pk != policy.pk:
        return PolicyRevision(policy=policy, tiers_changed=tiers_changed)

    counts = dict.fromkeys(("created", "reactivated", "abolished", "marked_surplus"), 0)
    villages = Village.objects.filter(township__county=county).select_related("township")
    total = 0
    for village in villages:
        result = village_reconcile_posts(village=village, policy=policy, by=by)
        total += 1
        for key in counts:
            counts[key] += getattr(result, key)
    return PolicyRevision(
        policy=policy,
        tiers_changed=True,
        reconciled_villages=total,
        posts_created=counts["created"],
        posts_reactivated=counts["reactivated"],
        posts_abolished=counts["abolished"],
        posts_marked_surplus=counts["marked_surplus"],
    )


SWITCH_DISCLOSURE = "organisation.switch_disclosure"


@transaction.atomic
def township_set_disclosure(*, township: Township, on: bool, by) -> Township:
    """Switch the township's public disclosure (民主监督) on or off: county HR of the
    township's county only (and the administrator). Switching on records when; switching off
    keeps nothing public. One audit row either way; asking for the state the township is
    already in changes nothing and says so."""
    require_permission(
        by,
        SWITCH_DISCLOSURE,
        township,
        message=_("Only county HR can switch a township's public disclosure on or off."),
    )
    locked = lock(township)
    if locked.discloses_publicly == on:
        raise ValidationError(
            (
                _("%(township)s already discloses publicly. Nothing was changed.")
                if on
                else _("%(township)s does not disclose publicly. Nothing was changed.")
            )
            % {"township": locked.name}
        )
    audited_update(
        locked,
        {"discloses_publicly": on, "disclosure_since": timezone.now() if on else None},
        by=by,
        transition="disclosure_on" if on else "disclosure_off",
    )
    return locked
