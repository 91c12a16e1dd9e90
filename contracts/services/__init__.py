"""The contract services, one transaction each: transition, save, audit row, paperwork,
notification. Views and flow nodes call these and nothing below them.

- ``drafting``: a confirmed hire's contract (called by recruitment).
- ``posts``: a post's occupancy and its vacancy (called by the services that start or end a
  contract).
- ``signing``: signing, county filing and induction, which put a contract in force.
"""

from contracts.services.drafting import POST_HOLDING_STATES, contract_draft, contract_end_date
from contracts.services.posts import post_occupy, post_vacate, vacancy_open
from contracts.services.signing import contract_file, contract_record_induction, contract_sign

__all__ = [
    "POST_HOLDING_STATES",
    "contract_draft",
    "contract_end_date",
    "contract_file",
    "contract_record_induction",
    "contract_sign",
    "post_occupy",
    "post_vacate",
    "vacancy_open",
]
