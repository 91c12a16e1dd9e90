"""Public disclosure (民主监督) in Chromium: county HR switches 关索街道's public page on from
the township's page; a villager without an account reads it on a phone (390 px) and at a desk
(1280 px): the month's ranking and the year's results, names and scores only, the bulletin's
PDF; 花江镇, switched off, answers "not found"."""

import datetime

import pytest
from playwright.sync_api import expect

from assessment.constants import MonthState
from assessment.kinds import MONTHLY_BULLETIN
from core.identity import mask_id_number, mask_mobile
from organisation.services import township_set_disclosure
from tests.appraisal_support import confirmed, month, score
from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import BasePages
from tests.browser.world import seated
from tests.matrix_support import make_document

pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def published(world):
    """王堃 (关索街道) and 韦春燕 (花江镇) each with August 2026 published (a bulletin for
    关索街道) and 2025 confirmed."""
    wang = seated(world, "王堃", start=datetime.date(2024, 1, 1))
    wei = seated(world, "韦春燕", start=datetime.date(2024, 1, 1))
    score(wang, 2026, 8, "91.50", state=MonthState.PUBLISHED)
    score(wei, 2026, 8, "88.00", state=MonthState.PUBLISHED)
    august = month(world.own, 2026, 8)
    make_document(
        world.people["王堃"],
        kind=MONTHLY_BULLETIN,
        title="村级人口主任月度考核通报",
        subject=august,
    )
    confirmed(wang, 2025, "excellent", "93.25")
    confirmed(wei, 2025, "competent", "82.00")


def test_county_hr_switches_the_public_page_on(staff, world):
    published(world)
    hr = staff("county_hr")
    page = hr.page
    page.goto(f"/organisation/townships/{world.own.pk}/")
    section = page.locator("section.cunpin-disclosure")
    expect(section).to_contain_text("未开启：本乡镇（街道）没有公开页面。")
    assert hr.submit(section.get_by_role("button", name="开启公开公示")) == 302
    hr.see("关索街道已开启公开公示：公开页面对所有人开放。")
    section = page.locator("section.cunpin-disclosure")
    expect(section).to_contain_text("已于")
    expect(section.get_by_role("button", name="关闭公开公示")).to_be_visible()
    section.get_by_role("link", name="打开公开页面").click()
    expect(page.locator("h1")).to_have_text("关索街道村级人口主任工作公开")
    world.own.refresh_from_db()
    assert world.own.discloses_publicly

    committee = staff("guansuo_committee")
    committee.page.goto(f"/organisation/townships/{world.own.pk}/")
    section = committee.page.locator("section.cunpin-disclosure")
    expect(section).to_contain_text("已于")
    expect(section.get_by_role("button")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_a_villager_reads_the_public_page(new_page, steps, world, viewport):
    published(world)
    township_set_disclosure(township=world.own, on=True, by=world.users["county_hr"])
    visitor = BasePages(new_page("villager", viewport=viewport), steps)
    page = visitor.page
    page.goto("/public/")
    expect(page.locator("h1")).to_have_text("各乡镇（街道）公开公示")
    expect(page.locator("main")).not_to_contain_text("花江镇")
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="关索街道").click()
    expect(page.locator("h1")).to_have_text("关索街道村级人口主任工作公开")
    visitor.see("月度考核通报", "年度考核结果", "选聘公告与拟聘用人员公示", "尚无发布公告的选聘。")
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="2026年8月").click()
    expect(page.locator("h1")).to_have_text("关索街道2026年8月村级人口主任月度考核结果")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("王堃")
    expect(row).to_contain_text("城内村")
    expect(row).to_contain_text("91.50")
    expect(page.locator("main")).not_to_contain_text("韦春燕")
    assert no_sideways_scroll(page)
    download = visitor.download(page.get_by_role("link", name="村级人口主任月度考核通报（PDF）"))
    assert download.content.startswith(b"%PDF")

    page.get_by_role("link", name="关索街道").click()  # back to the township's page
    page.get_by_role("link", name="2025年度考核结果").click()
    expect(page.locator("h1")).to_have_text("关索街道2025年度村级人口主任考核结果")
    row = page.locator("tbody tr").first
    for text in ("王堃", "城内村", "93.25", "优秀"):
        expect(row).to_contain_text(text)
    assert no_sideways_scroll(page)

    wang = world.people["王堃"]
    for url in ("/public/", f"/public/{world.own.pk}/", f"/public/{world.own.pk}/months/2026/8/",
                f"/public/{world.own.pk}/results/2025/"):  # fmt: skip
        page.goto(url)
        text = page.locator("body").inner_text()
        for secret in (wang.id_number, mask_id_number(wang.id_number), wang.phone,
                       mask_mobile(wang.phone)):  # fmt: skip
            assert secret not in text, (url, secret)

    # 花江镇 does not disclose: its page is not found, as an unknown one.
    assert visitor.open_address(f"/public/{world.foreign.pk}/") == 404
    expect(page.locator("body")).not_to_contain_text("韦春燕")
