from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from policy.constants import RenewalMode  # noqa: F401  (the policy chooses it; named here too)


class ContractState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted, waiting for signature")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring, renewal review open")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    DISMISSED = "dismissed", pgettext_lazy("contract", "Dismissed")


# In force: the post is occupied and the person is its director. The database allows one such
# contract per post and one per person (Contract.Meta.constraints).
IN_FORCE_STATES = [ContractState.ACTIVE, ContractState.EXPIRING]
# Waiting to come into force: holds the post so nobody else is offered it.
PENDING_STATES = [ContractState.DRAFTED, ContractState.SIGNED]
ENDED_STATES = [
    ContractState.RENEWED,
    ContractState.EXPIRED,
    ContractState.TERMINATED,
    ContractState.DISMISSED,
]


class ContractOrigin(models.TextChoices):
    HIRE = "hire", _("Hired by open selection")
    RENEWAL = "renewal", _("Renewal")
    IMPORT = "import", _("Imported (in post before the system)")


class EndReason(models.TextChoices):
    """Why a contract ended (解聘 grounds of seed 001, resignation, expiry, dismissal)."""

    RESIGNATION = "resignation", _("Resignation")
    CHANGE_OF_POST = "change_of_post", _("Change of post")
    HEALTH = "health", _("Health")
    OVER_AGE = "over_age", _("Reached the renewal age")
    EXPIRY = "expiry", _("Term ended without renewal")
    DISMISSAL = "dismissal", _("Dismissal")
    RENEWAL = "renewal", _("Renewed for a new term")


# Termination by a township decision (解聘), other than resignation.
TERMINATION_REASONS = [EndReason.CHANGE_OF_POST, EndReason.HEALTH, EndReason.OVER_AGE]


class InductionSource(models.TextChoices):
    RECORDED = "recorded", _("Recorded by county HR")
    TRAINING = "training", _("Training attendance")
    IMPORTED = "imported", _("Imported")
    NOT_REQUIRED = "not_required", _("Not required (renewal)")


class VacancyState(models.TextChoices):
    OPEN = "open", _("Open, acting person to be designated")
    ACTING = "acting", _("Acting person designated")
    REFILLING = "refilling", _("Refill under way")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed (post abolished)")


OPEN_VACANCY_STATES = [VacancyState.OPEN, VacancyState.ACTING, VacancyState.REFILLING]


class VacancyCause(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("The contract ended")
    AT_IMPORT = "at_import", _("Vacant when the directors were imported")
    NEW_POST = "new_post", _("New post")


class OfferAnswer(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ResignationState(models.TextChoices):
    REQUESTED = "requested", _("Requested, waiting for the township")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RenewalState(models.TextChoices):
    OPEN = "open", _("Open, waiting for the township")
    RENEW = "renew", _("Renewal decided")
    NOT_RENEW = "not_renew", _("Not renewed")


class CaseState(models.TextChoices):
    OPENED = "opened", _("Opened, waiting for the director's statement")
    HEARD = "heard", _("Director heard")
    DECIDED = "decided", _("Decided, to be filed with the county")
    FILED = "filed", _("Filed with the county")


class CaseDecision(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss the director")
    CLOSE = "close", _("Close the case without dismissal")


class GroundDetector(models.TextChoices):
    """The dismissal grounds that records can show (contracts.detectors)."""

    NONE = "", _("Judged by the committee")
    LAGGING = "lagging", _("Appraisal records")
    ILLEGAL_BIRTHS = "illegal_births", _("Birth records of the village")
    MISSED_REFRESHER = "missed_refresher", _("Refresher training records")
