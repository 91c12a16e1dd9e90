"""The background job that issues a published month's documents: the township's monthly
bulletin and every director's score and pay slip (``assessment.month_documents``).

Submitted by ``assessment.services.month_publish`` with the key ``"<month id>:<revision>"``.
Idempotent: the month and each score record the revision whose document they already have
(``bulletin_revision``, ``slip_revision``), set in the same transaction as the document, so
a job run again after a failure or a retry issues only what is missing, never a second
document for the same score and revision. A job for a revision the month has left (reopened
since) issues nothing."""

from django.db import transaction

from assessment.constants import COUNTED_STATES
from assessment.models import AssessmentMonth, MonthlyScore
from jobs.registry import job_handler
from paperwork.table import issue_for


@job_handler("assessment.month_documents")
def month_documents(job, progress) -> dict:
    month = AssessmentMonth.objects.select_related("township__county", "policy").get(
        pk=job.params["month_id"]
    )
    revision = job.params["revision"]
    by = job.created_by
    if month.revision != revision or month.state not in COUNTED_STATES:
        return {"issued": 0, "skipped": "the month was reopened since"}
    score_ids = list(
        month.scores.exclude(slip_revision=revision)
        .order_by("rank", "person__name_pinyin", "id")
        .values_list("pk", flat=True)
    )
    total = len(score_ids) + (month.bulletin_revision != revision)
    done = 0
    issued = 0
    progress(done, total)
    with transaction.atomic():
        locked = AssessmentMonth.objects.select_for_update().get(pk=month.pk)
        if locked.bulletin_revision != revision:
            issue_for(month, "publish", by=by)
            AssessmentMonth.objects.filter(pk=month.pk).update(bulletin_revision=revision)
            issued += 1
            done += 1
    progress(done, total)
    for score_id in score_ids:
        with transaction.atomic():
            score = (
                MonthlyScore.objects.select_for_update(of=("self",))
                .select_related("person", "village", "scheme", "month__township__county")
                .get(pk=score_id)
            )
            if score.slip_revision != revision:
                score.month = month
                issue_for(score, "publish", by=by)
                MonthlyScore.objects.filter(pk=score.pk).update(slip_revision=revision)
                issued += 1
        done += 1
        progress(done, total)
    return {"issued": issued, "month_id": month.pk, "revision": revision}
