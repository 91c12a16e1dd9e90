"""Choices of the policy's rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenewalMode(models.TextChoices):
    RESELECTION = "reselection", _("Re-selection under the same conditions and procedure")
    COMMITTEE_REVIEW = "committee_review", _("Review by the township committee")
