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
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

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


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[Row], *, filename: str) -> HttpResponse:
    """A CSV download of ``rows`` (``csv_content``)."""
    response = HttpResponse(csv_content(rows), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(rows: Iterable[Row], *, filename: str, sheet_title: str = "Sheet1"):
    """An .xlsx download of ``rows`` (``xlsx_content``)."""
    response = HttpResponse(xlsx_content(rows, sheet_title=sheet_title), content_type=XLSX_TYPE)
    return _attachment(response, filename)
