"""The Celery task of background jobs (used when ``settings.CELERY_BROKER_URL`` is set)."""

from celery import shared_task

from jobs.services import job_run


@shared_task(name="jobs.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: int) -> None:
    """Run one queued job; nothing if another worker has it or it is done."""
    job_run(job_id)


@shared_task(name="jobs.run_command", ignore_result=True)
def run_command(name: str) -> None:
    """Run a management command (the scheduled sweeps, see ``config.celery``)."""
    from django.core.management import call_command

    call_command(name)
