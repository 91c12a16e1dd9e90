"""Signals sent by the contract services after their transaction's work is done (still inside
it), so the workflows app can start the flow of a new record without the services importing
the flows: ``workflows.apps`` connects the receivers.

Each is sent with ``sender`` the model class and the record as keyword argument.
"""

from django.dispatch import Signal

contract_drafted = Signal()  # contract=; a contract waits for signing and filing
vacancy_opened = Signal()  # vacancy=; a post fell vacant (or was vacant at import)
resignation_requested = Signal()  # resignation=
renewal_review_opened = Signal()  # review=
dismissal_case_opened = Signal()  # case=
