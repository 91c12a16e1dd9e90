from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Monthly assessment")

    def ready(self) -> None:
        from assessment import jobs  # noqa: F401  (registers the background job's handler)
