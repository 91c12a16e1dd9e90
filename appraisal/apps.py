from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Annual appraisal and rewards")

    def ready(self) -> None:
        # The sweep step that flags overdue settlements (contracts.sweep) and the providers
        # of the dismissal detector and the renewal review (appraisal.providers).
        import appraisal.services.rewards  # noqa: F401
        from appraisal.providers import register

        register()
