"""Mask the full ID and mobile numbers that audit entries written before ``audit.masking``
kept in their before/after values, record names and reasons.

Audit entries are append-only: ``AuditEntry.save`` on an existing row and
``AuditQuerySet.update`` raise. This one-time rewrite is the exception, because the numbers
should never have been stored in a trail that everyone of a scope reads: it goes through the
historical model's base manager (a plain manager, without the append-only queryset) and
changes only those four columns, only where masking changes something. It is idempotent, and
masking cannot be undone, so the reverse migration does nothing.
"""

from django.db import migrations

from audit.masking import mask_text, mask_values

BATCH = 2000


def mask_existing_entries(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    manager = AuditEntry._base_manager.db_manager(schema_editor.connection.alias)
    last = 0
    while True:
        # A batch read in full before writing: SQLite does not isolate a cursor from writes
        # to the table it reads.
        rows = list(
            manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "before", "after", "object_repr", "reason")[:BATCH]
        )
        if not rows:
            return
        for pk, before, after, object_repr, reason in rows:
            original = {
                "before": before or {},
                "after": after or {},
                "object_repr": object_repr or "",
                "reason": reason or "",
            }
            masked = {
                "before": mask_values(original["before"]),
                "after": mask_values(original["after"]),
                "object_repr": mask_text(original["object_repr"])[:200],
                "reason": mask_text(original["reason"]),
            }
            if masked != original:
                manager.filter(pk=pk).update(**masked)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(mask_existing_entries, migrations.RunPython.noop, elidable=True),
    ]
