"""Creating policy versions. Versions are never edited in place."""

from django.db import transaction
from django.db.models import Max

from audit.models import AuditEntry
from audit.services import audit_record, snapshot
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
            setattr(policy, field.attname, getattr(base, field.attname))
    for name, value in values.items():
        setattr(policy, name, value)
    last = Policy.objects.filter(county=county).aggregate(m=Max("version"))["m"] or 0
    policy.version = last + 1
    policy.full_clean()
    policy.save()
    audit_record(
        obj=policy,
        action=AuditEntry.Action.CREATE,
        by=by,
        before=snapshot(base) if base else {},
        after=snapshot(policy),
        reason=policy.note,
    )
    return policy
