"""Reading an uploaded spreadsheet (.xlsx or .csv): the file checks, the readers, the header
row and the cell helpers, shared by the village import (``organisation.importing``) and the
written-score import (``recruitment.scores_import``).

Each import names its columns and the messages that speak of them; this module finds the
header row among the first few non-blank rows, leaves out blank rows and reports a problem
with the file as a whole as ImportFileError, and a problem with one cell as a RowError
(row number as the spreadsheet shows it, column header as written, reason).
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header row
MAX_COLUMNS = 40
ALLOWED_EXTENSIONS = (".xlsx", ".csv")

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


# Reading the rows ---------------------------------------------------------------------------


def read_xlsx(content: bytes) -> Iterator[tuple[int, list]]:
    """The rows ``(number, values)`` of the first sheet of a workbook."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _(
                "The file could not be read as an Excel workbook (.xlsx). Save it again from "
                "Excel or WPS as .xlsx or as CSV."
            )
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
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


def read_csv(content: bytes) -> Iterator[tuple[int, list]]:
    """The rows ``(number, values)`` of a CSV file in UTF-8 or GBK, comma, tab or semicolon."""
    text = _decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values[:MAX_COLUMNS]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


# Cells --------------------------------------------------------------------------------------


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not BLANK.sub("", value))


def normal_header(value) -> str:
    """A header (or a short keyword) as compared: no blanks, lower case, ASCII brackets and
    commas, without a trailing unit such as (人)."""
    text = BLANK.sub("", str(value or "")).lower()
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
    """The header and the data rows of a file, leaving out blank rows.

    ``headers`` maps each column to the header names it accepts (compared after
    ``normal_header``), ``labels`` names each required column when it is missing;
    ``no_header`` and ``no_rows`` are the messages for a file without a header row and for
    one with nothing below it. Raises ImportFileError when the file as a whole cannot be used.
    """
    suffix = check_file_name(file_name)
    check_file_size(len(content), max_bytes)
    rows = read_xlsx(content) if suffix == ".xlsx" else read_csv(content)
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
            header_texts = [BLANK.sub(" ", str(v or "")).strip() for v in values]
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

    data = []
    for number, values in rows:
        if all(is_blank(v) for v in values):
            continue
        data.append((number, values))
        if len(data) > max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": max_rows}
            )
    if not data:
        raise ImportFileError(no_rows)
    return Table(header_map, header_texts, data)
