"""Submitting and running background jobs.

``job_submit`` is the one way to start one. This first version runs the job at once, in the
caller's process (eager); the execution by Celery (``CELERY_BROKER_URL`` set) or the
embedded worker that ``make run`` starts is added behind the same function.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs.models import Job, JobState
from jobs.registry import handler_for


def job_submit(*, kind: str, key: str, label: str, params: dict, county, township=None, by) -> Job:
    """The job of ``kind`` and ``key``: the one already submitted, or a new one, run."""
    handler_for(kind)  # an unknown kind fails here, before anything is stored
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                key=key,
                label=label,
                params=params,
                county=county,
                township=township,
                created_by=by,
            )
    except IntegrityError:
        return Job.objects.get(kind=kind, key=key)
    job_run(job.pk)
    return Job.objects.get(pk=job.pk)


def job_run(job_id: int) -> None:
    """Run one job; a failure is recorded on the job, and the job can be run again."""
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1, error=""
    )

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        result = handler_for(job.kind)(job, progress)
    except Exception as exc:  # recorded for the job's page; the job can be retried
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, result=result or {}, finished_at=timezone.now()
    )
