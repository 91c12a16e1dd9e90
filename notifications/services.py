"""Sending in-app notifications."""

from collections.abc import Iterable

from django.db import transaction

from notifications.models import Notification


def notify(*, users: Iterable, key: str, text: str, url: str = "") -> int:
    """Send ``text`` (with a link) to each active user, once per ``key``: a user who already
    has a notification with this key gets nothing new. Returns how many were sent."""
    targets = {user.pk: user for user in users if user is not None and user.is_active}
    if not targets:
        return 0
    with transaction.atomic():
        already = set(
            Notification.objects.filter(user_id__in=targets, key=key).values_list(
                "user_id", flat=True
            )
        )
        fresh = [
            Notification(user_id=pk, key=key, text=text[:300], url=url)
            for pk in targets
            if pk not in already
        ]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)
