from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperworkConfig(AppConfig):
    name = "paperwork"
    verbose_name = _("Paperwork")

    def ready(self) -> None:
        from paperwork import checks  # noqa: F401  (registers the system checks)
