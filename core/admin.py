"""Shared pieces of the Django admin, which only administrators reach."""

from django.contrib import admin

from core.normalise import search_term


class SearchAdmin(admin.ModelAdmin):
    """The admin's search box takes text as every form does (``core.normalise``)."""

    def get_search_results(self, request, queryset, term):
        return super().get_search_results(request, queryset, search_term(term))


class ReadOnlyAdmin(SearchAdmin):
    """Records that are written only by services (append-only or immutable ones)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
