"""On a phone-width screen the change log of a person's page stays readable: no column is
squeezed to a character a line (Debian's Chromium through Playwright)."""

import shutil

import pytest

from accounts.constants import Role
from people.services import person_update
from tests.matrix_support import PASSWORD, make_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(monkeypatch):
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; the live server's ORM calls need this, and
    # only for this test (a later ``check --deploy`` in a subprocess would refuse it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        yield context.new_page()
        browser.close()


def test_the_change_log_reads_on_a_phone(live_server, page):
    world = make_world()
    officer = world.users[Role.COUNTY_HR]
    person_update(
        person=world.own.person,
        by=officer,
        household_registration="贵州省安顺市关岭布依族苗族自治县关索街道城内村一组",
        reason="本人申请更正户籍所在地",
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/people/{world.own.person.pk}/")
    cells = page.locator("table.cunpin-audit td")
    assert cells.count() >= 5
    widths = [box["width"] for box in (cells.nth(i).bounding_box() for i in range(cells.count()))]
    # Each cell takes the width of the card, far more than a character or two (16 px each).
    assert min(widths) > 200, widths
    text = page.locator("table.cunpin-audit").inner_text()
    assert "户籍所在地" in text and "本人申请更正户籍所在地" in text
