"""The Celery app, for background jobs when ``CELERY_BROKER_URL`` is set (README,
"Background work"). Start a worker with::

    CELERY_BROKER_URL=redis://localhost:6379/1 .venv/bin/celery -A config.celery worker -l info

and, to run the sweeps on schedule instead of from cron, a beat beside it::

    .venv/bin/celery -A config.celery beat -l info

Settings are read from Django's, the ``CELERY_`` ones (config/settings/base.py).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("cunpin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["jobs", "notifications"])

# The same sweeps cron runs (README): the contract term's daily sweep just after midnight
# (Asia/Shanghai) and the workflow timers every five minutes; the notification emails that
# failed are tried again every ten.
app.conf.beat_schedule = {
    "daily-sweep": {
        "task": "jobs.run_command",
        "schedule": crontab(hour=0, minute=10),
        "args": ["sweep"],
    },
    "workflow-timers": {
        "task": "jobs.run_command",
        "schedule": crontab(minute="*/5"),
        "args": ["workflow_timers"],
    },
    "notification-emails": {
        "task": "notifications.send_emails",
        "schedule": crontab(minute="*/10"),
    },
}
