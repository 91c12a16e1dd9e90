"""Reading a written-score spreadsheet: the file, its header row and every cell, checked
before anything is written (``recruitment.services.written_exam.written_scores_import`` writes).

The layout is the sheet an exam office fills in: a header row, then one candidate a row with
准考证号 (admission number), 姓名 (name) and 笔试成绩 (written score: a number from 0 to 100
with at most two decimals, or 缺考 for a candidate who did not sit the exam). A title line or
two above the header and other columns are ignored. Each problem is reported as (row number
as the spreadsheet shows it, column header as written, reason), as the village import does:
the file readers and cell helpers are those of ``core.tabular``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core import tabular
from core.tabular import BLANK, RowError, Table, cell_text, is_blank
from recruitment import ranking
from recruitment.models import Application

MAX_ROWS = 10_000  # the admission number's four-digit sequence allows 9,999 a year

# Column → accepted header names, compared after ``core.tabular.normal_header``.
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


@dataclass
class ScoreRow:
    row: int
    application: Application
    value: Decimal | None  # None for absent


def read_score_table(file_name: str, content: bytes) -> Table:
    """The header and data rows of a score file, leaving out blank rows. Raises
    ImportFileError when the file as a whole cannot be used."""
    return tabular.read_table(
        file_name,
        content,
        headers=HEADERS,
        required=REQUIRED,
        labels={
            "admission_number": _("admission number (准考证号)"),
            "name": _("name (姓名)"),
            "score": _("written score (笔试成绩)"),
        },
        no_header=_(
            "No header row was found. The first row must name the columns 准考证号, 姓名 "
            "and 笔试成绩 (or admission_number, name and score)."
        ),
        no_rows=_("The file has a header row but no candidates below it."),
        max_rows=MAX_ROWS,
    )


def is_absent(value) -> bool:
    return isinstance(value, str) and BLANK.sub("", value).lower() in ABSENT_WORDS


def validate_rows(
    table: Table, applications: dict[str, Application]
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
        admission_number = BLANK.sub("", cell_text(table.cell(values, "admission_number")))
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

        name = cell_text(table.cell(values, "name"))
        if not name:
            fail("name", _("The name is missing."))
        elif application is not None and BLANK.sub("", name) != BLANK.sub("", application.name):
            fail(
                "name",
                _("Admission number %(number)s belongs to %(recorded)s, not to %(given)s.")
                % {"number": admission_number, "recorded": application.name, "given": name},
            )

        value: Decimal | None = None
        raw = table.cell(values, "score")
        if is_blank(raw):
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
