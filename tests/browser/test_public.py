"""The public pages in Chromium, at desk width and on a phone: an applicant registers with a
photo and a certificate, downloads the registration form and looks the application up; the
language switch; the verify page's box for a code.

Until the public pages sent ``Referrer-Policy: no-referrer``, Chromium sent ``Origin: null``
with each of these forms and Django answered 403: only a browser shows it.
"""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import Applicant, PublicPages
from tests.browser.world import (
    CAMPAIGN_TITLE,
    certificate_pdf,
    make_world,
    open_campaign,
    photo_jpeg,
)
from tests.factories import PersonFactory, make_id_number
from tests.matrix_support import make_document

pytestmark = pytest.mark.browser

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 9, 3, 10, 0, tzinfo=SHANGHAI)  # registration is open
TITLE = CAMPAIGN_TITLE
WIDTHS = [pytest.param(DESK, id="desk"), pytest.param(PHONE, id="phone")]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, transactional_db):
    return make_world()


@pytest.fixture
def campaign(world):
    """Open for registration: drafted by the committee member, announced by the head."""
    return open_campaign(world)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_an_applicant_registers_then_looks_up_the_status_and_downloads_the_form(
    new_page, steps, campaign, viewport
):
    applicant = Applicant(
        name="罗昇",
        id_number=make_id_number(datetime.date(1992, 3, 5)),
        phone="13987654321",
        village="北口村",
    )
    visitor = PublicPages(new_page("applicant", viewport=viewport), steps)

    visitor.open_campaigns()
    visitor.choose_campaign(TITLE)
    visitor.see("北口村", "关岭自治县民族中学", "下载公告（PDF）")

    # The live check answers while the ID number is typed: too old by this one.
    with steps.record("live check", visitor.page):
        visitor.page.get_by_label("身份证号码").fill(make_id_number(datetime.date(1970, 1, 1)))
        expect(visitor.live_message("id_number")).to_contain_text("40")
    visitor.fill_registration(applicant, photo=photo_jpeg(), certificate=certificate_pdf())
    expect(visitor.live_message("id_number")).to_be_empty()
    visitor.submit_registration(applicant)
    visitor.see(TITLE, "139****4321")

    form = visitor.download_registration_form()
    assert form.filename.endswith(".pdf")
    text = form.pdf_text()
    assert applicant.name in text and "北口村" in text

    visitor.look_up(applicant.id_number, applicant.phone)
    card = visitor.status_card(TITLE)
    expect(card).to_contain_text(applicant.name)
    expect(card).to_contain_text("已报名")
    expect(card).to_contain_text("已报名。报名于 2026-09-10 截止后进行资格审查。")
    again = visitor.download(card.get_by_role("link", name="报名表 (PDF)"))
    assert again.content == form.content


PUBLIC_PAGES = [
    pytest.param("/apply/", "村级人口主任公开选聘", "Open selection of village", id="apply"),
    pytest.param("/apply/status/", "查询报名", "Check my application", id="status"),
    pytest.param("/verify/", "文书核验", "Document verification", id="verify"),
]


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize(("path", "chinese", "english"), PUBLIC_PAGES)
def test_the_language_switch_works_on_public_pages(
    new_page, steps, transactional_db, path, chinese, english, viewport
):
    visitor = PublicPages(new_page("visitor", viewport=viewport), steps)
    with steps.record("open page", visitor.page):
        response = visitor.page.goto(path)
        assert response is not None and response.status == 200
        expect(visitor.page.locator("h1")).to_contain_text(chinese)

    visitor.switch_language("English")
    expect(visitor.page.locator("h1")).to_contain_text(english)
    visitor.switch_language("简体中文")
    expect(visitor.page.locator("h1")).to_contain_text(chinese)


def test_the_language_switch_works_on_a_campaign_page(new_page, steps, campaign):
    visitor = PublicPages(new_page("visitor", viewport=PHONE), steps)
    visitor.open_campaigns()
    visitor.choose_campaign(TITLE)
    visitor.switch_language("English")
    visitor.see("Submit my application", "Posts offered")
    visitor.switch_language("简体中文")
    visitor.see("提交报名")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_anyone_types_a_code_into_the_verify_box_and_reaches_the_document(
    new_page, steps, transactional_db, viewport
):
    document = make_document(PersonFactory())
    code = document.verification_code
    visitor = PublicPages(new_page("visitor", viewport=viewport), steps)

    visitor.open_verify()
    visitor.verify_code(f"{code[:4].lower()}-{code[4:].lower()}")  # as people copy it
    assert visitor.page.url.endswith(f"/verify/{code}/")
    visitor.see("本文书由系统签发，为现行有效版本。", code, document.title)

    with steps.record("verify another", visitor.page):
        visitor.page.get_by_role("link", name="核验其他文书").click()
        expect(visitor.page.get_by_label("核验码")).to_be_empty()
    visitor.verify_code("ZZ99 ZZ99")
    visitor.see("没有核验码为“ZZ99ZZ99”的文书。")
    expect(visitor.page.get_by_label("核验码")).to_have_value("ZZ99ZZ99")
