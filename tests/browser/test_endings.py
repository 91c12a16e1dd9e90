"""Resignation and dismissal in Chromium: a director asks to resign from their phone and the
township's committee accepts at the desk; a committee member opens a dismissal case, records
the director's statement and decides.

王堃 of the browser world holds the post of 城内村 (关索街道); a contract in force is made for
him here, as the signing and filing steps would leave it."""

import datetime

import pytest
from playwright.sync_api import expect

from contracts.constants import CaseState, ContractState, ResignationState
from contracts.dates import notice_ends_on
from contracts.models import DismissalCase, Resignation
from paperwork.models import Document
from tests.browser.conftest import PHONE
from tests.browser.pages import chinese_date
from tests.browser.world import seated
from tests.endings_support import seed_grounds

pytestmark = pytest.mark.browser

CLOSE_LABEL = "不予辞退，结案"


@pytest.fixture
def contract(world):
    # The browser tests flush the database between tests (transactional_db), which takes the
    # nine grounds seeded by the migration with it: seed them again as the migration does.
    seed_grounds()
    return seated(world, "王堃")


def test_a_director_requests_to_resign_on_the_phone_and_the_committee_accepts(
    staff, contract, world
):
    today = datetime.date(2026, 9, 1)
    notice_end = notice_ends_on(today, world.policy.contract_notice_days)

    director = staff("director_wang", viewport=PHONE)
    director.navigate("辞职与辞退")
    director.page.get_by_role("link", name="申请辞职").first.click()
    expect(director.heading()).to_have_text("申请辞职")
    # the notice period is shown before asking, with its rule
    director.see(chinese_date(notice_end), "自提出申请的次日起算")
    director.page.get_by_label("辞职原因").fill("家中老人需要照顾")
    status = director.submit(director.page.get_by_role("button", name="提交辞职申请"))
    assert status == 302
    director.see("辞职申请已登记", chinese_date(notice_end))
    resignation = Resignation.objects.get()
    assert resignation.requested_by == world.users["director_wang"]

    member = staff("guansuo_committee")
    member.navigate("辞职与辞退")
    member.page.get_by_role("link", name="辞职申请").first.click()
    member.row("王堃").get_by_role("link", name="王堃").click()
    expect(member.heading()).to_contain_text("王堃")
    member.see("家中老人需要照顾")
    # an end inside the notice period, without agreement, is refused on the field
    member.page.get_by_label("最后工作日").fill("2026-09-15")
    member.submit(member.page.get_by_role("button", name="同意辞职并出具解除聘用合同证明书"))
    member.see("在提前通知期内")
    resignation.refresh_from_db()
    assert resignation.state == ResignationState.REQUESTED
    member.page.get_by_label("最后工作日").fill(notice_end.isoformat())
    status = member.submit(
        member.page.get_by_role("button", name="同意辞职并出具解除聘用合同证明书")
    )
    assert status == 302
    member.see("已同意辞职", "解除聘用合同证明书")
    resignation.refresh_from_db()
    assert resignation.state == ResignationState.ACCEPTED
    assert resignation.end_date == notice_end
    assert Document.objects.filter(kind="termination_certificate").count() == 1
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE  # until the last day, by the sweep

    # the director reads the answer on the phone
    director.page.reload()
    director.see("已接受", chinese_date(notice_end))


def test_a_committee_member_opens_a_case_records_the_statement_and_decides(staff, contract):
    member = staff("guansuo_committee")
    member.navigate("辞职与辞退")
    member.page.get_by_role("link", name="在岗人口主任").first.click()
    member.row("王堃").get_by_role("link", name="辞退立案").click()
    expect(member.heading()).to_contain_text("王堃")
    # without a ground the case is refused
    member.page.get_by_label("事实：", exact=True).fill("2026年8月督查发现本村计划生育台帐缺失。")
    member.submit(member.page.get_by_role("button", name="立案"))
    member.see("请至少选择一项辞退情形")
    assert not DismissalCase.objects.exists()
    member.page.get_by_label("计划生育台帐管理混乱的").check()
    status = member.submit(member.page.get_by_role("button", name="立案"))
    assert status == 302
    member.see("已立案", "计划生育台帐管理混乱的", "本人可在")
    case = DismissalCase.objects.get()
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE

    member.page.get_by_label("本人书面陈述申辩").fill("台帐已于8月底补齐，请领导小组考虑。")
    member.submit(member.page.get_by_role("button", name="记录陈述申辩"))
    member.see("陈述申辩已记录", "台帐已于8月底补齐")
    member.page.get_by_label(CLOSE_LABEL).check()
    member.page.get_by_label("理由").fill("已整改到位，不予辞退。")
    member.submit(member.page.get_by_role("button", name="登记处理决定"))
    member.see("决定已记录", "已整改到位，不予辞退。")
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.state == CaseState.DECIDED
    assert contract.state == ContractState.ACTIVE
