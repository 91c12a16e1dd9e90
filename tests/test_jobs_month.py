"""The month's documents job (``assessment.month_documents``) issues the slips in batches
(``paperwork.services.documents_issue``): each slip its own document, and a retry after a
failure issues no second slip."""

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from assessment.jobs import month_documents
from assessment.kinds import MONTHLY_BULLETIN, PAY_SLIP
from assessment.services import month_publish
from jobs.models import Job, JobState
from jobs.services import job_retry
from paperwork.models import Document
from tests.assessment_support import make_scheme, scored_month, seat_directors
from tests.builders import committee_member
from tests.factories import TownshipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def world(township, hr):
    """A township with four directors in post and the county's scoring scheme."""
    make_scheme(township.county, 2026, by=hr)
    seat_directors(township, 4)
    return township


def test_the_slips_are_issued_in_a_batch_each_its_own_document(world):
    month = month_publish(month=scored_month(world, ["95", "85", "75", "65"]),
                          by=committee_member(world))  # fmt: skip
    job = Job.objects.get()
    assert job.state == JobState.DONE
    slips = list(Document.objects.filter(kind=PAY_SLIP))
    assert len(slips) == 4
    assert len({s.verification_code for s in slips}) == 4
    assert {s.person_id for s in slips} == set(month.scores.values_list("person_id", flat=True))
    for slip in slips:
        reader = PdfReader(io.BytesIO(slip.file.open().read()))
        text = "".join(page.extract_text() for page in reader.pages)
        assert slip.verification_code in text
        assert slip.person is not None and slip.person.name in text
        assert len(reader.pages) == slip.pages
    labels = [line["label"] for line in job.result["lines"]]
    assert labels == ["Monthly bulletin issued", "Score and pay slips issued"]
    assert sorted(job.result["documents"]) == sorted(
        Document.objects.filter(kind__in=[PAY_SLIP, MONTHLY_BULLETIN]).values_list("pk", flat=True)
    )


def test_a_failed_slice_retried_issues_no_second_slip(world, monkeypatch):
    import assessment.jobs as jobs_module
    from paperwork.services import documents_issue

    monkeypatch.setattr(jobs_module, "SLICE", 2)
    calls = {"n": 0}

    def second_slice_fails(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return documents_issue(**kwargs)

    monkeypatch.setattr(jobs_module, "documents_issue", second_slice_fails)
    month = month_publish(month=scored_month(world, ["95", "85", "75", "65"]),
                          by=committee_member(world))  # fmt: skip
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert Document.objects.filter(kind=PAY_SLIP).count() == 2
    assert job_retry(job)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert Document.objects.filter(kind=PAY_SLIP).count() == 4
    assert Document.objects.filter(kind=MONTHLY_BULLETIN).count() == 1
    month_documents(job, lambda done, total: None)  # once more: nothing new
    assert Document.objects.filter(kind=PAY_SLIP).count() == 4
    assert month.scores.filter(slip_revision=1).count() == 4


def _queries_of_the_job(township, directors: int) -> int:
    """The queries the month's documents job of ``township`` makes for ``directors`` slips."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from jobs.services import job_run

    seat_directors(township, directors)
    month = scored_month(township, [str(95 - i % 30) for i in range(directors)])
    with override_settings(JOBS_EAGER=False, CELERY_BROKER_URL=""):
        month_publish(month=month, by=committee_member(township))
    job = Job.objects.get(kind="assessment.month_documents", township=township)
    assert job.state == JobState.QUEUED
    with CaptureQueriesContext(connection) as queries:
        job_run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert Document.objects.filter(kind=PAY_SLIP, township=township).count() == directors
    return len(queries)


def test_the_job_makes_as_many_queries_for_40_slips_as_for_10(township, hr):
    """Everything the slips print and need is read for the batch, and the documents and
    their audit entries are written in bulk: the queries do not grow with the slips."""
    make_scheme(township.county, 2026, by=hr)
    few = _queries_of_the_job(township, 10)
    many = _queries_of_the_job(TownshipFactory(county=township.county, name="第二镇"), 40)
    assert many <= few  # the first job also fills the content types' cache
