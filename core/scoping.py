"""How a model says where its records belong, for ``accounts.scoping``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopePaths:
    """For each scope (``accounts.constants.Scope``), the lookup from the model to the
    user's county, township, village or person. A scope left out sees nothing of the model."""

    county: str | None = None
    township: str | None = None
    village: str | None = None
    self: str | None = None
