"""Renewal in Chromium: the daily sweep opens 王堃's renewal review and reminds everyone
concerned; a committee member follows the reminder from the top bar to the review, reads the
facts and renews; the director reads the notifications and marks them read."""

import datetime

import pytest
from playwright.sync_api import expect

from contracts.constants import ContractOrigin, ContractState, RenewalState
from contracts.models import Contract, RenewalReview
from contracts.services.drafting import contract_end_date
from contracts.sweep import sweep
from organisation.models import Post
from tests.browser.world import OPENED_ON, World
from workdays.calendar import add_years

pytestmark = pytest.mark.browser

# 王堃's term ends 59 days after the day the clock starts (2026-09-01): 2026-10-30.
START = add_years(OPENED_ON, -3) + datetime.timedelta(days=60)


def in_post(world: World) -> Contract:
    person = world.people["王堃"]
    post = Post.objects.get(holder=person)
    contract = Contract(
        person=person,
        post=post,
        township=world.own,
        policy=world.policy,
        term_years=3,
        start_date=START,
        end_date=contract_end_date(START, 3),
        monthly_pay=world.policy.monthly_pay,
        state=ContractState.ACTIVE,
        activated_on=START,
    )
    contract.save()
    return contract


def unread(username: str) -> int:
    from notifications.models import Notification

    return Notification.objects.filter(user__username=username, read_at__isnull=True).count()


def test_a_committee_member_renews_and_the_director_reads_the_notifications(staff, world):
    contract = in_post(world)
    assert contract.end_date == datetime.date(2026, 10, 30)
    sweep(today=OPENED_ON)

    member = staff("guansuo_committee")
    bell = member.page.locator("a.cunpin-notifications")
    # The sweep also tells of other work (this year's agreement not signed, its warning).
    expect(bell.locator("[data-unread]")).to_have_text(str(unread(member.username)))
    bell.click()
    reminder = "城内村人口主任王堃的聘用合同将于2026年10月30日届满，距今还有59天。"
    member.see(reminder)
    member.main().locator("li", has_text=reminder).get_by_role("button", name="查看").click()

    # The review: the facts as they stand, no made-up records, seed 001's rule.
    expect(member.heading()).to_have_text("王堃的续聘审核")
    member.see("2026年10月30日年满38周岁", "续聘年龄上限60周岁", "按选聘条件和选聘程序重新聘用")
    expect(member.main().get_by_text("暂无记录")).to_have_count(2)

    form = member.main().locator("form.cunpin-form")
    form.get_by_label("续聘一个新聘期").check()
    # Renewing without recording the re-selection is refused with a message.
    form.get_by_label("理由").fill("聘期内工作认真负责，经重新选聘，继续聘用。")
    assert member.submit(form.get_by_role("button", name="登记续聘决定")) == 400
    member.see("请确认该人口主任已经重新选聘")
    form = member.main().locator("form.cunpin-form")
    form.get_by_label("该人口主任已按同样的选聘条件和程序重新选聘").check()
    assert member.submit(form.get_by_role("button", name="登记续聘决定")) == 302
    member.see("已决定续聘：续聘通知书已出具，新合同已拟好待签订。")
    member.see("2026年10月31日", "2029年10月30日", "村级人口主任续聘通知书")

    review = RenewalReview.objects.get(contract=contract)
    assert review.state == RenewalState.RENEW
    assert Contract.objects.get(origin=ContractOrigin.RENEWAL).renews == contract

    # The director reads the reminder and the decision, and marks them read.
    director = staff("director_wang")
    bell = director.page.locator("a.cunpin-notifications")
    expect(bell.locator("[data-unread]")).to_have_text(str(unread(director.username)))
    bell.click()
    director.see(
        "城内村人口主任王堃的聘用合同将于2026年10月30日届满，距今还有59天。",
        "王堃续聘，新聘期自2026年10月31日起至2029年10月30日止。",
    )
    director.main().get_by_role("button", name="全部标为已读").click()
    director.see("0条未读")
    expect(director.main().get_by_role("button", name="标为已读")).to_have_count(0)
    expect(director.page.locator("a.cunpin-notifications [data-unread]")).to_have_count(0)
