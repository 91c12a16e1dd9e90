from django.contrib import admin

from audit.admin import AuditedAdmin
from core.admin import ReadOnlyAdmin
from organisation.models import County, Post, Township, Village


@admin.register(County)
class CountyAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "hr_office")
    search_fields = ("name", "short_name")


@admin.register(Township)
class TownshipAdmin(AuditedAdmin):
    list_display = ("name", "county", "kind", "government", "discloses_publicly")
    list_filter = ("county", "kind")
    list_select_related = ("county",)
    search_fields = ("name",)
    # Switched on the township's page (organisation:township_disclosure), which records when.
    readonly_fields = ("discloses_publicly", "disclosure_since")


@admin.register(Village)
class VillageAdmin(AuditedAdmin):
    """Villages come from the import on the staff site, and their population changes there
    too (organisation:village_population), because a new population re-evaluates the posts.
    Here only the name and kind can be corrected."""

    list_display = (
        "name",
        "township",
        "kind",
        "registered_population",
        "population_effective_date",
    )
    list_filter = ("township__county", "township", "kind")
    list_select_related = ("township",)
    search_fields = ("name", "township__name")
    readonly_fields = ("township", "registered_population", "population_effective_date")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    """Posts follow the village quota (organisation.services) and hires; never edited here."""

    list_display = ("__str__", "status", "holder")
    list_filter = ("status", "village__township")
    list_select_related = ("village__township", "holder")
