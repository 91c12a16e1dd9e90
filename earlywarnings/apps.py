from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningsConfig(AppConfig):
    name = "earlywarnings"
    verbose_name = _("Early warnings and yellow cards")
