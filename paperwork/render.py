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

import hashlib
import threading
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


def html_to_pdf(html: str) -> RenderedPdf:
    """Render ``html`` (a complete document with its print CSS) to PDF.

    Raises ``ResourceRefused`` when the HTML refers to anything but a ``data:`` URL.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    font_config, url_fetcher = _shared()
    with _render_lock:
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
