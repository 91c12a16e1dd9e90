"""Every staff page fits the screen, on a phone (390 px) and at a desk (1280 px): the page
never scrolls sideways, and every table cell holds its content, without spilling it into the
next column (an ID number over the village) or squeezing it to a character or two a line.

A table wider than the screen scrolls sideways inside a box of its own (the table itself, or a
wrapper holding only the table), so the page's heading and forms stay put. Inputs outside such
a box stay inside the window.

The pages are those a person can reach by following links from their dashboard, for every
role, with a campaign of the own township at each step of the flow (approval, review, written
exam, interview, ranking, objections, hiring, ended). The links are followed with Django's
test client (quick); each kind of page (URL name and templates) is then opened in Chromium,
as the first role that reached it, and measured there.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import cast
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from django.utils import timezone

from accounts.models import User
from recruitment.constants import CampaignKind, EligibilityRule
from recruitment.models import Application, Campaign
from recruitment.services.campaigns import campaign_create
from recruitment.services.notice import objection_record
from recruitment.services.review import application_review, waiver_request
from tests.browser.conftest import DESK, PHONE
from tests.browser.pages import StaffPages
from tests.browser.world import PASSWORD, World, add_term, make_world
from tests.factories import make_village
from tests.workflow_support import (
    INTERVIEW,
    NOW,
    REGISTRATION_END,
    WRITTEN_EXAM,
    Run,
    all_checks,
    at,
    quick_pdf,
    start_process,
)
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.browser

WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESK, id="desk")]

# The roles in the order their pages are chosen: a page that looks the same for two roles
# (same view, same templates) is measured once, for the first.
ROLES = [
    "county_hr",
    "admin",
    "guansuo_committee",
    "guansuo_head",
    "guansuo_office",
    "village_chengnei",
    "director_wang",
    "huajiang_committee",
]
# Not the staff site's pages: Django's admin has its own layout; the others are actions.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout/", "/i18n/")
# Pages no link leads to (yet), found by their address.
UNLINKED = ["/recruitment/waivers/"]
# Links followed per view at most: enough to reach every campaign's pages, not every person.
LINKS_PER_VIEW = 12
# Problems reported per page: the first few say what is wrong.
SHOWN = 4


# The data: the browser tests' county, and a campaign of the own township at each step -------


@dataclass
class Stage:
    """A campaign of 关索街道 in its own village, taken to a step of its flow."""

    title: str
    village: str
    step: object | None  # the flow node whose task is left open; None: run to the end


TITLE = "关索街道2026年村级人口主任公开选聘（{}）"
STAGES = [
    Stage(TITLE.format("审查"), "新寨村", CampaignFlow.review_applications),
    Stage(TITLE.format("笔试"), "坡贡村", CampaignFlow.enter_written_scores),
    Stage(TITLE.format("面试"), "顶云村", CampaignFlow.enter_interview_marks),
    Stage(TITLE.format("排名"), "大湾村", CampaignFlow.confirm_ranking),
    Stage(TITLE.format("公示"), "摆布村", CampaignFlow.handle_objections),
    Stage(TITLE.format("聘用"), "石头寨村", CampaignFlow.confirm_hires),
    Stage(TITLE.format("结束"), "关脚村", None),
    # Last: the timers fired for the others would time its approval out.
    Stage(TITLE.format("审批"), "大寨村", CampaignFlow.approve_announcement),
]


@dataclass
class TitledRun(Run):
    """``Run`` with a title of its own, so that the campaigns can be told apart; a campaign
    left at the review keeps its applications waiting for it."""

    title: str = ""
    stop: object | None = None

    def prepare(self, node) -> None:
        if node == self.stop == CampaignFlow.review_applications:
            return
        super().prepare(node)

    def __post_init__(self) -> None:
        self.campaign = campaign_create(
            township=self.people.own,
            title=self.title,
            kind=CampaignKind.REGULAR,
            offers=[(self.people.villages[self.people.own], 1)],
            registration_start=NOW.date(),
            registration_end=REGISTRATION_END,
            written_exam_at=at(WRITTEN_EXAM),
            interview_at=at(INTERVIEW),
            venue="关岭自治县民族中学",
            contact="关索街道计生办 0851-3682000",
            interview_panel_size=3,
            by=self.people.member,
        )
        self.process = start_process(self.campaign, self.people.member)


def run_stage(world: World, stage: Stage, clock) -> Campaign:
    clock.move_to(NOW)
    village = make_village(world.own, 1800, name=stage.village)
    people = SimpleNamespace(
        own=world.own,
        villages={world.own: village},
        member=world.users["guansuo_committee"],
        head=world.users["guansuo_head"],
    )
    run = TitledRun(Client(), people, clock, title=stage.title, stop=stage.step)
    if stage.step is None:
        run.to_the_end()
    else:
        run.to(stage.step)
    return run.campaign


def add_waiver(world: World, campaign: Campaign) -> None:
    """One applicant of the campaign in review found ineligible, and a waiver asked for."""
    application = Application.objects.filter(campaign=campaign).order_by("pk").first()
    assert application is not None
    checks = all_checks()
    for check in checks:
        if check["rule"] == EligibilityRule.EDUCATION:
            check.update(passed=False, detail="学历证书与所填学历不符")
    member = world.users["guansuo_committee"]
    application_review(
        application=application, by=member, eligible=False, checks=checks, note="学历不符"
    )
    waiver_request(
        application=application,
        rule=EligibilityRule.EDUCATION,
        justification="该村地处偏远，报名人员中无人具备大专学历，申请放宽学历条件。",
        by=member,
    )


def add_objection(world: World, campaign: Campaign) -> None:
    """An objection waiting for a decision, to the campaign in its public notice."""
    campaign.refresh_from_db()
    proposed = Application.objects.filter(campaign=campaign, state="proposed").first()
    assert proposed is not None and campaign.notice_starts_on is not None
    objection_record(
        application=proposed,
        received_on=campaign.notice_starts_on,
        lodged_by="北口村村民（电话反映）",
        content="反映该同志长期在外务工，不熟悉村里情况。",
        by=world.users["guansuo_committee"],
    )


@pytest.fixture
def world(transactional_db, monkeypatch) -> Iterator[World]:
    assert get_resolver().url_patterns  # viewflow's task.reverse() needs the URLs loaded
    quick_pdf(monkeypatch)  # the pages are measured, not the PDFs
    with time_machine.travel(NOW, tick=True) as clock:
        world = make_world()
        campaigns, latest = {}, NOW
        for stage in STAGES:
            campaigns[stage.step] = run_stage(world, stage, clock)
            latest = max(latest, timezone.now())
        clock.move_to(latest)  # the pages are seen on the last day of the campaigns so far
        add_waiver(world, campaigns[CampaignFlow.review_applications])
        add_objection(world, campaigns[CampaignFlow.handle_objections])
        add_term(world)
        yield world


# Finding the pages -----------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(url: str, html: str) -> list[str]:
    """The site's own pages ``html`` links to, without their query strings (a list's other
    pages and filters look like its first page)."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        target = urlsplit(urljoin(url, href))
        if target.netloc and target.netloc != "testserver":
            continue
        if not target.path.startswith("/"):
            continue
        if target.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(target.path)
    return found


def pages_of(user: User) -> dict[tuple, str]:
    """The pages ``user`` reaches from the dashboard by following links: one address for each
    kind of page (URL name and templates), the first one found."""
    client = Client()
    client.force_login(user)
    pages: dict[tuple, str] = {}
    followed: set[str] = set()
    per_view: dict[str, int] = {}
    queue = ["/", *UNLINKED]
    while queue:
        url = queue.pop(0)
        if url in followed:
            continue
        followed.add(url)
        try:
            view = resolve(url).view_name
        except Resolver404:
            continue
        if per_view.get(view, 0) >= LINKS_PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        # A task's link leads on to its page (viewflow redirects from the task to its action).
        response = client.get(url, follow=True)
        if response.redirect_chain:
            url = urlsplit(response.redirect_chain[-1][0]).path
            if url.startswith(SKIPPED_PREFIXES):
                continue
            followed.add(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        # The flow's steps have a view each, all drawn by the same templates: one is enough.
        templates = tuple(sorted({t.name for t in response.templates if t.name}))
        pages.setdefault((resolve(url).url_name, templates), url)
        queue.extend(links_of(url, response.content.decode()))
    return pages


def pages_to_measure(world: World) -> dict[str, list[str]]:
    """Each distinct page once, under the first role that reaches it: {username: [urls]}."""
    chosen: dict[tuple, tuple[str, str]] = {}
    for username in ROLES:
        for key, url in pages_of(world.users[username]).items():
            chosen.setdefault(key, (username, url))
    by_user: dict[str, list[str]] = {}
    for username, url in chosen.values():
        by_user.setdefault(username, []).append(url)
    return by_user


# Measuring a page in the browser --------------------------------------------------------------

# What does not fit, one sentence each. A table may be wider than its place only when it scrolls
# in a box of its own: the table itself, or an element holding nothing but the table. ``width``
# is the screen's: on a phone, Chromium widens ``window.innerWidth`` to a page that is too wide
# (and shows it zoomed out).
MEASURE = """
(width) => {
  const problems = [];
  const doc = document.documentElement;
  const main = document.querySelector("main");
  const text = (el) => (el.innerText || el.value || el.getAttribute("aria-label") || el.tagName)
    .trim().replace(/\\s+/g, " ").slice(0, 40);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "")
    + [...el.classList].map((c) => `.${c}`).join("");
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const scroller = (el) => {
    for (let box = el.closest("table"); box && box !== main; box = box.parentElement) {
      if (scrolls(box) && (box.tagName === "TABLE" || box.children.length === 1)) return box;
    }
    return null;
  };
  const inner = (el) => {
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  // The innermost elements reaching past ``edge`` say what to fix.
  const culprits = (within, edge) => {
    const beyond = (el) => el.getBoundingClientRect().right > edge + 1;
    return [...within.querySelectorAll("*")]
      .filter((el) => beyond(el) && !scroller(el) && ![...el.children].some(beyond))
      .slice(0, 3).map((el) => `${name(el)} “${text(el)}”`).join(", ");
  };

  if (doc.scrollWidth > width) {
    problems.push(`the page is ${doc.scrollWidth} px wide in a ${width} px window: `
      + culprits(document.body, width));
  }
  if (main.scrollWidth > main.clientWidth + 1) {
    const edge = main.getBoundingClientRect().left + main.clientWidth;
    problems.push(`the page's content scrolls sideways (${main.scrollWidth} px in `
      + `${main.clientWidth}): ${culprits(main, edge)}`);
  }
  for (const cell of main.querySelectorAll("td, th")) {
    const head = cell.closest("thead");
    if (head && head.getBoundingClientRect().width <= 1) continue;  // for screen readers only
    if (cell.scrollWidth > cell.clientWidth + 1) {
      problems.push(`“${text(cell)}” spills out of its cell `
        + `(${cell.scrollWidth} px in ${cell.clientWidth})`);
    }
    // Squeezed: text wrapping in a cell too narrow for three characters a line.
    let letters = 0;
    const middles = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.getBoundingClientRect().width <= 1) continue;  // visually hidden
      letters += node.data.replace(/\\s/g, "").length;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) {
        if (box.width > 0) middles.push((box.top + box.bottom) / 2);
      }
    }
    middles.sort((a, b) => a - b);
    const lines = middles.filter((y, i) => i === 0 || y - middles[i - 1] > 6).length;
    const room = inner(cell);
    if (letters > 3 && lines >= 2 && room < 3 * parseFloat(getComputedStyle(cell).fontSize)) {
      problems.push(`“${text(cell)}” is squeezed into ${Math.round(room)} px, ${lines} lines`);
    }
  }
  for (const table of main.querySelectorAll("table")) {
    if (scroller(table)) continue;
    const room = inner(table.parentElement);
    if (table.offsetWidth > room + 1) {
      problems.push(`a table is ${table.offsetWidth} px wide in ${Math.round(room)} px `
        + "and does not scroll");
    }
  }
  for (const field of main.querySelectorAll("input, select, textarea, button")) {
    const box = field.getBoundingClientRect();
    if (box.width === 0 || scroller(field)) continue;
    if (box.left < -1 || box.right > width + 1) {
      problems.push(`the field “${text(field)}” reaches ${Math.round(box.left)}–`
        + `${Math.round(box.right)} px in a ${width} px window`);
    }
  }
  return problems;
}
"""

# Pages the crawl must reach, among them those the walk-through of the staff site found at fault.
EXPECTED = {
    "web:dashboard",
    "organisation:township_list",
    "organisation:township_detail",
    "organisation:import",
    "people:list",
    "people:detail",
    "recruitment:campaign_list",
    "recruitment:campaign_detail",
    "recruitment:review_list",
    "recruitment:review_application",
    "recruitment:exam_home",
    "recruitment:exam_scores",
    "recruitment:exam_interview_marks",
    "recruitment:waiver_list",
    "paperwork:list",
    "policy:list",
    "policy:create",
    "workdays:list",
    "campaign:process_detail",
    "campaign:start:execute",
    "campaign:review_applications:execute",
    "campaign:confirm_hires:execute",
    # The contract term (add_term)
    "contracts:list",
    "contracts:detail",
    "contracts_import:import",
    "contract:index",
    "my_term:index",
    "vacancies:list",
    "vacancies:detail",
    "renewals:list",
    "renewals:review",
    "endings:index",
    "endings:resignation_list",
    "endings:resignation_detail",
    "endings:case_list",
    "endings:case_detail",
    "endings:births",
    "notifications:list",
}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_every_staff_page_fits_the_screen(new_page, steps, world, viewport):
    measured: list[str] = []
    problems: list[str] = []
    for username, urls in pages_to_measure(world).items():
        user = StaffPages(new_page(username, viewport=viewport), steps, username)
        user.sign_in(PASSWORD)
        for url in urls:
            with steps.record(f"measure {url}", user.page):
                response = user.page.goto(url)
                assert response is not None and response.status == 200, (username, url)
                found = cast(list[str], user.page.evaluate(MEASURE, viewport["width"]))
            measured.append(url)
            if found:
                more = f" … and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
                problems.append(f"{url} ({username}): " + "; ".join(found[:SHOWN]) + more)
    missing = EXPECTED - {resolve(url).view_name for url in measured}
    assert not missing, f"the links did not lead to {sorted(missing)}; measured: {measured}"
    assert not problems, (
        f"{len(problems)} of {len(measured)} pages do not fit:\n"
        + "\n".join(problems)
        + "\n\nPages measured: "
        + " ".join(measured)
    )
