"""Shared pieces of the Django admin, which only administrators reach."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_record, snapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written only by services (append-only or immutable ones)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Direct admin edits of reference data, each leaving an audit entry. No deletion: the
    records are referenced by history that must stay readable."""

    audit_reason = _("Changed in the administration site")

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
