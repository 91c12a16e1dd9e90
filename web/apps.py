from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "web"
    verbose_name = _("Staff site")

    def ready(self) -> None:
        from web.audit_labels import register_flow_labels

        register_flow_labels()
