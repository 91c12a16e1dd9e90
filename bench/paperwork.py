"""Paperwork figures: how long printing a document takes, beside two yardsticks measured in the
same run (a plain letter in the same fonts, and LibreOffice).

The subject is a one-page Chinese letter: the hiring notice (``recruitment.kinds.HIRING_NOTICE``)
to a new director with a rare-character name (刘䶮), rendered from its real template in the
base print layout exactly as ``paperwork.services.document_issue`` renders it: a fresh
verification code, the paper with its QR code (``new_paper``), the template
(``document_html``) and ``paperwork.render.html_to_pdf``. The database and storage are left
out. Before measuring, ``WARMUP`` renders load WeasyPrint and the fonts, which a running server
pays once. Samples of the letter and of its plain floor alternate, so that a busy machine
weighs on both alike; compare the ratios, which hold better than the times.

- paperwork.single_ms: median wall time of ``samples`` renders of one letter, each its own PDF.
- paperwork.batch_page_ms: ``batch`` letters (default 50, each with its own code and QR code)
  rendered into one PDF of ``batch`` pages (the ``<main class="document">`` of each letter in
  one HTML page, as a batch print would be); median over ``BATCH_SAMPLES`` runs of the total
  time, divided by the number of pages.
- paperwork.floor_single_ms / paperwork.floor_batch_page_ms: the same measurements for the
  plain letter: the same words (title, paragraphs, issuing body, date and verification lines)
  on the same A4 page with the same margins, Noto Serif CJK SC faces and sizes (title 22 pt
  bold, body 16 pt), as headings and paragraphs only: no QR code, no closing block, no
  running footer. What WeasyPrint costs for the words themselves.
- paperwork.lo_per_doc_ms: LibreOffice (``soffice --headless --convert-to pdf``, a throwaway
  profile) converting ``LO_COPIES`` (40) copies of the plain letter, written as flat ODF text
  (.fodt) with the same page, fonts and sizes, in one call: the wall time of the call, start
  included, divided by 40. Without soffice a note line says so (``make bench`` installs
  libreoffice-writer-nogui).
- paperwork.single_vs_floor: single_ms / floor_single_ms (target ≤ 1.3).
- paperwork.batch_page_vs_floor: batch_page_ms / floor_batch_page_ms (target about 1.3).
- paperwork.batch_page_vs_lo: batch_page_ms / lo_per_doc_ms (target ≤ 0.4).
"""

import datetime
import html
import io
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from xml.sax.saxutils import escape

from pypdf import PdfReader

from paperwork.models import new_verification_code
from paperwork.render import html_to_pdf
from paperwork.services import document_html, new_paper
from recruitment.kinds import HIRING_NOTICE

WARMUP = 3
SAMPLES = 15
BATCH = 50
BATCH_SAMPLES = 3
LO_COPIES = 40
LO_TIMEOUT_S = 600

ISSUING_BODY = "关岭自治县关索街道办事处"
ISSUED_ON = datetime.date(2026, 11, 22)

Figure = tuple[str, float | None, str]


def letter_context() -> dict:
    """The context ``hiring_notice_context`` gives the template, as plain objects."""
    county = SimpleNamespace(name="关岭布依族苗族自治县")
    township = SimpleNamespace(name="关索街道", issuing_body=ISSUING_BODY)
    return {
        "application": SimpleNamespace(name="刘䶮"),
        "masked_id": "520424********0011",
        "campaign": SimpleNamespace(
            title="关索街道2026年村级人口主任公开选聘", contact="关索街道计生办 0851-36012345"
        ),
        "township": township,
        "county": county,
        "village": SimpleNamespace(name="新寨村"),
        "contract": SimpleNamespace(
            post=SimpleNamespace(number=1),
            term_years=3,
            start_date=datetime.date(2026, 12, 1),
            end_date=datetime.date(2029, 11, 30),
            monthly_pay=Decimal("1700.00"),
        ),
        "policy": SimpleNamespace(induction_required=True),
    }


def letter_html() -> str:
    """One hiring notice with a fresh code, as ``document_issue`` renders it."""
    paper = new_paper(
        HIRING_NOTICE,
        code=new_verification_code(),
        issuing_body=ISSUING_BODY,
        issued_on=ISSUED_ON,
        policy_version=1,
    )
    return document_html(HIRING_NOTICE, letter_context(), paper)


_MAIN = re.compile(r'<main class="document".*?</main>', re.S)


def batch_html(count: int) -> str:
    """``count`` fresh letters in one HTML page: the first letter's page with every letter's
    ``<main class="document">`` (each starts a new page)."""
    pages = [letter_html() for _ in range(count)]
    mains = [_MAIN.search(page) for page in pages]
    if not all(mains):
        raise AssertionError('The letter has no <main class="document">.')
    first = mains[0]
    assert first is not None
    shell = pages[0]
    body = "\n".join(m.group(0) for m in mains if m is not None)
    return shell[: first.start()] + body + shell[first.end() :]


class _Blocks(HTMLParser):
    """The text of each heading and paragraph of the first ``<main>``, in order, with its
    role: ``h1``, ``p``, ``small`` (the verification lines, 9 pt) or ``right`` (issuing body
    and date)."""

    ROLES = {"verification": "small", "signature": "right"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._role: str | None = None
        self._text: list[str] = []
        self._divs: list[str] = []
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag in ("div", "td"):
            classes = (dict(attrs).get("class") or "").split()
            self._divs.append(next((self.ROLES[c] for c in classes if c in self.ROLES), ""))
        elif tag in ("h1", "p"):
            inherited = next((role for role in reversed(self._divs) if role), "")
            self._role, self._text = (inherited or tag), []

    def handle_endtag(self, tag):
        if tag == "main":
            self._done = True
        elif tag in ("div", "td") and self._divs:
            self._divs.pop()
        elif tag in ("h1", "p") and self._role is not None:
            text = re.sub(r"\s+", " ", "".join(self._text)).strip()
            if text:
                self.blocks.append((self._role, text))
            self._role = None

    def handle_data(self, data):
        if self._role is not None:
            self._text.append(data)


def plain_blocks() -> list[tuple[str, str]]:
    """The letter's words as (role, text), read from a rendered letter."""
    parser = _Blocks()
    parser.feed(letter_html())
    if not parser.blocks or parser.blocks[0][0] != "h1":
        raise AssertionError("The letter's text could not be read back.")
    return parser.blocks


PLAIN_STYLE = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { margin: 0; font-family: "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.9pt;
       text-align: justify; }
h1 { margin: 0 0 28.9pt; font-size: 22pt; font-weight: bold; line-height: 1.45;
     text-align: center; }
p { margin: 0; text-indent: 2em; }
p.right { text-align: right; text-indent: 0; }
p.small { font-size: 9pt; line-height: 12pt; text-indent: 0; }
section + section { break-before: page; }
"""


def plain_html(blocks: list[tuple[str, str]], copies: int) -> str:
    """The plain letter ``copies`` times, one a page."""
    letter = "".join(
        f"<h1>{html.escape(text)}</h1>" if role == "h1" else
        f'<p class="{role}">{html.escape(text)}</p>'
        for role, text in blocks
    )  # fmt: skip
    sections = "".join(f"<section>{letter}</section>" for _ in range(copies))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{PLAIN_STYLE}</style></head><body>{sections}</body></html>"
    )


def render(markup: str, *, pages: int) -> None:
    got = html_to_pdf(markup).pages
    if got != pages:
        raise AssertionError(f"Expected {pages} page(s), got {got}: each letter must fit one.")


def _timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def render_letters(count: int) -> None:
    """Render ``count`` fresh letters, QR codes and templates included, as one PDF."""
    render(letter_html() if count == 1 else batch_html(count), pages=count)


# --- LibreOffice --------------------------------------------------------------------------

# The opening of a flat ODF text document (.fodt) shared by LibreOffice's letters and slips:
# the namespaces, the font, the body text (16 pt, 28.9 pt lines, justified), the title (h1)
# and the indented paragraph (p) of the base print layout; each adds its own styles after it.
FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Noto Serif CJK SC" svg:font-family="&apos;Noto Serif CJK SC&apos;"
  style:font-family-generic="roman"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:line-height="28.9pt" fo:text-align="justify"/>
  <style:text-properties style:font-name="Noto Serif CJK SC" fo:font-size="16pt"
   style:font-name-asian="Noto Serif CJK SC" style:font-size-asian="16pt"
   fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/>
 </style:default-style>
 <style:style style:name="h1" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="28.9pt"
   fo:line-height="31.9pt"/>
  <style:text-properties fo:font-size="22pt" fo:font-weight="bold"
   style:font-size-asian="22pt" style:font-weight-asian="bold"/>
 </style:style>
 <style:style style:name="p" style:family="paragraph">
  <style:paragraph-properties fo:text-indent="32pt"/>
 </style:style>
"""

FODT = (
    FODT_HEAD
    + """ <style:style style:name="right" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end"/>
 </style:style>
 <style:style style:name="small" style:family="paragraph">
  <style:paragraph-properties fo:line-height="12pt"/>
  <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="A4">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
   fo:margin-top="37mm" fo:margin-bottom="35mm" fo:margin-left="28mm" fo:margin-right="26mm"/>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="A4"/>
</office:master-styles>
<office:body><office:text>
{paragraphs}
</office:text></office:body>
</office:document>
"""
)


def plain_fodt(blocks: list[tuple[str, str]]) -> str:
    paragraphs = "\n".join(
        f'<text:p text:style-name="{role}">{escape(text)}</text:p>' for role, text in blocks
    )
    return FODT.replace("{paragraphs}", paragraphs)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_per_doc_ms(blocks: list[tuple[str, str]], *, copies: int = LO_COPIES) -> float:
    """Wall time of one ``soffice --convert-to pdf`` call on ``copies`` letters, per letter."""
    return lo_fodt_per_doc_ms(plain_fodt(blocks), copies=copies)


def lo_fodt_per_doc_ms(text: str, *, copies: int = LO_COPIES) -> float:
    """Wall time of one ``soffice --convert-to pdf`` call on ``copies`` copies of the
    one-page flat ODF text ``text``, per copy."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory(prefix="cunpin-bench-lo-") as tmp:
        root = Path(tmp)
        letters = root / "in"
        out = root / "out"
        letters.mkdir()
        sources = []
        for n in range(copies):
            path = letters / f"letter-{n:02d}.fodt"
            path.write_text(text, encoding="utf-8")
            sources.append(str(path))
        command = [
            program,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *sources,
        ]
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, timeout=LO_TIMEOUT_S, check=True)
        elapsed = (time.perf_counter() - start) * 1000
        made = sorted(out.glob("*.pdf"))
        if len(made) != copies:
            raise RuntimeError(f"LibreOffice made {len(made)} PDF(s) of {copies}.")
        pages = _pdf_pages(made[0])
        if pages != 1:
            raise AssertionError(f"LibreOffice's document took {pages} pages; it must fit one.")
    return elapsed / copies


def _pdf_pages(path: Path) -> int:
    return len(PdfReader(io.BytesIO(path.read_bytes())).pages)


# --- the run ------------------------------------------------------------------------------


def run(
    *, samples: int = SAMPLES, batch: int = BATCH, lo_copies: int = LO_COPIES
) -> Iterator[Figure]:
    """Yield ``(name, value, unit)``; a figure that cannot be measured here comes as
    ``(name, None, why)``, printed as a note."""
    blocks = plain_blocks()
    plain_one = plain_html(blocks, 1)
    plain_batch = plain_html(blocks, batch)
    for _ in range(WARMUP):
        render_letters(1)
        render(plain_one, pages=1)

    single: list[float] = []
    floor_single: list[float] = []
    for _ in range(samples):
        single.append(_timed(render_letters, 1))
        floor_single.append(_timed(render, plain_one, pages=1))
    single_ms = statistics.median(single)
    floor_single_ms = statistics.median(floor_single)

    batches: list[float] = []
    floor_batches: list[float] = []
    for _ in range(min(BATCH_SAMPLES, samples)):
        batches.append(_timed(render_letters, batch))
        floor_batches.append(_timed(render, plain_batch, pages=batch))
    batch_page_ms = statistics.median(batches) / batch
    floor_batch_page_ms = statistics.median(floor_batches) / batch

    yield "paperwork.single_ms", single_ms, "ms"
    yield "paperwork.batch_page_ms", batch_page_ms, "ms"
    yield "paperwork.floor_single_ms", floor_single_ms, "ms"
    yield "paperwork.floor_batch_page_ms", floor_batch_page_ms, "ms"
    yield "paperwork.single_vs_floor", single_ms / floor_single_ms, "ratio"
    yield "paperwork.batch_page_vs_floor", batch_page_ms / floor_batch_page_ms, "ratio"

    if soffice() is None:
        yield (
            "paperwork.lo_per_doc_ms",
            None,
            "skipped: LibreOffice (soffice) is not installed; make bench installs "
            "libreoffice-writer-nogui",
        )
        return
    lo_ms = lo_per_doc_ms(blocks, copies=lo_copies)
    yield "paperwork.lo_per_doc_ms", lo_ms, "ms"
    yield "paperwork.batch_page_vs_lo", batch_page_ms / lo_ms, "ratio"
