"""Shared pieces of the Django admin, which only administrators reach."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written only by services (append-only or immutable ones)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
