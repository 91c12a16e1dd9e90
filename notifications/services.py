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


def notify_each(messages: Iterable[tuple[Iterable, str, str, str]]) -> int:
    """``notify`` for many messages at once, ``(users, key, text, url)`` each, in one
    transaction and a fixed number of queries (the daily sweep sends hundreds)."""
    wanted: dict[tuple[int, str], Notification] = {}
    for users, key, text, url in messages:
        for user in users:
            if user is not None and user.is_active:
                wanted.setdefault(
                    (user.pk, key), Notification(user_id=user.pk, key=key, text=text[:300], url=url)
                )
    if not wanted:
        return 0
    with transaction.atomic():
        keys = {key for _pk, key in wanted}
        already = set(
            Notification.objects.filter(key__in=keys).values_list("user_id", "key").iterator()
        )
        fresh = [n for pair, n in wanted.items() if pair not in already]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)
    return len(fresh)
