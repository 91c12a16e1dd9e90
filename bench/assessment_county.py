"""The county-wide month's documents through the background job, beside LibreOffice.

Set-up, not timed: a fresh test database (as ``bench.term``) with one county of 20 townships
and 2,000 directors in post (``bench.term.populate``).

- assessment.month_county_docs_per_s: documents per second of one background job issuing a
  document for each of the 2,000 directors, from ``jobs.services.job_submit`` to the job
  done: the job is queued (no broker, more items than ``JOBS_EAGER_MAX_ITEMS``) and the
  embedded worker (``manage.py run_jobs --once``, in this process) claims and runs it. Every
  document is issued as the product issues it (``paperwork.services.documents_issue``: code,
  QR code, template, one layout pass per slice, split per person, file, row, audit entry).
  Until the monthly assessment's handler (``assessment.month_documents``) exists, the job is
  a stand-in of the same shape (``STANDIN_KIND``): one one-page letter per director (the
  hiring notice's template, the director's name), in slices of ``SLICE``, skipping the
  directors who have theirs, so that a retry issues nothing twice.
- assessment.libreoffice_docs_per_s: LibreOffice converting one-page letters (the plain
  letter of ``bench.paperwork``, ``LO_COPIES`` of them in one ``soffice --convert-to pdf``
  call, start included) per second, in the same run. Without soffice a note line says so.
- assessment.month_county_vs_libreoffice: the ratio of the two (target ≥ 3).
"""

import datetime
import random
import time
from collections.abc import Iterator
from types import SimpleNamespace

from django.utils.translation import gettext_noop

from jobs.registry import job_handler

DIRECTORS = 2_000
SLICE = 200  # documents a transaction; laid out 50 a pass (paperwork.render)
STANDIN_KIND = "bench.month_documents_standin"
LO_COPIES = 40
TODAY = datetime.date(2026, 11, 30)


def _standin_context(person) -> dict:
    from bench.paperwork import letter_context

    context = letter_context()
    context["application"] = SimpleNamespace(name=person.name)
    context["masked_id"] = person.masked_id_number
    context["village"] = person.village
    context["township"] = person.township
    return context


def _standin_size(params: dict) -> int:
    from people.models import Person

    return Person.objects.filter(township__county_id=params["county"]).count()


@job_handler(STANDIN_KIND, size=_standin_size)
def month_documents_standin(job, progress) -> dict:
    """One letter per director of the county, in slices, none twice (see the docstring)."""
    from django.contrib.contenttypes.models import ContentType

    from jobs.services import render_processes
    from paperwork.models import Document
    from paperwork.services import BatchItem, documents_issue
    from people.models import Person
    from recruitment.kinds import HIRING_NOTICE

    people = list(
        Person.objects.filter(township__county_id=job.params["county"])
        .select_related("village", "township")
        .order_by("pk")
    )
    content_type = ContentType.objects.get_for_model(Person)
    done_ids = set(
        Document.objects.filter(
            kind=str(HIRING_NOTICE), content_type=content_type, object_id__in=[p.pk for p in people]
        ).values_list("object_id", flat=True)
    )
    todo = [p for p in people if p.pk not in done_ids]
    issued: list[int] = []
    done = len(people) - len(todo)
    progress(done, len(people))
    for start in range(0, len(todo), SLICE):
        chunk = todo[start : start + SLICE]
        documents = documents_issue(
            kind=HIRING_NOTICE,
            items=[
                BatchItem(
                    subject=person,
                    context=_standin_context(person),
                    issuing_body=person.township.issuing_body,
                    township=person.township,
                    person=person,
                )
                for person in chunk
            ],
            by=job.created_by,
            county=job.county,
            processes=render_processes(),
        )
        issued.extend(d.pk for d in documents)
        done += len(chunk)
        progress(done, len(people))
    return {
        "lines": [
            {"label": gettext_noop("Documents issued"), "value": len(issued)},
            {"label": gettext_noop("Already issued before"), "value": len(people) - len(todo)},
        ],
        "documents": issued,
    }


def measure(*, directors: int, lo_copies: int) -> Iterator[tuple[str, float | None, str]]:
    from django.core.management import call_command
    from django.test import override_settings

    from bench import term
    from bench.paperwork import lo_per_doc_ms, plain_blocks, soffice
    from jobs.models import Job, JobState
    from jobs.services import job_submit
    from organisation.models import County
    from paperwork.render import html_to_pdf

    term.populate(contracts=directors, today=TODAY, rng=random.Random(term.SEED))
    county = County.objects.get()
    html_to_pdf(plain_html_warmup())  # WeasyPrint and the fonts loaded, as in a worker
    with override_settings(JOBS_EAGER=False, CELERY_BROKER_URL=""):
        started = time.perf_counter()
        job = job_submit(
            kind=STANDIN_KIND,
            key=f"county-{county.pk}-{TODAY:%Y-%m}",
            label="全县月度文书（基准）",
            params={"county": county.pk},
            county=county,
            by=None,
        )
        call_command("run_jobs", once=True, verbosity=0)
        elapsed = time.perf_counter() - started
    job.refresh_from_db()
    if job.state != JobState.DONE or job.done != directors:
        raise AssertionError(
            f"The job ended {job.state} with {job.done} of {directors}: {job.error}"
        )
    if Job.objects.count() != 1:
        raise AssertionError("One job expected.")
    docs_per_s = directors / elapsed
    yield "assessment.month_county_docs_per_s", docs_per_s, "docs/s"
    if soffice() is None:
        yield (
            "assessment.libreoffice_docs_per_s",
            None,
            "skipped: LibreOffice (soffice) is not installed; make bench installs "
            "libreoffice-writer-nogui",
        )
        return
    lo_docs_per_s = 1000 / lo_per_doc_ms(plain_blocks(), copies=lo_copies)
    yield "assessment.libreoffice_docs_per_s", lo_docs_per_s, "docs/s"
    yield "assessment.month_county_vs_libreoffice", docs_per_s / lo_docs_per_s, "ratio"


def plain_html_warmup() -> str:
    from bench.paperwork import letter_html

    return letter_html()


def run(
    *, directors: int = DIRECTORS, lo_copies: int = LO_COPIES, database: bool = True
) -> Iterator[tuple[str, float | None, str]]:
    """``database=False`` uses the database already set up (in a test)."""
    from django.conf import settings

    debug, settings.DEBUG = settings.DEBUG, False
    try:
        if not database:
            yield from measure(directors=directors, lo_copies=lo_copies)
            return
        from django.db import connection

        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            yield from measure(directors=directors, lo_copies=lo_copies)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        settings.DEBUG = debug
