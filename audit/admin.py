from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from web.admin_support import ReadOnlyAdmin
from web.templatetags.cunpin import audit_changes


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Append-only. Before/after values are shown field by field with ID, phone and birth
    date masked, as on the staff pages."""

    list_display = (
        "at",
        "actor",
        "action",
        "transition",
        "content_type",
        "object_repr",
        "township",
    )
    list_filter = ("action", "content_type", "county", "township")
    list_select_related = ("actor", "content_type", "township")
    search_fields = ("object_repr", "reason", "actor__username")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor",
        "action",
        "transition",
        "content_type",
        "object_id",
        "object_repr",
        "county",
        "township",
        "changes",
        "reason",
    )
    readonly_fields = fields

    @admin.display(description=_("changes"))
    def changes(self, obj: AuditEntry):
        rows = audit_changes(obj)
        return format_html_join(
            "\n",
            "<div>{}: {} → {}</div>",
            ((row["label"], row["before"], row["after"]) for row in rows),
        )
