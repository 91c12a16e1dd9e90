"""Signals sent by the appraisal services inside their transaction, so the workflows app can
start the flow of a new record without the services importing the flows.

Each is sent with ``sender`` the model class and the record as keyword argument.
"""

from django.dispatch import Signal

appraisal_opened = Signal()  # appraisal=; waits for the township's ratings
settlement_proposed = Signal()  # settlement=; waits to be settled by its due date
