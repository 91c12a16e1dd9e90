"""An unannounced inspection day in Chromium at phone width (390 px), as the inspectors live
it in the villages: the township office's officer plans the day, starts it and sees the
villages drawn by lot, records and signs the findings of one village; another officer of the
same office opens the day and sees that the draw was made, but not where the team went."""

import re

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from inspections.models import InspectionDay, InspectionRecord
from organisation.models import Village
from tests.browser.conftest import PHONE
from tests.browser.pages import choose
from tests.factories import UserFactory, make_village

pytestmark = pytest.mark.browser

MORE_VILLAGES = ("坝上村", "岩脚村", "木城村", "双龙村")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_leader_draws_and_signs_while_another_officer_sees_no_villages(staff, world):
    for name in MORE_VILLAGES:
        make_village(world.own, 1500, name=name)
    UserFactory(
        username="guansuo_office2",
        role=Role.TOWNSHIP_OFFICE,
        county=world.county,
        township=world.own,
        last_name="陆",
        first_name="春梅",
    )

    leader = staff("guansuo_office", viewport=PHONE)
    page = leader.page
    page.goto("/inspections/new/")
    expect(leader.heading()).to_have_text("安排督查日")
    choose(page.get_by_label("检查组长"), "岑丽")
    page.get_by_label("检查组成员").fill("岑丽、伍志强")
    assert leader.submit(page.get_by_role("button", name="安排督查日")) == 302
    expect(leader.heading()).to_have_text("关索街道2026年9月1日督查")
    leader.see("尚未抽签")

    assert leader.submit(page.get_by_role("button", name="开始检查并抽签确定检查村")) == 302
    drawn = page.locator("#drawn-villages li")
    expect(drawn).to_have_count(3)
    leader.see("按抽签记录复现：结果一致。", "结束检查前只有您能看到这些村")
    names = drawn.all_inner_texts()
    assert no_sideways_scroll(page)

    first = Village.objects.get(township=world.own, name=names[0])
    box = page.locator(f"#village-{first.pk}")
    box.get_by_label("检查结果").fill("入户抽查10户，人口信息与台账一致。")
    assert leader.submit(box.get_by_role("button", name="签字确认记录")) == 302
    leader.see(f"{first.name}的检查记录已签字，不得再更改。")
    box = page.locator(f"#village-{first.pk}")
    expect(box).to_contain_text("入户抽查10户，人口信息与台账一致。")
    expect(box).to_contain_text("岑丽、伍志强")
    expect(box.get_by_role("button", name="签字确认记录")).to_have_count(0)
    assert no_sideways_scroll(page)
    day = InspectionDay.objects.get()
    assert InspectionRecord.objects.filter(day=day, village=first).count() == 1

    other = staff("guansuo_office2", viewport=PHONE)
    other.page.goto(f"/inspections/{day.pk}/")
    expect(other.heading()).to_have_text("关索街道2026年9月1日督查")
    expect(other.page.locator("#secret-note")).to_be_visible()
    other.see("岑丽于", "从6个村中抽取3个", "已签署1份检查记录")
    text = other.main().inner_text()
    assert not any(name in text for name in names), text
    assert "入户抽查10户" not in text
    expect(other.page.get_by_role("button", name=re.compile("开始检查|结束检查"))).to_have_count(0)
    assert no_sideways_scroll(other.page)
