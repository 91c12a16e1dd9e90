"""Writing audit entries. Services call these inside their own transaction.

Nothing written here holds a full ID or mobile number (``audit.masking``): values are masked
by field, with a keyed hash for matching, and any such number in other text is masked too.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.masking import mask_text, mask_values
from audit.models import AuditEntry


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of ``obj`` (foreign keys as ids), for before/after, with ID
    and mobile numbers masked (``audit.masking.mask_values``). Two snapshots differ when a
    number changed even where the masks are equal: the keyed hashes differ."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = field.value_from_object(obj)
    return mask_values(data)


def _place_of(obj: models.Model) -> tuple[int | None, int | None]:
    """County and township ids of a record, for scoping its audit trail."""
    from organisation.models import County, Township

    if isinstance(obj, County):
        return obj.pk, None
    if isinstance(obj, Township):
        return obj.county_id, obj.pk
    township = getattr(obj, "audit_township", None)
    if township is None and hasattr(obj, "township_id"):
        township = getattr(obj, "township")  # noqa: B009
    if township is None and getattr(obj, "village_id", None):
        township = getattr(obj, "village").township  # noqa: B009
    if township is not None:
        return township.county_id, township.pk
    county_id = getattr(obj, "county_id", None)
    return county_id, None


def audit_record(
    *,
    obj: models.Model,
    action: str,
    by,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    transition: str = "",
) -> AuditEntry:
    county_id, township_id = _place_of(obj)
    return AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        transition=transition,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        # A record may name itself for the trail (a user: the person's name, not the login).
        object_repr=mask_text(str(getattr(obj, "audit_label", None) or obj))[:200],
        county_id=county_id,
        township_id=township_id,
        before=mask_values(before or {}),
        after=mask_values(after or {}),
        reason=mask_text(reason),
    )


def audited_create(
    obj: models.Model, *, by, reason: str = "", before: dict | None = None
) -> AuditEntry:
    """Validate and save the new ``obj``, then record its creation with all its values."""
    obj.full_clean()
    obj.save()
    return audit_record(
        obj=obj,
        action=AuditEntry.Action.CREATE,
        by=by,
        before=before,
        after=snapshot(obj),
        reason=reason,
    )


def audited_update(
    obj: models.Model, changes: dict, *, by, reason: str = "", clean: bool = False
) -> AuditEntry:
    """Set ``changes`` on ``obj``, save only those fields and record them before and after.

    ``clean=True`` validates the whole record (``full_clean()``) before saving; without it
    the caller vouches for the values (a status or a holder it has just decided on).
    """
    fields = list(changes)
    before = snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    if clean:
        obj.full_clean()
    obj.save(update_fields=fields)
    return audit_record(
        obj=obj,
        action=AuditEntry.Action.UPDATE,
        by=by,
        before=before,
        after=snapshot(obj, fields),
        reason=reason,
    )


def audit_trail(obj: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("actor")
