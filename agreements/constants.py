from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted, waiting for signature")
    SIGNED = "signed", _("Signed by the three parties")
