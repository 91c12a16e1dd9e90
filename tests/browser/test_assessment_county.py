"""The county's side of the monthly assessment, and the training compliance page, in Chromium:
county HR writes a year's scoring scheme with its items (a maximum out of range refused,
naming the item, nothing saved), reads the county's ranking of a published month across
townships (a township's committee may not), and reads each director's training in a year at
desk width and on a 390 px phone, as does a township's office for its own township only.
Everything is asserted in the Chinese a person reads.

The server's clock stands at 1 September 2026 (``clock`` of the package's conftest) for the
scheme, and moves to 5 November 2026 for the ranking of October.
"""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment.models import ScoringScheme
from assessment.services import month_publish
from contracts.models import Contract
from tests.assessment_support import make_scheme, scored_month, seat_directors
from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import StaffPages, choose, labelled
from tests.browser.world import PASSWORD, at, seated
from tests.builders import contract_in_force
from training.constants import CourseKind
from training.services import attendance_record_many, course_create

pytestmark = pytest.mark.browser

D = datetime.date

# What a page in Chinese must not show: English words (a code such as "published" or
# "refresher" among them), ISO dates.
ENGLISH = re.compile(r"[A-Za-z]{2,}")
ISO_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")


def plain_chinese(pages: StaffPages) -> str:
    """The page's main text, asserted free of English words and ISO dates (a document's
    verification code, shown as code, aside); returned."""
    text = pages.main().inner_text()
    for code in pages.main().locator("code").all_inner_texts():
        text = text.replace(code, "")
    assert not ENGLISH.findall(text), (ENGLISH.findall(text), text)
    assert not ISO_DATE.findall(text), (ISO_DATE.findall(text), text)
    title = pages.page.title()
    assert not ENGLISH.findall(title), title
    return text


def fits(pages: StaffPages, viewport: dict) -> None:
    width = pages.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width


# The scoring scheme ----------------------------------------------------------------------------

# Each row of the scheme's table: its column's heading and how the person fills it.
COLUMNS = {"考核项目": 0, "种类": 1, "性质": 2, "方式": 3, "分值": 4, "评分办法": 5}


def item_cell(pages: StaffPages, row: int, column: str):
    """The field of ``column`` in the scheme's ``row``-th item row (from 0)."""
    cells = pages.main().locator("form tbody tr").nth(row).locator("td")
    return cells.nth(COLUMNS[column]).locator("input, select")


def fill_item(pages: StaffPages, row: int, name, kind, nature, basis, most, guidance=""):
    item_cell(pages, row, "考核项目").fill(name)
    choose(item_cell(pages, row, "种类"), kind)
    choose(item_cell(pages, row, "性质"), nature)
    choose(item_cell(pages, row, "方式"), basis)
    item_cell(pages, row, "分值").fill(most)
    item_cell(pages, row, "评分办法").fill(guidance)


def test_county_hr_writes_the_scheme_of_next_year(staff, world):
    hr = staff("county_hr")
    hr.open_menu("月考核")
    with hr.steps.record("open the schemes", hr.page):
        hr.main().get_by_role("link", name="考核办法").click()
        expect(hr.heading()).to_have_text("考核办法")
    hr.see("尚无考核办法。")
    plain_chinese(hr)
    with hr.steps.record("open the scheme of 2027", hr.page):
        hr.main().get_by_role("link", name="2027年考核办法").click()
        expect(hr.heading()).to_have_text("2027年考核办法")
    expect(hr.main().get_by_label(labelled("标题"))).to_have_value("2027年村级人口主任月度考核办法")
    expect(hr.main().locator("form tbody tr")).to_have_count(3)
    plain_chinese(hr)

    # 人口信息采集 worth 150 of the month's 100 points: refused, naming the item; nothing saved.
    with hr.steps.record("save an item worth more than the month", hr.page):
        hr.main().get_by_label(labelled("说明")).fill("依据县卫生健康局2027年考核方案制定。")
        fill_item(hr, 0, "人口信息采集", "考核项目", "工作质量", "定量", "150", "按台账抽查计分")
        fill_item(hr, 1, "入户随访服务", "考核项目", "工作水平", "定量", "40")
        fill_item(hr, 2, "创新工作加分", "加分项目", "工作质量", "定性", "5")
        assert hr.submit(hr.main().get_by_role("button", name="保存考核办法")) in (400, 422)
    expect(hr.heading()).to_have_text("2027年考核办法")
    hr.see("“人口信息采集”的分值应大于0且不超过100。")
    # 1000 has more digits than a maximum may have: the row's own check refuses it, naming the
    # item and the field too (the table shows no error beside a field).
    with hr.steps.record("save an item worth 1000", hr.page):
        item_cell(hr, 0, "分值").fill("1000")
        assert hr.submit(hr.main().get_by_role("button", name="保存考核办法")) in (400, 422)
    hr.see("“人口信息采集”的分值：确认小数点前不超过 3 位。")
    plain_chinese(hr)
    item_cell(hr, 0, "分值").fill("150")
    assert not ScoringScheme.objects.exists()
    # What was typed is still there.
    expect(item_cell(hr, 0, "分值")).to_have_value("150")
    expect(item_cell(hr, 2, "考核项目")).to_have_value("创新工作加分")
    plain_chinese(hr)

    with hr.steps.record("save the scheme", hr.page):
        item_cell(hr, 0, "分值").fill("60")
        assert hr.submit(hr.main().get_by_role("button", name="保存考核办法")) == 302
    expect(hr.heading()).to_have_text("考核办法")
    hr.see("2027年考核办法已保存（第1版）。")
    scheme = (
        hr.main()
        .locator("section")
        .filter(has=hr.page.get_by_role("heading", name="2027年村级人口主任月度考核办法（第1版）"))
    )
    rows = scheme.locator("tbody tr")
    expect(rows).to_have_count(3)
    for n, cells in enumerate(
        (
            ["人口信息采集", "考核项目", "工作质量", "定量", "60.00"],
            ["入户随访服务", "考核项目", "工作水平", "定量", "40.00"],
            ["创新工作加分", "加分项目", "工作质量", "定性", "5.00"],
        )
    ):
        expect(rows.nth(n).locator("th, td")).to_have_text(cells)
    plain_chinese(hr)
    saved = ScoringScheme.objects.get()
    assert (saved.year, saved.version, saved.note) == (
        2027,
        1,
        "依据县卫生健康局2027年考核方案制定。",
    )
    assert [i.guidance for i in saved.items.order_by("order")] == ["按台账抽查计分", "", ""]


# The county's ranking of a month ---------------------------------------------------------------

RANKED_ON = D(2026, 11, 5)


@pytest.fixture
def october_published(world, clock):
    """October 2026 scored and published in both townships: 关索街道's 张丽 92 and 王芳 85,
    花江镇's 李娜 92 and 刘洋 78.5 (the names in pinyin order, as ``scored_month`` wants)."""
    clock.move_to(at(RANKED_ON, 9))
    make_scheme(world.county, 2026, by=world.users["county_hr"])
    seat_directors(world.own, 2)  # 张丽, 王芳
    for n, name in enumerate(("李娜", "刘洋")):
        contract_in_force(world.foreign, start=D(2024, 1, 1), birth=D(1988, 3, 1 + n), name=name)
    own = scored_month(world.own, ["85", "92"], office=world.users["guansuo_office"])
    foreign = scored_month(world.foreign, ["92", "78.5"])
    month_publish(month=own, by=world.users["guansuo_committee"])
    month_publish(month=foreign, by=world.users["huajiang_committee"])
    return world


def test_county_hr_reads_the_county_ranking_of_a_published_month(staff, october_published):
    hr = staff("county_hr")
    hr.open_menu("月考核")
    with hr.steps.record("open the county ranking", hr.page):
        hr.main().get_by_role("link", name="全县月度排序").click()
        expect(hr.heading()).to_have_text("2026年10月全县排序")  # the month before today's
    hr.see("评分中：0 · 已评分：0 · 已通报：2 · 已结算：0")
    rows = hr.main().locator("tbody tr")
    expect(rows).to_have_count(4)
    # Competition ranks across the county: 李娜 and 张丽 share the first place (listed by
    # pinyin), 王芳 is third; each keeps the rank of their own township.
    # The villages' names come from the factories' counters, which earlier tests advance.
    village = {
        c.person.name: c.post.village.name
        for c in Contract.objects.select_related("person", "post__village")
    }
    for n, cells in enumerate(
        (
            ["1", "李娜", "花江镇", village["李娜"], "92.00", "1"],
            ["1", "张丽", "关索街道", village["张丽"], "92.00", "1"],
            ["3", "王芳", "关索街道", village["王芳"], "85.00", "2"],
            ["4", "刘洋", "花江镇", village["刘洋"], "78.50", "2"],
        )
    ):
        expect(rows.nth(n).locator("th, td")).to_have_text(cells)
    plain_chinese(hr)

    # Every opened month is published: the county bulletin can be issued.
    with hr.steps.record("issue the county bulletin", hr.page):
        assert hr.submit(hr.main().get_by_role("button", name="出具全县排序通报")) == 302
    expect(hr.heading()).to_have_text("2026年10月全县排序")
    hr.see("全县月度排序通报已出具。")
    expect(hr.main().get_by_role("button", name="重新出具全县排序通报")).to_be_visible()
    plain_chinese(hr)
    link = hr.main().get_by_role("link", name="全县村级人口主任月度考核排序通报")
    expect(link).to_be_visible()
    text = hr.download(link).pdf_text()
    assert "李娜" in text and "刘洋" in text and "78.50" in text, text

    # Another month, chosen in the form: nobody has published September.
    with hr.steps.record("show September", hr.page):
        hr.main().get_by_label("月份").select_option("9")
        hr.main().get_by_role("button", name="查看").click()
        expect(hr.heading()).to_have_text("2026年9月全县排序")
    hr.see("尚无乡镇发布本月考核结果。")
    expect(hr.main().locator("tbody tr")).to_have_count(0)
    plain_chinese(hr)


@pytest.mark.parametrize("username", ["guansuo_committee", "guansuo_office"])
def test_a_township_may_not_open_the_county_ranking(staff, october_published, username):
    township = staff(username)
    township.open_menu("月考核")
    expect(township.heading()).to_have_text("月考核")
    expect(township.main().get_by_role("link", name="全县月度排序")).to_have_count(0)
    expect(township.main().get_by_role("link", name="考核办法")).to_have_count(0)
    with township.steps.record("type the county ranking's address", township.page):
        assert township.open_address("/assessment/county/?year=2026&month=10") == 403
    expect(township.error_page()).to_contain_text("无权操作")
    expect(township.page.locator("body")).not_to_contain_text("李娜")
    plain_chinese(township)
    with township.steps.record("type the schemes' address", township.page):
        assert township.open_address("/assessment/schemes/2027/") == 403


# Training compliance ---------------------------------------------------------------------------


@pytest.fixture
def trained(world):
    """王堃 (关索街道) and 韦春燕 (花江镇) in post since 2025. 王堃 completed the county's
    induction in December 2024, attended the 3 days of the 2026 refresher and one of 关索街道's
    sessions; 韦春燕 has no induction on record and attended 2.5 days of the refresher."""
    for name in ("王堃", "韦春燕"):
        seated(world, name)
    hr = world.users["county_hr"]
    wang, wei = world.people["王堃"], world.people["韦春燕"]
    induction = course_create(
        county=world.county, township=None, kind=CourseKind.INDUCTION,
        title="2024年村级人口主任初任培训", starts_on=D(2024, 12, 16), ends_on=D(2024, 12, 18),
        days="3", hours="18", by=hr,
    )  # fmt: skip
    attendance_record_many(course=induction, persons=[wang], by=hr)
    refresher = course_create(
        county=world.county, township=None, kind=CourseKind.REFRESHER,
        title="2026年村级人口主任知识更新培训", starts_on=D(2026, 6, 2), ends_on=D(2026, 6, 4),
        days="3", hours="18", by=hr,
    )  # fmt: skip
    attendance_record_many(course=refresher, persons=[wang, wei],
                           days={wang.pk: Decimal("3"), wei.pk: Decimal("2.5")}, by=hr)  # fmt: skip
    office = world.users["guansuo_office"]
    session = course_create(
        county=world.county, township=world.own, kind=CourseKind.TOWNSHIP_SESSION,
        title="八月业务培训", starts_on=D(2026, 8, 20), ends_on=D(2026, 8, 20),
        days="1", hours="6", by=office,
    )  # fmt: skip
    attendance_record_many(course=session, persons=[wang], by=office)
    return world


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
@pytest.mark.parametrize("username", ["county_hr", "guansuo_office"])
def test_the_training_compliance_of_the_year(new_page, steps, trained, viewport, username):
    pages = StaffPages(new_page(username, viewport=viewport), steps, username)
    pages.sign_in(PASSWORD)
    pages.page.goto("/training/")
    with pages.steps.record("open the compliance", pages.page):
        pages.main().get_by_role("link", name="培训达标情况").click()
        expect(pages.heading()).to_have_text("2026年培训达标情况")
    own = pages.section("关索街道")
    expect(own.locator("tbody tr")).to_have_count(1)
    expect(own.locator("tbody tr th, tbody tr td")).to_have_text(
        ["王堃", "城内村", "2024年12月18日", "3天 · 符合", "1次（至少4次） · 不符合"]
    )
    expect(own.get_by_role("link", name="王堃")).to_be_visible()
    fits(pages, viewport)
    plain_chinese(pages)
    foreign = pages.section("花江镇")
    township = pages.main().get_by_label("乡镇（街道）")
    if username == "county_hr":
        # The county sees every township, and may show one.
        expect(foreign.locator("tbody tr th, tbody tr td")).to_have_text(
            ["韦春燕", "和平村", "未登记", "2.5天 · 不符合", "0次（至少4次） · 不符合"]
        )
        with pages.steps.record("show 花江镇 only", pages.page):
            township.select_option(label="花江镇")
            pages.main().get_by_role("button", name="查看").click()
            expect(pages.section("关索街道")).to_have_count(0)
        expect(pages.section("花江镇")).to_contain_text("韦春燕")
    else:
        # A township sees its own directors only, and cannot ask for another township's.
        expect(foreign).to_have_count(0)
        expect(township).to_have_count(0)
        expect(pages.main()).not_to_contain_text("韦春燕")
        with pages.steps.record("ask for 花江镇 by address", pages.page):
            assert pages.open_address(f"/training/compliance/?township={trained.foreign.pk}") == 200
        expect(pages.main()).to_contain_text("没有可显示的乡镇。")
        expect(pages.main()).not_to_contain_text("韦春燕")
    fits(pages, viewport)
    plain_chinese(pages)

    # Another year: nobody trained in 2025, and 王堃's induction stays on record.
    with pages.steps.record("show 2025", pages.page):
        pages.page.goto("/training/compliance/")
        pages.main().get_by_label("年份").fill("2025")
        pages.main().get_by_role("button", name="查看").click()
        expect(pages.heading()).to_have_text("2025年培训达标情况")
    expect(pages.section("关索街道").locator("tbody tr th, tbody tr td")).to_have_text(
        ["王堃", "城内村", "2024年12月18日", "0天 · 不符合", "0次（至少4次） · 不符合"]
    )
    fits(pages, viewport)
    plain_chinese(pages)
