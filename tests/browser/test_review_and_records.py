"""Reading and checking records in Chromium: the committee reviews the applications one after
another through the review page's "next applicant" link, the application list shows each
applicant's household registration and labels its check marks with a legend; a person's
change log reads on a phone; issued documents are found by a person's name.
"""

import datetime

import pytest
from playwright.sync_api import expect

from people.services import person_update
from tests.browser.conftest import PHONE
from tests.browser.world import (
    CAMPAIGN_TITLE,
    CANDIDATES,
    CampaignRun,
    Candidate,
)
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.browser

TITLE = CAMPAIGN_TITLE


# The review, one application after another -----------------------------------------------------

ELSEWHERE = "贵州省安顺市西秀区东关街道"
HOUSEHOLD_REASON = "户籍在西秀区，不在关索街道。"


def test_the_committee_reviews_one_application_after_another(staff, world, clock):
    # 韦春艳's household is registered outside the township.
    moved = Candidate("韦春艳", datetime.date(1991, 3, 2), "86", "85", ELSEWHERE)
    run = CampaignRun(world, clock, candidates=(CANDIDATES[0], moved, CANDIDATES[2]))
    run.to(CampaignFlow.review_applications, entered=False)
    member = staff("guansuo_committee")

    # The list: each applicant's household registration, and the automatic checks made at
    # registration, with the legend that explains the marks.
    member.open_applications(TITLE)
    member.see("有 3 名报名人员待审查。")
    expect(member.row("罗昇")).to_contain_text("贵州省关岭自治县关索街道北口村")
    expect(member.row("韦春艳")).to_contain_text(ELSEWHERE)
    expect(member.row("罗昇").locator("td.cunpin-checks")).to_have_text("年龄✓ 学历✓ 身份证✓")
    member.see("条件核对：✓ 表示符合该条件，✗ 表示不符合；将鼠标移到标记上可查看原因。")
    age = member.row("罗昇").locator("td.cunpin-checks span").first
    expect(age).to_have_attribute("title", "报名截止日（2026-09-10）年龄 36 周岁，上限为 40 周岁。")

    # From the first application to the next, in the list's order, until none is left.
    member.open_application("罗昇")
    member.see("下一位待审查：韦春艳（北口村）")
    member.record_review()
    member.next_to_review("韦春艳")
    expect(member.main()).to_contain_text(ELSEWHERE)
    member.record_review(
        unmet={"户籍所在地": HOUSEHOLD_REASON},
        note="户籍所在地不符合报考条件。",
    )
    member.next_to_review("王堃林")
    member.record_review()
    member.see("没有其他待审查的报名。")
    expect(member.main().get_by_role("link", name="下一位待审查")).to_have_count(0)

    # Back on the list, the marks are the reviewer's checklist; a rule not met is marked ✗
    # with the reviewer's reason.
    member.main().get_by_role("link", name=f"返回{TITLE}报名人员列表").click()
    expect(member.row("罗昇").locator("td.cunpin-checks")).to_have_text(
        "年龄✓ 学历✓ 身份证✓ 户籍✓ 证书✓"
    )
    checks = member.row("韦春艳").locator("td.cunpin-checks")
    expect(checks).to_have_text("年龄✓ 学历✓ 身份证✓ 户籍✗ 证书✓")
    expect(checks.locator("span", has_text="户籍")).to_have_attribute("title", HOUSEHOLD_REASON)
    expect(member.row("韦春艳")).to_contain_text("资格审查不合格")
    member.see("资格审查合格：2 · 资格审查不合格：1")


# A person's change log on a phone --------------------------------------------------------------

MOVED_TO = "贵州省安顺市关岭布依族苗族自治县关索街道城内村一组"
PERSON_REASON = "本人申请更正户籍所在地"


def test_a_persons_change_log_reads_on_a_phone(staff, world):
    person_update(
        person=world.people["王堃"],
        by=world.users["county_hr"],
        household_registration=MOVED_TO,
        reason=PERSON_REASON,
    )
    officer = staff("county_hr", viewport=PHONE)
    officer.open_person("王堃")
    log = officer.history()
    entry = officer.history_entry(PERSON_REASON)
    expect(entry).to_contain_text("罗敏")
    expect(entry).to_contain_text("户籍所在地")
    expect(entry).to_contain_text(MOVED_TO)
    # Each entry is a block of labelled lines, every cell the card's width: no column is
    # squeezed to a character or two a line (16 px each).
    cells = log.locator("table.cunpin-audit td")
    assert cells.count() >= 5
    widths = [cells.nth(i).bounding_box()["width"] for i in range(cells.count())]  # type: ignore[index]
    assert min(widths) > 200, widths
    width = officer.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


# Documents found by a person's name -------------------------------------------------------------


def test_documents_are_found_by_a_persons_name(staff, world, clock):
    CampaignRun(world, clock).to_the_end()

    # The township office, at the desk: every document of 罗昇, from the registration form
    # to the contract, and nobody else's.
    office = staff("guansuo_office")
    office.search_documents("罗昇")
    rows = office.document_rows()
    expect(rows).to_have_count(5)
    for title in ("村级人口主任聘用合同", "聘用通知书", "准考证", "资格审查结果通知书"):
        expect(rows.filter(has_text=title)).to_have_count(1)
    expect(rows.filter(has_text="村级人口主任选聘报名表")).to_have_count(1)
    for row in rows.all():
        expect(row.locator("td").nth(1)).to_have_text("罗昇")
    expect(office.main()).not_to_contain_text("韦春艳")

    # Now that 罗昇 has a person record, his name's pinyin finds his papers as director.
    office.search_documents("luosheng")
    rows = office.document_rows()
    expect(rows.filter(has_text="村级人口主任聘用合同")).to_have_count(1)
    expect(rows.filter(has_text="聘用通知书")).to_have_count(1)
    expect(office.main()).not_to_contain_text("韦春艳")

    # A name nobody has: the page says so.
    office.search_documents("欧阳娜")
    office.see("没有符合搜索条件的文书。")

    # On the phone, in the village: 韦春艳's letter of the result.
    phone = staff("guansuo_office", viewport=PHONE)
    phone.search_documents("韦春艳")
    letter = phone.document_rows().filter(has_text="选聘结果告知书")
    expect(letter).to_have_count(1)
    expect(letter.get_by_role("link", name="下载 PDF")).to_be_visible()
