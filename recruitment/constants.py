"""States and kinds of recruitment records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    REGULAR = "regular", _("Open selection")
    REFILL = "refill", _("Refill of a vacancy")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced, registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    REVIEWED = "reviewed", _("Eligibility reviewed")
    EXAMINED = "examined", _("Examined")
    RANKED = "ranked", _("Ranked")
    PUBLICISED = "publicised", _("Proposed hires publicised")
    CONCLUDED = "concluded", _("Concluded")
    CANCELLED = "cancelled", _("Cancelled")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    ABSENT = "absent", _("Absent")
    SCORED = "scored", _("Written exam scored")
    SHORTLISTED = "shortlisted", _("Shortlisted for interview")
    RANKED = "ranked", _("Ranked")
    PROPOSED = "proposed", _("Proposed for hire")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")
    RESERVE = "reserve", _("On the reserve list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EligibilityRule(models.TextChoices):
    """The conditions of seed 001 that an application is checked against."""

    AGE = "age", _("Age at the registration deadline")
    EDUCATION = "education", _("Education")
    ID_NUMBER = "id_number", _("Valid ID number")
    HOUSEHOLD = "household", _("Household registration")
    DOCUMENTS = "documents", _("Certificates provided and genuine")


class WaiverDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for county approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ObjectionDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    EDUCATION_CERTIFICATE = "education_certificate", _("Education certificate")
    ID_CARD = "id_card", _("ID card")
    HOUSEHOLD_REGISTER = "household_register", _("Household register")
    OTHER = "other", _("Other")
