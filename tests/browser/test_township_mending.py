"""The township committee mends what went wrong, in Chromium: an applicant ticked absent by
mistake is given their score before the ranking is confirmed; an objection received in the
notice period is entered after it ended; the steps that cannot be undone (closing the notice,
confirming the hires) ask first and leave everything as it was when the member backs out; and
an administrator cancels a campaign's process. Each change reads in Chinese in the change log.

Each test starts with the campaign at its step (``tests.browser.world.CampaignRun``, through
the services and the task pages) and then drives only the pages it is about.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import chinese_date, choose, date_input
from tests.browser.world import (
    CAMPAIGN_TITLE,
    CANDIDATES,
    PASSWORD,
    CampaignRun,
    Candidate,
    at,
)
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.browser

TITLE = CAMPAIGN_TITLE


# A mistaken absence ------------------------------------------------------------------------

REASON = "该考生在第02考场参加考试，被误记为第01考场缺考，经核对考场签到表予以更正。"


def test_an_applicant_ticked_absent_by_mistake_is_given_the_score_before_the_ranking(
    staff, world, clock
):
    CampaignRun(world, clock).to(CampaignFlow.enter_written_scores, entered=False)
    member = staff("guansuo_committee")

    # 21 September: the room's sheet is typed in; 王堃林 is ticked absent by mistake, and
    # the shortlist is drawn without him.
    member.open_my_task("录入笔试成绩", TITLE)
    task_url = member.page.url
    member.main().get_by_role("link", name="录入成绩和缺考情况").click()
    expect(member.heading()).to_have_text("笔试成绩")
    member.save_room({"罗昇": "88.50", "韦春艳": "86", "王堃林": None})
    member.page.goto(task_url)
    member.finish("确定面试人选", then="面试人选已确定。")

    # The next day 王堃林 calls: he sat the exam. The score sheet offers the mending.
    clock.move_to(at(datetime.date(2026, 9, 22), 10))
    member.sign_in(PASSWORD)
    member.open_written_scores(TITLE)
    expect(member.row("王堃林")).to_contain_text("缺考 · 误记缺考？")
    expect(member.row("罗昇").get_by_role("link", name="误记缺考？")).to_have_count(0)

    # A reason is required: nothing is saved without it.
    member.row("王堃林").get_by_role("link", name="误记缺考？").click()
    expect(member.heading()).to_have_text(
        re.compile(r"^补录王堃林（\d{11}）的笔试成绩（误记缺考）$")
    )
    member.see("在确认考试成绩及排名之前，被误记为缺考的考生可按考场成绩登记表补录成绩。")
    member.main().get_by_label("笔试成绩").fill("80.25")
    member.main().get_by_role("button", name="补录成绩").click()
    member.see("尚未保存，请修改下方标出的内容。")
    expect(member.main().locator(".errorlist")).to_have_text("此项为必填项。")
    member.main().get_by_role("link", name="取消").click()
    expect(member.row("王堃林")).to_contain_text("缺考")

    # With the reason: his score ranks third of three called per post, so he is called.
    member.mend_absence("王堃林", "80.25", REASON)
    member.see("当前状态：进入面试。")
    expect(member.row("王堃林")).not_to_contain_text("误记缺考？")
    member.main().get_by_role("link", name="3. 面试").click()
    expect(member.row("王堃林")).to_be_visible()

    # The change log of his application says what changed, by whom and why, in Chinese.
    member.open_applications(TITLE)
    member.open_application("王堃林")
    entry = member.history_entry("补录误记缺考人员的笔试成绩")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("吴兴华")
    expect(entry).to_contain_text("2026年9月22日")
    expect(entry).to_contain_text("缺考 →")
    expect(entry).to_contain_text("80.25")
    expect(entry).to_contain_text(REASON)
    expect(member.history_entry("记为缺考")).to_have_count(1)


def test_once_the_ranking_is_confirmed_the_score_sheet_offers_no_mending(staff, world, clock):
    absent = Candidate("王堃林", datetime.date(1992, 11, 23), None, "80")
    run = CampaignRun(world, clock, candidates=(*CANDIDATES[:2], absent))
    run.to(CampaignFlow.handle_objections, entered=False)
    member = staff("guansuo_committee")
    member.open_written_scores(TITLE)
    expect(member.row("王堃林")).to_contain_text("缺考")
    expect(member.main().get_by_role("link", name="误记缺考？")).to_have_count(0)
    member.see("本页仅供查阅。")


# An objection received in time, entered late -------------------------------------------------


def test_an_objection_received_during_the_notice_is_entered_after_it_ended(staff, world, clock):
    run = CampaignRun(world, clock).to(CampaignFlow.handle_objections)
    notice_end = run.campaign.notice_ends_on
    assert notice_end is not None
    # The day after the notice period: a letter dated its last day lies in the post.
    member = staff("guansuo_committee")
    member.open_campaign(TITLE)
    expect(member.campaign_state()).to_have_text("拟聘用人员公示中")
    member.main().get_by_role("link", name="登记异议").click()
    expect(member.heading()).to_have_text("登记异议")
    member.see(f"罗昇：{chinese_date(notice_end)} 前（含当天）收到的异议")

    form = member.main().locator("form")
    choose(form.get_by_label("被提出异议的拟聘用人员"), "罗昇")
    form.get_by_label("提出人").fill("北口村村民（来信）")
    form.get_by_label("异议内容").fill("反映该同志户籍已迁出北口村。")
    # Received today, after the notice: refused on the date, naming the last day, once.
    late = notice_end + datetime.timedelta(days=1)
    form.get_by_label("收到日期").fill(date_input(late))
    form.get_by_role("button", name="记录").click()
    member.see("尚未保存，请修改下方标出的内容。")
    refusal = member.main().locator(".errorlist")
    expect(refusal).to_have_count(1)
    expect(refusal).to_contain_text(notice_end.isoformat())
    expect(refusal).to_contain_text(late.isoformat())

    # The letter's postmark says it was received on the notice's last day: recorded.
    form.get_by_label("收到日期").fill(date_input(notice_end))
    form.get_by_role("button", name="记录").click()
    expect(member.heading()).to_have_text(TITLE)
    member.see("异议已登记，请调查核实后处理。")
    objection = member.row("北口村村民（来信）", within=member.section("异议"))
    expect(objection).to_contain_text(chinese_date(notice_end))
    expect(objection).to_contain_text("罗昇")
    expect(objection.get_by_role("link", name="处理")).to_be_visible()

    # The notice cannot be closed while the objection waits for a decision.
    member.open_my_task("处理公示期间的异议", TITLE)
    expect(member.row("罗昇", within=member.section("异议"))).to_contain_text("待处理")
    expect(member.main().get_by_role("button", name="结束公示")).to_be_disabled()


# Steps that cannot be undone ask first --------------------------------------------------------


def test_closing_the_notice_and_confirming_the_hires_ask_first_and_backing_out_changes_nothing(
    staff, world, clock
):
    CampaignRun(world, clock).to(CampaignFlow.handle_objections)
    member = staff("guansuo_committee")

    # Closing the notice: the page says it cannot be undone; pressed unticked, it refuses.
    member.open_my_task("处理公示期间的异议", TITLE)
    confirmation = member.main().get_by_label(re.compile("^我确认结束公示"))
    expect(confirmation).to_be_visible()
    expect(confirmation).not_to_be_checked()
    expect(member.main().locator("form")).to_contain_text("此操作不能撤销")
    member.main().get_by_role("button", name="结束公示").click()
    member.see("请勾选确认；此操作不能撤销。")
    # The member backs out to the campaign: the notice is as it was, the task still open.
    member.main().get_by_role("link", name=TITLE).click()
    expect(member.heading()).to_have_text(TITLE)
    expect(member.campaign_state()).to_have_text("拟聘用人员公示中")
    member.open_dashboard()
    expect(member.row("处理公示期间的异议", within=member.section("我的任务"))).to_have_count(1)
    expect(member.row("确认聘用", within=member.section("我的任务"))).to_have_count(0)

    # Ticked, the notice closes; the hires come next.
    member.open_my_task("处理公示期间的异议", TITLE)
    member.close_notice()

    # Confirming the hires: refused unticked; backing out issues nothing.
    member.open_my_task("确认聘用", TITLE)
    expect(member.main().get_by_label(re.compile("^我确认聘用"))).not_to_be_checked()
    member.main().get_by_role("button", name="确认聘用").click()
    member.see("请勾选确认；此操作不能撤销。")
    member.main().get_by_role("link", name=TITLE).click()
    expect(member.heading()).to_have_text(TITLE)
    expect(member.campaign_state()).not_to_have_text("已结束")
    for kind in ("聘用通知书", "聘用合同", "选聘结果告知书"):
        expect(member.documents()).not_to_contain_text(kind)
    member.open_dashboard()
    expect(member.row("确认聘用", within=member.section("我的任务"))).to_have_count(1)


# An administrator cancels a campaign's process --------------------------------------------------

CANCEL_REASON = "县卫生健康局通知：北口村岗位调整，本次选聘暂停。"


def test_an_administrator_cancels_a_campaigns_process_after_a_confirmation(staff, world, clock):
    CampaignRun(world, clock).to(CampaignFlow.enter_written_scores, entered=False)
    admin = staff("admin")
    admin.open_process(TITLE)
    expect(admin.row("录入笔试成绩")).to_contain_text("吴兴华办理中")

    # The cancel page names the open task and its holder; unticked, nothing happens.
    admin.fill_cancellation(CANCEL_REASON, confirm=False)
    expect(admin.heading()).to_have_text("取消选聘及其流程")
    admin.see("录入笔试成绩 · 吴兴华", "请勾选确认；此操作不能撤销。")
    # Backing out: the campaign runs on.
    admin.main().get_by_role("link", name="返回选聘").click()
    expect(admin.heading()).to_have_text(TITLE)
    expect(admin.campaign_state()).to_have_text("资格审查已完成")

    # Ticked, the campaign and its process are cancelled.
    admin.open_process(TITLE)
    admin.fill_cancellation(CANCEL_REASON, confirm=True)
    expect(admin.heading()).to_have_text(TITLE)
    admin.see(f"选聘“{TITLE}”及其流程已取消。", f"已取消：{CANCEL_REASON}")
    expect(admin.campaign_state()).to_have_text("已取消")
    # The change log names both in Chinese, with the task that was open and its holder.
    expect(admin.history_entry("取消选聘")).to_contain_text(CANCEL_REASON)
    process_entry = admin.history_entry("终止选聘及其流程")
    expect(process_entry).to_contain_text("陈立新")
    expect(process_entry).to_contain_text(
        f"陈立新取消了选聘流程，关闭的未办结任务：“录入笔试成绩”（吴兴华）。原因：{CANCEL_REASON}"
    )
    admin.open_process(TITLE)
    expect(admin.main().get_by_role("link", name="取消选聘及其流程")).to_have_count(0)

    # The member who held the task no longer has it, nor the campaign under way.
    member = staff("guansuo_committee")
    expect(member.section("我的任务")).to_contain_text("您暂无待办任务。")
    expect(member.section("正在进行的选聘")).to_contain_text("暂无正在进行的选聘。")
