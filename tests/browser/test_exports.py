"""Browser tests of the Excel exports (``web.exports``): a clerk filters a list, clicks
"导出电子表格" and opens the downloaded file; a township's file is masked and holds its own
people only; a list past the row limit brings the clerk back to it with a message."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.world import many_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(pages) -> tuple[str, list[list]]:
    """Click the list's "导出电子表格" and read the file: its suggested name and its rows."""
    with pages.page.expect_download() as caught:
        pages.main().get_by_role("link", name="导出电子表格").click()
    file = caught.value
    sheet = load_workbook(io.BytesIO(Path(file.path()).read_bytes())).active
    return file.suggested_filename, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_county_hr_exports_the_searched_people_with_full_numbers(staff, world):
    hr = staff("county_hr")
    hr.open_menu("人员")
    hr.search_people("wang kun")
    assert hr.people_names() == ["王堃"]
    name, rows = download(hr)
    assert name.startswith("人员-") and name.endswith(".xlsx"), name
    assert rows[0][:5] == ["姓名", "身份证号码", "性别", "出生日期", "手机号码"]
    wang = world.people["王堃"]
    assert [row[:2] for row in rows[1:]] == [["王堃", wang.id_number]]
    assert rows[1][4] == wang.phone


def test_a_township_exports_its_own_people_masked_on_a_phone(staff, world):
    many_people(world.own, "王", 3)
    committee = staff("guansuo_committee", viewport=PHONE)
    committee.page.goto("/people/")  # the menu is a drawer at phone width
    expect(committee.heading()).to_have_text("人员")
    committee.search_people("王")
    listed = committee.people_names()
    _name, rows = download(committee)
    assert [row[0] for row in rows[1:]] == listed and "王堃" in listed
    assert all("********" in row[1] and "****" in row[4] for row in rows[1:])
    assert "韦春燕" not in str(rows)  # 花江镇's director


def test_a_list_past_the_row_limit_comes_back_with_a_message(staff, world, settings):
    settings.CUNPIN_EXPORT_MAX_ROWS = 1
    hr = staff("county_hr")
    hr.open_menu("人员")
    hr.main().get_by_role("link", name="导出电子表格").click()
    expect(hr.message()).to_contain_text("该列表超过 1 行")
    expect(hr.heading()).to_have_text("人员")
    # Narrowed to one person, the same link downloads.
    hr.search_people("王堃")
    _name, rows = download(hr)
    assert [row[0] for row in rows[1:]] == ["王堃"]
