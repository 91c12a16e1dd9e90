"""The filters of a list page, read from its query string in one place, so that the page and
its Excel export (``web.exports``) list exactly the same records.

A list's filters are a frozen dataclass (a subclass of ``ListFilters``) with a
``from_query(params)`` that reads them; the list's selector takes the dataclass. A value the
list cannot use is ignored, as the list pages always did: an unknown state, a number out of
range or written with other digits than 0–9 (``²``, ``٣``, a number of 30 digits, which the
database cannot hold) counts as not given. The page shows the filter as unset, and the export
of the same address exports the same rows; neither answers 500.

Each field's ``metadata`` says how the filter reads in the export's log: its ``label``, and
``show`` (a function of the value) when the value is a code or an id.
"""

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils.http import urlencode

from core.normalise import search_term

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
# Record ids are positive 32-bit integers wherever the project stores them.
MAX_ID = 2**31 - 1


def choice(value: object, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``, else ""."""
    text = str(value or "")
    return text if text in set(choices) else ""


def whole_number(value: object, *, low: int, high: int) -> int | None:
    """A whole number written with the digits 0–9 between ``low`` and ``high`` (both
    included), else None."""
    text = str(value or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def record_id(value: object) -> int | None:
    """The id of a record (a township, a village offer), else None."""
    return whole_number(value, low=1, high=MAX_ID)


def search(value: object) -> str:
    """A search box's text (``core.normalise.search_term``)."""
    return search_term(value)


@dataclasses.dataclass(frozen=True)
class ListFilters:
    """The filters a list applies. Subclasses declare one field per query parameter (its
    name), each with a default meaning "not filtered", and ``from_query``."""

    # The values that mean "not filtered".
    empty: ClassVar[tuple[object, ...]] = ("", None)

    @classmethod
    def from_query(cls, params: QueryDict):
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The filters that are set, by parameter name."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) not in self.empty
        }

    def query(self) -> str:
        """The filters that are set as a query string (for the export link)."""
        return urlencode(self.values())

    def described(self) -> str:
        """The filters that are set, as a clerk reads them: 状态：已签订；搜索：王. Empty
        when nothing is filtered."""
        parts = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value in self.empty:
                continue
            show = f.metadata.get("show")
            shown = show(value) if show is not None else value
            parts.append(f"{f.metadata.get('label', f.name)}：{shown}")
        return "；".join(parts)
