"""Choices of the annual appraisal (年度考核) and its rewards (奖励)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppraisalState(models.TextChoices):
    DRAFTED = "drafted", _("Waiting for ratings")
    RATED = "rated", _("Rated, waiting for the county")
    CONFIRMED = "confirmed", _("Confirmed by the county")


class RewardKind(models.TextChoices):
    """Seed 001, 考评激励机制 and 实行养老保险."""

    COMMENDATION = "commendation", _("Commendation")
    LONG_SERVICE = "long_service", _("Long-service reward")
    RECOMMENDATION = "recommendation", _("Recommendation for the public-institution exam")
    PENSION = "pension", _("Pension contribution")


class SettlementState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for settlement")
    SETTLED = "settled", _("Rewards settled")


RATING_KEYS = ("ethics", "ability", "diligence", "performance", "integrity", "satisfaction")
