"""``manage.py send_notification_emails``: send again the notification emails that failed
(a mail server down) or were never handed on (a broker down, a process killed), each at most
``notifications.services.EMAIL_MAX_ATTEMPTS`` times. Run it from cron every few minutes, or
let Celery beat run it (``config.celery``); it sends nothing twice."""

from django.core.management.base import BaseCommand

from notifications.services import send_emails


class Command(BaseCommand):
    help = "Send the notification emails that failed or are still waiting."

    def handle(self, *args, **options):
        outcome = send_emails(keys=None)
        if options["verbosity"] > 0:
            self.stdout.write(f"Emails sent: {outcome['sent']}, failed: {outcome['failed']}")
