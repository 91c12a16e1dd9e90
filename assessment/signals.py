"""Signals of the monthly assessment, for the apps above it (early warnings).

``month_published`` is sent by ``assessment.services`` once a month's publication has been
committed, with ``month`` (an ``AssessmentMonth``) and ``by`` (the user, or ``None``).
"""

from django.dispatch import Signal

month_published = Signal()
