"""The term's work on the dashboards, in Chromium: the county's HR officer reads the term at
a glance (contracts ending, vacancies, open cases, resignations waiting) and follows a figure
to its list; the township committee finds each term task with whom it concerns and its last
day, and its link leads to the record's page where the step's form is.

The records are 王堃's contract ending in 40 days, with its renewal review, his resignation
and a dismissal case, and a vacant post of 北口村 (``tests.browser.world.add_term``).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.world import add_term

pytestmark = pytest.mark.browser


def test_the_county_reads_the_term_and_the_committee_finds_its_tasks(staff, world):
    add_term(world)

    hr = staff("county_hr", viewport=PHONE)
    figures = hr.section("聘期概况")
    expect(figures).to_contain_text("1 份在聘合同将在90天内到期")
    expect(figures).to_contain_text("0 份在聘合同将在30天内到期")
    expect(figures).to_contain_text("1 个空岗待补聘")
    expect(figures).to_contain_text("1 件辞退案件尚未办结")
    expect(figures).to_contain_text("1 份辞职申请待答复")
    figures.get_by_role("link", name="1 份在聘合同将在90天内到期").click()
    expect(hr.main().locator("h1")).to_have_text("聘用合同")
    expect(hr.row("王堃")).to_have_count(1)

    committee = staff("guansuo_committee", viewport=PHONE)
    queue = committee.section("可领取的聘期任务")
    for title in ("答复辞职申请", "作出续聘决定", "登记本人陈述"):
        row = committee.row(title, within=queue)
        expect(row).to_contain_text("王堃")
        expect(row).to_contain_text("办理期限至")
    acting = committee.row("指定代行职责人员", within=queue)
    expect(acting).to_contain_text("北口村")
    committee.row("答复辞职申请", within=queue).get_by_role("link").click()
    expect(committee.main().locator("h1")).to_have_text("王堃的辞职申请")
    committee.see("同意辞职")
