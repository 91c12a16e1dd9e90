from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from audit.display import audit_changes
from audit.models import AuditEntry
from audit.services import audit_record, snapshot
from core.admin import ReadOnlyAdmin, SearchAdmin
from core.forms import NormalisedModelForm


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


class AuditedAdmin(SearchAdmin):
    """Direct admin edits of reference data, each leaving an audit entry. No deletion: the
    records are referenced by history that must stay readable."""

    audit_reason = _("Changed in the administration site")
    form = NormalisedModelForm  # names typed here are normalised as on every other form

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # The admin wraps the whole request in one transaction, so the save and its audit
        # entry are kept or dropped together.
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        if after != before:
            audit_record(
                obj=obj,
                action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
                by=request.user,
                before=before,
                after=after,
                reason=str(self.audit_reason),
            )
