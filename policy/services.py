"""Creating policy versions. Versions are never edited in place."""

import copy
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import audited_create, snapshot
from policy.models import Policy
from policy.selectors import policy_in_force_or_none


@transaction.atomic
def policy_create_version(*, county, by, base: Policy | None = None, **values) -> Policy:
    """Save a new version for ``county``: ``base``'s numbers with ``values`` applied.

    The version number is the next one for the county; the row is locked so two officers
    saving at once get consecutive numbers.
    """
    list(Policy.objects.select_for_update().filter(county=county).values_list("pk", flat=True))
    policy = Policy(county=county, created_by=by if getattr(by, "pk", None) else None)
    if base is not None:
        for field in Policy._meta.concrete_fields:
            if field.name in {"id", "county", "version", "created_by", "created_at"}:
                continue
            # Deep copies: the JSON lists of the new version must not alias the base's.
            setattr(policy, field.attname, copy.deepcopy(getattr(base, field.attname)))
    for name, value in values.items():
        setattr(policy, name, value)
    last = Policy.objects.filter(county=county).aggregate(m=Max("version"))["m"] or 0
    policy.version = last + 1
    audited_create(policy, by=by, before=snapshot(base) if base else {}, reason=policy.note)
    return policy


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
    from organisation.models import Village
    from organisation.services import village_reconcile_posts

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
