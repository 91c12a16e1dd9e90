"""The recruitment flow's pages read as Chinese with people's names: every list, process page
and task page, as a township committee member and as county HR, with the Chinese interface.

viewflow names nodes after their code ("Approve Announcement Timeout", "After Approval"),
labels list columns in English ("Brief", "Process summary"), counts pages as "1-1 of 1",
numbers tasks "#3/37" and shows usernames; the flow's nodes carry Chinese titles and the
section's pages are the product's own."""

import html
import re

import pytest
import time_machine
from django.urls import get_resolver, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from tests.factories import UserFactory
from tests.workflow_support import NOW, Run, make_people, quick_pdf
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.django_db

# What viewflow shows on its own pages, found on the pages before they were the product's.
KNOWN_LEFTOVERS = [
    "Approve Announcement Timeout",
    "Review Applications Timeout",
    "Timeout",
    "After Approval",
    "After Hires",
    "Brief",
    "Process summary",
    "Process brief",
    "Process id",
    "Active tasks",
    "Unassigned",
    "Owner",
    "Description",
    "BPMN",
    "flow graph",
    "Execute",
    "Assign",
    "No rights",
]
LEFTOVER_PATTERNS = [
    re.compile(r"\b\d+-\d+ of \d+\b"),  # viewflow's paginator
    re.compile(r"#\d+/\d+"),  # task numbers
    re.compile(r"#\d+\b"),  # process numbers
]
# Latin words a Chinese page may show: the language switcher's "English", file formats.
ALLOWED_WORDS = {"English", "PDF"}


def visible_text(page: str) -> str:
    """The text a person reads, with the attributes a screen reader or a tooltip shows;
    without scripts, styles and Material icon ligatures."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # The site shell's menu button (viewflow's base_page.html, on every staff page, not a
    # page of the flow) has an English aria-label of its own.
    page = re.sub(r'<button class="material-icons[^"]*"[^>]*>menu</button>', " ", page)
    page = re.sub(r'<i class="material-icons[^"]*"[^>]*>.*?</i>', " ", page, flags=re.S)
    page = re.sub(r'<span class="[^"]*material-icons[^"]*"[^>]*>.*?</span>', " ", page, flags=re.S)
    attributes = re.findall(r'\b(?:title|alt|label|placeholder|aria-label)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *attributes]))


def english_leftovers(page: str, usernames: list[str]) -> list[str]:
    text = visible_text(page)
    found = [s for s in KNOWN_LEFTOVERS if s in text]
    found += [m.group(0) for p in LEFTOVER_PATTERNS for m in p.finditer(text)]
    found += [name for name in usernames if name in text]
    words = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_WORDS
    found += sorted(words)
    return found


@pytest.fixture(autouse=True)
def urlconf():
    assert get_resolver().url_patterns


@pytest.fixture
def run(client, monkeypatch):
    """A campaign at its ranking, with its task given back to the pool; the county HR
    officer sees it too."""
    quick_pdf(monkeypatch)
    with time_machine.travel(NOW, tick=False) as clock:
        people = make_people()
        run = Run(client, people, clock).to(CampaignFlow.confirm_ranking)
        # The task of the interview waits in the queue; the ranking task stays in the inbox.
        task = run.task(CampaignFlow.confirm_ranking)
        yield run, task


def flow_pages(run, task, user) -> list[str]:
    viewset = CampaignFlow.instance
    urls = [
        viewset.reverse(name)
        for name in ("index", "process_list", "task_list", "inbox", "queue", "archive")
    ]
    urls.append(viewset.reverse("process_detail", args=[run.process.pk]))
    urls += [
        t.flow_task.reverse("detail", args=[run.process.pk, t.pk])
        for t in Task.objects.filter(process=run.process).order_by("pk")
    ]
    if task.owner_id == user.pk:
        urls += [task.reverse("execute"), task.reverse("unassign")]
    return urls


@pytest.mark.parametrize("who", ["member", "hr"])
def test_every_flow_page_is_chinese_with_names(client, run, who):
    run, task = run
    people = run.people
    user = getattr(people, who)
    usernames = [u.username for u in (people.head, people.member, people.office, people.hr, user)]
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    problems = {}
    pages = {}
    for url in flow_pages(run, task, user):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        pages[url] = page
        leftovers = english_leftovers(page, usernames)
        if leftovers:
            problems[url] = leftovers
    assert not problems, problems
    everything = " ".join(visible_text(page) for page in pages.values())
    # People by name: who approved, who works the tasks.
    assert "杨光明" in everything and "罗敏" in everything
    process_page = pages[CampaignFlow.instance.reverse("process_detail", args=[run.process.pk])]
    assert "杨光明已办结" in visible_text(process_page)
    assert "审批选聘公告" in visible_text(process_page)
    assert "公告审批时限" in visible_text(process_page)


def test_the_queue_assign_and_admin_pages_are_chinese(client, run):
    run, task = run
    people = run.people
    client.force_login(people.member)
    client.post(task.reverse("unassign"))
    task.refresh_from_db()
    assert task.status == STATUS.NEW
    admin = UserFactory(
        role=Role.ADMINISTRATOR,
        county=people.county,
        username="admin_user",
        last_name="周",
        first_name="平",
    )
    usernames = [people.member.username, people.head.username, admin.username]
    for user, urls in (
        (people.head, [CampaignFlow.instance.reverse("queue"), task.reverse("assign")]),
        (admin, [reverse("campaign:process_cancel", args=[run.process.pk])]),
    ):
        client.force_login(user)
        client.cookies["django_language"] = "zh-hans"
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert not english_leftovers(response.content.decode(), usernames), url


def test_the_chart_names_every_node_in_chinese(client, run):
    run, _task = run
    client.force_login(run.people.member)
    client.cookies["django_language"] = "zh-hans"
    for url in (
        CampaignFlow.instance.reverse("chart"),
        CampaignFlow.instance.reverse("process_chart", args=[run.process.pk]),
    ):
        svg = client.get(url).content.decode()
        texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
        assert "审批选聘公告" in texts and "上报县级" in texts and "是" in texts
        assert not set(re.findall(r"[A-Za-z]{2,}", html.unescape(texts))), texts
