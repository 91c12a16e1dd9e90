"""Signals of the monthly assessment, for the apps above it (early warnings).

``month_published`` is sent by ``assessment.services`` once a month's publication has been
committed, with ``month`` (an ``AssessmentMonth``) and ``by`` (the user, or ``None``).
"""

from django.dispatch import Signal

month_published = Signal()

# Sent by ``assessment.services.month_open`` inside its transaction, with ``month`` and
# ``by``: the month's flow starts with it (``workflows.flows_month``).
month_opened = Signal()
