"""Reading a written-score spreadsheet: the file, its header row and every cell, checked
before anything is written (``recruitment.services.exams.written_scores_import`` writes).

The layout is the sheet an exam office fills in: a header row, then one candidate a row with
准考证号 (admission number), 姓名 (name) and 笔试成绩 (written score: a number from 0 to 100
with at most two decimals, or 缺考 for a candidate who did not sit the exam). A title line or
two above the header and other columns are ignored. Each problem is reported as (row number
as the spreadsheet shows it, column header as written, reason), as the village import does:
the file readers and cell helpers are those of ``organisation.importing``.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from organisation.importing import (
    HEADER_SEARCH_ROWS,
    ImportFileError,
    RowError,
    _is_blank,
    _normal_header,
    _read_csv,
    _read_xlsx,
    _text,
    check_file_name,
    check_file_size,
)
from recruitment import ranking
from recruitment.models import Application

MAX_ROWS = 10_000  # the admission number's four-digit sequence allows 9,999 a year

# Column → accepted header names, compared after ``organisation.importing._normal_header``.
HEADERS: dict[str, tuple[str, ...]] = {
    "admission_number": (
        "准考证号",
        "准考证号码",
        "准考证",
        "准考号",
        "admission_number",
        "admissionnumber",
        "admissionno.",
    ),
    "name": ("姓名", "考生姓名", "name"),
    "score": (
        "笔试成绩",
        "笔试分数",
        "笔试",
        "成绩",
        "written_score",
        "writtenscore",
        "score",
    ),
}
REQUIRED = ("admission_number", "name", "score")
ABSENT_WORDS = ("缺考", "缺席", "弃考", "absent")
TEMPLATE_HEADER = ["准考证号", "姓名", "笔试成绩"]

_BLANK = re.compile(r"[\s\u3000]+")
_HEADER_LOOKUP = {name: column for column, names in HEADERS.items() for name in names}


@dataclass
class ScoreTable:
    header_map: dict[str, int]  # column → index
    header_texts: list[str]
    data: list  # (row number, values)

    def header(self, column: str) -> str:
        index = self.header_map.get(column)
        if index is None or index >= len(self.header_texts):
            return column
        return self.header_texts[index]

    def cell(self, values: list, column: str):
        index = self.header_map.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]


@dataclass
class ScoreRow:
    row: int
    application: Application
    value: Decimal | None  # None for absent


def read_score_table(file_name: str, content: bytes) -> ScoreTable:
    """The header and data rows of a score file, leaving out blank rows. Raises
    ImportFileError when the file as a whole cannot be used."""
    suffix = check_file_name(file_name)
    check_file_size(len(content))
    rows = _read_xlsx(content) if suffix == ".xlsx" else _read_csv(content)

    header_map: dict[str, int] = {}
    header_texts: list[str] = []
    seen = 0
    for _number, values in rows:
        if all(_is_blank(v) for v in values):
            continue
        seen += 1
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            column = _HEADER_LOOKUP.get(_normal_header(value))
            if column is not None and column not in found:
                found[column] = index
        if found:
            header_map = found
            header_texts = [_BLANK.sub(" ", str(v or "")).strip() for v in values]
            break
        if seen >= HEADER_SEARCH_ROWS:
            break
    if not header_map:
        raise ImportFileError(
            _(
                "No header row was found. The first row must name the columns 准考证号, 姓名 "
                "and 笔试成绩 (or admission_number, name and score)."
            )
        )
    missing = [column for column in REQUIRED if column not in header_map]
    if missing:
        labels = {
            "admission_number": _("admission number (准考证号)"),
            "name": _("name (姓名)"),
            "score": _("written score (笔试成绩)"),
        }
        raise ImportFileError(
            _("The header row has no column for: %(columns)s.")
            % {"columns": "; ".join(str(labels[c]) for c in missing)}
        )
    data = []
    for number, values in rows:
        if all(_is_blank(v) for v in values):
            continue
        data.append((number, values))
        if len(data) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
    if not data:
        raise ImportFileError(_("The file has a header row but no candidates below it."))
    return ScoreTable(header_map, header_texts, data)


def is_absent(value) -> bool:
    return isinstance(value, str) and _BLANK.sub("", value).lower() in ABSENT_WORDS


def validate_rows(
    table: ScoreTable, applications: dict[str, Application]
) -> tuple[list[ScoreRow], list[RowError]]:
    """Check every row against the campaign's applications (by admission number); return
    the parsed rows and every error found. The state of each application is checked by the
    service (``score_change``)."""
    parsed: list[ScoreRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, values in table.data:
        row_errors: list[RowError] = []

        def fail(column: str, reason: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, table.header(column), reason))

        application = None
        admission_number = _BLANK.sub("", _text(table.cell(values, "admission_number")))
        if not admission_number:
            fail("admission_number", _("The admission number is missing."))
        elif admission_number in seen:
            fail(
                "admission_number",
                _("Admission number %(number)s appears twice in the file (also row %(row)s).")
                % {"number": admission_number, "row": seen[admission_number]},
            )
        else:
            seen[admission_number] = number
            application = applications.get(admission_number)
            if application is None:
                fail(
                    "admission_number",
                    _("No candidate of this campaign has the admission number %(number)s.")
                    % {"number": admission_number},
                )

        name = _text(table.cell(values, "name"))
        if not name:
            fail("name", _("The name is missing."))
        elif application is not None and _BLANK.sub("", name) != _BLANK.sub("", application.name):
            fail(
                "name",
                _("Admission number %(number)s belongs to %(recorded)s, not to %(given)s.")
                % {"number": admission_number, "recorded": application.name, "given": name},
            )

        value: Decimal | None = None
        raw = table.cell(values, "score")
        if _is_blank(raw):
            fail("score", _("The score is missing; write the score, or 缺考 for an absentee."))
        elif not is_absent(raw):
            try:
                value = ranking.parse_score(raw)
            except ranking.ScoreError as exc:
                fail("score", exc.message)

        if row_errors:
            errors.extend(row_errors)
            continue
        assert application is not None
        parsed.append(ScoreRow(number, application, value))
    return parsed, errors
