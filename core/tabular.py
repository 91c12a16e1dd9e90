"""Reading an uploaded spreadsheet (.xlsx or .csv): the file checks, the readers, the header
row and the cell helpers, shared by the village import (``organisation.importing``) and the
written-score import (``recruitment.scores_import``).

Each import names its columns and the messages that speak of them; this module finds the
header row among the first few non-blank rows, leaves out blank rows and reports a problem
with the file as a whole as ImportFileError, and a problem with one cell as a RowError
(row number as the spreadsheet shows it, column header as written, reason).

A file is a stranger's input, so its cost is bounded before and while it is parsed:

- at most 5 MB uploaded;
- a workbook is first inspected as the zip archive it is, without unpacking anything: at most
  ``MAX_MEMBERS`` parts, ``MAX_UNPACKED_BYTES`` unpacked in all, and no large part packed more
  tightly than ``MAX_RATIO`` to 1 (a "zip bomb" packs hundreds of megabytes of repeated XML
  into kilobytes). Python's zipfile never unpacks more than a part declares, so a part that
  lies about its size fails its checksum instead of running on;
- a password-protected workbook (an OLE container, not a zip) and one whose parts are
  encrypted are named as such;
- rows are counted as the sheet numbers them, blank or not: a sheet may reach row
  ``max_rows + EXTRA_ROWS`` and no further. The sheet's own ``<dimension ref>`` is read first,
  and openpyxl is told to stop after that row, so a sheet that declares a million empty rows
  costs nothing;
- a cell holds at most ``MAX_CELL_CHARS`` characters, and reading stops after
  ``READ_SECONDS``;
- every failure of openpyxl or of the CSV module is a message, never a 500 (openpyxl raises
  ParseError, zlib.error, KeyError, IndexError, RuntimeError and more on damaged files).

The text of every cell of the import's columns goes through ``core.normalise.clean_text``:
invisible characters go, full-width digits and letters become ASCII, and a cell with a control
character or a character the documents cannot print is a RowError naming its column.
"""

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.exports import unescape_cell
from core.normalise import clean_text, normalise_text

MAX_FILE_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header row
MAX_COLUMNS = 40
ALLOWED_EXTENSIONS = (".xlsx", ".csv")

# Bounds of a workbook's zip archive, checked before openpyxl opens it. A workbook of 10,000
# rows unpacks to 2–3 MB, and Excel packs its XML about 5 to 15 times.
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # small parts may pack tightly without harm
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx files and old .xls files

# Rows a sheet may have beyond the import's data rows: title lines, the header, blank rows.
EXTRA_ROWS = 1000
MAX_CELL_CHARS = 1000
READ_SECONDS = 20.0
_CHECK_TIME_EVERY = 256  # rows

BLANK = re.compile(r"[\s\u3000]+")
_UNIT_SUFFIX = re.compile(r"\((人|口|人口)\)$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported: wrong type, too big, unreadable, no header."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it (1 = first line of the file)
    column: str  # the header as written in the file, or "" for the row as a whole
    reason: str


@dataclass
class FileImportReport:
    """What an import of one file did, or why it did nothing (``errors``). Each import adds
    its counts and extends ``summary`` (the ``after`` of its audit row)."""

    file_name: str
    sha256: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"file": self.file_name, "sha256": self.sha256, "rows": self.rows}


# Checking the file --------------------------------------------------------------------------


def check_file_name(file_name: str) -> str:
    """The lower-case extension of an acceptable file name, or ImportFileError."""
    suffix = PurePath(file_name or "").suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            _(
                "“%(name)s” is an old-style Excel file (.xls), which cannot be read. Open it in "
                "Excel or WPS and save it as .xlsx or as CSV, then upload it again."
            )
            % {"name": file_name}
        )
    if suffix not in ALLOWED_EXTENSIONS:
        raise ImportFileError(
            _(
                "Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported; "
                "“%(name)s” is neither."
            )
            % {"name": file_name or "?"}
        )
    return suffix


def check_file_size(size: int, max_bytes: int = MAX_FILE_BYTES) -> None:
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s MB; files of at most %(max)s MB can be imported.")
            % {"size": f"{size / 1024 / 1024:.1f}", "max": max_bytes // 1024 // 1024}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))


def _unreadable_workbook() -> ImportFileError:
    return ImportFileError(
        _(
            "The file could not be read as an Excel workbook (.xlsx). Save it again from "
            "Excel or WPS as .xlsx or as CSV."
        )
    )


def _encrypted_workbook() -> ImportFileError:
    return ImportFileError(
        _(
            "The workbook is protected with a password (encrypted), or is an old-style .xls "
            "file renamed to .xlsx, and cannot be read. Open it in Excel or WPS, remove the "
            "password, save it as .xlsx and upload it again."
        )
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def check_workbook_archive(content: bytes) -> None:
    """Inspect a workbook's zip archive without unpacking it (module docstring); raise
    ImportFileError when it cannot or should not be opened."""
    if content.startswith(OLE_MAGIC):
        raise _encrypted_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, and whatever a damaged directory raises
        raise _unreadable_workbook() from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(
            _(
                "The workbook has %(count)s parts; a workbook with more than %(max)s cannot be "
                "read. Copy the table into a new workbook and save that."
            )
            % {"count": len(members), "max": MAX_MEMBERS}
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise _encrypted_workbook()
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The workbook unpacks to %(size)s MB; at most %(max)s MB can be read. Copy the "
                "table alone into a new workbook, or save it as CSV."
            )
            % {"size": _megabytes(unpacked), "max": _megabytes(MAX_UNPACKED_BYTES)}
        )
    for member in members:
        if member.file_size > RATIO_CHECKED_FROM and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ImportFileError(
                _(
                    "The workbook is packed far more tightly than a real table can be (%(size)s "
                    "MB in %(packed)s KB), as files made to overload a server are, and is not "
                    "read. Save the table again from Excel or WPS as .xlsx or as CSV."
                )
                % {
                    "size": _megabytes(member.file_size),
                    "packed": f"{member.compress_size / 1024:.0f}",
                }
            )


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet goes on beyond row %(max)s; at most %(max)s rows (blank ones included) "
            "can be read. Delete the empty rows below the table, or split the file into "
            "smaller files."
        )
        % {"max": max_rows}
    )


class _Budget:
    """The time a file may take to read (``READ_SECONDS``)."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + READ_SECONDS

    def check(self, number: int) -> None:
        if number % _CHECK_TIME_EVERY == 0 and time.monotonic() > self.deadline:
            raise ImportFileError(
                _(
                    "Reading the file took too long (it stopped at row %(row)s). Save the table "
                    "alone as CSV, or split it into smaller files."
                )
                % {"row": number}
            )


# Reading the rows ---------------------------------------------------------------------------


def read_xlsx(content: bytes, *, max_rows: int) -> Iterator[tuple[int, list]]:
    """The rows ``(number, values)`` of the first sheet of a workbook, up to row
    ``max_rows``; ImportFileError for a sheet that goes further."""
    from openpyxl import load_workbook

    check_workbook_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook can fail in many ways inside openpyxl
        raise _unreadable_workbook() from exc
    budget = _Budget()
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        declared = sheet.max_row  # from the sheet's <dimension ref>, if it has one
        if isinstance(declared, int) and declared > max_rows:
            raise _too_many_rows(max_rows)
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=max_rows + 1, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet can fail in many ways inside openpyxl
                raise ImportFileError(
                    _("The workbook is damaged near row %(row)s and cannot be read.")
                    % {"row": number + 1}
                ) from exc
            number += 1
            if number > max_rows:
                raise _too_many_rows(max_rows)
            budget.check(number)
            yield number, list(values)
    finally:
        workbook.close()


def _decode_csv(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel and WPS in Chinese save CSV in GBK; GB18030 is its superset.
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor GBK/GB18030 text. Save it again as CSV (UTF-8).")
        ) from exc


def read_csv(content: bytes, *, max_rows: int) -> Iterator[tuple[int, list]]:
    """The rows ``(number, values)`` of a CSV file in UTF-8 or GBK, comma, tab or semicolon,
    up to line ``max_rows``; ImportFileError for a file that goes further."""
    text = _decode_csv(content)
    if "\x00" in text:
        raise ImportFileError(
            _(
                "The file contains NUL characters, so it is not a CSV text file. Save the "
                "table again as CSV (UTF-8)."
            )
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    budget = _Budget()
    try:
        for number, values in enumerate(reader, start=1):
            if number > max_rows:
                raise _too_many_rows(max_rows)
            budget.check(number)
            yield number, values[:MAX_COLUMNS]
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "The CSV file is malformed near line %(line)s (a quotation mark left open, or "
                "a cell far too long). Save the table again as CSV from Excel or WPS."
            )
            % {"line": reader.line_num}
        ) from exc


# Cells --------------------------------------------------------------------------------------


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not normalise_text(value))


def normal_header(value) -> str:
    """A header (or a short keyword) as compared: normalised, no blanks, lower case, ASCII
    brackets and commas, without a trailing unit such as (人)."""
    text = BLANK.sub("", normalise_text(value)).lower()
    text = text.replace("（", "(").replace("）", ")").replace("，", ",")
    return _UNIT_SUFFIX.sub("", text)


def cell_text(value) -> str:
    """A cell as text: whole numbers without ``.0``, runs of blanks folded to one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return BLANK.sub(" ", str(value)).strip()


# The table ----------------------------------------------------------------------------------


@dataclass
class Table:
    header_map: dict[str, int]  # column → index
    header_texts: list[str]
    data: list  # (row number, values)
    # Cells of the import's columns refused by the normaliser (control characters,
    # characters that cannot be printed, too long); the import reports them with its own.
    errors: list[RowError] = field(default_factory=list)

    def header(self, column: str) -> str:
        """The header of a column as written in the file."""
        index = self.header_map.get(column)
        if index is None or index >= len(self.header_texts):
            return column
        return self.header_texts[index]

    def cell(self, values: list, column: str):
        index = self.header_map.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]


def _clean_cells(table: Table, number: int, values: list) -> list:
    """The row with the text of the import's columns normalised; problems go to
    ``table.errors``."""
    values = list(values)
    for column, index in table.header_map.items():
        if index >= len(values) or not isinstance(values[index], str):
            continue
        header = table.header(column)
        raw = unescape_cell(values[index])
        if len(raw) > MAX_CELL_CHARS:
            table.errors.append(
                RowError(
                    number,
                    header,
                    _("The cell has %(count)s characters; at most %(max)s are read.")
                    % {"count": len(raw), "max": MAX_CELL_CHARS},
                )
            )
            continue  # kept as it is: the import's own checks may say more about it
        try:
            values[index] = clean_text(raw, label=header)
        except ValidationError as exc:
            table.errors.extend(RowError(number, header, m) for m in exc.messages)
            values[index] = normalise_text(raw)
    return values


def read_table(
    file_name: str,
    content: bytes,
    *,
    headers: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    labels: dict[str, str],
    no_header: str,
    no_rows: str,
    max_rows: int,
    max_bytes: int = MAX_FILE_BYTES,
) -> Table:
    """The header and the data rows of a file, leaving out blank rows, with the text of the
    columns named in ``headers`` normalised (module docstring).

    ``headers`` maps each column to the header names it accepts (compared after
    ``normal_header``), ``labels`` names each required column when it is missing;
    ``no_header`` and ``no_rows`` are the messages for a file without a header row and for
    one with nothing below it; ``max_rows`` bounds the data rows (and, with ``EXTRA_ROWS``,
    the rows of the sheet). Raises ImportFileError when the file as a whole cannot be used.
    Call it outside any lock: it is the costly part of an import.
    """
    suffix = check_file_name(file_name)
    check_file_size(len(content), max_bytes)
    sheet_rows = max_rows + EXTRA_ROWS
    if suffix == ".xlsx":
        rows = read_xlsx(content, max_rows=sheet_rows)
    else:
        rows = read_csv(content, max_rows=sheet_rows)
    lookup = {name: column for column, names in headers.items() for name in names}

    header_map: dict[str, int] = {}
    header_texts: list[str] = []
    seen = 0
    for _number, values in rows:
        if all(is_blank(v) for v in values):
            continue
        seen += 1
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            column = lookup.get(normal_header(value))
            if column is not None and column not in found:
                found[column] = index
        if found:
            header_map = found
            header_texts = [normalise_text(v) for v in values]
            break
        if seen >= HEADER_SEARCH_ROWS:
            break
    if not header_map:
        raise ImportFileError(no_header)
    missing = [column for column in required if column not in header_map]
    if missing:
        raise ImportFileError(
            _("The header row has no column for: %(columns)s.")
            % {"columns": "; ".join(str(labels[c]) for c in missing)}
        )

    table = Table(header_map, header_texts, [])
    for number, values in rows:
        if all(is_blank(v) for v in values):
            continue
        table.data.append((number, _clean_cells(table, number, values)))
        if len(table.data) > max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": max_rows}
            )
    if not table.data:
        raise ImportFileError(no_rows)
    return table
