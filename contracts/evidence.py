"""Evidence files of a dismissal case, checked with the project's upload bounds
(``core.uploads``) before they are stored: a PDF that parses with 1 to 20 pages, or a JPEG
or PNG picture of bounded dimensions, at most 5 MB each — the bounds of an applicant's
certificate scans."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import (
    PdfPasswordError,
    UploadError,
    image_header,
    pdf_page_count,
    scan_image_check,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 12_000
MAX_PIXELS = 50_000_000
MAX_PAGES = 20
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedEvidence:
    name: str
    content: bytes
    content_type: str


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_evidence_file(upload, *, number: int) -> CheckedEvidence:
    """``upload`` checked by its content (not its name); ValidationError saying what is
    wrong with it otherwise."""
    label = str(getattr(upload, "name", "") or _("the file"))[:80]
    too_big = _("%(name)s is %(size)s MB; each file may be at most %(max)s MB.")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            too_big % {"name": label, "size": _megabytes(size), "max": _megabytes(MAX_BYTES)}
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = bytes(upload.read(MAX_BYTES + 1))
    if len(content) > MAX_BYTES:
        raise ValidationError(
            too_big
            % {"name": label, "size": _megabytes(len(content)), "max": _megabytes(MAX_BYTES)}
        )
    if content.startswith(PDF_MAGIC):
        try:
            pages = pdf_page_count(content, limit=MAX_PAGES)
        except PdfPasswordError as exc:
            raise ValidationError(
                _("%(name)s is protected with a password; save it without one.") % {"name": label}
            ) from exc
        except UploadError as exc:
            raise ValidationError(
                _("%(name)s is not a PDF file that can be opened.") % {"name": label}
            ) from exc
        if pages is not None and not 1 <= pages <= MAX_PAGES:
            raise ValidationError(
                _("%(name)s has %(pages)s pages; a file may have 1 to %(max)s pages.")
                % {"name": label, "pages": pages, "max": MAX_PAGES}
            )
        return CheckedEvidence(f"evidence-{number}.pdf", content, "application/pdf")
    header = image_header(content)
    if header is None:
        raise ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": label})
    if max(header.width, header.height) > MAX_SIDE or header.pixels > MAX_PIXELS:
        raise ValidationError(
            _(
                "%(name)s is %(width)s × %(height)s pixels; a picture may have at most %(max)s "
                "pixels a side."
            )
            % {"name": label, "width": header.width, "height": header.height, "max": MAX_SIDE}
        )
    try:
        scan_image_check(content, header)
    except UploadError as exc:
        raise ValidationError(
            _("%(name)s is damaged and cannot be opened as a picture.") % {"name": label}
        ) from exc
    return CheckedEvidence(f"evidence-{number}.{header.extension}", content, header.content_type)
