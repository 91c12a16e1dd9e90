"""HTML to PDF. The one module that imports WeasyPrint.

WeasyPrint is imported inside the function: the import costs about half a second, which
management commands and most requests should not pay. One ``FontConfiguration`` serves every
render in the process, so fontconfig's font list is built once.

Only ``data:`` URLs are fetched while rendering: a document never reads the server's files or
reaches out to the network, whatever its HTML says (a name or an uploaded text cannot pull
``/etc/passwd`` into a PDF). Images such as the QR code and applicants' photos are embedded as
data URIs. Any other URL, relative ones included (they resolve against ``BASE_URL``, whose
scheme is refused), stops the render with ``ResourceRefused`` rather than leaving a hole in
an official document.

Renders in one process take turns: the shared font configuration (fontconfig and Pango
underneath) is not documented as safe across threads, and a threaded server renders rarely
enough that waiting costs less than a crash.
"""

import atexit
import contextlib
import gc
import hashlib
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
_render_lock = threading.Lock()
_font_config: Any = None
_url_fetcher: Any = None

# Relative URLs resolve against this address and are then refused like any other non-data URL;
# without a base WeasyPrint would only warn and leave the image out.
BASE_URL = "https://cunpin.invalid/"


class ResourceRefused(RuntimeError):
    """The HTML refers to a resource other than a ``data:`` URL, or a data URL is broken."""


@dataclass(frozen=True)
class RenderedPdf:
    """The bytes of a rendered PDF and its number of pages."""

    content: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _shared() -> tuple[Any, Any]:
    """The process-wide font configuration and URL fetcher, made on first use."""
    global _font_config, _url_fetcher
    if _font_config is None:
        with _lock:
            if _font_config is None:
                from weasyprint import URLFetcher
                from weasyprint.text.fonts import FontConfiguration

                _url_fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
                _font_config = FontConfiguration()
    return _font_config, _url_fetcher


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one render. A layout allocates hundreds
    of thousands of small objects, and the collector's passes over them while they are all
    alive cost about an eighth of the render (measured with the pay slips, 29 November
    2026); what the render leaves behind is collected as usual once it is resumed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> RenderedPdf:
    """Render ``html`` (a complete document with its print CSS) to PDF.

    Raises ``ResourceRefused`` when the HTML refers to anything but a ``data:`` URL.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    font_config, url_fetcher = _shared()
    with _render_lock, _collector_paused():
        try:
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).render(
                font_config=font_config
            )
            content = document.write_pdf()
        except FatalURLFetchingError as exc:  # a BaseException: turn it into an error
            raise ResourceRefused(
                f"{exc}: a document may only embed data: URLs (images as data URIs)."
            ) from exc
    return RenderedPdf(content=content, pages=len(document.pages))


# --- Many documents in one layout pass ----------------------------------------------------
#
# A batch of documents (a month's pay slips) is laid out as ONE HTML page holding every
# document's ``<main class="document">``, rendered once, written once, and split per document
# with pypdf, so that each document is still its own PDF with its own code and hash.
#
# Measured on this machine (WeasyPrint 70, the hiring notice; CPU time a letter, batches of 50,
# same run, 29 November 2026):
#   one render per letter (html_to_pdf) ............................ 155 ms
#   one layout pass, then WeasyPrint Document.copy([page]).write_pdf()
#   per letter ..................................................... about 85 ms (each
#                                                  write subsets the CJK fonts again, ~66 ms)
#   one layout pass, one write_pdf(), split with pypdf ............. 40 ms (23 layout,
#                                                  8 write, 8 split)
# so batches use the pypdf split, about 3.9 times faster than a render per letter.
# Each split PDF carries the font subset of its chunk (``BATCH_CHUNK`` documents), a few per
# cent larger than a single render; chunks also bound the memory a long batch takes.
#
# The printed pages are those of a single render: the page counter restarts at 1 for each
# document (a page group per document) and the footers alternate on its own odd and even
# pages (``_SIDES``), so the footer's page number and verification code read and sit as on a
# document rendered alone.

BATCH_CHUNK = 50

_MAIN = re.compile(r'<main class="document"(.*?</main>)', re.S)
_HEAD_END = "</head>"
BATCH_STYLE = """<style>
.document { page: cunpin-document; }
.document + .document { break-before: page; }
@page :nth(1 of cunpin-document) { counter-reset: page 1; }
</style>"""
# The base layout's footers alternate on right- and left-hand pages (@page :right, :left). In
# a batch they alternate on each document's own odd and even pages instead, so that each
# document's first page is laid out as a first page, whatever its place in the batch.
_SIDES = {"@page :right {": "@page :nth(2n+1 of cunpin-document) {",
          "@page :left {": "@page :nth(2n of cunpin-document) {"}  # fmt: skip
# A layout without those rules: each document starts on a right-hand page (a blank page is
# inserted before it when needed, and dropped when splitting).
_FALLBACK_STYLE = BATCH_STYLE.replace("break-before: page", "break-before: right")
_ANCHOR = "cunpin-batch-{}"


class BatchLayoutError(RuntimeError):
    """The HTML of a batch is not one ``<main class="document">`` per document."""


def batch_html(htmls: list[str]) -> str:
    """The documents ``htmls`` (each a whole page of the base print layout) as one HTML
    page: the first one's head and shell around every document's ``<main>``."""
    mains = []
    for n, html in enumerate(htmls):
        found = _MAIN.findall(html)
        if len(found) != 1:
            raise BatchLayoutError(
                f'Document {n} of the batch has {len(found)} <main class="document">; '
                "a batch needs exactly one in each."
            )
        mains.append(f'<main id="{_ANCHOR.format(n)}" class="document"{found[0]}')
    shell = htmls[0]
    style = BATCH_STYLE
    if all(side in shell for side in _SIDES):
        for side, own_side in _SIDES.items():
            shell = shell.replace(side, own_side)
    else:
        style = _FALLBACK_STYLE
    first = _MAIN.search(shell)
    assert first is not None
    head_end = shell.index(_HEAD_END)
    return (
        shell[:head_end]
        + style
        + shell[head_end : first.start()]
        + "\n".join(mains)
        + shell[first.end() :]
    )


Chunk = tuple[list[str], list[str], list[str]]  # the HTML, titles and authors of a chunk


def batch_chunk_size(count: int, processes: int = 1) -> int:
    """Documents a layout pass for a batch of ``count`` laid out in ``processes``: at most
    ``BATCH_CHUNK``, and with several processes at least one chunk each, as even as they
    come (100 documents on two processes: two chunks of 50)."""
    if count <= 0:
        return BATCH_CHUNK
    size = BATCH_CHUNK if processes <= 1 else min(BATCH_CHUNK, -(-count // processes))
    return -(-count // -(-count // size))


def htmls_to_pdfs(
    htmls: list[str], *, titles: list[str], authors: list[str], processes: int = 1
) -> list[RenderedPdf]:
    """Render ``htmls`` (documents of the base print layout) in one layout pass per chunk of
    ``BATCH_CHUNK`` and return one PDF each, as ``html_to_pdf`` would: its own pages, page
    numbers from 1, its title (``titles``) and author (``authors``, the issuing body) in the
    PDF's metadata.

    ``processes`` > 1 lays the chunks out side by side in that many forked processes (kept
    for the life of this one): for a background worker, never a web server's process (a
    forked threaded server is unsafe) nor a daemonic one (Celery's pool cannot fork)."""
    size = batch_chunk_size(len(htmls), processes)
    return chunks_to_pdfs(
        ((htmls[s : s + size], titles[s : s + size], authors[s : s + size])
         for s in range(0, len(htmls), size)),
        processes=processes if len(htmls) > size else 1,
    )  # fmt: skip


def chunks_to_pdfs(chunks: Iterable[Chunk], *, processes: int = 1) -> list[RenderedPdf]:
    """``htmls_to_pdfs`` for chunks made as they are needed (``batch_chunk_size`` each):
    with ``processes`` > 1 each chunk is handed to the pool as soon as it is made, so the
    caller writes the next chunk's HTML while the pool lays out the previous ones."""
    if processes <= 1:
        return [pdf for chunk in chunks for pdf in _render_chunk(*chunk)]
    pool = _pool(processes)
    futures = [pool.submit(_render_chunk, *chunk) for chunk in chunks]
    return [pdf for future in futures for pdf in future.result()]


_processes: Any = None


def _pool(processes: int) -> Any:
    """The process pool of batch layout, forked once WeasyPrint and the fonts are loaded."""
    global _processes
    if _processes is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _shared()
        _processes = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
        atexit.register(_processes.shutdown)
    return _processes


def _render_chunk(htmls: list[str], titles: list[str], authors: list[str]) -> list[RenderedPdf]:
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    if len(htmls) == 1:
        return [html_to_pdf(htmls[0])]
    markup = batch_html(htmls)
    font_config, url_fetcher = _shared()
    with _render_lock, _collector_paused():
        try:
            document = HTML(string=markup, base_url=BASE_URL, url_fetcher=url_fetcher).render(
                font_config=font_config
            )
            whole = document.write_pdf()
        except FatalURLFetchingError as exc:
            raise ResourceRefused(
                f"{exc}: a document may only embed data: URLs (images as data URIs)."
            ) from exc
    # The pages of each document: from the page holding its <main>'s anchor to the next
    # document's, less the blank pages inserted to start each on a right-hand page.
    owners: list[int] = []
    current = -1
    for page in document.pages:
        for n in range(current + 1, len(htmls)):
            if _ANCHOR.format(n) in page.anchors:
                current = n
        owners.append(-1 if page._page_box.page_type.blank else current)
    reader = PdfReader(io.BytesIO(whole))
    lang = reader.root_object.get("/Lang")
    pdfs = []
    for n in range(len(htmls)):
        indexes = [i for i, owner in enumerate(owners) if owner == n]
        if not indexes:
            raise BatchLayoutError(f"Document {n} of the batch has no page.")
        writer = PdfWriter()
        for i in indexes:
            writer.add_page(reader.pages[i])
        writer.add_metadata(
            {
                "/Producer": reader.metadata.get("/Producer", "") if reader.metadata else "",
                "/Title": titles[n],
                "/Author": authors[n],
            }
        )
        if lang is not None:
            writer._root_object[NameObject("/Lang")] = TextStringObject(str(lang))
        writer.add_outline_item(title=titles[n], page_number=0)
        out = io.BytesIO()
        writer.write(out)
        pdfs.append(RenderedPdf(content=out.getvalue(), pages=len(indexes)))
    return pdfs
