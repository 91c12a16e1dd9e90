"""The Celery task of notification emails (used when ``settings.CELERY_BROKER_URL`` is set;
without a broker the committing process sends them itself, ``notifications.services``)."""

from celery import shared_task

from notifications.services import send_emails


@shared_task(name="notifications.send_emails", acks_late=True, ignore_result=True)
def send_emails_task(keys: list[str] | None = None) -> None:
    """Send the waiting emails of ``keys`` (``None``: the retry of failed and stuck ones).
    Each email is claimed before it is sent: a task run twice sends nothing twice."""
    send_emails(keys=keys)
