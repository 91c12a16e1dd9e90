"""The director's portal in Chromium, on a 390 px phone and at a 1280 px desk: 王堃 (城内村,
关索街道) signs in and reads, on his "/", his contract and the days left, October's score, his
ranks in the township and the county, pay and deduction, the charts of the last 24 months
(drawn) with their table, the township's ranking (names, villages and scores only), the
agreement waiting for his signature, his training done and due, his warning, his documents
(one opens in the browser, one downloads) and the way to ask to resign. Nothing is wider than
the screen.

The data: 王堃 and thirteen colleagues of 关索街道 in post since 2025-01-01; 23 months from
November 2024 to September 2026 published straight into the tables (王堃 last, 14th of 14
each month with 80.00 points; the pay worked out by ``assessment.pay``); October 2026 scored
and published through the services (王堃 85.50, 14th; 5% deducted: 85.00 of 1,700.00), with
the bulletin and the slips (printed on blank pages); 花江镇's October published with 韦春燕 at
99.00, so 王堃 is 15th of 15 in the county; publishing October opened a warning (at the
bottom of the township for months running). The 2026 agreements are drafted and not signed
(overdue since 31 March). Today is 20 November 2026.
"""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

import pytest
from playwright.sync_api import expect

from agreements.services import Line, agreements_draft_for_township, template_create
from assessment.models import MonthlyScore
from assessment.pay import pay_after_deduction
from assessment.services import month_finish_scoring, month_open, month_publish, score_record
from tests.assessment_support import make_scheme, seat_directors, split_points
from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import StaffPages
from tests.browser.test_layout import MEASURE
from tests.browser.world import at, seated
from tests.warnings_support import published_month
from tests.workflow_support import quick_pdf
from training.constants import CourseKind
from training.models import Attendance, Course

pytestmark = pytest.mark.browser

TODAY = datetime.date(2026, 11, 20)
WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESK, id="desk")]


def history(world, contracts) -> None:
    """November 2024 to September 2026, published: 王堃 last with 80.00 each month, the
    colleagues above him; pay and deduction as the assessment works them out."""
    policy = world.policy
    totals = {c: str(95 - index) for index, c in enumerate(contracts[1:])}
    totals[contracts[0]] = "80"
    month = datetime.date(2024, 11, 1)
    while month < datetime.date(2026, 10, 1):
        row = published_month(world.own, month.year, month.month, totals)
        for score in MonthlyScore.objects.filter(month=row):
            assert score.total is not None
            percent, deduction, pay = pay_after_deduction(
                score.total, base=score.base_pay, bands=policy.pay_deduction_bands
            )
            MonthlyScore.objects.filter(pk=score.pk).update(
                deduction_percent=percent, deduction=deduction, pay=pay
            )
        month = (month + datetime.timedelta(days=32)).replace(day=1)


@pytest.fixture
def term(world, clock, monkeypatch):
    quick_pdf(monkeypatch)
    clock.move_to(at(TODAY, 9))
    hr, office = world.users["county_hr"], world.users["guansuo_office"]
    own = seated(world, "王堃")
    colleagues = seat_directors(world.own, 13, start=datetime.date(2025, 1, 1))
    foreign = seated(world, "韦春燕")
    make_scheme(world.county, 2026, by=hr)
    history(world, [own, *colleagues])
    published_month(world.foreign, 2026, 10, {foreign: "99"})
    # October through the services: 王堃 85.50, the colleagues 98.00 down to 92.00.
    month = month_open(township=world.own, year=2026, month=10, by=office)
    others = iter(Decimal("98") - Decimal("0.5") * n for n in range(13))
    for score in month.scores.order_by("pk"):
        total = "85.5" if score.person_id == own.person_id else str(next(others))
        score_record(score=score, points=split_points(month.scheme, total), by=office)
    month_finish_scoring(month=month, by=office)
    month_publish(month=month, by=world.users["guansuo_committee"])
    # The 2026 agreement, drafted and waiting for the signatures (overdue since 31 March).
    template_create(
        county=world.county,
        year=2026,
        title="2026年度村级人口主任计划生育工作目标管理责任书",
        lines=[Line("出生政策符合率", "%", "95", "每低1个百分点扣2分")],
        by=hr,
    )
    agreements_draft_for_township(township=world.own, year=2026, by=office)
    attended = Course.objects.create(
        county=world.county,
        kind=CourseKind.REFRESHER,
        year=2026,
        title="2026年村级人口主任知识更新培训",
        starts_on=datetime.date(2026, 6, 2),
        ends_on=datetime.date(2026, 6, 4),
        days=Decimal("3"),
        hours=Decimal("18"),
        created_by=hr,
    )
    Attendance.objects.create(
        course=attended, person=own.person, days=Decimal("3"), hours=Decimal("18"), recorded_by=hr
    )
    Course.objects.create(
        county=world.county,
        township=world.own,
        kind=CourseKind.TOWNSHIP_SESSION,
        year=2026,
        title="关索街道2026年第4期业务培训",
        starts_on=datetime.date(2026, 12, 10),
        ends_on=datetime.date(2026, 12, 10),
        days=Decimal("1"),
        hours=Decimal("6"),
        created_by=hr,
    )
    return SimpleNamespace(own=own, colleagues=colleagues)


def figure(pages: StaffPages, name: str):
    return pages.main().locator(f'[data-figure="{name}"]')


def section(pages: StaffPages, heading: str):
    return (
        pages.main()
        .locator("section")
        .filter(has=pages.page.get_by_role("heading", name=heading, exact=True))
    )


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_director_reads_their_whole_term_on_their_dashboard(staff, world, term, viewport):
    director = staff("director_wang", viewport=viewport)  # signed in: "/" is the portal
    expect(director.heading()).to_have_text("王堃")
    # The summary: the contract, the days left, October's figures.
    director.see("城内村", "2025年1月1日 – 2027年12月31日")
    expect(figure(director, "days-left").locator("strong")).to_have_text("407")
    expect(figure(director, "score")).to_contain_text("2026年10月得分")
    expect(figure(director, "score").locator("strong")).to_have_text("85.50")
    expect(figure(director, "township-rank").locator("strong")).to_have_text("14")
    expect(figure(director, "township-rank")).to_contain_text("共14人")
    expect(figure(director, "county-rank").locator("strong")).to_have_text("15")
    expect(figure(director, "county-rank")).to_contain_text("共15人")
    expect(figure(director, "pay").locator("strong")).to_have_text("1615.00")
    expect(figure(director, "deduction").locator("strong")).to_have_text("85.00")
    expect(figure(director, "deduction")).to_contain_text("5%")
    attention = director.main().locator(".cunpin-alerts")
    expect(attention).to_contain_text("您的2026年度目标管理责任书等待签订")
    expect(attention).to_contain_text("1条预警待处理")

    # The charts of the last 24 months are drawn, and the table lists the same months.
    scores = section(director, "我的月度考核和报酬")
    for chart in ("portal-score-chart", "portal-rank-chart"):
        expect(scores.locator(f'canvas[data-chart="{chart}"]')).to_have_attribute("data-drawn", "1")
    rows = scores.locator("table tbody tr")
    expect(rows).to_have_count(24)
    expect(rows.first).to_contain_text("2026年10月")
    expect(rows.first).to_contain_text("85.50")
    expect(rows.last).to_contain_text("2024年11月")
    expect(rows.last).to_contain_text("80.00")

    # The township's ranking: the top ten, a gap, and the ranks around his; names, villages
    # and scores only.
    ranking = section(director, "关索街道2026年10月考核排名")
    lines = ranking.locator("tbody tr")
    expect(lines).to_have_count(14)  # 1–10, the gap, 12, 13 and 14
    expect(ranking.locator("tr.cunpin-own")).to_contain_text("王堃")
    expect(ranking.locator("tr.cunpin-own")).to_contain_text("85.50")
    expect(ranking.locator("tr.cunpin-gap")).to_have_count(1)
    expect(ranking.locator("thead th")).to_have_text(["排名", "姓名", "村（居、社区）", "得分"])
    expect(ranking.locator("tbody tr").first).to_contain_text("98.00")
    assert "****" not in ranking.inner_text()  # no ID number or phone, even masked
    page = director.main().inner_text()
    for colleague in term.colleagues:
        assert colleague.person.masked_phone not in page
        assert colleague.person.masked_id_number not in page

    # The contract, its renewal, the agreement to sign, training done and due, the warning.
    director.see("乡镇将于2027年10月2日启动续聘审核（聘期届满前）。")
    expect(section(director, "我的目标管理责任书")).to_contain_text("逾期")
    training = section(director, "培训")
    expect(training).to_contain_text("今年还需完成的培训")
    expect(training).to_contain_text("已参加0次（至少4次）")
    expect(training).to_contain_text("关索街道2026年第4期业务培训")
    expect(training).to_contain_text("2026年村级人口主任知识更新培训")
    expect(section(director, "我的预警")).to_contain_text("连续数月排名乡镇末位")

    # Nothing is wider than the screen; a table wider than its place scrolls in its own box.
    problems = cast(list[str], director.page.evaluate(MEASURE, viewport["width"]))
    assert problems == [], problems


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_director_opens_and_downloads_their_documents(staff, world, term, viewport):
    director = staff("director_wang", viewport=viewport)
    documents = section(director, "我的文书")
    slips = documents.locator('details[data-kind="monthly_pay_slip"]')
    expect(slips).to_have_attribute("open", "")  # one slip: shown open
    opening = slips.get_by_role("link", name="村级人口主任月度考核得分及报酬通知单", exact=True)
    with director.page.expect_response(re.compile(r"/download/\?open=1$")) as answer:
        opening.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    # Chromium shows it in its PDF viewer; the bytes it was sent are the document's.
    expect(director.page).to_have_url(re.compile(r"/download/\?open=1$"))
    fetched = director.page.request.get(response.url)
    assert fetched.ok and fetched.body().startswith(b"%PDF")
    director.page.go_back()
    expect(director.heading()).to_have_text("王堃")
    agreements = section(director, "我的文书").locator('details[data-kind="target_agreement"]')
    saved = director.download(agreements.get_by_role("link", name=re.compile("^下载")).first)
    assert saved.content.startswith(b"%PDF")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_resignation_request_is_one_tap_away(staff, world, term, viewport):
    director = staff("director_wang", viewport=viewport)
    director.main().get_by_role("link", name="辞职", exact=True).click()  # the section link
    resignation = section(director, "辞职")
    resignation.get_by_role("link", name="申请辞职").click()
    expect(director.heading()).to_have_text("申请辞职")
