"""The API's pages: 50 rows a page (as the staff lists, ``core.pagination.PAGE_SIZE``),
``?page=`` from 1; a page beyond the last answers 404."""

from rest_framework.pagination import PageNumberPagination

from core.pagination import PAGE_SIZE


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["minimum"] = 0
        return described
