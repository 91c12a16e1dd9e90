"""One way to cut a list page into pages, shared by every list of the staff site.

``paginate(request, items)`` answers the requested page (``?page=``, out-of-range numbers
give the last page) with ``page.query``: the request's other parameters, url-encoded, so that
the links of ``web/includes/pagination.html`` keep the list's filters and search.

A search counts at most ``count_limit`` matches: counting every match of a ``LIKE '%term%'``
scans the whole table a second time after the page itself, and nobody pages through a
thousand matches of a name. When there are more, the page says so and asks for a narrower
search (``page.paginator.capped``).
"""

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
SEARCH_COUNT_LIMIT = 1000


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``count_limit`` (None: counts everything)."""

    def __init__(self, object_list, per_page: int, *, count_limit: int | None = None):
        super().__init__(object_list, per_page)
        self.count_limit = count_limit
        self._capped = False

    @cached_property
    def count(self) -> int:
        if self.count_limit is None:
            return super().count
        items = self.object_list
        if isinstance(items, QuerySet):
            # SELECT COUNT(*) FROM (SELECT id … LIMIT n + 1): stops at the first n + 1
            # matches, and neither sorts them nor computes the page's annotations.
            found = items.order_by().values("pk")[: self.count_limit + 1].count()
        else:
            found = len(items[: self.count_limit + 1])
        self._capped = found > self.count_limit
        return min(found, self.count_limit)

    @property
    def capped(self) -> bool:
        """Whether more rows match than the count went to."""
        self.count  # noqa: B018 (counting finds out)
        return self._capped


def paginate(
    request: HttpRequest,
    items,
    *,
    per_page: int | None = None,
    searching: bool = False,
    param: str = "page",
) -> Page:
    """The page of ``items`` the request asks for, with ``query`` for the page links.

    ``per_page``: rows a page, ``PAGE_SIZE`` (50) unless the list says otherwise.
    ``searching``: the list is filtered by a search term, so its count is capped at
    ``SEARCH_COUNT_LIMIT``. ``items`` must be ordered (a queryset by a unique key last).
    """
    paginator = CappedPaginator(
        items, per_page or PAGE_SIZE, count_limit=SEARCH_COUNT_LIMIT if searching else None
    )
    page = paginator.get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    page.query = params.urlencode()  # type: ignore[attr-defined]
    page.param = param  # type: ignore[attr-defined]
    return page
