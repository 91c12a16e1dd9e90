"""The staff site in Chromium: every role signs in and reaches its dashboard; a township's
member is refused another township's records; and a township runs a whole campaign through
the pages, from opening it to confirming the hire.

The campaign is told as the people live it, one day after another, with the server's clock
moved by ``time_machine`` (the live server runs in this process). Each action is a method of
the page helpers in ``tests.browser.pages``; when a page changes, adjust its helper there.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.models import Campaign
from recruitment.services.campaigns import campaign_create
from tests.browser.conftest import PHONE
from tests.browser.pages import Applicant, CampaignPlan, PublicPages
from tests.browser.world import PASSWORD, certificate_pdf, photo_jpeg
from tests.factories import make_id_number

pytestmark = pytest.mark.browser

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


START = datetime.date(2026, 9, 1)  # a Tuesday


# Each role reaches its dashboard -------------------------------------------------------------

DASHBOARDS = [
    pytest.param("admin", ["系统管理员 陈立新", "现行政策"], id="administrator"),
    pytest.param("county_hr", ["县级人事管理员 罗敏", "现行政策"], id="county-hr"),
    pytest.param(
        "guansuo_committee",
        ["乡镇选聘领导小组成员 吴兴华", "有空岗的村（居、社区）"],
        id="committee",
    ),
    pytest.param("guansuo_head", ["乡镇选聘领导小组组长 杨光荣", "北口村"], id="head"),
    pytest.param("guansuo_office", ["乡镇计生办工作人员 岑丽", "北口村"], id="office"),
    pytest.param("village_chengnei", ["村（居）两委 黄德明", "岗位与人口主任"], id="village"),
    pytest.param("director_wang", ["王堃", "我的聘期"], id="director"),
]


@pytest.mark.parametrize(("username", "words"), DASHBOARDS)
def test_each_role_signs_in_and_reaches_its_dashboard(staff, username, words):
    user = staff(username)
    expect(user.heading()).to_contain_text(words[0])
    user.see(*words[1:])


# A township's member and another township's records ------------------------------------------


def test_a_committee_member_is_refused_another_townships_records(staff, world):
    foreign_campaign = campaign_create(
        township=world.foreign,
        title="花江镇2026年村级人口主任公开选聘",
        kind="regular",
        offers=[(world.villages["和平村"], 1)],
        registration_start=datetime.date(2026, 9, 7),
        registration_end=datetime.date(2026, 9, 16),
        written_exam_at=at(datetime.date(2026, 9, 26)),
        interview_at=at(datetime.date(2026, 9, 29)),
        venue="花江镇中心学校",
        contact="花江镇卫生健康办 0851-3691024",
        interview_panel_size=5,
        by=world.users["huajiang_committee"],
    )
    member = staff("guansuo_committee")
    own = {
        reverse("organisation:village_detail", args=[world.villages["城内村"].pk]): "城内村",
        reverse("people:detail", args=[world.people["王堃"].pk]): "王堃",
    }
    foreign = {
        reverse("recruitment:campaign_detail", args=[foreign_campaign.pk]): foreign_campaign.title,
        reverse("recruitment:review_list", args=[foreign_campaign.pk]): foreign_campaign.title,
        reverse("organisation:village_detail", args=[world.villages["和平村"].pk]): "和平村",
        reverse("people:detail", args=[world.people["韦春燕"].pk]): "韦春燕",
    }
    for url, shown in own.items():
        with member.steps.record("open own record", member.page):
            response = member.page.goto(url)
            assert response is not None and response.status == 200, url
            expect(member.heading()).to_contain_text(shown)
    for url, hidden in foreign.items():
        with member.steps.record("open foreign record", member.page):
            response = member.page.goto(url)
            assert response is not None and response.status == 404, url
            expect(member.page.locator("body")).not_to_contain_text(hidden)


# A whole campaign through the pages ----------------------------------------------------------

TITLE = "关索街道2026年村级人口主任公开选聘"
PLAN = CampaignPlan(
    title=TITLE,
    seats={"北口村": 1},
    registration=(START, datetime.date(2026, 9, 10)),
    written_exam_at=at(datetime.date(2026, 9, 19)),
    interview_at=at(datetime.date(2026, 9, 24)),
    venue="关岭自治县民族中学",
    contact="关索街道计生办 0851-3682000",
    panel=3,
)
# name, written score, the three panel members' marks
CANDIDATES = [
    ("罗昇", "88.50", ["90", "91", "89"]),
    ("韦春艳", "86", ["85", "85", "86"]),
    ("王堃林", "80.25", ["80", "80", "80"]),
]
PANEL = ["王正权", "陆光蓉", "岑明珍"]


def test_a_township_runs_a_campaign_from_the_announcement_to_the_hire(
    staff, new_page, steps, world, clock
):
    # 1 September: the committee member opens the campaign; the head approves it.
    member = staff("guansuo_committee")
    member.open_new_campaign(PLAN)
    head = staff("guansuo_head")
    head.open_my_task("审批选聘公告", TITLE)
    head.see("北口村", "关岭自治县民族中学")
    head.approve_announcement()
    head.open_campaign(TITLE)
    expect(head.campaign_state()).to_have_text("已发布公告，正在报名")
    expect(head.documents()).to_contain_text("选聘公告")

    # 2 September: three people register on the public pages, each on their phone.
    clock.move_to(at(datetime.date(2026, 9, 2), 20))
    applicants = {
        name: Applicant(
            name=name,
            id_number=make_id_number(datetime.date(1990, 5, 10 + number)),
            phone=f"1398765432{number}",
            village="北口村",
        )
        for number, (name, _written, _marks) in enumerate(CANDIDATES)
    }
    for name, person in applicants.items():
        applicant = PublicPages(new_page(name, viewport=PHONE), steps)
        applicant.open_campaigns()
        applicant.choose_campaign(TITLE)
        applicant.fill_registration(person, photo=photo_jpeg(), certificate=certificate_pdf())
        applicant.submit_registration(person)

    # 11 September, 00:05: the timer sweep closes registration.
    clock.move_to(at(datetime.date(2026, 9, 11), 0, 6))
    call_command("workflow_timers", stdout=StringIO())

    # 11 September: the committee member reviews the three applications.
    clock.move_to(at(datetime.date(2026, 9, 11), 9))
    member.sign_in(PASSWORD)
    member.open_my_task("资格审查", TITLE)
    for name, _written, _marks in CANDIDATES:
        member.review(name)
    member.finish("完成资格审查", then="资格审查已完成，准考证已签发。")
    member.open_campaign(TITLE)
    expect(member.campaign_state()).to_have_text("资格审查已完成")
    expect(member.documents()).to_contain_text("资格审查结果通知书")
    expect(member.documents()).to_contain_text("准考证")

    # 21 September: the written scores of the exam on the 19th; the shortlist follows.
    clock.move_to(at(datetime.date(2026, 9, 21), 10))
    member.sign_in(PASSWORD)
    member.open_my_task("录入笔试成绩", TITLE)
    member.enter_written_scores({name: written for name, written, _marks in CANDIDATES})
    member.finish("确定面试人选", then="面试人选已确定。")

    # 24 September: the interview panel's marks, then the ranking.
    clock.move_to(at(datetime.date(2026, 9, 24), 17))
    member.sign_in(PASSWORD)
    member.open_my_task("录入面试评分", TITLE)
    for name, _written, marks in CANDIDATES:
        member.enter_interview_marks(name, list(zip(PANEL, marks, strict=True)))
    member.finish("计算排名并完成考试", then="考试已完成，排名已计算。")

    # 25 September: the ranking is confirmed and the proposed hire published.
    clock.move_to(at(datetime.date(2026, 9, 25), 9))
    member.sign_in(PASSWORD)
    member.open_my_task("确认排名并公示拟聘用人员", TITLE)
    member.see("罗昇", "89.")
    member.finish("确认并公示拟聘用人员", then="排名已确认，拟聘用人员已进入公示期。")
    member.open_campaign(TITLE)
    expect(member.campaign_state()).to_have_text("拟聘用人员公示中")
    expect(member.documents()).to_contain_text("考试成绩及排名表")
    expect(member.documents()).to_contain_text("拟聘用人员公示")

    # 28 September: an objection comes in by telephone; the committee looks into it and
    # finds it unfounded.
    clock.move_to(at(datetime.date(2026, 9, 28), 10))
    member.sign_in(PASSWORD)
    member.open_my_task("处理公示期间的异议", TITLE)
    member.record_objection(
        "罗昇",
        received_on=datetime.date(2026, 9, 28),
        by="北口村村民（电话反映）",
        says="反映该同志长期在外务工，不熟悉村里情况。",
    )
    member.decide_objection(
        "罗昇",
        upheld=False,
        finding="经走访村两委核实，该同志已返乡两年，熟悉村情，反映情况不属实。",
    )
    member.see("不成立")

    # The day after the notice period (working days, across the National Day holiday): the
    # committee closes it and confirms the hire.
    campaign = Campaign.objects.get(title=TITLE)
    assert campaign.notice_ends_on is not None
    day_after = campaign.notice_ends_on + datetime.timedelta(days=1)
    clock.move_to(at(day_after, 9))
    member.sign_in(PASSWORD)
    member.open_my_task("处理公示期间的异议", TITLE)
    member.close_notice()
    member.open_my_task("确认聘用", TITLE)
    member.confirm_hires(start=day_after + datetime.timedelta(days=7), title=TITLE)
    # Confirming lands on the campaign's page with the new documents.
    expect(member.campaign_state()).to_have_text("已结束")
    for kind in ("聘用通知书", "聘用合同", "选聘结果告知书"):
        expect(member.documents()).to_contain_text(kind)
    # The campaign's process: every step in Chinese with the person who did it.
    member.open_campaign_tasks()
    member.main().get_by_role("link", name=TITLE).first.click()
    expect(member.heading()).to_have_text("选聘流程")
    member.see("审批选聘公告", "杨光荣已办结", "吴兴华已办结", "公告审批时限", "已按时办结")

    # The hired applicant sees it on the status page, with the published ranking list.
    applicant = PublicPages(new_page("罗昇 again", viewport=PHONE), steps)
    applicant.open_campaigns()
    applicant.look_up(applicants["罗昇"].id_number, applicants["罗昇"].phone)
    card = applicant.status_card(TITLE)
    expect(card).to_contain_text("已聘用。乡镇（街道）将与您联系签订聘用合同和参加培训事宜。")
    ranking = applicant.download(card.get_by_role("link", name="考试成绩及排名表 (PDF)"))
    assert all(name in ranking.pdf_text() for name in applicants)
