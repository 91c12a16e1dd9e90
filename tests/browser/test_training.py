"""Training in Chromium, at desk width and at 390 px: the township office records a session
and ticks the directors who attended; county HR uploads the sign-in sheet of the county's
refresher. Asserted in the Chinese a person reads.

The server's clock stands at 1 September 2026 (``clock`` of the package's conftest). 王堃
(关索街道, 城内村) and 韦春燕 (花江镇, 和平村) hold contracts in force.
"""

import datetime
import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import StaffPages, choose, labelled
from tests.browser.world import PASSWORD, seated
from training.constants import CourseKind
from training.models import Attendance, Course
from training.services import course_create

pytestmark = pytest.mark.browser

D = datetime.date


@pytest.fixture
def in_post(world):
    for name in ("王堃", "韦春燕"):
        seated(world, name)
    return world


def fits(pages: StaffPages, viewport: dict) -> None:
    width = pages.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width


def open_training(pages: StaffPages, viewport: dict) -> None:
    if viewport is DESK:
        pages.open_menu("培训")
    else:
        pages.page.goto("/training/")
    expect(pages.heading()).to_have_text("培训")


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_office_records_a_session_and_ticks_who_attended(in_post, new_page, steps, viewport):
    office = StaffPages(new_page("guansuo_office", viewport=viewport), steps, "guansuo_office")
    office.sign_in(PASSWORD)
    open_training(office, viewport)
    fits(office, viewport)
    office.main().get_by_role("link", name="新增培训").click()
    expect(office.heading()).to_have_text("新增关索街道培训")
    form = office.main().locator("form")
    choose(form.get_by_label(labelled("培训类别")), "乡镇培训")
    form.get_by_label(labelled("培训名称")).fill("八月业务培训")
    form.get_by_label(labelled("开始日期")).fill("2026-08-20")
    form.get_by_label(labelled("结束日期")).fill("2026-08-20")
    form.get_by_label(labelled("天数")).fill("1")
    form.get_by_label(labelled("学时")).fill("6")
    form.get_by_label(labelled("培训地点")).fill("街道办事处会议室")
    fits(office, viewport)
    assert office.submit(form.get_by_role("button", name="保存")) == 302
    expect(office.heading()).to_have_text("八月业务培训")
    office.see("培训已登记。", "2026年8月20日", "1天，6学时")

    tick = office.main().locator("section", has=office.page.locator("#tick"))
    expect(tick).not_to_contain_text("韦春燕")  # another township's director
    tick.get_by_label("王堃（城内村）").check()
    fits(office, viewport)
    assert office.submit(tick.get_by_role("button", name="登记参训")) == 302
    office.see("参训人员已登记。")
    attended = office.main().locator("section", has=office.page.locator("#attendance"))
    expect(attended).to_contain_text("参训人员：1人")
    expect(attended).to_contain_text("王堃")
    expect(attended).to_contain_text(in_post.people["王堃"].masked_id_number)
    expect(attended).not_to_contain_text(in_post.people["王堃"].id_number)
    expect(office.main().locator("section", has=office.page.locator("#documents"))).to_contain_text(
        "村级人口主任培训登记表"
    )
    fits(office, viewport)
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["王堃"]

    # This year's compliance of the township: one session of at least 4.
    office.page.goto("/training/compliance/")
    expect(office.heading()).to_have_text("2026年培训达标情况")
    row = office.main().locator("tr", has_text="王堃")
    expect(row).to_contain_text("1次（至少4次）")
    fits(office, viewport)


def sign_in_sheet(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_county_hr_uploads_the_refresher_sign_in_sheet(in_post, new_page, steps, viewport):
    course = course_create(
        county=in_post.county,
        township=None,
        kind=CourseKind.REFRESHER,
        title="2026年村级人口主任知识更新培训",
        starts_on=D(2026, 6, 2),
        ends_on=D(2026, 6, 4),
        days="3",
        hours="18",
        by=in_post.users["county_hr"],
    )
    hr = StaffPages(new_page("county_hr", viewport=viewport), steps, "county_hr")
    hr.sign_in(PASSWORD)
    open_training(hr, viewport)
    hr.main().get_by_role("link", name=course.title).click()
    expect(hr.heading()).to_have_text(course.title)
    upload = hr.main().locator("section", has=hr.page.locator("#upload"))
    wang = in_post.people["王堃"]

    def send(rows: list[list]) -> int:
        upload.get_by_label(labelled("文件")).set_input_files(
            {
                "name": "签到表.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": sign_in_sheet(rows),
            }
        )
        return hr.submit(upload.get_by_role("button", name="上传并登记"))

    # 4 days is more than the course's 3: nothing is recorded, and the row says why.
    assert send([["姓名", "身份证号", "天数"], ["", wang.id_number, 4], ["韦春燕", "", 3]]) == 400
    problems = hr.main().locator("section", has=hr.page.locator("#problems"))
    expect(problems).to_contain_text("未登记任何人员")
    expect(problems).to_contain_text("4天超过了本次培训的3天")
    assert not Attendance.objects.exists()
    fits(hr, viewport)

    upload = hr.main().locator("section", has=hr.page.locator("#upload"))
    assert send([["姓名", "身份证号", "天数"], ["", wang.id_number, 3], ["韦春燕", "", 2.5]]) == 302
    hr.see("已登记2名参训人员。")
    attended = hr.main().locator("section", has=hr.page.locator("#attendance"))
    expect(attended).to_contain_text("王堃")
    expect(attended).to_contain_text("韦春燕")
    expect(attended).to_contain_text("2.5")
    fits(hr, viewport)
    assert Course.objects.get().attendances.count() == 2
