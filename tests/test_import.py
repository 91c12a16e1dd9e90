"""Importing villages and populations from .xlsx and .csv files, all or nothing."""

import csv
import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from accounts.constants import Role
from audit.models import AuditEntry
from organisation import importing
from organisation.constants import PostStatus, VillageKind
from organisation.importing import ImportFileError, villages_import
from organisation.models import Post, Village
from tests.factories import (
    CountyFactory,
    PersonFactory,
    TownshipFactory,
    UserFactory,
    make_village,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

DAY = datetime.date(2026, 1, 1)
HEADER = ["乡镇(街道)", "村(居、社区)", "户籍人口"]


@pytest.fixture
def guansuo(county):
    return TownshipFactory(county=county, name="关索街道")


@pytest.fixture
def dingyun(county):
    return TownshipFactory(county=county, name="顶云街道")


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(by, rows=None, *, name="villages.csv", content=None, date=DAY):
    if content is None:
        content = csv_bytes(rows)
    return villages_import(file_name=name, content=content, default_date=date, by=by)


def state() -> tuple:
    return (Village.objects.count(), Post.objects.count(), AuditEntry.objects.count())


# Reading files -------------------------------------------------------------------------------


def test_valid_csv_creates_villages_with_posts_by_quota_and_one_import_audit_row(
    hr, guansuo, dingyun
):
    content = csv_bytes(
        [
            HEADER,
            ["关索街道", "新寨村", 1800],
            ["关索街道", "龙潭社区", 2001],
            ["顶云街道", "石板村", 5000],
        ]
    )
    report = run(hr, content=content)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.posts_created == 1 + 2 + 3
    village = Village.objects.get(name="龙潭社区")
    assert village.kind == VillageKind.COMMUNITY  # inferred from the name
    assert village.population_effective_date == DAY
    assert village.posts.filter(status=PostStatus.ACTIVE).count() == 2
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.after["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry.after["file"] == "villages.csv"
    assert entry.after["rows"] == 3
    assert entry.actor == hr


def test_xlsx_with_a_title_row_numbers_dates_and_kind_is_read(hr, guansuo):
    content = xlsx_bytes(
        [
            ["关岭自治县村级人口统计表"],
            ["序号", "乡镇（街道）", "村（居、社区）", "户籍人口（人）", "类型", "人口统计日期"],
            [1, "关索街道", "新寨村", 2000.0, "村", datetime.datetime(2025, 12, 31)],
            [2, "关索街道", "城南居委会", 4999, "居", "2026年1月1日"],
            [None, None, None, None, None, None],
        ]
    )
    report = run(hr, name="人口.xlsx", content=content)

    assert report.ok, report.errors
    assert report.rows == 2
    first = Village.objects.get(name="新寨村")
    assert (first.registered_population, first.population_effective_date) == (
        2000,
        datetime.date(2025, 12, 31),
    )
    second = Village.objects.get(name="城南居委会")
    assert second.kind == VillageKind.RESIDENTS
    assert second.posts.count() == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk_is_read(hr, guansuo, encoding):
    content = csv_bytes([HEADER, ["关索街道", "新寨村", 1200]], encoding=encoding)
    report = run(hr, content=content)
    assert report.ok, report.errors
    assert Village.objects.filter(name="新寨村", township=guansuo).exists()


def test_english_headers_are_accepted(hr, guansuo):
    report = run(hr, [["Township", "Village", "Population"], ["关索街道", "新寨村", "1,234"]])
    assert report.ok, report.errors
    assert Village.objects.get(name="新寨村").registered_population == 1234


def test_existing_village_gets_the_new_population_and_its_posts_reconciled(hr, guansuo):
    village = make_village(guansuo, 1800, by=hr)
    other = make_village(guansuo, 900, name="龙潭村", by=hr)
    rows = [
        [*HEADER, "人口统计日期"],
        ["关索街道", "新寨村", 5000, "2026-06-30"],
        ["关索街道", "龙潭村", 900, "2026-01-01"],
    ]
    report = run(hr, rows)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.posts_created == 2
    village.refresh_from_db()
    assert village.registered_population == 5000
    assert village.population_effective_date == datetime.date(2026, 6, 30)
    assert village.posts.filter(status=PostStatus.ACTIVE).count() == 3
    assert other.posts.count() == 1


def test_a_population_fall_flags_an_occupied_post_and_never_removes_it(hr, guansuo):
    village = make_village(guansuo, 2500, by=hr)
    first, second = village.posts.order_by("number")
    for post in (first, second):
        post.holder = PersonFactory(township=guansuo, village=village)
        post.save()

    report = run(hr, [HEADER, ["关索街道", "新寨村", 1500]], date=datetime.date(2026, 3, 1))

    assert report.ok, report.errors
    assert report.posts_flagged_surplus == 1
    assert village.posts.count() == 2
    assert set(village.posts.values_list("status", flat=True)) == {
        PostStatus.ACTIVE,
        PostStatus.SURPLUS,
    }
    assert not village.posts.filter(holder__isnull=True).exists()


# Bad rows ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        (["关索街道", "新寨村", -5], "户籍人口", "negative"),
        (["关索街道", "新寨村", "一千"], "户籍人口", "not a number"),
        (["关索街道", "新寨村", "1200.5"], "户籍人口", "whole number"),
        (["关索街道", "新寨村", ""], "户籍人口", "missing"),
        (["关索街道", "", 1200], "村(居、社区)", "missing"),
        (["", "新寨村", 1200], "乡镇(街道)", "missing"),
        (["花江镇", "新寨村", 1200], "乡镇(街道)", "no township named “花江镇”"),
        (["关索街道", "新" * 65, 1200], "村(居、社区)", "65 characters"),
    ],
)
def test_a_bad_cell_is_reported_with_row_column_and_reason(hr, guansuo, cells, column, reason):
    report = run(hr, [HEADER, ["关索街道", "好村", 100], cells])

    assert not report.ok
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.row == 3  # the row as the spreadsheet shows it
    assert error.column == column
    assert reason in error.reason
    assert not Village.objects.exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [("2026-02-30", "not a date"), ("昨天", "not a date"), ("2099-01-01", "future")],
)
def test_a_bad_date_is_reported(hr, guansuo, value, reason):
    report = run(hr, [[*HEADER, "人口统计日期"], ["关索街道", "新寨村", 100, value]])
    assert [(e.row, e.column) for e in report.errors] == [(2, "人口统计日期")]
    assert reason in report.errors[0].reason


def test_a_date_before_the_first_policy_is_reported(hr, guansuo):
    report = run(hr, [[*HEADER, "人口统计日期"], ["关索街道", "新寨村", 100, "2010-01-01"]])
    assert "no policy in force" in report.errors[0].reason


def test_a_village_twice_in_one_township_is_reported_with_both_rows(hr, guansuo, dingyun):
    rows = [
        HEADER,
        ["关索街道", "新寨村", 100],
        ["顶云街道", "新寨村", 100],  # same name, other township: fine
        ["关索街道", " 新寨村 ", 300],
    ]
    report = run(hr, rows)
    assert [(e.row, e.column) for e in report.errors] == [(4, "村(居、社区)")]
    assert "row 2" in report.errors[0].reason


def test_every_bad_row_is_reported_not_only_the_first(hr, guansuo):
    rows = [HEADER, ["关索街道", "甲村", -1], ["关索街道", "乙村", "x"], ["花江镇", "", ""]]
    report = run(hr, rows)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "户籍人口"),
        (3, "户籍人口"),
        (4, "乡镇(街道)"),
        (4, "村(居、社区)"),
        (4, "户籍人口"),
    ]


def test_one_bad_row_leaves_the_database_unchanged(hr, guansuo):
    make_village(guansuo, 1800, by=hr)
    before = state()
    rows = [
        HEADER,
        ["关索街道", "新寨村", 5000],
        ["关索街道", "龙潭村", 2500],
        ["关索街道", "石板村", -3],
    ]
    report = run(hr, rows, date=datetime.date(2026, 5, 1))

    assert [e.row for e in report.errors] == [4]
    assert state() == before
    assert Village.objects.get(name="新寨村").registered_population == 1800
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


def test_a_failure_while_writing_rolls_everything_back(hr, guansuo, monkeypatch):
    before = state()
    real = importing.village_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise importing.ValidationError({"name": "clash"})
        return real(**kwargs)

    monkeypatch.setattr(importing, "village_create", failing)
    report = run(hr, [HEADER, ["关索街道", "甲村", 100], ["关索街道", "乙村", 100]])

    assert [e.row for e in report.errors] == [3]
    assert state() == before


def test_kind_of_an_existing_village_is_not_changed_by_import(hr, guansuo):
    make_village(guansuo, 100, name="新寨", by=hr)
    report = run(hr, [[*HEADER, "类型"], ["关索街道", "新寨", 200, "社区"]])
    assert [e.column for e in report.errors] == ["类型"]


def test_an_older_figure_cannot_replace_a_newer_one(hr, guansuo):
    make_village(guansuo, 100, by=hr, on=datetime.date(2026, 6, 1))
    report = run(hr, [HEADER, ["关索街道", "新寨村", 200]], date=DAY)
    assert len(report.errors) == 1
    assert "older" in report.errors[0].reason


def test_townships_of_another_county_are_unknown(hr, guansuo):
    other = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    TownshipFactory(county=other, name="城关镇")
    report = run(hr, [HEADER, ["城关镇", "新寨村", 100]])
    assert "no township named" in report.errors[0].reason


# The file as a whole -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["villages.txt", "villages.pdf", "villages", "人口.xls"])
def test_files_other_than_xlsx_and_csv_are_refused(hr, guansuo, name):
    with pytest.raises(ImportFileError) as exc:
        run(hr, [HEADER, ["关索街道", "新寨村", 100]], name=name)
    assert ".xlsx" in exc.value.message


def test_a_damaged_workbook_is_refused_clearly(hr, guansuo):
    with pytest.raises(ImportFileError) as exc:
        run(hr, name="villages.xlsx", content=b"this is not a zip file")
    assert "Excel" in exc.value.message


def test_a_file_over_the_size_limit_is_refused(hr, guansuo, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFileError) as exc:
        run(hr, [HEADER] + [["关索街道", f"村{i}", 100] for i in range(20)])
    assert "MB" in exc.value.message


def test_a_file_over_the_row_limit_is_refused(hr, guansuo, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    with pytest.raises(ImportFileError) as exc:
        run(hr, [HEADER] + [["关索街道", f"村{i}", 100] for i in range(4)])
    assert "3 rows" in exc.value.message
    assert not Village.objects.exists()


def test_a_header_without_the_population_column_is_refused_naming_it(hr, guansuo):
    with pytest.raises(ImportFileError) as exc:
        run(hr, [["乡镇", "村"], ["关索街道", "新寨村"]])
    assert "population" in exc.value.message


def test_a_file_without_a_header_row_is_refused(hr, guansuo):
    with pytest.raises(ImportFileError) as exc:
        run(hr, [["关索街道", "新寨村", 100]])
    assert "header" in exc.value.message


def test_only_county_hr_may_import(county, policy, guansuo):
    committee = UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=guansuo)
    with pytest.raises(PermissionDenied):
        run(committee, [HEADER, ["关索街道", "新寨村", 100]])
    assert not Village.objects.exists()


# The page and the command --------------------------------------------------------------------


def upload(rows, name="villages.csv"):
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def test_import_page_shows_instructions_and_the_template_link(client, hr):
    client.force_login(hr)
    response = client.get(reverse("organisation:import"))
    assert response.status_code == 200
    assert reverse("organisation:import_template").encode() in response.content
    assert "户籍人口".encode() in response.content


def test_import_page_with_a_bad_row_shows_the_report_and_changes_nothing(client, hr, guansuo):
    client.force_login(hr)
    before = state()
    response = client.post(
        reverse("organisation:import"),
        {
            "file": upload([HEADER, ["关索街道", "新寨村", 100], ["关索街道", "龙潭村", "-7"]]),
            "effective_date": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["report"].errors[0].row == 3
    assert b"-7" in response.content
    assert state() == before


def test_import_page_with_a_good_file_shows_the_counts(client, hr, guansuo):
    client.force_login(hr)
    response = client.post(
        reverse("organisation:import"),
        {"file": upload([HEADER, ["关索街道", "新寨村", 2500]]), "effective_date": "2026-01-01"},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.posts_created) == (1, 2)


def test_import_page_refuses_other_file_types_with_a_message(client, hr, guansuo):
    client.force_login(hr)
    response = client.post(
        reverse("organisation:import"),
        {"file": upload([HEADER], name="villages.docx"), "effective_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Village.objects.exists()


def test_import_page_refuses_a_date_before_any_policy(client, hr, guansuo):
    client.force_login(hr)
    response = client.post(
        reverse("organisation:import"),
        {"file": upload([HEADER, ["关索街道", "新寨村", 100]]), "effective_date": "2001-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["effective_date"]


def test_the_template_csv_has_a_bom_and_the_headers_the_import_reads(client, hr):
    client.force_login(hr)
    response = client.get(reverse("organisation:import_template"))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = importing.read_table("t.csv", response.content + csv_bytes([["关索街道", "新寨村", 1]]))
    assert set(table.header_map) == {"township", "village", "population", "kind", "date"}


@pytest.mark.parametrize("role", [Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE])
def test_import_page_is_refused_to_other_roles(client, county, policy, guansuo, role):
    client.force_login(UserFactory(role=role, county=county, township=guansuo))
    assert client.get(reverse("organisation:import")).status_code == 403
    assert client.get(reverse("organisation:import_template")).status_code == 403


def test_import_page_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("organisation:import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_command_imports_and_prints_the_counts(hr, guansuo, tmp_path):
    path = tmp_path / "villages.csv"
    path.write_bytes(csv_bytes([HEADER, ["关索街道", "新寨村", 5000]], encoding="gb18030"))
    out = io.StringIO()
    call_command("import_villages", str(path), user=hr.username, date="2026-01-01", stdout=out)
    assert "created: 1" in out.getvalue()
    assert "posts_created: 3" in out.getvalue()


def test_command_prints_every_problem_and_imports_nothing(hr, guansuo, tmp_path):
    path = tmp_path / "villages.csv"
    path.write_bytes(csv_bytes([HEADER, ["关索街道", "新寨村", 100], ["花江镇", "石村", "x"]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_villages", str(path), user=hr.username, stdout=out)
    printed = out.getvalue()
    assert "3\t乡镇(街道)" in printed
    assert "3\t户籍人口" in printed
    assert not Village.objects.exists()
