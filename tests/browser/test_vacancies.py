"""Vacancies in Chromium: a township committee member designates who acts for a vacant post
and calls the reserve list; the county HR officer sees the vacancy overdue and escalated.
Asserted in the Chinese a person reads.

The post of 新寨村 falls vacant after the campaign that filled it (``tests.vacancy_support``):
its reserve list holds 王芳, 张伟 and 黄丽 in rank order.
"""

import datetime

import pytest
from playwright.sync_api import expect

from contracts.constants import VacancyState
from contracts.models import Contract
from contracts.sweep import sweep
from tests.browser.pages import StaffPages, chinese_date, choose, labelled
from tests.browser.world import PASSWORD, at
from tests.factories import PersonFactory
from tests.vacancy_support import reserve_world

pytestmark = pytest.mark.browser


@pytest.fixture
def vacant(world, clock):
    rw = reserve_world(world.own, world.users["guansuo_committee"], world.users["guansuo_head"])
    PersonFactory(name="李春梅", township=world.own)
    clock.move_to(at(rw.vacancy.opened_on + datetime.timedelta(days=1)))
    return rw


def test_committee_designates_and_calls_the_reserve_then_county_sees_it_overdue(
    vacant, world, clock, new_page, steps
):
    vacancy = vacant.vacancy
    member = StaffPages(new_page("guansuo_committee"), steps, "guansuo_committee")
    member.sign_in(PASSWORD)
    member.open_menu("空岗")
    expect(member.heading()).to_have_text("空岗")
    row = member.main().locator("tr", has_text="新寨村")
    expect(row).to_contain_text("未指定")
    expect(row).to_contain_text(chinese_date(vacancy.refill_due))
    row.get_by_role("link").click()
    expect(member.heading()).to_contain_text("新寨村")

    # The acting person, from the township's people.
    acting = member.main().locator("#acting")
    choose(acting.get_by_label(labelled("代行职责人员")), "李春梅")
    assert member.submit(acting.get_by_role("button", name="指定并签发通知")) == 302
    member.see("已指定李春梅代行职责，代行职责通知已签发。")
    expect(member.main().locator("#documents")).to_contain_text(
        "关于指定村级人口主任代行职责人员的通知"
    )

    # The reserve list, in rank order: 王芳 declines, 张伟 accepts.
    reserve = member.main().locator("#reserve")
    assert member.submit(reserve.get_by_role("button", name="通知王芳递补")) == 302
    member.see("已通知王芳递补该岗位，收到答复后请登记。")
    reserve.get_by_label("不接受递补").check()
    reserve.get_by_label(labelled("说明")).fill("已在外地工作")
    assert member.submit(reserve.get_by_role("button", name="登记答复")) == 302
    member.see("王芳不接受递补，可通知下一名备选人员。")
    assert member.submit(reserve.get_by_role("button", name="通知张伟递补")) == 302
    reserve.get_by_label("接受：予以聘用并起草聘用合同").check()
    assert member.submit(reserve.get_by_role("button", name="登记答复")) == 302
    member.see("张伟接受递补：已予聘用，聘用通知书已签发，聘用合同已起草待签订。")
    expect(reserve).to_contain_text("已在外地工作")
    assert Contract.objects.filter(application__name="张伟", post=vacancy.post).exists()
    vacancy.refresh_from_db()
    assert vacancy.state == VacancyState.REFILLING

    # The contract is not signed in time: the day after the deadline the sweep escalates.
    late = vacancy.refill_due + datetime.timedelta(days=1)
    clock.move_to(at(late, 1))
    sweep(today=late)
    clock.move_to(at(late, 9))
    officer = StaffPages(new_page("county_hr"), steps, "county_hr")
    officer.sign_in(PASSWORD)
    officer.see("1 个空岗未按期补聘")
    officer.open_menu("空岗")
    row = officer.main().locator("tr", has_text="新寨村")
    expect(row).to_contain_text("已逾期 1 天")
    expect(row).to_contain_text(f"{chinese_date(late)} 已移交县级")
    expect(row).to_contain_text("李春梅")
