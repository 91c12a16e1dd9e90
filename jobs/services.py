"""Submitting, claiming and running background jobs.

``job_submit`` is the one way to start one. The job is stored at once and handed on when the
caller's transaction commits (never for a transaction that rolls back), to one of:

- nobody else: with ``settings.JOBS_EAGER`` (the tests) the job runs at once, inside the
  caller's transaction, before ``job_submit`` returns;

- the submitting process itself, when the job declares at most
  ``settings.JOBS_EAGER_MAX_ITEMS`` items (a small township's month needs no worker);
- Celery, when ``settings.CELERY_BROKER_URL`` is set (Redis in production): the task
  ``jobs.run_job`` runs ``job_run``;
- otherwise the embedded worker, ``manage.py run_jobs`` (``make run`` starts it beside the
  web server), which polls the database for queued jobs.

Whoever runs a job first claims it: a conditional UPDATE from ``queued`` to ``running``, which
one process only can win, on SQLite and PostgreSQL alike; the worker looking for the next job
on PostgreSQL skips rows another worker holds (``select_for_update(skip_locked=True)``). A job
that failed, or whose worker went silent (``Job.is_stale``), is retried by ``job_retry``; its
handler is idempotent (``jobs.registry``).
"""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from jobs.models import Job, JobState
from jobs.registry import handler_for, size_for

logger = logging.getLogger(__name__)


def job_submit(
    *,
    kind: str,
    key: str,
    label: str,
    params: dict,
    county,
    township=None,
    by,
    size: int | None = None,
) -> Job:
    """The job of ``kind`` and ``key``: the one already submitted (whatever its state), or a
    new one, started when the caller's transaction commits.

    ``size`` is the number of items the job will handle, if known (else the handler's
    ``size``, see ``jobs.registry``); it decides whether the job runs at once."""
    handler_for(kind)  # an unknown kind fails here, before anything is stored
    if size is None:
        size = size_for(kind, params)
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
                total=size or 0,
            )
    except IntegrityError:
        return Job.objects.get(kind=kind, key=key)
    _hand_on(job.pk, size=size)
    job.refresh_from_db()  # run already when eager or outside a transaction
    return job


def job_retry(job: Job) -> bool:
    """Queue a failed or stale job again and hand it on when the transaction commits.
    ``False`` if the job is neither (done, waiting or still running)."""
    job.refresh_from_db()
    if not job.can_retry:
        return False
    requeued = Job.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts).update(
        state=JobState.QUEUED, error="", finished_at=None
    )
    if requeued:
        _hand_on(job.pk, size=job.total or None)
    return bool(requeued)


def _hand_on(job_id: int, *, size: int | None) -> None:
    if settings.JOBS_EAGER:
        job_run(job_id)  # the tests: at once, inside the caller's transaction
    else:
        transaction.on_commit(partial(_dispatch, job_id, size=size))


def _dispatch(job_id: int, *, size: int | None) -> None:
    """Hand a queued job to whatever runs it (see the module's docstring)."""
    if size is not None and size <= settings.JOBS_EAGER_MAX_ITEMS:
        job_run(job_id)
    elif settings.CELERY_BROKER_URL:
        import config.celery  # noqa: F401  (the Celery app, configured from the settings)
        from jobs.tasks import run_job

        run_job.delay(job_id)
    # else the embedded worker finds it in the database.


def _claim(job_id: int) -> bool:
    """Take a queued job for this process: only one caller can succeed."""
    now = timezone.now()
    return (
        Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            error="",
        )
        == 1
    )


def job_claim_next() -> int | None:
    """Claim the oldest queued job, for a worker; ``None`` if there is none."""
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job_id = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(state=JobState.QUEUED)
                .order_by("created_at", "id")
                .values_list("pk", flat=True)
                .first()
            )
            if job_id is not None and _claim(job_id):
                return job_id
        return None
    # SQLite: writers take turns anyway; the conditional UPDATE decides between workers.
    for job_id in (
        Job.objects.filter(state=JobState.QUEUED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:10]
    ):
        if _claim(job_id):
            return job_id
    return None


def job_run(job_id: int) -> None:
    """Claim and run one queued job (Celery's task and eager execution); nothing if another
    process has it or it is done. A failure is recorded on the job, never raised."""
    if _claim(job_id):
        job_execute(job_id)


def _error_text(exc: Exception) -> str:
    """What the job's page says about a failure, in Chinese."""
    with translation.override("zh-hans"):
        if isinstance(exc, ValidationError):
            return "；".join(str(m) for m in exc.messages)
        return gettext(
            "The job stopped on an unexpected error. Nothing it had not finished was kept; "
            "retry it, and if it fails again tell the system administrator (the details are "
            "in the server's log)."
        )


def job_execute(job_id: int) -> None:
    """Run the handler of a job this process has claimed and record how it ended."""
    job = Job.objects.get(pk=job_id)

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        result = handler_for(job.kind)(job, progress)
    except Exception as exc:  # recorded for the job's page; the job can be retried
        logger.exception("Job %s (%s, %s) failed", job.pk, job.kind, job.key)
        Job.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=_error_text(exc)[:2000], finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(
        state=JobState.DONE, result=result or {}, finished_at=timezone.now()
    )


def render_processes() -> int:
    """How many processes a job's handler may lay documents out in
    (``paperwork.services.documents_issue(processes=...)``): ``settings.JOBS_RENDER_PROCESSES``
    in a worker of its own (``run_jobs``), 1 in a daemonic Celery pool process (which cannot
    fork) and in a job run at once in the submitting request (a web server's process)."""
    import multiprocessing

    if not _in_worker or multiprocessing.current_process().daemon:
        return 1
    return max(1, settings.JOBS_RENDER_PROCESSES)


_in_worker = False


def worker_started() -> None:
    """Called by ``run_jobs``: this process is a worker of its own."""
    global _in_worker
    _in_worker = True
