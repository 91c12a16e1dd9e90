"""Notifications: a message for one user with a link, read or unread, in the app and by email
as the user chose per category."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import checks  # noqa: F401  (registers the email settings' checks)
