"""Model fields shared by the apps."""

from django.conf import settings
from django.db import models


def user_field(verbose_name, *, null: bool = True) -> models.ForeignKey:
    """Who recorded a step: a user kept even if the account is later retired (PROTECT), no
    reverse accessor. Empty (``null``) until the step is taken, or when the system took it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
    )
