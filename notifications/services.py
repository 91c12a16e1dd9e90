"""Sending notifications, in the app and by email, as each user chose.

``notify`` and ``notify_each`` store one ``Notification`` per user and key (once: the key is
spent whatever the user chose), visible in the app if the user receives the category there,
and marked for an email if they receive it by email and have an address. The emails go out
after the caller's transaction commits (never for one that rolls back), handed on like the
background jobs (``jobs.services``):

- to Celery when ``settings.CELERY_BROKER_URL`` is set (the task ``notifications.send_emails``);
- otherwise sent at once by the committing process itself (the embedded set-up: no broker).

Sending never raises into the caller: a failed SMTP server leaves the notification in the app
and its email ``failed``, retried by ``manage.py send_notification_emails`` (cron, or Celery
beat), at most ``EMAIL_MAX_ATTEMPTS`` times.
"""

import contextvars
import datetime
import logging
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import (
    DEFAULTS,
    Category,
    Choice,
    EmailState,
    Notification,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 5
# An email still waiting (or being sent) this long after its notification was stored lost its
# sender (a broker down, a process killed): the retry takes it.
EMAIL_STUCK_AFTER = datetime.timedelta(minutes=10)


_in_app_only = contextvars.ContextVar("notifications_in_app_only", default=False)


@contextmanager
def in_app_only() -> Iterator[None]:
    """Notifications sent inside are stored and shown as usual, but send no email: the demo
    county's replayed history (``load_demo``) tells nobody's mailbox about it."""
    token = _in_app_only.set(True)
    try:
        yield
    finally:
        _in_app_only.reset(token)


# Preferences ------------------------------------------------------------------------------


def choices_of(user_ids: Iterable[int], category: str) -> dict[int, Choice]:
    """What each user receives in ``category``: their choice, else the default. One query."""
    default = DEFAULTS[category]
    chosen = {
        user_id: Choice(in_app=in_app, email=email)
        for user_id, in_app, email in NotificationPreference.objects.filter(
            user_id__in=list(user_ids), category=category
        ).values_list("user_id", "in_app", "email")
    }
    return {pk: chosen.get(pk, default) for pk in user_ids}


def preferences_of(user) -> dict[str, Choice]:
    """Every category's choice of ``user`` (the defaults where they chose nothing)."""
    chosen = {
        category: Choice(in_app=in_app, email=email)
        for category, in_app, email in NotificationPreference.objects.filter(user=user).values_list(
            "category", "in_app", "email"
        )
    }
    return {category: chosen.get(category, DEFAULTS[category]) for category in Category.values}


@transaction.atomic
def preferences_save(*, user, choices: dict[str, Choice]) -> None:
    """Store ``user``'s choice for each category given (one row per category)."""
    for category, choice in choices.items():
        Category(category)  # an unknown category fails here
        NotificationPreference.objects.update_or_create(
            user=user,
            category=category,
            defaults={"in_app": choice.in_app, "email": choice.email},
        )


# Sending ----------------------------------------------------------------------------------


def notify(*, users: Iterable, key: str, text: str, category: str, url: str = "") -> int:
    """Send ``text`` (with a link) in ``category`` to each active user, once per ``key``: a
    user who already has a notification with this key gets nothing new. Returns how many
    were sent."""
    return notify_each([(users, key, text, url)], category=category)


def notify_each(messages: Iterable[tuple[Iterable, str, str, str]], *, category: str) -> int:
    """``notify`` for many messages of one category at once, ``(users, key, text, url)``
    each, in one transaction and a fixed number of queries whatever their number (the daily
    sweep sends hundreds): the keys already sent, the users' choices, the insert."""
    Category(category)  # an unknown category fails here, before anything is stored
    wanted: dict[tuple[int, str], tuple[object, str, str]] = {}
    for users, key, text, url in messages:
        for user in users:
            if user is not None and user.is_active:
                wanted.setdefault((user.pk, key), (user, text, url))
    if not wanted:
        return 0
    with transaction.atomic():
        keys = {key for _pk, key in wanted}
        already = set(
            Notification.objects.filter(key__in=keys).values_list("user_id", "key").iterator()
        )
        due = {pair: message for pair, message in wanted.items() if pair not in already}
        if not due:
            return 0
        choices = choices_of({pk for pk, _key in due}, category)
        fresh = []
        for (pk, key), (user, text, url) in due.items():
            choice = choices[pk]
            emailed = choice.email and bool(getattr(user, "email", "")) and not _in_app_only.get()
            fresh.append(
                Notification(
                    user_id=pk,
                    key=key,
                    category=category,
                    text=text[:300],
                    url=url,
                    in_app=choice.in_app,
                    email_state=EmailState.PENDING if emailed else EmailState.NONE,
                )
            )
        Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)
        emailed_keys = sorted({n.key for n in fresh if n.email_state == EmailState.PENDING})
        if emailed_keys:
            transaction.on_commit(partial(emails_dispatch, emailed_keys), robust=True)
    return len(fresh)


def emails_dispatch(keys: list[str]) -> None:
    """Hand the waiting emails of ``keys`` to whatever sends them (the module's docstring).
    Runs after the commit: whatever fails is logged, never raised into the request."""
    try:
        if settings.CELERY_BROKER_URL:
            import config.celery  # noqa: F401  (the Celery app, configured from the settings)
            from notifications.tasks import send_emails_task

            send_emails_task.delay(keys)
        else:
            send_emails(keys=keys)
    except Exception:
        logger.exception("The emails of notifications %s were not handed on", keys[:5])


def absolute_url(path: str) -> str:
    """``path`` of this site as an address to open from an email (CUNPIN_PUBLIC_BASE_URL)."""
    base = settings.CUNPIN_PUBLIC_BASE_URL.rstrip("/") + "/"
    return urljoin(base, path.lstrip("/"))


def email_of(notification: Notification) -> EmailMessage:
    """The email of a notification, in Chinese: its category, text and link."""
    with translation.override("zh-hans"):
        category = Category(notification.category).label
        link = absolute_url(notification.url or reverse("notifications:list"))
        subject = gettext("[Cunpin] %(category)s: %(text)s") % {
            "category": category,
            "text": _shorten(notification.text, 40),
        }
        body = render_to_string(
            "notifications/email.txt",
            {
                "user": notification.user,
                "text": notification.text,
                "category": category,
                "link": link,
                "settings_link": absolute_url(reverse("notifications:settings")),
            },
        )
    return EmailMessage(subject=subject.replace("\n", " "), body=body, to=[notification.user.email])


def _shorten(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _claim(rows) -> str:
    """Take ``rows`` (a queryset of notifications whose email may be sent now) for this
    sender: one conditional UPDATE, which no other sender's can overlap."""
    claim = secrets.token_hex(16)
    rows.update(email_state=EmailState.SENDING, email_claim=claim, email_tried_at=timezone.now())
    return claim


def send_emails(*, keys: list[str] | None = None) -> dict[str, int]:
    """Send the emails waiting: those of ``keys`` just committed, or (``keys=None``, the
    retry) every failed one with attempts left and every one waiting longer than
    ``EMAIL_STUCK_AFTER``. Each is claimed first, so that no email goes out twice. Returns
    how many were sent and failed; never raises for a failed server."""
    if keys is not None:
        due = Notification.objects.filter(key__in=keys, email_state=EmailState.PENDING)
    else:
        stuck = timezone.now() - EMAIL_STUCK_AFTER
        due = Notification.objects.filter(
            Q(email_state=EmailState.FAILED, email_attempts__lt=EMAIL_MAX_ATTEMPTS)
            | Q(email_state=EmailState.PENDING, created_at__lt=stuck)
            | Q(email_state=EmailState.SENDING, email_tried_at__lt=stuck)
        )
    claim = _claim(due)
    claimed = list(
        Notification.objects.filter(email_claim=claim, email_state=EmailState.SENDING)
        .select_related("user")
        .order_by("pk")
    )
    outcome = {"sent": 0, "failed": 0}
    if not claimed:
        return outcome
    skipped = [n.pk for n in claimed if not n.user.is_active or not n.user.email]
    if skipped:
        Notification.objects.filter(pk__in=skipped).update(
            email_state=EmailState.NONE, email_claim=""
        )
    left_out = set(skipped)
    todo = [n for n in claimed if n.pk not in left_out]
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception:
        logger.exception("The mail server could not be reached: %s emails wait", len(todo))
        _record_failed([n.pk for n in todo])
        outcome["failed"] = len(todo)
        return outcome
    sent, failed = [], []
    try:
        for notification in todo:
            try:
                message = email_of(notification)
                message.connection = connection
                message.send()
            except Exception:
                logger.exception("The email of notification %s failed", notification.pk)
                failed.append(notification.pk)
            else:
                sent.append(notification.pk)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Closing the mail connection failed")
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            email_state=EmailState.SENT,
            emailed_at=timezone.now(),
            email_claim="",
            email_attempts=_attempts_plus_one(),
        )
    _record_failed(failed)
    outcome["sent"], outcome["failed"] = len(sent), len(failed)
    return outcome


def _attempts_plus_one():
    return F("email_attempts") + 1


def _record_failed(pks: list[int]) -> None:
    if pks:
        Notification.objects.filter(pk__in=pks).update(
            email_state=EmailState.FAILED, email_claim="", email_attempts=_attempts_plus_one()
        )
