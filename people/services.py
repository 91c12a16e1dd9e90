"""Creating and changing person records, and revealing full identity numbers."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, audited_create, snapshot
from core.db import concrete_field
from core.identity import normalise_mobile, parse_id_number, validate_mobile
from people.models import IdentityAccess, Person

EDITABLE_FIELDS = [
    "name",
    "phone",
    "education",
    "school",
    "graduation_year",
    "household_registration",
    "township",
    "village",
]


def _apply_identity(person: Person) -> None:
    try:
        facts = parse_id_number(person.id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    person.id_number = facts.number
    person.birth_date = facts.birth_date
    person.sex = facts.sex
    try:
        validate_mobile(person.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    person.phone = normalise_mobile(person.phone)


@transaction.atomic
def person_create(*, by, reason: str = "", **fields) -> Person:
    """Create a person; birth date and sex come from the ID number."""
    person = Person(**fields)
    _apply_identity(person)
    audited_create(person, by=by, reason=reason)
    return person


@transaction.atomic
def person_update(*, person: Person, by, reason: str = "", **changes) -> Person:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person)
    for name, value in changes.items():
        setattr(person, name, value)
    _apply_identity(person)
    person.full_clean()
    person.save()
    after = snapshot(person)
    # updated_at changes on every save; it is not a change a person made.
    before.pop("updated_at", None)
    after.pop("updated_at", None)
    if after != before:
        audit_record(
            obj=person,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before=before,
            after=after,
            reason=reason,
        )
    return person


@transaction.atomic
def person_reveal(*, person: Person, field: str, by, reason: str) -> str:
    """Return a full ID or phone number and log who saw it and why."""
    if not by.has_perm("people.view_full_identity"):
        raise PermissionDenied(_("You may not view full ID and phone numbers."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you need the full number.")})
    if field not in IdentityAccess.Field.values:
        raise ValidationError({"field": _("Unknown field.")})
    IdentityAccess.objects.create(user=by, person=person, field=field, reason=reason[:200])
    return getattr(person, field)


def identity_access_record(*, person: Person, field: str, by, reason: str) -> IdentityAccess:
    """Log that ``by`` saw ``person``'s full ``field`` other than through ``person_reveal``:
    downloading a document that prints it (a contract). The caller has checked the right."""
    return IdentityAccess.objects.create(user=by, person=person, field=field, reason=reason[:200])


ACCESS_COLUMNS = ("at", "user", "person", "field", "reason")


def identity_accesses_record(
    *, person_ids: Iterable[int], fields: Iterable[str], by, reason: str
) -> int:
    """Log that ``by`` saw the full ``fields`` of each of these persons at once (a list
    exported with its full numbers, ``web.exports``): one row per person and field, written
    by one prepared INSERT run for every row (as ``audit.services.audit_record_many``), so
    that an export of 20,000 people costs one statement. Identity accesses are only ever
    inserted, so nothing of ``IdentityAccess.save`` is skipped. The caller has checked the
    right. Returns the number of rows written."""
    fields = [field for field in fields if field in IdentityAccess.Field.values]
    connection = connections[IdentityAccess.objects.db]
    columns = [concrete_field(IdentityAccess, name) for name in ACCESS_COLUMNS]
    at = columns[0].get_db_prep_save(timezone.now(), connection)
    reason = reason[:200]
    rows = [
        [at, by.pk, person_id, field, reason]
        for person_id in dict.fromkeys(person_ids)
        for field in fields
    ]
    if rows:
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in columns)
        marks = ", ".join(["%s"] * len(columns))
        table = quote(IdentityAccess._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return len(rows)
