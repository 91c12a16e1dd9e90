"""In-app notifications (the top bar shows the unread count)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message for one user. ``key`` makes sending idempotent: the same key is sent to a
    user once (a sweep run twice on a day sends nothing new)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=100)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("user", "key", name="notification_once_per_user_key")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # The daily sweep looks up which reminders were sent by key alone.
            models.Index(fields=["key"], name="notification_key"),
        ]

    def __str__(self) -> str:
        return self.text
