"""django-axes (the login throttling) under a name people read in the admin: its app is
otherwise headed "Axes". Installed as ``accounts.apps_axes.AxesConfig`` in place of "axes"."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")
