"""Choices of the monthly assessment (月督查、月通报、月考核、月排序)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """How an item counts: scored items add up to the monthly maximum; bonus and deduction
    items (加分、减分并算) add or take points within their limit."""

    SCORED = "scored", _("Scored item")
    BONUS = "bonus", _("Bonus item")
    DEDUCTION = "deduction", _("Deduction item")


class ItemNature(models.TextChoices):
    """质量、水平并重: items on the quality of results and on the level of the work."""

    QUALITY = "quality", _("Quality of results")
    LEVEL = "level", _("Level of work")


class ItemBasis(models.TextChoices):
    """定性、定量并用."""

    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class MonthState(models.TextChoices):
    OPEN = "open", _("Open for scoring")
    SCORED = "scored", _("Scored")
    PUBLISHED = "published", _("Published")
    SETTLED = "settled", _("Settled")


# Months whose scores count: published to the directors (and settled for pay).
COUNTED_STATES = [MonthState.PUBLISHED, MonthState.SETTLED]
