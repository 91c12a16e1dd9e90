"""The personnel archive in Chromium: county HR opens a director's archive from the person's
page at the desk, issues the archive extract and opens the PDF; the director reads their own
archive on the phone (390 px) and opens the same extract.

王堃 of the browser world holds the post of 城内村 (关索街道): his contract is in force since
2025 as an imported director's (``tests.browser.world.seated``), and county HR gave him a
yellow card through the service on the day the world's clock stands at."""

import datetime

import pytest
from playwright.sync_api import expect

from archive.kinds import ARCHIVE_EXTRACT
from contracts.constants import ContractOrigin
from contracts.models import Contract
from earlywarnings.services import yellowcard_decide
from paperwork.models import Document
from tests.browser.conftest import PHONE
from tests.browser.world import OPENED_ON, seated

pytestmark = pytest.mark.browser

IMPORTED = (
    "聘用合同生效：城内村 1 号岗位，聘期2025年1月1日至2027年12月31日"
    "（系统启用前已在岗，由县级导入）"
)
CARD = "黄牌警告：8月月度考核低于预警线，整改不到位"


@pytest.fixture
def director(world):
    contract = seated(world, "王堃", start=datetime.date(2025, 1, 1))
    Contract.objects.filter(pk=contract.pk).update(
        origin=ContractOrigin.IMPORT, created_by=world.users["county_hr"]
    )
    yellowcard_decide(
        county=world.county,
        person=world.people["王堃"],
        reason="8月月度考核低于预警线，整改不到位",
        by=world.users["county_hr"],
        on=OPENED_ON,
    )
    return world.people["王堃"]


def test_county_hr_issues_the_archive_extract_from_the_person_page(staff, world, director):
    hr = staff("county_hr")
    hr.navigate("人员")
    hr.main().get_by_role("link", name="王堃", exact=True).click()
    expect(hr.heading()).to_have_text("王堃")
    hr.main().get_by_role("link", name="人事信息档案").click()
    expect(hr.heading()).to_have_text("王堃的人事信息档案")
    events = hr.section("履历事项")
    expect(events.locator("tbody tr")).to_have_count(2)
    expect(events.locator("tbody tr").nth(0)).to_contain_text(IMPORTED)
    expect(events.locator("tbody tr").nth(0)).to_contain_text("罗敏")
    expect(events.locator("tbody tr").nth(1)).to_contain_text(CARD)
    hr.see(director.masked_id_number, "关于给予黄牌警告的决定", "尚未出具档案摘录")

    status = hr.submit(hr.main().get_by_role("button", name="出具档案摘录"))
    assert status == 302
    document = Document.objects.get(kind=ARCHIVE_EXTRACT)
    hr.see(f"已出具王堃的档案摘录（核验码{document.verification_code}）", "第1版")
    pdf = hr.download(hr.main().get_by_role("link", name="打开档案摘录（PDF）"))
    text = pdf.pdf_text()
    for piece in ("村级人口主任人事信息档案摘录", "王堃", director.masked_id_number, "黄牌警告"):
        assert piece in text, piece
    assert director.id_number not in text
    assert document.verification_code in text

    # The contract's page leads to the same archive.
    hr.navigate("聘用合同")
    hr.main().get_by_role("link", name="王堃").first.click()
    hr.main().get_by_role("link", name="王堃的人事信息档案").click()
    expect(hr.heading()).to_have_text("王堃的人事信息档案")
    hr.see(document.verification_code)


def test_the_director_reads_their_archive_on_the_phone(staff, world, director):
    hr = staff("county_hr")
    status = hr.open_address(f"/people/{director.pk}/archive/")
    assert status == 200
    hr.submit(hr.main().get_by_role("button", name="出具档案摘录"))
    document = Document.objects.get(kind=ARCHIVE_EXTRACT)

    own = staff("director_wang", viewport=PHONE)
    assert own.open_address(f"/people/{director.pk}/archive/") == 200
    expect(own.heading()).to_have_text("王堃的人事信息档案")
    own.see(IMPORTED, CARD, document.verification_code)
    # Reading, not issuing: the extract is county HR's.
    expect(own.main().get_by_role("button", name="出具档案摘录")).to_have_count(0)
    pdf = own.download(own.main().get_by_role("link", name="打开档案摘录（PDF）"))
    assert "村级人口主任人事信息档案摘录" in pdf.pdf_text()
    # Nobody else's archive.
    other = world.people["韦春燕"]
    assert own.open_address(f"/people/{other.pk}/archive/") == 404
