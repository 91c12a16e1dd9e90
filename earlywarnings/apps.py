from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningsConfig(AppConfig):
    name = "earlywarnings"
    verbose_name = _("Early warnings and yellow cards")

    def ready(self) -> None:
        from assessment.signals import month_published
        from earlywarnings import rules  # registers the sweep step "early_warnings"

        # The score rules run once a month's publication is committed.
        month_published.connect(
            rules.on_month_published, dispatch_uid="earlywarnings.on_month_published"
        )
