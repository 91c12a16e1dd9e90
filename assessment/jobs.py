"""The background job that issues a published month's documents: the township's monthly
bulletin and every director's score and pay slip (``assessment.month_documents``).

Submitted by ``assessment.services.month_publish`` with the key ``"<month id>:<revision>"``.
Idempotent: the month and each score record the revision whose document they already have
(``bulletin_revision``, ``slip_revision``), set in the same transaction as the document, so
a job run again after a failure or a retry issues only what is missing, never a second
document for the same score and revision. A job for a revision the month has left (reopened
since) issues nothing."""

from django.db import transaction
from django.utils.translation import gettext_noop

from assessment.constants import COUNTED_STATES
from assessment.documents import pay_slip_items
from assessment.kinds import PAY_SLIP
from assessment.models import AssessmentMonth, MonthlyScore
from jobs.registry import job_handler
from jobs.services import render_processes
from paperwork.services import documents_issue
from paperwork.table import issue_for

# Slips issued a transaction, laid out in one pass a chunk and split per director
# (``paperwork.services.documents_issue``, several times faster than one render each), the
# chunks side by side in the worker's render processes (two chunks of 50 on two cores); a
# failure loses one slice, and a retry carries on after the slices done.
SLICE = 100


def _size(params: dict) -> int:
    """The slips and the bulletin: a township's month (at most JOBS_EAGER_MAX_ITEMS) is
    issued at once when the publishing transaction commits, a longer one by the worker."""
    return MonthlyScore.objects.filter(month_id=params["month_id"]).count() + 1


@job_handler("assessment.month_documents", size=_size)
def month_documents(job, progress) -> dict:
    month = AssessmentMonth.objects.select_related("township__county", "policy").get(
        pk=job.params["month_id"]
    )
    revision = job.params["revision"]
    by = job.created_by
    if month.revision != revision or month.state not in COUNTED_STATES:
        return {
            "lines": [
                {"label": gettext_noop("Documents issued"), "value": 0},
                {
                    "label": gettext_noop("Note"),
                    "value": gettext_noop("The month was reopened since; nothing to issue."),
                },
            ]
        }
    score_ids = list(
        month.scores.exclude(slip_revision=revision)
        .order_by("rank", "person__name_pinyin", "id")
        .values_list("pk", flat=True)
    )
    total = len(score_ids) + (month.bulletin_revision != revision)
    done = 0
    documents: list[int] = []
    bulletins = 0
    progress(done, total)
    with transaction.atomic():
        locked = AssessmentMonth.objects.select_for_update().get(pk=month.pk)
        if locked.bulletin_revision != revision:
            documents += [d.pk for d in issue_for(month, "publish", by=by)]
            AssessmentMonth.objects.filter(pk=month.pk).update(bulletin_revision=revision)
            bulletins += 1
            done += 1
    progress(done, total)
    slips = 0
    for start in range(0, len(score_ids), SLICE):
        ids = score_ids[start : start + SLICE]
        with transaction.atomic():
            scores = list(
                MonthlyScore.objects.select_for_update(of=("self",))
                .select_related("person", "village", "scheme", "month__township__county")
                .filter(pk__in=ids)
                .exclude(slip_revision=revision)
                .order_by("rank", "person__name_pinyin", "id")
            )
            for score in scores:
                score.month = month
            issued = documents_issue(
                kind=PAY_SLIP,
                items=pay_slip_items(scores),
                by=by,
                county=month.township.county,
                policy=month.policy,
                transition="publish",
                processes=render_processes(),
            )
            MonthlyScore.objects.filter(pk__in=[s.pk for s in scores]).update(
                slip_revision=revision
            )
        documents += [d.pk for d in issued]
        slips += len(issued)
        done += len(ids)
        progress(done, total)
    return {
        "lines": [
            {"label": gettext_noop("Monthly bulletin issued"), "value": bulletins},
            {"label": gettext_noop("Score and pay slips issued"), "value": slips},
        ],
        "documents": documents,
    }
