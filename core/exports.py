"""Spreadsheets the site writes (CSV and .xlsx), every cell escaped against formula injection.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one of them) is taken by Excel, WPS and LibreOffice as a formula: an applicant named
``=HYPERLINK("http://…","点击")`` or ``=cmd|' /C calc'!A0`` would run on the clerk's computer
when the score sheet is opened. Following the OWASP rule, such a text is written with a
leading apostrophe, which the spreadsheet shows as text. Full-width ``＝＋－＠`` are escaped too,
since an input method may turn them into their ASCII forms when a cell is edited.

In an .xlsx file every text is also stored as a string, never a formula, and an escaped one
carries the "quote prefix" style instead of a visible apostrophe: Excel shows the text as it
is and keeps it text when the cell is edited.

Every export goes through ``csv_response`` or ``xlsx_response`` (``tests/test_hostile_exports``
checks that no other module writes CSV or builds a workbook). ``unescape_cell`` undoes the
apostrophe when such a file comes back to an import.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

from core.identity import mask_id_number, mask_mobile

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
ESCAPE = "'"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[object]


def needs_escape(value: object) -> bool:
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES)


def escape_cell(value: object) -> object:
    """``value`` safe to put into a spreadsheet cell: a text a spreadsheet would read as a
    formula gets a leading apostrophe; numbers, dates and other texts are unchanged."""
    if needs_escape(value):
        return f"{ESCAPE}{value}"
    return value


def unescape_cell(value: str) -> str:
    """A cell read back from a file this site wrote: the escaping apostrophe removed."""
    if value.startswith(ESCAPE) and needs_escape(value[1:]):
        return value[1:]
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    return str(escape_cell(str(value)))


def csv_content(rows: Iterable[Row]) -> bytes:
    """The rows as CSV in UTF-8 with a byte-order mark (so that Excel reads the Chinese),
    CRLF line ends, every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_content(rows: Iterable[Row], *, sheet_title: str = "Sheet1") -> bytes:
    """The rows as one sheet of an .xlsx workbook: texts stored as strings (never formulas),
    escaped ones with the quote prefix, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
                cells.append(WriteOnlyCell(sheet, value=value))
                continue
            text = "" if value is None else str(value)
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # openpyxl would make a text that starts with = a formula
            if needs_escape(text):
                cell.quotePrefix = True
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_UNSAFE_IN_FALLBACK = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str) -> str:
    """``attachment`` with ``filename``. A name with anything but ASCII letters, digits, dots,
    hyphens and underscores (人员名单-2026-11-29.xlsx) goes as RFC 5987's
    ``filename*=UTF-8''…`` (percent-encoded UTF-8, which every current browser reads), after
    a plain ``filename="export-2026-11-29.xlsx"`` for older clients (RFC 6266)."""
    if not _UNSAFE_IN_FALLBACK.search(filename):
        return f'attachment; filename="{filename}"'
    kept = _UNSAFE_IN_FALLBACK.sub("-", filename).strip("-")
    fallback = f"export-{kept}" if kept else "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition(filename)
    return response


def csv_response(rows: Iterable[Row], *, filename: str) -> HttpResponse:
    """A CSV download of ``rows`` (``csv_content``)."""
    response = HttpResponse(csv_content(rows), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(rows: Iterable[Row], *, filename: str, sheet_title: str = "Sheet1"):
    """An .xlsx download of ``rows`` (``xlsx_content``)."""
    response = HttpResponse(xlsx_content(rows, sheet_title=sheet_title), content_type=XLSX_TYPE)
    return _attachment(response, filename)


# Lists as spreadsheets --------------------------------------------------------------------------

IDENTITY_MASKS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "phone": mask_mobile,
}


@dataclass(frozen=True)
class Column:
    """One column of a list's export: its header (translatable), the cell's value from a row,
    and for an ID or mobile number (``identity``: ``"id_number"`` or ``"phone"``) the full
    number, which ``table`` masks unless the reader may see it in full."""

    label: Any
    value: Callable[[Any], object]
    identity: str = ""


@dataclass(frozen=True)
class ListExport:
    """What a list exports: its name (the file's and the sheet's, and what the log names),
    its columns, and for a list with ID or mobile numbers, whose numbers a row shows (the id
    of its person record, or None), for the log of full numbers seen."""

    name: Any
    columns: tuple[Column, ...]
    person_of: Callable[[Any], int | None] | None = None

    @property
    def identity_fields(self) -> list[str]:
        return [column.identity for column in self.columns if column.identity]


def table(items: Iterable[Any], columns: Sequence[Column], *, full: bool) -> Iterable[Row]:
    """The header row (labels as text), then one row per item; ID and mobile numbers masked
    unless ``full``."""
    yield [str(column.label) for column in columns]
    for item in items:
        row = []
        for column in columns:
            value = column.value(item)
            if column.identity and not full:
                value = IDENTITY_MASKS[column.identity](str(value or ""))
            row.append(value)
        yield row
