from django.contrib import admin

from core.admin import ReadOnlyAdmin
from policy.models import Policy


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    """Versions are never edited; a new one is saved on the staff site (policy:create)."""

    list_display = ("county", "version", "effective_from", "title", "created_by", "created_at")
    list_filter = ("county",)
    list_select_related = ("county", "created_by")
