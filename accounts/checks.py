"""Deployment checks (``manage.py check --deploy``) for what the settings cannot enforce."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Production needs a cache shared by every worker: without REDIS_URL each gunicorn
    worker counts the public pages' rate limits on its own, so the limits multiply by the
    number of workers. (Login throttling counts in the database and needs no cache.)"""
    if not getattr(settings, "CUNPIN_PRODUCTION", False) or settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: the rate limits of the public applicant pages are counted "
            "in each worker process separately.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that all workers share "
            "one count.",
            id="cunpin.W001",
        )
    ]
