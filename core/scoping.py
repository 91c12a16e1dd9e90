"""How a model says where its records belong, for ``accounts.scoping``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

# A lookup from the model to the user's county, township, village or person: a field path
# ("township__county"), or, where one path cannot say it (a county course seen by every
# township of the county, a township session only by its own), a function of the user's id
# returning the filter.
ScopePath = str | Callable[[int], Q] | None


@dataclass(frozen=True)
class ScopePaths:
    """For each scope (``accounts.constants.Scope``), the lookup from the model to the
    user's county, township, village or person. A scope left out sees nothing of the model."""

    county: ScopePath = None
    township: ScopePath = None
    village: ScopePath = None
    self: ScopePath = None


def scope_q(path: str | Callable[[int], Q], value: int) -> Q:
    """The filter of ``path`` (a field path or a function) for the user's ``value``."""
    return path(value) if callable(path) else Q(**{path: value})


# A record of a whole county (its policy, its scoring scheme): seen by everyone of the county.
COUNTY_WIDE = ScopePaths(
    county="county",
    township="county__townships",
    village="county__townships__villages",
    self="county__townships__villages__posts__holder",
)
