"""County HR imports the directors in post in Chromium: downloads the template, fills it in,
uploads it with one bad row, reads the report, corrects the row and imports.

The server's clock stands at 1 September 2026 (``clock`` of the package's conftest); the
directors' contracts started two years before.
"""

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from contracts.constants import ContractOrigin, ContractState, VacancyCause
from contracts.models import Contract, Vacancy
from people.models import Person
from tests.browser.pages import StaffPages
from tests.browser.steps import step
from tests.factories import make_id_number

pytestmark = pytest.mark.browser

COUNTY = "关岭布依族苗族自治县"
ID_LUO = make_id_number(datetime.date(1987, 2, 14), female=True)
ID_WU = make_id_number(datetime.date(1990, 8, 30))
BAD_ID_WU = ID_WU[:17] + ("0" if ID_WU[17] != "0" else "1")  # a wrong check digit


class ImportPages(StaffPages):
    @step("open the directors import")
    def open_directors_import(self) -> None:
        self.page.get_by_role("link", name="导入在岗村级人口主任", exact=True).click()
        expect(self.heading()).to_have_text(f"导入{COUNTY}在岗村级人口主任")

    @step("upload a file of directors")
    def import_directors(self, name: str, content: bytes) -> int:
        form = self.section("上传文件").locator("form")
        form.get_by_label("文件").set_input_files(
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        )
        status = self.submit(form.get_by_role("button", name="导入"))
        expect(self.heading()).to_contain_text("在岗村级人口主任")
        return status


def filled(template: bytes, rows: list[list]) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_county_hr_imports_the_directors_in_post_after_correcting_a_bad_row(new_page, steps, world):
    hr = ImportPages(new_page("county_hr"), steps, "county_hr")
    hr.sign_in("pass-Word-2026")
    hr.open_directors_import()
    template = hr.download(hr.main().get_by_role("link", name="下载模板（Excel .xlsx）")).content

    def rows(wu_id: str) -> list[list]:
        return [
            ["关索街道", "北口村", "罗小芬", ID_LUO, "13985551234", "大专", "2024-09-01",
             "2027-08-31", "贵州省关岭自治县关索街道北口村"],
            ["花江镇", "和平村", "吴国强", wu_id, "15185556789", "高中", "2024-09-01",
             "2027-08-31", ""],
        ]  # fmt: skip

    status = hr.import_directors("在岗村级人口主任.xlsx", filled(template, rows(BAD_ID_WU)))
    assert status == 400, status
    problems = hr.section("未导入任何数据")
    expect(problems).to_contain_text("在岗村级人口主任.xlsx 存在 1 处问题。请修改文件后重新上传")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr")).to_contain_text("3\t身份证号码\t身份证号码校验位错误")
    assert not Contract.objects.exists()
    assert not Person.objects.filter(name__in=["罗小芬", "吴国强"]).exists()

    # The officer corrects the ID number and uploads the file again.
    status = hr.import_directors("在岗村级人口主任.xlsx", filled(template, rows(ID_WU)))
    assert status == 200, status
    result = hr.section("在岗村级人口主任已导入")
    expect(result).to_contain_text("在岗村级人口主任.xlsx：共读取 2 行。")
    expect(result.locator("li").filter(has_text="份有效合同已导入").locator("strong")).to_have_text(
        "2"
    )
    expect(result.locator("li").filter(has_text="条人员记录已新建").locator("strong")).to_have_text(
        "2"
    )

    contracts = Contract.objects.filter(origin=ContractOrigin.IMPORT)
    assert set(contracts.values_list("state", flat=True)) == {ContractState.ACTIVE}
    assert {c.post.holder.name for c in contracts} == {"罗小芬", "吴国强"}
    # 北口村 has another post, with no director: it is vacant from today.
    vacancies = Vacancy.objects.filter(cause=VacancyCause.AT_IMPORT)
    assert {v.post.village.name for v in vacancies} == {"北口村"}
