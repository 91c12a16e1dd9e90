from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """Public disclosure (民主监督): the public pages of the townships that county HR has
    switched on (``Township.discloses_publicly``)."""

    name = "disclosure"
    verbose_name = _("Public disclosure")
