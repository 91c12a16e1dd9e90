"""The annual appraisal in Chromium: a committee member of 关索街道 opens 2025 and rates 王堃;
a county HR officer confirms the appraisal, proposes the rewards and settles them; 王堃 reads
the appraisal and the commendation on their phone."""

import datetime

import pytest

from appraisal.models import AnnualAppraisal
from contracts.constants import ContractState
from contracts.models import Contract
from organisation.models import Post
from tests.appraisal_support import scheme, scores
from tests.browser.conftest import PHONE
from tests.browser.world import World

pytestmark = pytest.mark.browser
START = datetime.date(2024, 11, 15)


def in_post_since_november_2024(world: World) -> Contract:
    person = world.people["王堃"]
    contract = Contract.objects.create(
        person=person,
        post=Post.objects.get(holder=person),
        township=world.own,
        policy=world.policy,
        term_years=3,
        start_date=START,
        end_date=datetime.date(2027, 11, 14),
        monthly_pay=world.policy.monthly_pay,
        state=ContractState.ACTIVE,
        activated_on=START,
    )
    scores(contract, 2024, ["90", "92"], first_month=11)
    scores(contract, 2025, ["93"] * 12)
    scheme(world.county, 2025)
    return contract


def test_rating_confirming_settling_and_reading(staff, world):
    in_post_since_november_2024(world)

    member = staff("guansuo_committee")
    member.page.goto("/appraisal/")
    form = member.main().locator("form", has=member.page.locator('input[name="year"]')).first
    form.locator('input[name="year"]').fill("2025")
    assert member.submit(form.get_by_role("button", name="开启年度考核")) == 302
    member.see("已开启1名村级人口主任的2025年度考核", "王堃")
    appraisal = AnnualAppraisal.objects.get(year=2025)
    for key in ("ethics", "ability", "diligence", "performance", "integrity", "satisfaction"):
        member.page.locator(f'input[name="a{appraisal.pk}-{key}"]').fill("95")
    assert member.submit(member.main().get_by_role("button", name="保存评议得分")) == 302
    # 30% × 93 + 70% × 95 = 94.40: 优秀.
    member.see("王堃：94.40分，优秀。", "已评议，待县级确认")

    officer = staff("county_hr")
    officer.page.goto(f"/appraisal/{world.own.pk}/2025/")
    assert officer.submit(officer.main().get_by_role("button", name="确认王堃的年度考核")) == 302
    officer.see("王堃的年度考核已确认。", "县级已确认", "年度考核登记表")
    assert officer.submit(officer.main().get_by_role("button", name="拟定奖励兑现清单")) == 302
    officer.see("表彰", "2026年2月28日")
    officer.main().locator('input[name="settled_on"]').fill("2026-02-20")
    assert officer.submit(officer.main().get_by_role("button", name="兑现奖励")) == 302
    officer.see("奖励已兑现，相关文书已出具。", "2026年2月20日")

    director = staff("director_wang", viewport=PHONE)
    director.page.goto("/my-term/")
    director.see("我的年度考核", "94.40", "优秀", "我的奖励", "表彰")
    width = director.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
