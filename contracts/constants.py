from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContractState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted, waiting for signature")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring, renewal review open")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    DISMISSED = "dismissed", pgettext_lazy("contract", "Dismissed")
