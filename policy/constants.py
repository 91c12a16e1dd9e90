"""Choices of the policy's rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenewalMode(models.TextChoices):
    RESELECTION = "reselection", _("Re-selection under the same conditions and procedure")
    COMMITTEE_REVIEW = "committee_review", _("Review by the township committee")


class Grade(models.TextChoices):
    """The annual appraisal grades, best first (national usage)."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")

    @classmethod
    def at_or_above(cls, grade: str) -> list[str]:
        """The grades as good as ``grade`` or better."""
        values = list(cls.values)
        return values[: values.index(grade) + 1]

    @classmethod
    def at_or_below(cls, grade: str) -> list[str]:
        """The grades as bad as ``grade`` or worse."""
        values = list(cls.values)
        return values[values.index(grade) :]
