"""The monthly cycle in Chromium: the township office opens October 2026 and scores its
director in the grid, finishes scoring, the committee publishes the bulletin (the background
job issues it with the slip), and the director reads their score, pay and slip on /my-term/
at desk width and on a 390 px phone."""

import datetime

import pytest
from playwright.sync_api import expect

from assessment.services import scheme_save
from tests.assessment_support import ITEMS
from tests.browser.conftest import PHONE
from tests.browser.world import at, seated

pytestmark = pytest.mark.browser

SCORED_ON = datetime.date(2026, 11, 3)


@pytest.fixture
def in_post(world, clock):
    clock.move_to(at(SCORED_ON, 9))
    person = seated(world, "王堃").person
    scheme_save(county=world.county, year=2026, title="2026年村级人口主任月度考核办法",
                items=ITEMS, by=world.users["county_hr"])  # fmt: skip
    return person


def test_a_month_from_scoring_to_the_published_bulletin(staff, world, clock, in_post):
    office = staff("guansuo_office")
    office.open_menu("月考核")
    expect(office.heading()).to_have_text("月考核")
    form = office.main().locator("form.cunpin-inline-form")
    form.locator("input[name=year]").fill("2026")
    form.locator("input[name=month]").fill("10")
    form.get_by_role("button", name="开启月考核").click()
    office.see("已开启评分")
    grid = office.main().locator("table.assessment-grid")
    for item, points in (("人口信息采集", "38"), ("入户随访服务", "36.5"), ("台帐管理", "15.495")):
        grid.get_by_label(f"王堃 {item}").fill(points)
    # A point beyond its item's most is refused, naming the item; nothing is saved.
    grid.get_by_label("王堃 创新工作加分").fill("9")
    office.main().get_by_role("button", name="保存得分").click()
    office.see("创新工作加分", "应在0至5之间")
    grid = office.main().locator("table.assessment-grid")
    for item, points in (("人口信息采集", "38"), ("入户随访服务", "36.5"), ("台帐管理", "15.495")):
        grid.get_by_label(f"王堃 {item}").fill(points)
    grid.get_by_label("王堃 创新工作加分").fill("0")
    office.main().get_by_role("button", name="保存得分").click()
    office.see("已保存1人的得分", "90.00")  # 89.995 rounds half-up to 90.00
    office.main().get_by_role("button", name="完成评分").click()
    office.see("评分已完成")

    clock.move_to(at(SCORED_ON, 14))
    member = staff("guansuo_committee")
    member.page.goto(office.page.url)
    member.main().get_by_role("button", name="发布月通报").click()
    member.see("已发布", "村级人口主任月度考核通报", "1700")
    expect(member.main().get_by_role("button", name="发布月通报")).to_have_count(0)
    member.see("已通报")


@pytest.mark.parametrize("viewport", [{}, {"viewport": PHONE}], ids=["desk", "phone"])
def test_a_director_reads_their_slip(staff, world, clock, in_post, viewport):
    from assessment.services import month_finish_scoring, month_open, month_publish, score_record
    from tests.assessment_support import split_points

    month = month_open(township=world.own, year=2026, month=10, by=world.users["guansuo_office"])
    score = month.scores.get()
    score_record(score=score, points=split_points(month.scheme, "85.5"),
                 by=world.users["guansuo_office"])  # fmt: skip
    month_finish_scoring(month=month, by=world.users["guansuo_office"])
    month_publish(month=month, by=world.users["guansuo_committee"])
    director = staff("director_wang", **viewport)
    director.page.goto("/my-term/")
    director.see("我的月度考核和报酬", "2026年10月", "85.50", "1615.00", "5%")
    # The month opens its slip in the browser; the documents list downloads it.
    slip = director.main().get_by_role("link", name="2026年10月报酬通知单（PDF）", exact=True)
    expect(slip).to_be_visible()
    link = director.main().get_by_role("link", name="下载村级人口主任月度考核得分及报酬通知单")
    expect(link).to_be_visible()
    text = director.download(link).pdf_text()
    assert "王堃" in text and "1615" in text and "85.50" in text
