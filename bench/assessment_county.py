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
- assessment.libreoffice_docs_per_s: LibreOffice converting the same document per second, in
  the same run: the first director's slip (``slip_html``) written as flat ODF text with the
  same words, item table, QR code, verification lines, signature and footer on the same A4
  page (``slip_fodt``), ``LO_COPIES`` copies in one ``soffice --convert-to pdf`` call, start
  included. Without soffice a note line says so.
- assessment.month_county_vs_libreoffice: the ratio of the two (target ≥ 3).
"""

import datetime
import html
import random
import re
import time
from collections.abc import Iterator
from types import SimpleNamespace
from xml.sax.saxutils import escape

from django.utils.translation import gettext_noop

from bench.paperwork import FODT_HEAD
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
    from bench.paperwork import lo_fodt_per_doc_ms, soffice
    from jobs.models import Job, JobState
    from organisation.models import County
    from paperwork.models import Document
    from paperwork.services import printing_warm_up

    rng = random.Random(term.SEED)
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)):
        term.populate(contracts=directors, today=TODAY, rng=rng)
        county = County.objects.get()
        months = _published_months(county, rng)
        committee = User.objects.filter(role=Role.TOWNSHIP_COMMITTEE).first()
        printing_warm_up()  # as the worker does when it starts
        with override_settings(JOBS_EAGER=False, CELERY_BROKER_URL=""):
            started = time.perf_counter()
            for month in months:  # as month_publish submits them: queued for the worker
                month_documents_submit(month=month, by=committee)
            call_command("run_jobs", once=True, verbosity=0)
            elapsed = time.perf_counter() - started
        slip = slip_html(months[0])
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
    lo_docs_per_s = 1000 / lo_fodt_per_doc_ms(slip_fodt(slip), copies=lo_copies)
    yield "assessment.libreoffice_docs_per_s", lo_docs_per_s, "docs/s"
    yield "assessment.month_county_vs_libreoffice", docs_per_s / lo_docs_per_s, "ratio"


def slip_html(month) -> str:
    """The HTML of the first director's slip of ``month``, as the job renders it."""
    from django.utils import timezone

    from assessment.documents import pay_slip_items
    from assessment.kinds import PAY_SLIP
    from paperwork.models import new_verification_code
    from paperwork.services import document_html, new_paper

    scores = month.scores.select_related("person", "village", "scheme")
    score = scores.order_by("rank", "pk").first()
    score.month = month
    item = pay_slip_items([score])[0]
    paper = new_paper(
        PAY_SLIP,
        code=new_verification_code(),
        issuing_body=item.issuing_body,
        issued_on=timezone.localdate(),
        policy_version=month.policy.version,
    )
    return document_html(PAY_SLIP, item.context, paper)


def run(
    *, directors: int = DIRECTORS, lo_copies: int = LO_COPIES, database: bool = True
) -> Iterator[tuple[str, float | None, str]]:
    """``database=False`` uses the database already set up (in a test)."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(directors=directors, lo_copies=lo_copies)


# --- LibreOffice's pay slip -----------------------------------------------------------------

SLIP_FODT = (
    FODT_HEAD
    + """ <style:style style:name="flush" style:family="paragraph"/>
 <style:style style:name="cell" style:family="paragraph">
  <style:paragraph-properties fo:line-height="14.7pt" fo:text-align="center"/>
  <style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/>
 </style:style>
 <style:style style:name="small" style:family="paragraph">
  <style:paragraph-properties fo:line-height="12pt" fo:text-align="start"/>
  <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
 </style:style>
 <style:style style:name="right" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end" fo:margin-right="32pt"/>
 </style:style>
 <style:style style:name="footer" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end"/>
  <style:text-properties fo:font-size="14pt" style:font-size-asian="14pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="grid" style:family="table">
  <style:table-properties style:width="156mm" table:align="margins" fo:margin-top="7pt"
   fo:margin-bottom="14pt"/>
 </style:style>
 <style:style style:name="wide" style:family="table-column">
  <style:table-column-properties style:column-width="71.8mm"/>
 </style:style>
 <style:style style:name="narrow" style:family="table-column">
  <style:table-column-properties style:column-width="28.1mm"/>
 </style:style>
 <style:style style:name="box" style:family="table-cell">
  <style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="2pt"/>
 </style:style>
 <style:style style:name="closing" style:family="table">
  <style:table-properties style:width="156mm" table:align="margins" fo:margin-top="28.9pt"/>
 </style:style>
 <style:page-layout style:name="A4">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
   fo:margin-top="37mm" fo:margin-bottom="21mm" fo:margin-left="28mm" fo:margin-right="26mm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="7mm"
   fo:margin-top="7mm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="qr" style:family="graphic">
  <style:graphic-properties style:wrap="right" style:vertical-pos="top"
   style:vertical-rel="paragraph" style:horizontal-pos="left" style:horizontal-rel="paragraph"
   fo:margin-right="3mm"/>
 </style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="A4">
  <style:footer><text:p text:style-name="footer"><text:span>核验码 {code}</text:span>
   <text:tab/>— <text:page-number text:select-page="current">1</text:page-number> —</text:p>
  </style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
{body}
</office:text></office:body>
</office:document>
"""
)


def _cells(row: list[str]) -> str:
    return "".join(
        f'<table:table-cell table:style-name="box" office:value-type="string">'
        f'<text:p text:style-name="cell">{escape(cell)}</text:p></table:table-cell>'
        for cell in row
    )


def text(markup: str) -> str:
    """The words of an HTML fragment, its white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def paragraphs(markup: str) -> list[tuple[str, str]]:
    """The class and the inner HTML of each ``<p>`` of ``markup``."""
    return re.findall(r'<p(?: class="(\w+)")?>(.*?)</p>', markup, re.S)


def _found(pattern: str, markup: str, *, group: int = 1) -> str:
    found = re.search(pattern, markup, re.S)
    if found is None:
        raise AssertionError(f"The slip has no {pattern!r}.")
    return found.group(group)


def slip_fodt(slip_html: str) -> str:
    """A rendered score and pay slip (its HTML) as flat ODF text for LibreOffice: the same
    words, the item table with its borders, the QR code, the verification lines, the
    signature and the footer with the code and the page number, on the same A4 page."""
    page = _found(r'<main class="document".*?</main>', slip_html, group=0)
    code = _found(r'data-code="([^"]+)"', page)
    title = text(_found(r"<h1[^>]*>(.*?)</h1>", page))
    before, table, after = re.split(r"(<table.*?</table>)", page, maxsplit=1, flags=re.S)
    closing_at = after.index('<div class="closing">')
    after, closing = after[:closing_at], after[closing_at:]
    body = [f'<text:p text:style-name="h1">{escape(title)}</text:p>']
    body += [
        f'<text:p text:style-name="{"flush" if kind == "flush" else "p"}">'
        f"{escape(text(words))}</text:p>"
        for kind, words in paragraphs(before)
    ]
    rows = [
        [text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    body.append(
        '<table:table table:style-name="grid"><table:table-column table:style-name="wide"/>'
        '<table:table-column table:style-name="narrow" table:number-columns-repeated="3"/>'
    )
    for row in rows:
        cells = row if len(row) == 4 else [row[0], "", "", row[-1]]
        body.append(f"<table:table-row>{_cells(cells)}</table:table-row>")
    body.append("</table:table>")
    body += [
        f'<text:p text:style-name="p">{escape(text(words))}</text:p>'
        for _flush, words in paragraphs(after)
    ]
    qr = _found(r'src="data:image/png;base64,([^"]+)"', closing)
    verification = _found(r'<div class="verification">(.*?)</div>', closing)
    signature = _found(r'<div class="signature">(.*?)</div>', closing)
    image = (
        '<draw:frame draw:style-name="qr" svg:width="20mm" svg:height="20mm" '
        'text:anchor-type="paragraph"><draw:image><office:binary-data>'
        f"{qr}</office:binary-data></draw:image></draw:frame>"
    )
    lines = [escape(text(words)) for _kind, words in paragraphs(verification)]
    small = f'<text:p text:style-name="small">{image}{lines[0]}</text:p>' + "".join(
        f'<text:p text:style-name="small">{line}</text:p>' for line in lines[1:]
    )
    signed = "".join(
        f'<text:p text:style-name="right">{escape(text(words))}</text:p>'
        for _flush, words in paragraphs(signature)
    )
    body.append(
        '<table:table table:style-name="closing"><table:table-column '
        'table:number-columns-repeated="2"/><table:table-row>'
        f"<table:table-cell>{small}</table:table-cell>"
        f"<table:table-cell>{signed}</table:table-cell></table:table-row></table:table>"
    )
    return SLIP_FODT.replace("{code}", escape(code)).replace("{body}", "\n".join(body))
