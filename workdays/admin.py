from django.contrib import admin

from core.admin import ReadOnlyAdmin
from workdays.models import CalendarYear, DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(ReadOnlyAdmin):
    """Corrections are entered on the staff site (workdays:list), where each change is
    audited; here they can only be read."""

    list_display = ("date", "is_working_day", "name", "created_by", "created_at")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "confirmed_by", "confirmed_at")
