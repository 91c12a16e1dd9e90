"""The county-wide month's documents through the background job, beside LibreOffice.

Set-up, not timed: a fresh test database (as ``bench.term``) with one county of 20 townships
and 2,000 directors in post (``bench.term.populate``).

- assessment.month_county_docs_per_s: documents per second of the month's documents jobs
  (``assessment.month_documents``) for a published October in every township (one job a
  township, a bulletin and a slip per director: 2,020 documents), from their submission
  (``month_documents_submit``, as ``month_publish`` submits them) to the last one done: the
  jobs are queued (no broker, more items than ``JOBS_EAGER_MAX_ITEMS``) and the embedded
  worker (``manage.py run_jobs --once``, in this process) runs them. Every slip is issued as
  the product issues it (``paperwork.services.documents_issue``: code, QR code, template, one
  layout pass per 50, split per person, file, row, audit entry). The months are set up
  published with their scores, ranks and pay (``_published_months``), not timed.
  ``month_documents_standin`` (``STANDIN_KIND``), a job of the same shape issuing one letter
  per director, served before the monthly assessment landed; the tests still use it.
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


def _published_months(county, rng) -> list:
    """One published month per township of ``county`` (October 2026), a ranked and paid
    score per director, as ``assessment.services.month_publish`` leaves it (the documents
    not issued yet)."""
    from decimal import ROUND_HALF_UP, Decimal

    from assessment.constants import MonthState
    from assessment.models import AssessmentMonth, MonthlyScore, ScoringItem, ScoringScheme
    from bench.assessment import ITEMS
    from contracts.models import Contract
    from policy.models import Policy

    policy = Policy.objects.get(county=county)
    scheme = ScoringScheme.objects.create(county=county, year=2026, title="2026年考核办法")
    ScoringItem.objects.bulk_create(
        [
            ScoringItem(scheme=scheme, order=i, name=name, kind=kind, nature="quality",
                        basis="quantitative", max_points=most)
            for i, (name, kind, most) in enumerate(ITEMS, start=1)
        ]
    )  # fmt: skip
    items = list(scheme.items.all())
    months = {
        township.pk: AssessmentMonth.objects.create(
            township=township, year=2026, month=10, scheme=scheme, policy=policy,
            state=MonthState.PUBLISHED,
        )
        for township in county.townships.all()
    }  # fmt: skip
    rows = []
    for rank, contract in enumerate(Contract.objects.select_related("post"), start=1):
        points = {str(item.pk): str(rng.randrange(0, int(item.max_points) + 1)) for item in items}
        total = Decimal(rng.randrange(6000, 10001)) / 100
        deduction = (policy.monthly_pay * Decimal("0.05")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        rows.append(
            MonthlyScore(
                month=months[contract.township_id], person_id=contract.person_id,
                contract_id=contract.pk, village_id=contract.post.village_id, scheme=scheme,
                points=points, total=total, rank=rank, base_pay=policy.monthly_pay,
                deduction_percent=Decimal("5"), deduction=deduction,
                pay=policy.monthly_pay - deduction,
            )
        )  # fmt: skip
    MonthlyScore.objects.bulk_create(rows, batch_size=2000)
    return list(months.values())


def measure(*, directors: int, lo_copies: int) -> Iterator[tuple[str, float | None, str]]:
    import time_machine
    from django.core.management import call_command
    from django.test import override_settings

    from accounts.constants import Role
    from accounts.models import User
    from assessment.kinds import MONTHLY_BULLETIN, PAY_SLIP
    from assessment.services import month_documents_submit
    from bench import term
    from bench.paperwork import lo_per_doc_ms, plain_blocks, soffice
    from jobs.models import Job, JobState
    from organisation.models import County
    from paperwork.models import Document
    from paperwork.render import html_to_pdf

    rng = random.Random(term.SEED)
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)):
        term.populate(contracts=directors, today=TODAY, rng=rng)
        county = County.objects.get()
        months = _published_months(county, rng)
        committee = User.objects.filter(role=Role.TOWNSHIP_COMMITTEE).first()
        html_to_pdf(plain_html_warmup())  # WeasyPrint and the fonts loaded, as in a worker
        with override_settings(JOBS_EAGER=False, CELERY_BROKER_URL=""):
            started = time.perf_counter()
            for month in months:  # as month_publish submits them: queued for the worker
                month_documents_submit(month=month, by=committee)
            call_command("run_jobs", once=True, verbosity=0)
            elapsed = time.perf_counter() - started
    failed = Job.objects.exclude(state=JobState.DONE).first()
    if failed is not None:
        raise AssertionError(f"A job did not finish: {failed.error}")
    issued = Document.objects.filter(kind__in=[str(PAY_SLIP), str(MONTHLY_BULLETIN)]).count()
    if issued != directors + len(months):
        raise AssertionError(f"{issued} documents for {directors} directors.")
    docs_per_s = issued / elapsed
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
