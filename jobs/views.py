"""The pages of background jobs: a job's progress and result, and the recent jobs of the
user's county or township.

The job page polls ``progress/`` (a small JSON answer) while the job waits or runs and
reloads itself when it ends; without JavaScript it refreshes itself every few seconds. The
result is shown as the handler's label/value lines and links to the documents it produced
(``jobs.registry``), never as raw data. A failed job, or one whose worker went silent, has
a retry button for anyone who may see it: the handler does not repeat what was done.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from accounts.scoping import get_scoped_or_404, scoped
from jobs.models import Job, JobState
from jobs.services import job_retry
from paperwork.selectors import documents_visible_to

VIEW_JOB = "jobs.view_job"
RECENT = 30
REFRESH_SECONDS = 3


def _lines(job: Job) -> list[tuple[str, str]]:
    """The result's label/value lines (``jobs.registry``), labels translated."""
    result = job.result if isinstance(job.result, dict) else {}
    lines = []
    for line in result.get("lines") or []:
        if isinstance(line, dict) and "label" in line:
            lines.append((gettext(str(line["label"])), gettext(str(line.get("value", "")))))
    return lines


def _documents(job: Job, user):
    result = job.result if isinstance(job.result, dict) else {}
    ids = [i for i in result.get("documents") or [] if isinstance(i, int)]
    if not ids:
        return []
    return list(
        documents_visible_to(user).filter(pk__in=ids).select_related("person").order_by("pk")
    )


def _progress(job: Job) -> dict:
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
    }


@require_safe
@login_required
@permission_required(VIEW_JOB, raise_exception=True)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = scoped(Job.objects.select_related("township", "created_by"), request.user)[:RECENT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_safe
@login_required
@permission_required(VIEW_JOB, raise_exception=True)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_scoped_or_404(
        Job.objects.select_related("township", "created_by"), request.user, pk=pk
    )
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "lines": _lines(job),
            "documents": _documents(job, request.user),
            "refresh_seconds": REFRESH_SECONDS,
            "failed": job.state == JobState.FAILED,
        },
    )


@require_safe
@login_required
@permission_required(VIEW_JOB, raise_exception=True)
def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_scoped_or_404(Job.objects.all(), request.user, pk=pk)
    response = JsonResponse(_progress(job))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@permission_required(VIEW_JOB, raise_exception=True)
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_scoped_or_404(Job.objects.all(), request.user, pk=pk)
    if job_retry(job):
        messages.success(request, gettext("The job has been started again."))
    else:
        messages.info(request, gettext("The job is not failed or stalled: nothing to retry."))
    return redirect("jobs:detail", pk=job.pk)
