"""More of the public side in Chromium, on a phone: an applicant withdraws before the written
exam; the registration form with what people really type (full-width digits, a wrong ID
number, a photo too big); the verify page with codes that are wrong; and the error pages
(404, 403) in Chinese, for the public and for staff.

The server's clock stands at 3 September 2026, while 关索街道's campaign takes registrations
(``tests.browser.world.open_campaign``).
"""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import Applicant, PublicPages, StaffPages
from tests.browser.world import (
    CAMPAIGN_TITLE,
    PASSWORD,
    SHANGHAI,
    banner_png,
    certificate_pdf,
    make_world,
    noisy_photo_jpeg,
    open_campaign,
    photo_jpeg,
    register,
)
from tests.factories import PersonFactory, make_id_number
from tests.matrix_support import make_document

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2026, 9, 3, 10, 0, tzinfo=SHANGHAI)
WIDTHS = [pytest.param(DESK, id="desk"), pytest.param(PHONE, id="phone")]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, transactional_db):
    return make_world()


@pytest.fixture
def campaign(world):
    return open_campaign(world)


def fits_the_screen(visitor: PublicPages) -> None:
    """Nothing sticks out sideways: the page reads without scrolling left and right."""
    wide = visitor.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, f"the page is {wide}px wider than the screen"


# Withdrawing ------------------------------------------------------------------------------------


def test_an_applicant_withdraws_on_a_phone_before_the_written_exam(
    new_page, steps, campaign, clock
):
    luo = {"id_number": make_id_number(datetime.date(1993, 6, 8)), "phone": "13987654321"}
    wei = {"id_number": make_id_number(datetime.date(1995, 2, 1)), "phone": "13912345678"}
    register(campaign, name="罗昇", **luo)
    late = register(campaign, name="韦春艳", **wei)

    visitor = PublicPages(new_page("罗昇", viewport=PHONE), steps)
    visitor.open_campaigns()
    visitor.look_up(luo["id_number"], luo["phone"])
    card = visitor.status_card(CAMPAIGN_TITLE)
    expect(card).to_contain_text("撤回此次报名 （笔试开始前可撤回）")
    visitor.open_withdrawal(CAMPAIGN_TITLE)
    visitor.see(
        "罗昇",
        "北口村",
        "撤回后，您将不再参加本次选聘：不能参加考试，也不能再次报名。撤回后不能恢复。",
    )
    fits_the_screen(visitor)

    # Pressing the button without the tick asks for it, and withdraws nothing.
    assert visitor.withdraw(confirmed=False) == 400
    expect(visitor.page.locator("h1")).to_have_text("撤回报名")
    expect(visitor.page.get_by_role("alert")).to_have_text("请勾选以确认撤回报名。")
    assert visitor.withdraw(confirmed=True) == 302
    expect(visitor.page.locator("h1")).to_have_text("查询报名")
    card = visitor.status_card(CAMPAIGN_TITLE)
    expect(card.locator("dd strong")).to_have_text("已放弃")
    expect(card).to_contain_text(
        "已按您的申请撤回报名，您不再参加本次选聘；已发给您的文书仍可在此下载。"
    )
    expect(card.get_by_role("link", name="撤回此次报名")).to_have_count(0)
    expect(card.get_by_role("link", name="报名表 (PDF)")).to_be_visible()
    fits_the_screen(visitor)

    # The written exam has begun: the other applicant can no longer withdraw.
    clock.move_to(datetime.datetime(2026, 9, 19, 9, 30, tzinfo=SHANGHAI))
    other = PublicPages(new_page("韦春艳", viewport=PHONE), steps)
    other.open_campaigns()
    other.look_up(wei["id_number"], wei["phone"])
    card = other.status_card(CAMPAIGN_TITLE)
    expect(card.locator("dd strong")).to_have_text("已报名")
    expect(card.get_by_role("link", name="撤回此次报名")).to_have_count(0)
    with steps.record("open the withdrawal address", other.page):
        assert other.open_address(f"/apply/status/{late.pk}/withdraw/") == 200
    expect(other.page.get_by_role("alert")).to_have_text("笔试已经开始，报名不能再撤回。")
    expect(other.page.get_by_role("button", name="确认撤回报名")).to_have_count(0)


# The registration form with what people type ---------------------------------------------------


def test_the_registration_form_takes_full_width_digits_and_says_what_it_refuses(
    new_page, steps, campaign
):
    id_number = make_id_number(datetime.date(1992, 3, 5))
    wrong_digit = "1" if id_number[-1] == "0" else "0"
    mistyped = id_number[:-1] + wrong_digit
    applicant = Applicant(
        name="罗昇",
        id_number=mistyped.translate(FULL_WIDTH),  # typed with a Chinese input method
        phone="１３９ ８７６５ ４３２１",
        village="北口村",
    )
    big = noisy_photo_jpeg()
    visitor = PublicPages(new_page("applicant", viewport=PHONE), steps)
    visitor.open_campaigns()
    visitor.choose_campaign(CAMPAIGN_TITLE)

    # A wrong check digit, and a photo of nearly 3 MB: both are said at once, each after
    # the name of its field, and the other fields keep what was typed.
    check_digit = (
        f"身份证号码校验位错误：最后一位应为 {id_number[-1]}，而不是 {wrong_digit}，请核对。"
    )
    visitor.fill_registration(applicant, photo=big, certificate=certificate_pdf())
    expect(visitor.live_message("id_number")).to_have_text(check_digit)
    visitor.submit_refused_registration()
    errors = visitor.registration_errors()
    expect(errors).to_contain_text(f"身份证号码：{check_digit}")
    megabytes = f"{len(big) / 1024 / 1024:.1f}"
    expect(errors).to_contain_text(f"照片：照片大小为 {megabytes} MB，不能超过 2.0 MB。")
    expect(errors).not_to_contain_text("手机号码")
    expect(visitor.field("id_number")).to_have_class(re.compile("field--invalid"))
    expect(visitor.field("id_number").locator(".error")).to_have_text(check_digit)
    expect(visitor.field("photo")).to_have_class(re.compile("field--invalid"))
    form = visitor.registration_form()
    expect(form.get_by_label("姓名")).to_have_value("罗昇")
    expect(form.get_by_label("毕业院校")).to_have_value(applicant.school)
    fits_the_screen(visitor)

    # The right number, still in full-width digits; a photo far too wide.
    with steps.record("correct the ID number", visitor.page):
        form.get_by_label("身份证号码").fill(id_number.translate(FULL_WIDTH))
        expect(visitor.live_message("id_number")).to_be_empty()
    visitor.attach_files(photo=banner_png(), photo_name="照片.png", certificate=certificate_pdf())
    visitor.submit_refused_registration()
    expect(errors).to_contain_text(
        "照片：照片尺寸为 7000 × 400 像素；每边须在 100 至 6000 像素之间"
    )
    expect(errors).not_to_contain_text("身份证号码")

    # A proper photo: registered, with the numbers as digits.
    visitor.attach_files(photo=photo_jpeg(), certificate=certificate_pdf())
    visitor.submit_registration(applicant)
    visitor.see("139****4321")
    visitor.look_up(id_number, "13987654321")
    card = visitor.status_card(CAMPAIGN_TITLE)
    expect(card).to_contain_text("罗昇")
    expect(card).to_contain_text(f"{id_number[:6]}********{id_number[-4:]}")


# The verify page with wrong codes ---------------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_verify_page_explains_codes_that_are_wrong(new_page, steps, transactional_db, viewport):
    document = make_document(PersonFactory())
    code = document.verification_code
    # One character off, as a misread print gives it (but never a character the page reads as
    # another: O for 0, I and L for 1).
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    visitor = PublicPages(new_page("visitor", viewport=viewport), steps)

    # The address from a forged paper's QR code or link.
    with steps.record("open a wrong code's address", visitor.page):
        assert visitor.open_address(f"/verify/{typo}/") == 404
    expect(visitor.page.locator("h1")).to_have_text("文书核验")
    expect(visitor.page).to_have_title(re.compile("^核验码不存在"))
    visitor.see(
        f"没有核验码为“{typo}”的文书。",
        "请核对文书页脚印制的核验码后重新输入（只含字母和数字，不区分大小写）。",
        "在此查不到核验码的文书，不是本系统签发的。",
    )
    expect(visitor.page.get_by_label("核验码")).to_have_value(typo)
    expect(visitor.page.locator("body")).not_to_contain_text(document.title)

    # Nothing typed, then something that is no code at all.
    visitor.verify_code("")
    expect(visitor.page.get_by_role("alert")).to_have_text("请输入文书页脚印有的核验码。")
    visitor.verify_code("核验码：" + code)
    expect(visitor.page.get_by_role("alert")).to_have_text(
        "核验码只含字母和数字，请核对后重新输入。"
    )

    # Corrected, it is found.
    visitor.verify_code(code)
    visitor.see("本文书由系统签发，为现行有效版本。", document.title)


# Error pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_page_that_does_not_exist_answers_in_chinese(new_page, steps, world, viewport):
    visitor = PublicPages(new_page("visitor", viewport=viewport), steps)
    for path in ("/no-such-page/", "/apply/987654/", "/documents/987654/download/x/"):
        with steps.record("open a wrong address", visitor.page):
            assert visitor.open_address(path) == 404, path
        expect(visitor.page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(visitor.error_page().locator("h1")).to_have_text("找不到页面")
        expect(visitor.error_page()).to_contain_text(
            "没有这个页面，或者它属于您无权查看的记录。请检查地址，或返回后从列表中重新选择。"
        )
    with steps.record("back to the campaigns", visitor.page):
        visitor.error_page().get_by_role("link", name="正在进行的选聘").click()
        expect(visitor.page.locator("h1")).to_have_text("村级人口主任公开选聘")


def test_staff_are_told_in_chinese_what_they_may_not_open(new_page, steps, world):
    member = StaffPages(new_page("guansuo_committee"), steps, "guansuo_committee")
    member.sign_in(PASSWORD)

    # Another township's village: the same "not found" as a page that does not exist, which
    # neither names the record nor says that it exists.
    foreign = world.villages["和平村"]
    with steps.record("open a foreign village", member.page):
        assert member.open_address(f"/organisation/villages/{foreign.pk}/") == 404
    expect(member.error_page().locator("h1")).to_have_text("找不到页面")
    expect(member.page.locator("body")).not_to_contain_text("和平村")
    expect(member.page.locator("body")).not_to_contain_text("花江镇")

    # A county page the role may not open: 403, in Chinese, saying whom to ask.
    with steps.record("open the county's village import", member.page):
        assert member.open_address("/organisation/import/") == 403
    expect(member.error_page().locator("h1")).to_have_text("无权操作")
    expect(member.error_page()).to_contain_text(
        "您的账号无权打开此页面或进行此操作。如认为应当有权限，请联系县级系统管理员。"
    )
    with steps.record("back to the dashboard", member.page):
        member.error_page().get_by_role("link", name="返回工作台").click()
        expect(member.heading()).to_contain_text("乡镇选聘领导小组成员 吴兴华")


# The announcement, a lookup that finds nothing, and forgetting on a shared phone ---------------


def test_an_applicant_reads_the_announcement_and_looks_up_on_a_shared_phone(
    new_page, steps, campaign
):
    luo = {"id_number": make_id_number(datetime.date(1993, 6, 8)), "phone": "13987654321"}
    register(campaign, name="罗昇", **luo)
    visitor = PublicPages(new_page("罗昇", viewport=PHONE), steps)
    visitor.open_campaigns()
    visitor.choose_campaign(CAMPAIGN_TITLE)
    with steps.record("download the announcement", visitor.page):
        announcement = visitor.download(visitor.page.get_by_role("link", name="下载公告（PDF）"))
    text = announcement.pdf_text()
    assert "公开选聘" in text and "北口村" in text and "关岭自治县民族中学" in text, text

    # A mistyped phone number: one message, which does not say which of the two is wrong.
    with steps.record("look up with a wrong phone number", visitor.page):
        visitor.page.get_by_role("link", name="查询报名").first.click()
        form = visitor.page.locator("form.apply")
        form.get_by_label("身份证号码").fill(luo["id_number"])
        form.get_by_label("报名时填写的手机号码").fill("13987654322")
        assert visitor.submit(form.get_by_role("button", name="查询")) == 400
    expect(visitor.page.get_by_role("alert")).to_have_text(
        "没有与该身份证号码和手机号码相符的报名信息。请核对后重试。"
    )
    fits_the_screen(visitor)

    visitor.look_up(luo["id_number"], luo["phone"])
    expect(visitor.status_card(CAMPAIGN_TITLE)).to_contain_text("罗昇")
    # On a phone lent by someone else: the applications are forgotten on leaving.
    with steps.record("forget the applications", visitor.page):
        button = visitor.page.get_by_role("button", name="查询完毕：在本设备上清除这些报名信息")
        assert visitor.submit(button) == 302
        expect(visitor.page.locator("h1")).to_have_text("查询报名")
    expect(visitor.page.locator("section.card")).to_have_count(0)
    visitor.see("请输入报名时填写的身份证号码和手机号码。")
    with steps.record("go back to the status page", visitor.page):
        visitor.page.go_back()
        visitor.page.reload()
    expect(visitor.page.locator("body")).not_to_contain_text("罗昇")


EXPIRED = (
    "表单打开时间过长或浏览器禁用了 Cookie，因此无法受理，未保存任何内容。请返回上一页，"
    "刷新后重新提交。"
)


def test_a_form_sent_after_its_cookies_are_gone_answers_in_chinese(new_page, steps, campaign):
    luo = {"id_number": make_id_number(datetime.date(1993, 6, 8)), "phone": "13987654321"}
    register(campaign, name="罗昇", **luo)
    visitor = PublicPages(new_page("罗昇", viewport=PHONE), steps)
    visitor.open_campaigns()
    with steps.record("fill the lookup, then lose the cookies", visitor.page):
        visitor.page.get_by_role("link", name="查询报名").first.click()
        form = visitor.page.locator("form.apply")
        form.get_by_label("身份证号码").fill(luo["id_number"])
        form.get_by_label("报名时填写的手机号码").fill(luo["phone"])
        visitor.page.context.clear_cookies()  # the browser dropped them (privacy mode, a cleaner)
        assert visitor.submit(form.get_by_role("button", name="查询")) == 403
    expect(visitor.error_page().locator("h1")).to_have_text("表单已失效")
    expect(visitor.error_page()).to_contain_text(EXPIRED)
    fits_the_screen(visitor)
    with steps.record("go back and reload", visitor.page):
        visitor.page.go_back()
        visitor.page.reload()
        expect(visitor.page.locator("h1")).to_have_text("查询报名")
    visitor.look_up(luo["id_number"], luo["phone"])
    expect(visitor.status_card(CAMPAIGN_TITLE)).to_contain_text("罗昇")


def test_a_staff_form_sent_after_the_session_ended_answers_in_chinese(new_page, steps, world):
    hr = StaffPages(new_page("county_hr"), steps, "county_hr")
    hr.sign_in(PASSWORD)
    hr.open_calendar_year(2027)
    with steps.record("fill a correction, then lose the cookies", hr.page):
        hr.main().get_by_role("link", name="添加节假日或调休上班日").click()
        form = hr.main().locator("form")
        form.get_by_label("名称").fill("春节调休上班")
        hr.page.context.clear_cookies()
        assert hr.submit(form.get_by_role("button", name="保存")) == 403
    expect(hr.error_page().locator("h1")).to_have_text("表单已失效")
    expect(hr.error_page()).to_contain_text(EXPIRED)
