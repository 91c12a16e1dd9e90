"""Creating policy versions. Versions are never edited in place.

What a new version changes in the villages (their posts) is done by
``organisation.services.policy_revise``, which calls ``policy_create_version``.
"""

import copy

from django.db import transaction
from django.db.models import Max

from audit.services import audited_create, snapshot
from policy.models import Policy


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
