"""The contract services, one transaction each: transition, save, audit row, paperwork,
notification. Views and flow nodes call these and nothing below them.

- ``drafting``: a confirmed hire's contract (called by recruitment).
- ``posts``: a post's occupancy and its vacancy (called by the services that start or end a
  contract).
"""

from contracts.services.drafting import POST_HOLDING_STATES, contract_draft, contract_end_date
from contracts.services.posts import post_occupy, post_vacate, vacancy_open

__all__ = [
    "POST_HOLDING_STATES",
    "contract_draft",
    "contract_end_date",
    "post_occupy",
    "post_vacate",
    "vacancy_open",
]
