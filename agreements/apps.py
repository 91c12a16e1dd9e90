from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Target-responsibility agreements")

    def ready(self) -> None:
        # The overdue notices' step of the daily sweep (contracts.sweep).
        from agreements import sweep_steps  # noqa: F401
