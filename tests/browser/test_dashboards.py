"""Each role's dashboard starts with its work, in Chromium: my tasks with their last day, the
campaigns under way with the step each is at, who has it and the step after; a task left
too long is marked overdue, then handed to the county's HR officers, who find it on their
dashboard and may hand it back to the township.

The campaign is taken forward through the services and the task pages
(``tests.browser.world.CampaignRun``); the dashboards are read in the browser, on the phone
where someone would look at them on the move.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.pages import StaffPages
from tests.browser.world import (
    CAMPAIGN_TITLE,
    CampaignRun,
    at,
)
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.browser

TITLE = CAMPAIGN_TITLE


def work_first(user: StaffPages) -> None:
    """The dashboard's first section is the user's tasks, before the figures and lists."""
    expect(user.main().locator("h2").first).to_have_text("我的任务")


def under_way(user: StaffPages, now: str, *, by: str | None, then: str) -> None:
    """The row of the campaign under "正在进行的选聘": the step it is at, who has it, and
    the step after."""
    row = user.row(TITLE, within=user.section("正在进行的选聘"))
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_contain_text(now)
    if by is not None:
        expect(cells.nth(0)).to_contain_text(f"办理人 {by}")
    expect(cells.nth(1)).to_have_text(then)


def test_each_role_sees_its_work_first(staff, world, clock):
    run = CampaignRun(world, clock)

    # 1 September: the leading-group head looks at the phone; the approval is due by Friday.
    head = staff("guansuo_head", viewport=PHONE)
    work_first(head)
    task = head.row("审批选聘公告", within=head.section("我的任务"))
    expect(task).to_contain_text(TITLE)
    expect(task).to_contain_text("办理期限至2026年9月4日")
    expect(task).not_to_contain_text("已逾期")
    under_way(head, "审批选聘公告", by="杨光荣", then="资格审查")
    # The task's link leads to the step; back at the desk, the head approves.
    task.get_by_role("link", name="审批选聘公告").click()
    expect(head.heading()).to_have_text("审批选聘公告")
    head.see("公告草稿", "北口村")
    head = staff("guansuo_head")
    head.open_my_task("审批选聘公告", TITLE)
    head.approve_announcement()

    # 3 September: registration is open; the committee member has nothing to do yet.
    clock.move_to(at(datetime.date(2026, 9, 3)))
    member = staff("guansuo_committee")
    work_first(member)
    expect(member.section("我的任务")).to_contain_text("您暂无待办任务。")
    under_way(member, "正在报名，2026年9月10日 截止", by=None, then="资格审查")

    # 11 September: registration has closed; the review is the member's, for five working
    # days.
    run.to(CampaignFlow.review_applications, entered=False)
    member = staff("guansuo_committee", viewport=PHONE)
    work_first(member)
    task = member.row("资格审查", within=member.section("我的任务"))
    expect(task).to_contain_text("办理期限至2026年9月18日")
    under_way(member, "资格审查", by="吴兴华", then="录入笔试成绩")
    task.get_by_role("link", name="资格审查").click()
    expect(member.heading()).to_have_text("资格审查")
    member.see("罗昇", "韦春艳", "王堃林")

    # The office follows the campaign without tasks of its own; county HR sees it with its
    # township.
    office = staff("guansuo_office")
    work_first(office)
    expect(office.section("我的任务")).to_contain_text("您暂无待办任务。")
    under_way(office, "资格审查", by="吴兴华", then="录入笔试成绩")
    county = staff("county_hr")
    work_first(county)
    under_way(county, "资格审查", by="吴兴华", then="录入笔试成绩")
    expect(county.row(TITLE, within=county.section("正在进行的选聘"))).to_contain_text("关索街道")


def test_an_overdue_task_is_marked_then_handed_to_the_county_and_back(staff, world, clock):
    CampaignRun(world, clock)

    # Monday 7 September, 08:00: the approval was due by Friday the 4th; the head sees it on
    # the phone.
    clock.move_to(at(datetime.date(2026, 9, 7), 8))
    head = staff("guansuo_head", viewport=PHONE)
    task = head.row("审批选聘公告", within=head.section("我的任务"))
    expect(task).to_contain_text("办理期限至2026年9月4日 已逾期")

    # 09:05: the timer sweep hands the task to the county.
    clock.move_to(at(datetime.date(2026, 9, 7), 9, 5))
    call_command("workflow_timers", stdout=StringIO())
    head.open_dashboard()
    expect(head.section("我的任务")).to_contain_text("您暂无待办任务。")

    # County HR finds it on the dashboard, not yet taken.
    county = staff("county_hr")
    work_first(county)
    escalated = county.row("审批选聘公告", within=county.section("逾期移交县级办理的任务"))
    expect(escalated).to_contain_text(TITLE)
    expect(escalated).to_contain_text("关索街道")
    expect(escalated).to_contain_text("尚未领取")
    expect(county.row("审批选聘公告", within=county.section("待领取任务"))).to_have_count(1)

    # The officer takes it: the task says it was escalated, and may go back to the township.
    escalated.get_by_role("link", name="审批选聘公告").click()
    expect(county.heading()).to_have_text("领取任务")
    county.see(f"领取选聘“{TITLE}”的任务“审批选聘公告”")
    county.main().get_by_role("button", name="领取任务").click()
    expect(county.heading()).to_have_text("审批选聘公告")
    county.see("该任务已逾期，已上报县级。")
    back = county.section("退回乡镇")
    back.get_by_label("原因").fill("已电话督促杨光荣同志今日内审批。")
    back.get_by_role("button", name="退回").click()
    county.see("任务已退回乡镇。")

    # Back with the head (test_the_overdue_tasks_show_their_last_day: without its last
    # day); the campaign's change log says what happened.
    head.open_dashboard()
    task = head.row("审批选聘公告", within=head.section("我的任务"))
    task.get_by_role("link", name="审批选聘公告").click()
    expect(head.heading()).to_have_text("审批选聘公告")
    head.main().get_by_role("link", name=TITLE).click()
    expect(head.heading()).to_have_text(TITLE)
    expect(head.history_entry("任务逾期，移交县级办理")).to_contain_text(
        "杨光荣的任务“审批选聘公告”已逾期，已转交县人社人员办理。"
    )
    expect(head.history_entry("退回乡镇")).to_contain_text("已电话督促杨光荣同志今日内审批。")


def test_the_overdue_tasks_show_their_last_day(staff, world, clock):
    CampaignRun(world, clock)
    clock.move_to(at(datetime.date(2026, 9, 7), 9, 5))
    call_command("workflow_timers", stdout=StringIO())
    county = staff("county_hr")
    escalated = county.row("审批选聘公告", within=county.section("逾期移交县级办理的任务"))
    expect(escalated).to_contain_text("办理期限至2026年9月4日 已逾期")


# Pages on a phone ------------------------------------------------------------------------------


def test_a_task_page_fits_a_phone(staff, world, clock):
    CampaignRun(world, clock)
    head = staff("guansuo_head", viewport=PHONE)
    head.row("审批选聘公告", within=head.section("我的任务")).get_by_role("link").click()
    expect(head.heading()).to_have_text("审批选聘公告")
    width = head.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_the_phones_menu_button_is_named_in_chinese(staff):
    member = staff("guansuo_committee", viewport=PHONE)
    toggle = member.page.get_by_role("banner").locator(".vf-page__menu-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-label", "打开导航菜单")
