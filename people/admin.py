from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from people.models import IdentityAccess, Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only and masked: records are created and edited on the staff site (people:create,
    people:update), through the services that validate ID numbers and write the audit log;
    full numbers are seen there through the logged reveal."""

    list_display = ("name", "masked_id_number", "masked_phone", "education", "township", "village")
    list_filter = ("education", "township__county", "township")
    list_select_related = ("township", "village")
    search_fields = ("name", "name_pinyin")
    fields = (
        "name",
        "masked_id_number",
        "sex",
        "masked_phone",
        "education",
        "school",
        "graduation_year",
        "household_registration",
        "township",
        "village",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return obj.masked_id_number

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj: Person) -> str:
        return obj.masked_phone


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "person", "field", "reason")
    list_filter = ("field",)
    list_select_related = ("user", "person")
    search_fields = ("person__name", "user__username", "reason")
    date_hierarchy = "at"
