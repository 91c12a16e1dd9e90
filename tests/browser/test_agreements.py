"""Target-responsibility agreements in Chromium: a township officer of 关索街道 drafts the
year's agreements from the county's template, adjusts a value of 城内村's agreement and
records the three signatures; the signed agreement's PDF opens with the values and the
signatures. Then 城内村's director reads it on a phone (/my-term/ and the agreement's page),
with nothing wider than the screen."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agreements.models import TargetAgreement
from agreements.services import Line, template_create
from contracts.constants import ContractState
from contracts.models import Contract
from organisation.models import Post
from tests.browser.conftest import PHONE
from tests.browser.pages import StaffPages, date_input
from tests.browser.world import PASSWORD, at

pytestmark = pytest.mark.browser

TODAY = datetime.date(2026, 11, 29)
SIGNED_ON = TODAY  # drafted today: signed the same day


@pytest.fixture
def ready(world, clock):
    """The county's 2026 template, and 王堃 (城内村) in post under an active contract."""
    clock.move_to(at(TODAY, 9))
    template_create(
        county=world.county,
        year=2026,
        title="2026年度村级人口主任计划生育工作目标管理责任书",
        lines=[
            Line("政策外多孩生育", "例", "0", "每发生1例扣10分"),
            Line("出生政策符合率", "%", "95", "每低1个百分点扣2分"),
        ],
        by=world.users["county_hr"],
    )
    person = world.people["王堃"]
    Contract.objects.create(
        person=person,
        post=Post.objects.get(holder=person),
        township=world.own,
        policy=world.policy,
        state=ContractState.ACTIVE,
        term_years=3,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        monthly_pay=Decimal("1700.00"),
        activated_on=datetime.date(2025, 1, 1),
    )


def test_an_officer_drafts_adjusts_and_records_the_signatures(staff, world, clock, ready):
    officer = staff("guansuo_office")
    officer.open_menu("目标管理责任书")
    expect(officer.heading()).to_have_text("关索街道2026年度目标管理责任书")
    officer.see("未起草", "已逾期")  # past 31 March with no agreement
    officer.main().get_by_role("button", name="起草本年度责任书").click()
    officer.see("已起草1份责任书并印制待签。")
    officer.main().get_by_role("link", name="王堃").click()
    expect(officer.heading()).to_have_text("王堃的2026年度目标管理责任书")
    officer.see("已逾期：应于2026年3月31日前签订")

    # 城内村's value is adjusted before signing.
    values = officer.main().locator("#values form")
    values.get_by_label("出生政策符合率（%）").fill("97")
    values.get_by_role("button", name="保存目标值").click()
    officer.see("目标值已保存，责任书已重新印制待签。")
    expect(officer.main().locator("#targets")).to_contain_text("97.00 %")

    # A date in the future is refused on its field, nothing saved.
    sign = officer.main().locator("#sign form")
    sign.get_by_label("乡镇计生办签字人").fill("岑丽")
    sign.get_by_label("乡镇计生办签字日期").fill(date_input(SIGNED_ON))
    sign.get_by_label("村（居）两委签字人").fill("黄德明")
    sign.get_by_label("村（居）两委签字日期").fill(date_input(SIGNED_ON))
    sign.get_by_label("人口主任签字日期").fill(date_input(TODAY + datetime.timedelta(days=3)))
    sign.get_by_role("button", name="登记签字").click()
    officer.see("人口主任签字的日期（2026年12月2日）晚于今天。")
    sign = officer.main().locator("#sign form")
    sign.get_by_label("人口主任签字日期").fill(date_input(SIGNED_ON))
    sign.get_by_role("button", name="登记签字").click()
    officer.see("三方签字已登记，已出具签订后的责任书。", "三方已签订", "岑丽，2026年11月29日签字")
    agreement = TargetAgreement.objects.get(person=world.people["王堃"], year=2026)
    assert agreement.state == "signed" and agreement.targets[1]["value"] == "97.00"

    # The signed agreement's PDF opens.
    link = (
        officer.main()
        .locator("#documents")
        .get_by_role("link", name="2026年度计划生育工作目标管理责任书")
        .first
    )
    text = officer.download(link).pdf_text()
    for words in ("2026年度计划生育工作目标管理责任书", "出生政策符合率", "97%", "黄德明"):
        assert words in text
    assert "2026年11月29日" in text


def test_the_director_reads_the_agreement_on_a_phone(new_page, steps, world, clock, ready):
    from agreements.services import agreement_sign, agreements_draft_for_township

    office = world.users["guansuo_office"]
    (agreement,) = agreements_draft_for_township(township=world.own, year=2026, by=office)
    agreement_sign(
        agreement=agreement,
        township_signatory="岑丽",
        township_on=TODAY,
        village_signatory="黄德明",
        village_on=TODAY,
        director_on=TODAY,
        by=office,
    )
    pages = StaffPages(new_page("director_wang", viewport=PHONE), steps, "director_wang")
    pages.sign_in(PASSWORD)
    pages.page.goto("/my-term/")
    pages.see("我的目标管理责任书", "已于2026年11月29日签订")
    pages.main().get_by_role("link", name="2026年度责任书").click()
    expect(pages.heading()).to_have_text("王堃的2026年度目标管理责任书")
    pages.see("三方已签订", "出生政策符合率")
    assert pages.page.locator("#values").count() == 0  # the director changes nothing
    width = pages.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
