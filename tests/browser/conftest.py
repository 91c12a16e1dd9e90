"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live
server, at desk width and at phone width.

- The browser is ``/usr/bin/chromium`` from the Debian package (``make test`` installs it);
  Playwright never downloads one. Without it the tests are skipped with a note at the end of
  the run, unless ``CUNPIN_REQUIRE_BROWSER=1`` (``.ci/run``), which makes them fail.
- The live server runs in a thread of this process, so ``time_machine.travel`` moves its
  clock too. Cookies still expire on the browser's real clock, which is fine: Django sends
  ``Max-Age``, which browsers prefer over ``Expires``.
- Playwright's sync API keeps an event loop running in the test thread, where Django refuses
  ORM calls unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set: it is set while the browser runs
  (this package's tests) and restored afterwards.
- Every step is photographed (``tests.browser.steps``); when a test fails, the photographs
  go to ``var/browser-failures/<test name>/`` and the pages' text into the report.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.pages import StaffPages
from tests.browser.steps import Steps, slug
from tests.browser.world import OPENED_ON, PASSWORD, World, at, make_world

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = "CUNPIN_REQUIRE_BROWSER"
# Headless, and quiet: without the background-networking flags Chromium reaches for Google's
# services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Actions and expectations wait this long: a page (or the PDFs a step issues) that takes
# longer is a failure.
TIMEOUT_MS = 15_000

_skipped: list[str] = []


def failures_folder() -> Path:
    return Path(settings.BASE_DIR) / "var" / "browser-failures"


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, once for the package."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is not installed: the browser tests (tests/browser) were skipped. "
            "Install Debian's chromium package (make test does) to run them."
        )
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{reason} {REQUIRE_BROWSER}=1 requires them.", pytrace=False)
        if not _skipped:
            _skipped.append(reason)
        pytest.skip(reason)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public pages' rate limits count in the cache, per client address: every browser
    request comes from 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def steps() -> Steps:
    return Steps()


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(chromium: Browser, live_server, steps: Steps) -> Iterator[NewPage]:
    """``new_page(who, viewport=DESK)``: a page in a browser of its own (own cookies), on
    the live server, in Chinese and in Guanling's time zone. ``who`` names it in reports."""
    contexts: list[BrowserContext] = []

    def make(who: str, *, viewport: dict = DESK) -> Page:
        phone = viewport["width"] < 600
        context = chromium.new_context(
            base_url=live_server.url,
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: steps.errors.append(f"{who}: {error}"))
        steps.watch(page, who)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call" and report.failed:
        recorded = getattr(item, "funcargs", {}).get("steps")
        if isinstance(recorded, Steps):
            folder = failures_folder() / slug(item.name, limit=200)
            recorded.photograph_pages("failure")
            written = recorded.write(folder)
            report.sections.append(
                (
                    "browser steps",
                    f"{len(written)} screenshots in {folder}\n{recorded.summary()}",
                )
            )
            if recorded.errors:
                report.sections.append(("browser script errors", "\n".join(recorded.errors)))
            report.sections.append(("browser pages", recorded.page_texts()))
    return report


def pytest_terminal_summary(terminalreporter) -> None:
    for reason in _skipped:
        terminalreporter.write_line(f"NOTE: {reason}", yellow=True, bold=True)


# The county of tests.browser.world, its clock and its staff -----------------------------------


@pytest.fixture
def clock():
    """The clock at 09:00 on the day the campaigns open; tests move it on (the live server's
    thread follows)."""
    with time_machine.travel(at(OPENED_ON), tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, transactional_db) -> World:
    return make_world()


@pytest.fixture
def staff(new_page, steps, world) -> Callable[..., StaffPages]:
    """``staff(username, viewport=DESK)``: that user's browser, signed in."""

    def sign_in(username: str, **viewport) -> StaffPages:
        pages = StaffPages(new_page(username, **viewport), steps, username)
        pages.sign_in(PASSWORD)
        return pages

    return sign_in
