"""Signing and filing a contract in Chromium: a township committee member signs a drafted
contract on its task page, a county HR officer takes the filing and induction tasks from the
county's queue and completes them, and the contract is in force with its post occupied; then
the new director reads their own record on a phone.
"""

import datetime
from typing import cast

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from accounts.models import User
from contracts.models import Contract
from contracts.services import contract_draft
from organisation.models import Post
from recruitment.documents.campaign import issue_contract
from tests.browser.conftest import PHONE
from tests.browser.pages import StaffPages, date_input
from tests.browser.world import PASSWORD, at
from tests.factories import PersonFactory, UserFactory, make_id_number

pytestmark = pytest.mark.browser

DRAFTED_ON = datetime.date(2026, 9, 1)  # a Tuesday
SIGNED_ON = datetime.date(2026, 9, 3)
FILED_ON = datetime.date(2026, 9, 8)
TRAINED_ON = datetime.date(2026, 9, 7)


@pytest.fixture
def drafted(world, clock) -> Contract:
    """罗昇's contract for a vacant post of 北口村, drafted by guansuo_committee; the contract
    flow starts when the drafting transaction commits."""
    village = world.villages["北口村"]
    person = PersonFactory(
        name="罗昇",
        id_number=make_id_number(datetime.date(1994, 6, 1)),
        phone="13812340077",
        township=village.township,
        village=village,
    )
    post = Post.objects.filter(village=village, holder__isnull=True).order_by("number").first()
    assert post is not None
    committee = world.users["guansuo_committee"]
    contract = contract_draft(
        application=None,
        person=person,
        post=post,
        start_date=datetime.date(2026, 9, 15),
        by=committee,
    )
    issue_contract(contract, by=committee)
    return contract


def open_contract_task(user: StaffPages, task: str, section: str) -> None:
    user.open_menu("合同任务")
    expect(user.heading()).to_have_text("合同任务")
    rows = user.main().locator("section").filter(has=user.page.get_by_role("heading", name=section))
    rows.locator("tr").filter(has_text="罗昇").get_by_role("link", name=task).click()


def test_sign_file_and_record_induction_then_the_post_is_occupied(staff, world, clock, drafted):
    # The committee member signs: both signatures and their dates.
    clock.move_to(at(SIGNED_ON, 10))
    member = staff("guansuo_committee")
    open_contract_task(member, "签订聘用合同", "我的任务")
    expect(member.heading()).to_have_text("签订聘用合同")
    member.see("罗昇的聘用合同", "待签订")
    form = member.main().locator("form.cunpin-form")
    form.get_by_label("甲方签字人").fill("杨光荣")
    form.get_by_label("甲方签字日期").fill(date_input(SIGNED_ON))
    form.get_by_label("乙方签字日期").fill(date_input(SIGNED_ON))
    member.finish("完成", then="合同已签订并报县备案。")
    member.see(
        "甲方杨光荣于2026年9月3日签字；乙方于2026年9月3日签字", "已于2026年9月3日报送，待县里备案"
    )

    # County HR takes the filing from the county's queue and files it.
    clock.move_to(at(FILED_ON, 9, 30))
    hr = staff("county_hr")
    open_contract_task(hr, "县级备案", "待领取任务")
    hr.main().get_by_role("button", name="领取任务").click()
    expect(hr.heading()).to_have_text("县级备案")
    hr.main().locator("form.cunpin-form").get_by_label("备案编号").fill("关卫健备〔2026〕7号")
    hr.finish("完成", then="合同已在县里备案。")
    hr.see("已于2026年9月8日备案", "关卫健备〔2026〕7号", "尚未生效")

    # Then the induction training, which puts the contract in force.
    open_contract_task(hr, "登记初任培训", "待领取任务")
    hr.main().get_by_role("button", name="领取任务").click()
    expect(hr.heading()).to_have_text("登记初任培训")
    form = hr.main().locator("form.cunpin-form")
    form.get_by_label("初任培训完成日期").fill(date_input(TRAINED_ON))
    hr.finish("完成", then="初任培训已登记。")
    expect(hr.main().locator("dd strong").first).to_have_text("有效")
    hr.see("2026年9月7日完成（县级录入）", "备案表", "初任培训证明")

    # The post is occupied: 北口村's page names its director.
    hr.page.goto(f"/organisation/villages/{world.villages['北口村'].pk}/")
    expect(hr.main()).to_contain_text("罗昇")
    drafted.refresh_from_db()
    assert drafted.state == "active"
    assert Post.objects.get(pk=drafted.post_id).holder_id == drafted.person_id


def test_a_director_reads_their_record_on_a_phone(new_page, steps, world, clock, drafted):
    from contracts.services.signing import contract_file, contract_record_induction, contract_sign

    clock.move_to(at(FILED_ON, 10))
    signed = contract_sign(
        contract=drafted,
        signatory="杨光荣",
        township_on=SIGNED_ON,
        director_on=SIGNED_ON,
        by=world.users["guansuo_committee"],
    )
    hr = world.users["county_hr"]
    contract_record_induction(contract=signed, on=TRAINED_ON, by=hr)
    contract_file(contract=signed, by=hr, filing_number="关卫健备〔2026〕7号")
    director = cast(
        User,
        UserFactory(
            username="director_luo",
            role=Role.DIRECTOR,
            county=world.county,
            township=drafted.township,
            village=drafted.post.village,
            person=drafted.person,
        ),
    )
    pages = StaffPages(new_page("director_luo", viewport=PHONE), steps, director.username)
    pages.sign_in(PASSWORD)
    pages.page.goto("/my-term/")
    expect(pages.heading()).to_have_text(drafted.person.name)
    pages.see(
        "有效",
        "2026年9月15日 – 2029年9月14日",
        "已于2026年9月8日备案",
        "2026年9月7日完成",
        "没有未结案件。",
        "初任培训证明",
    )
    width = pages.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    # Their own contract, with the full ID number, downloads.
    link = pages.main().get_by_role("link", name="下载村级人口主任聘用合同", exact=True).first
    download = pages.download(link)
    assert drafted.person.id_number in download.pdf_text().replace(" ", "")
