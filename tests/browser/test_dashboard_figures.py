"""The county's and the township's dashboards in Chromium, at desk width and at 390 px: county
HR sees every deadline by township, the training compliance, the monthly ranking with its heat
map and the stability measures, each chart drawn; a click on a figure opens its list showing
exactly the rows it counted; a township's committee member sees their own township only.

The county is ``tests.dashboard_support`` (figures computed by hand there); the clock stands on
Monday 30 November 2026.
"""

import re

import pytest
import time_machine
from playwright.sync_api import Locator, expect

from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import StaffPages
from tests.browser.world import PASSWORD, at
from tests.dashboard_support import TODAY, build

pytestmark = pytest.mark.browser

VIEWPORTS = pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])


@pytest.fixture
def county(transactional_db):
    with time_machine.travel(at(TODAY), tick=True):
        yield build()


def signed_in(new_page, steps, username: str, viewport: dict) -> StaffPages:
    pages = StaffPages(new_page(username, viewport=viewport), steps, username)
    pages.sign_in(PASSWORD)
    return pages


def fits(pages: StaffPages, viewport: dict) -> None:
    """Nothing widens the page past the screen: wide tables scroll in their own box."""
    width = pages.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width


def charts_drawn(pages: StaffPages, count: int) -> None:
    canvases = pages.main().locator("canvas[data-chart]")
    expect(canvases).to_have_count(count)
    for index in range(count):
        expect(canvases.nth(index)).to_have_attribute("data-drawn", "1")


def listed(pages: StaffPages) -> list[str]:
    """The names in the first column of the list's table."""
    return sorted(
        text.strip() for text in pages.main().locator("table tbody th[scope=row]").all_inner_texts()
    )


def open_figure(pages: StaffPages, link: Locator) -> None:
    href = link.get_attribute("href") or ""
    link.click()
    expect(pages.page).to_have_url(re.compile(re.escape(href) + "$"))


def cell(pages: StaffPages, table_id: str, row: str, column: int) -> Locator:
    """The link in the ``column``-th cell (0: the first after the row's heading) of the row
    of ``table_id`` headed ``row``."""
    line = (
        pages.main().locator(f"#{table_id} tr").filter(has=pages.page.locator("th", has_text=row))
    )
    return line.locator("td").nth(column).locator("a").first


@VIEWPORTS
def test_county_hr_reaches_every_deadline_in_one_click(county, new_page, steps, viewport):
    hr = signed_in(new_page, steps, "county_hr", viewport)
    fits(hr, viewport)
    # Three charts: the training compliance, the ranking, and two of the stability measures.
    charts_drawn(hr, 4)

    # 关索街道: one contract ends within 30 days (李二's, on 4 December).
    open_figure(hr, cell(hr, "deadlines-table", "关索街道", 1))
    expect(hr.heading()).to_have_text("聘用合同")
    assert listed(hr) == ["李二"]
    fits(hr, viewport)

    # The vacancies past their refill deadline, county-wide: 和平村 and 北口村.
    hr.page.goto("/")
    open_figure(hr, hr.section("聘期概况").get_by_role("link", name="2 个空岗未按期补聘"))
    expect(hr.main().locator("#vacancies tbody tr")).to_have_count(2)
    expect(hr.main().locator("#vacancies")).to_contain_text("和平村")
    expect(hr.main().locator("#vacancies")).to_contain_text("北口村")

    # This year's unsigned agreements of 关索街道: 李二 (drafted), 赵四 and 钱五 (none).
    hr.page.goto("/")
    open_figure(hr, cell(hr, "deadlines-table", "关索街道", 5))
    expect(hr.main().locator("#agreements tbody tr")).to_have_count(3)
    for name in ("李二", "赵四", "钱五"):
        expect(hr.main().locator("#agreements")).to_contain_text(name)

    # The open dismissal case, one click to its page.
    hr.page.goto("/")
    case = hr.section("未结的辞退案件").get_by_role("link", name="李二")
    open_figure(hr, case)
    expect(hr.heading()).to_contain_text("李二")


@VIEWPORTS
def test_the_measures_open_the_directors_they_count(county, new_page, steps, viewport):
    hr = signed_in(new_page, steps, "county_hr", viewport)

    # Stability, 关索街道: the one who left in the twelve months (张三).
    open_figure(hr, cell(hr, "stability-table", "关索街道", 2))
    assert listed(hr) == ["张三"]
    expect(hr.main().locator("#filters")).to_contain_text("2025年12月1日至2026年11月30日期间离岗")

    # Open selection, the county: 王一, 赵四 and 孙六 of the five in post.
    hr.page.goto("/")
    totals = hr.main().locator("#stability-table tfoot")
    open_figure(hr, totals.locator("td").nth(6).locator("a").first)
    assert listed(hr) == sorted(["王一", "赵四", "孙六"])

    # Training, 关索街道: 李二 and 钱五 did not meet every requirement of 2026.
    hr.page.goto("/")
    open_figure(hr, cell(hr, "training-table", "关索街道", 2))
    expect(hr.heading()).to_have_text("2026年培训达标情况")
    assert listed(hr) == sorted(["李二", "钱五"])

    # The heat map: 关索街道's October opens its month, ranked.
    hr.page.goto("/")
    heat = hr.main().locator("#heat-map-table")
    october = heat.locator("tr", has=hr.page.locator("th", has_text="关索街道")).locator("a").last
    expect(october).to_contain_text("85.00")
    expect(october).to_contain_text("第2名")
    open_figure(hr, october)
    expect(hr.heading()).to_contain_text("2026年10月")


def test_a_wrong_period_is_refused_with_a_message(county, new_page, steps):
    hr = signed_in(new_page, steps, "county_hr", DESK)
    form = hr.section("人口主任队伍稳定情况").locator("form")
    form.get_by_label("起始日期").fill("2026-06-30")
    form.get_by_label("截止日期").fill("2026-01-01")
    form.get_by_role("button", name="统计").click()
    section = hr.section("人口主任队伍稳定情况")
    expect(section.get_by_role("alert")).to_contain_text("截止日期早于起始日期。")
    expect(section).to_contain_text("2025年12月1日至2026年11月30日")
    # A right one is measured.
    form = section.locator("form")
    form.get_by_label("起始日期").fill("2026-01-01")
    form.get_by_label("截止日期").fill("2026-06-30")
    form.get_by_role("button", name="统计").click()
    expect(hr.section("人口主任队伍稳定情况")).to_contain_text("2026年1月1日至2026年6月30日")
    charts_drawn(hr, 4)


@VIEWPORTS
def test_a_township_sees_its_own_township_only(county, new_page, steps, viewport):
    member = signed_in(new_page, steps, "guansuo_committee", viewport)
    fits(member, viewport)
    main = member.main()
    expect(main).not_to_contain_text("花江镇")
    expect(main).not_to_contain_text("孙六")
    # The work waiting first, the recent changes last.
    headings = main.locator("h2").all_inner_texts()
    assert headings[0] == "我的任务"
    assert headings.index("聘期概况") < headings.index("人口主任队伍稳定情况")
    assert headings[-1] == "最近变更"
    # One chart: the directors' scores of October.
    charts_drawn(member, 1)
    heat = main.locator("#heat-map-table")
    expect(heat.locator("tbody tr")).to_have_count(3)  # the township's mean, 王一, 李二
    expect(heat).to_contain_text("▼50.00")
    # Its vacancy past the deadline, one click to its page.
    vacancy = member.section("待补聘的空岗").get_by_role("link", name=re.compile("北口村"))
    open_figure(member, vacancy)
    expect(member.heading()).to_contain_text("北口村")
