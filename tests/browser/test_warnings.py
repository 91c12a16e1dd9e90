"""Early warnings and yellow cards in Chromium: county HR gives a township a yellow card at the
desk; a director reads and acknowledges their warning on the phone (390 px).

王堃 of the browser world holds the post of 城内村 (关索街道); a contract in force is made for
him here, as the signing and filing steps would leave it, and a published month with a score
below the pass line opens his warning through the rules."""

import pytest
from playwright.sync_api import expect

from earlywarnings.constants import WarningState
from earlywarnings.models import Warning, YellowCard
from earlywarnings.rules import warnings_for_month
from tests.browser.conftest import PHONE
from tests.browser.world import seated
from tests.warnings_support import published_month

pytestmark = pytest.mark.browser


@pytest.fixture
def contract(world):
    return seated(world, "王堃")


def test_county_hr_gives_a_township_a_yellow_card(staff, world):
    hr = staff("county_hr")
    hr.open_menu("预警")
    expect(hr.heading()).to_have_text("预警")
    hr.main().get_by_role("link", name="给予黄牌警告").click()
    expect(hr.heading()).to_have_text("给予黄牌警告")
    form = hr.main().locator("form")
    form.get_by_role("radio", name="乡镇", exact=True).check()
    form.get_by_role("combobox", name="乡镇（街道）").select_option(label="关索街道")
    form.get_by_label("原因").fill("全年月度考核有三名村级人口主任低于预警线，督促整改不力。")
    status = hr.submit(form.get_by_role("button", name="作出决定并印发"))
    assert status == 302
    hr.see("对关索街道的黄牌警告已记录", "关于给予黄牌警告的决定", "督促整改不力")
    card = YellowCard.objects.get()
    assert card.township == world.own and card.person is None
    assert card.decided_by == world.users["county_hr"]


def test_a_director_reads_and_acknowledges_a_warning_on_the_phone(staff, world, contract):
    month = published_month(world.own, 2026, 8, {contract: "55.50"})
    (warning,) = warnings_for_month(month=month)

    director = staff("director_wang", viewport=PHONE)
    director.navigate("我的聘期")
    section = (
        director.main()
        .locator("section")
        .filter(has=director.page.get_by_role("heading", name="我的预警"))
    )
    section.get_by_role("link", name="月度考核得分低于预警线").click()
    expect(director.heading()).to_contain_text("王堃")
    director.see("55.50", "预警通知书")
    fits = director.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert fits, "the warning page is wider than the phone"
    director.page.get_by_label("本人说明").fill("下月加强入户随访，按时上报数据。")
    status = director.submit(director.page.get_by_role("button", name="签收"))
    assert status == 302
    director.see("签收已记录", "下月加强入户随访")
    warning.refresh_from_db()
    assert warning.state == WarningState.ACKNOWLEDGED
    assert warning.acknowledged_by == world.users["director_wang"]
    assert Warning.objects.count() == 1
