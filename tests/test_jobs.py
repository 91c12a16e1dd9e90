"""Background jobs: how a submitted job is run (at once in the tests, on commit for a small
batch, by the embedded worker, by Celery), idempotent submits and retries, and the batch of
documents laid out in one pass and split per person.

The documents job is the bench's stand-in of the month's documents
(``bench.assessment_county``): one letter per director of the county, in slices, skipping
the directors who have theirs.
"""

import hashlib
import io
import re
from typing import cast

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

import bench.assessment_county as standin
from accounts.constants import Role
from jobs.models import Job, JobState
from jobs.registry import job_handler
from jobs.services import job_retry, job_submit
from organisation.models import Township
from paperwork.models import Document
from paperwork.services import BatchItem, documents_issue
from people.models import Person
from recruitment.kinds import HIRING_NOTICE
from tests.assessment_support import make_scheme, scored_month, seat_directors
from tests.factories import PersonFactory, UserFactory, make_village

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@job_handler("tests.count", size=lambda params: params.get("size"))
def count_handler(job, progress):
    CALLS.append(job.pk)
    progress(1, 2)
    if job.params.get("fail"):
        raise RuntimeError("boom")
    progress(2, 2)
    return {"lines": [{"label": "Documents issued", "value": 2}], "documents": []}


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


def submit(township: Township, *, key: str = "a", by=None, **params) -> Job:
    return job_submit(
        kind="tests.count",
        key=key,
        label="测试任务",
        params=params,
        county=township.county,
        township=township,
        by=by,
    )


# --- how a job runs ------------------------------------------------------------------------


def test_eager_in_tests_runs_at_once(township):
    job = submit(township)
    assert job.state == JobState.DONE
    assert (job.done, job.total, job.attempts) == (2, 2, 1)
    assert job.result["lines"][0]["value"] == 2
    assert [job.pk] == CALLS


def test_submitting_the_same_kind_and_key_again_returns_the_job(township):
    first = submit(township)
    again = submit(township, fail=True)
    assert again.pk == first.pk
    assert [first.pk] == CALLS
    assert Job.objects.count() == 1


def test_a_job_of_a_rolled_back_transaction_is_neither_kept_nor_run(
    settings, township, django_capture_on_commit_callbacks
):
    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""

    class Refused(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused),
        transaction.atomic(),
    ):
        submit(township, size=3)
        raise Refused
    assert callbacks == []
    assert not Job.objects.exists()
    assert CALLS == []


def test_on_commit_runs_a_small_job_and_queues_a_large_one(
    settings, township, django_capture_on_commit_callbacks
):
    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_EAGER_MAX_ITEMS = 10
    with django_capture_on_commit_callbacks(execute=True):
        small = submit(township, key="small", size=10)
        large = submit(township, key="large", size=11)
        assert CALLS == []
    small.refresh_from_db()
    large.refresh_from_db()
    assert small.state == JobState.DONE
    assert large.state == JobState.QUEUED  # for the worker
    assert [small.pk] == CALLS


def test_the_worker_runs_the_queued_jobs_once(
    settings, township, django_capture_on_commit_callbacks
):
    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(township, key="1")
        second = submit(township, key="2", fail=True)
    assert Job.objects.filter(state=JobState.QUEUED).count() == 2
    call_command("run_jobs", once=True, verbosity=0)
    call_command("run_jobs", once=True, verbosity=0)  # nothing left
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == JobState.DONE
    assert second.state == JobState.FAILED
    assert "意外" in second.error  # in Chinese, no stack trace
    assert "boom" not in second.error
    assert sorted(CALLS) == sorted([first.pk, second.pk])


def test_celery_runs_the_job_when_a_broker_is_set(
    settings, township, monkeypatch, django_capture_on_commit_callbacks
):
    from config.celery import app

    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(township)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert [job.pk] == CALLS


# --- retries ---------------------------------------------------------------------------------


def test_a_failed_job_is_retried(township):
    job = submit(township, fail=True)
    assert job.state == JobState.FAILED
    assert job.can_retry
    Job.objects.filter(pk=job.pk).update(params={})  # the cause is mended
    assert job_retry(job)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.attempts == 2
    assert not job_retry(job)  # a done job is not run again


def test_a_stale_running_job_can_be_retried_a_live_one_cannot(settings, township):
    job = submit(township)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat_at=now)
    assert not job_retry(job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=now - settings.JOBS_STALE_AFTER * 2)
    job.refresh_from_db()
    assert job.is_stale
    assert job_retry(job)
    job.refresh_from_db()
    assert job.state == JobState.DONE


def directors(township: Township, count: int) -> list[Person]:
    village = make_village(township, 1800)
    names = ["王晓燕", "刘䶮", "李明", "张伟"]
    return [
        cast(Person, PersonFactory(township=township, village=village, name=names[n % 4]))
        for n in range(count)
    ]


def submit_documents(township, by):
    return job_submit(
        kind=standin.STANDIN_KIND,
        key=f"county-{township.county.pk}",
        label="全县月度文书",
        params={"county": township.county.pk},
        county=township.county,
        by=by,
    )


def test_a_retried_documents_job_issues_no_second_document(township, hr, monkeypatch):
    people = directors(township, 3)
    monkeypatch.setattr(standin, "SLICE", 2)
    calls = {"n": 0}

    def failing_second_slice(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return documents_issue(**kwargs)

    monkeypatch.setattr("paperwork.services.documents_issue", failing_second_slice)
    job = submit_documents(township, hr)
    assert job.state == JobState.FAILED
    assert Document.objects.count() == 2  # the first slice is kept
    assert job.done == 2

    assert job_retry(job)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert Document.objects.count() == 3
    assert sorted(Document.objects.values_list("person_id", flat=True)) == sorted(
        p.pk for p in people
    )
    lines = {line["label"]: line["value"] for line in job.result["lines"]}
    assert lines == {"Documents issued": 1, "Already issued before": 2}


# --- the batch of documents ----------------------------------------------------------------


def test_a_batch_issues_each_document_as_a_single_issue_would(township, hr):
    people = directors(township, 3)
    items = [
        BatchItem(
            subject=person,
            context=standin._standin_context(person),
            issuing_body=township.issuing_body,
            township=township,
            person=person,
        )
        for person in people
    ]
    documents = documents_issue(kind=HIRING_NOTICE, items=items, by=hr, county=township.county)
    assert len({d.verification_code for d in documents}) == 3
    for person, document in zip(people, documents, strict=True):
        document.refresh_from_db()
        content = document.file.read()
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert document.size == len(content)
        reader = PdfReader(io.BytesIO(content))
        assert document.pages == len(reader.pages) == 1  # no blank page of the batch
        text = reader.pages[0].extract_text()
        assert person.name in text
        assert f"核验码 {document.verification_code}" in text  # the footer, its own code
        assert "— 1 —" in text  # numbered from 1, as if rendered alone
        assert reader.metadata is not None
        assert reader.metadata["/Title"] == document.title
        assert reader.metadata["/Author"] == township.issuing_body
        assert (document.person, document.township, document.kind) == (
            person,
            township,
            str(HIRING_NOTICE),
        )


def test_a_batch_that_fails_keeps_nothing(township, hr, monkeypatch):
    people = directors(township, 2)
    items = [
        BatchItem(
            subject=person,
            context=standin._standin_context(person),
            issuing_body=township.issuing_body,
            person=person,
        )
        for person in people
    ]

    def broken(*args, **kwargs):
        raise RuntimeError("render")

    monkeypatch.setattr("paperwork.services.chunks_to_pdfs", broken)
    with pytest.raises(RuntimeError):
        documents_issue(kind=HIRING_NOTICE, items=items, by=hr, county=township.county)
    assert not Document.objects.exists()


# --- the pages -----------------------------------------------------------------------------


def test_the_job_page_shows_the_result_and_the_documents(client, township, hr):
    directors(township, 2)
    job = submit_documents(township, hr)
    client.force_login(hr)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "全县月度文书" in page
    assert "已完成" in page
    assert "刘䶮" in page  # a link to each document, with its person
    assert page.count("/download/") >= 2
    assert "'documents'" not in page and "'lines'" not in page  # no raw result
    progress = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert progress["finished"] is True
    assert progress["percent"] == 100


def test_a_failed_job_page_says_why_in_chinese_and_offers_a_retry(client, township):
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    job = submit(township, fail=True, by=office)
    client.force_login(office)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "意外" in page
    assert reverse("jobs:retry", args=[job.pk]) in page
    Job.objects.filter(pk=job.pk).update(params={})
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_a_running_job_page_refreshes_itself_without_javascript(client, township, hr):
    job = submit(township)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=1, total=2)
    client.force_login(hr)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "jobs/progress.js" in page
    assert client.get(reverse("jobs:progress", args=[job.pk])).json()["percent"] == 50


def test_the_list_shows_the_jobs_of_the_users_scope(client, township, other_township, hr):
    mine = submit(township, key="mine")
    theirs = submit(other_township, key="theirs")
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    client.force_login(office)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[mine.pk]) in page
    assert reverse("jobs:detail", args=[theirs.pk]) not in page
    client.force_login(hr)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[theirs.pk]) in page


def test_a_longer_document_in_a_batch_keeps_its_own_pages_and_numbers():
    from bench.paperwork import letter_html
    from paperwork.render import html_to_pdf, htmls_to_pdfs

    short = letter_html()
    long = letter_html().replace(
        '<h1 class="doc-title">',
        "<p>" + "村级人口主任工作职责。" * 200 + '</p><h1 class="doc-title">',
        1,
    )
    alone = html_to_pdf(long)
    pdfs = htmls_to_pdfs([short, long, short], titles=["聘用通知书"] * 3, authors=["关索街道"] * 3)
    assert [pdf.pages for pdf in pdfs] == [1, alone.pages, 1]
    assert alone.pages >= 2
    pages = PdfReader(io.BytesIO(pdfs[1].content)).pages
    single = PdfReader(io.BytesIO(alone.content)).pages
    assert [p.extract_text() for p in pages] == [p.extract_text() for p in single]
    assert "— 2 —" in pages[1].extract_text()


def test_the_county_month_bench_runs_on_a_small_county():
    figures = list(standin.run(directors=20, lo_copies=2, database=False))
    names = [name for name, _value, _unit in figures]
    assert names[0] == "assessment.month_county_docs_per_s"
    assert figures[0][1] is not None and figures[0][1] > 0
    assert Job.objects.filter(state=JobState.DONE).count() == 20  # one a township


def test_libreoffice_converts_the_same_slip_the_job_issues(township):
    """The bench's peer converts the slip itself: its words, the item table, the QR code,
    the verification lines and the footer's code; on one page when soffice is here."""
    from bench.assessment_county import slip_fodt
    from bench.paperwork import lo_fodt_per_doc_ms, soffice

    make_scheme(township.county, 2026)
    seat_directors(township, 2)
    month = scored_month(township, [95, "85.50"])
    score = month.scores.select_related("person").order_by("rank", "pk")[0]
    with translation.override("zh-hans"):
        html = standin.slip_html(month)
    fodt = slip_fodt(html)
    found = re.search(r'data-code="([^"]+)"', html)
    assert found is not None
    code = found.group(1)
    for words in [score.person.name, "人口信息采集", "合计得分", "本月应发报酬", "核验码", code]:
        assert words in fodt
    assert fodt.count("<table:table-row>") == 7 + 1  # heading, five items, total; closing
    assert "<office:binary-data>" in fodt and "text:page-number" in fodt
    if soffice() is not None:
        assert lo_fodt_per_doc_ms(fodt, copies=1) > 0  # refuses a second page
