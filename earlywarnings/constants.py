"""Choices of the early warnings (预警) and yellow cards (黄牌警告)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WarningRule(models.TextChoices):
    """What opened a warning (the rules of ``earlywarnings.rules``)."""

    LOW_SCORE = "low_score", _("Monthly score below the pass line")
    BOTTOM_RANKED = "bottom_ranked", _("At the bottom of the township for months running")
    MISSED_REFRESHER = "missed_refresher", _("Missed the annual refresher training")
    UNSIGNED_AGREEMENT = "unsigned_agreement", _("Target-responsibility agreement not signed")


class WarningState(models.TextChoices):
    OPEN = "open", pgettext_lazy("warning state", "Open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("warning state", "Acknowledged")
    CLOSED = "closed", pgettext_lazy("warning state", "Closed")


# A warning still to be dealt with: shown on the dashboards.
ACTIVE_STATES = [WarningState.OPEN, WarningState.ACKNOWLEDGED]
