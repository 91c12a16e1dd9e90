from django.contrib import admin

from policy.models import Policy
from web.admin_support import ReadOnlyAdmin


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    """Versions are never edited; a new one is saved on the staff site (policy:create)."""

    list_display = ("county", "version", "effective_from", "title", "created_by", "created_at")
    list_filter = ("county",)
    list_select_related = ("county", "created_by")
