from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PaperworkConfig(AppConfig):
    name = "paperwork"
    verbose_name = _("Paperwork")

    def ready(self) -> None:
        from paperwork import checks  # noqa: F401  (registers the system checks)

        # Each app declares the kinds of document it issues in its kinds.py, which registers
        # them with paperwork.kinds on import.
        autodiscover_modules("kinds")
