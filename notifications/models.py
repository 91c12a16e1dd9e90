"""Notifications: in the app (the top bar shows the unread count) and by email, each user
choosing per category (``NotificationPreference``; ``DEFAULTS`` when they chose nothing)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a notification is about; the sender says which (``notify(category=...)``) and each
    user chooses per category whether to see it in the app and whether to get an email."""

    TASKS = "tasks", _("Tasks assigned")
    DEADLINES = "deadlines", _("Deadlines approaching and passed")
    WARNINGS = "warnings", _("Warnings")
    DOCUMENTS = "documents", _("Documents issued about you")
    OTHER = "other", _("Other notices")


CATEGORY_HELP = {
    Category.TASKS: _(
        "A task of a flow given to you, or waiting in a queue of yours for someone to take it."
    ),
    Category.DEADLINES: _(
        "A contract ending soon, an agreement or a decision not done by its date, a step "
        "overdue and escalated."
    ),
    Category.WARNINGS: _("Early warnings, yellow cards and dismissal cases."),
    Category.DOCUMENTS: _(
        "A document about you issued: contract, pay slip, appraisal form, certificate, notice."
    ),
    Category.OTHER: _("Decisions and changes told for information: a resignation, a reward."),
}


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: bool


# What a user receives in a category they have not chosen for: everything in the app; an
# email for what asks them to act (tasks, deadlines, warnings), none for documents (a pay
# slip a month) and other notices. The preference page starts from these.
DEFAULTS: dict[str, Choice] = {
    Category.TASKS: Choice(in_app=True, email=True),
    Category.DEADLINES: Choice(in_app=True, email=True),
    Category.WARNINGS: Choice(in_app=True, email=True),
    Category.DOCUMENTS: Choice(in_app=True, email=False),
    Category.OTHER: Choice(in_app=True, email=False),
}


class EmailState(models.TextChoices):
    NONE = "", _("No email")
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """A message for one user. ``key`` makes sending idempotent: the same key is sent to a
    user once (a sweep run twice on a day sends nothing new, in the app or by email).

    A row is stored whatever the user chose, so that the key is spent: ``in_app`` says whether
    the user sees it (their list and the unread count), ``email_state`` whether an email goes
    out (``notifications.services.send_emails``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=100)
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    in_app = models.BooleanField(_("shown in the app"), default=True)
    email_state = models.CharField(
        _("email"), max_length=8, choices=EmailState.choices, default=EmailState.NONE, blank=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_tried_at = models.DateTimeField(_("email last tried at"), null=True, blank=True)
    # Who is sending the email: the sender that claimed the row (send_emails).
    email_claim = models.CharField(max_length=32, blank=True, editable=False)

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
            # The emails waiting or failed, for the retry (send_notification_emails).
            models.Index(
                fields=["email_state", "created_at"],
                name="notification_email_due",
                condition=~models.Q(email_state__in=["", "sent"]),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """What one user chose for one category; without a row, ``DEFAULTS`` apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    in_app = models.BooleanField(_("in the app"))
    email = models.BooleanField(_("by email"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                "user", "category", name="notification_preference_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_category_display()}"
