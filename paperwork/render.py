"""HTML to PDF. The one module that imports WeasyPrint.

WeasyPrint is imported inside the function: the import costs about half a second, which
management commands and most requests should not pay. One ``FontConfiguration`` serves every
render in the process, so fontconfig's font list is built once.

Only ``data:`` and ``file:`` URLs are fetched while rendering: a document never reaches out to
the network, whatever its HTML says, and a resource that cannot be loaded stops the render
rather than leaving a hole in an official document.

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

                _url_fetcher = URLFetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)
                _font_config = FontConfiguration()
    return _font_config, _url_fetcher


def html_to_pdf(html: str, *, base_url: str | None = None) -> RenderedPdf:
    """Render ``html`` (a complete document with its print CSS) to PDF.

    ``base_url`` resolves relative ``file:`` links, if the HTML has any.
    """
    from weasyprint import HTML

    font_config, url_fetcher = _shared()
    with _render_lock:
        document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render(
            font_config=font_config
        )
        content = document.write_pdf()
    return RenderedPdf(content=content, pages=len(document.pages))
