"""Every list page runs as many queries with a few times more data, for every role that sees
it: lists are paginated, and nothing is loaded row by row.

The data: the permission matrix's county (``tests.matrix_support``) with its campaign, grown
twice by ``bench.lists.populate`` (villages, people with documents and audit entries,
campaigns with applications, reserve lists, waivers and history), the second time with
about five times as much. Which roles see a page, and its URL, come from the permission
matrix, so a new list page only needs a line in ``LIST_PAGES``.
"""

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from accounts.constants import Role
from audit.models import AuditEntry
from bench.lists import add_documents, populate, populate_campaign
from organisation.models import Village
from recruitment.views_campaign import HISTORY_PAGE_SIZE
from tests.matrix_support import ROLES, make_world
from tests.test_permission_matrix import ROWS

pytestmark = pytest.mark.django_db

# (URL name, query string): every list page of the staff site, and its searches
LIST_PAGES = [
    ("people:list", {}),
    ("people:list", {"q": "王"}),
    ("people:list", {"q": "wang"}),
    ("audit:list", {}),
    ("audit:list", {"date_from": "2020-01-01"}),
    ("organisation:township_list", {}),
    ("organisation:township_detail", {}),
    ("organisation:village_detail", {}),
    ("paperwork:list", {}),
    ("paperwork:list", {"q": "王晓燕"}),
    ("recruitment:campaign_list", {}),
    ("recruitment:campaign_detail", {}),
    ("recruitment:campaign_reserve", {}),
    ("recruitment:review_list", {}),
    ("recruitment:review_list", {"q": "王"}),
    ("recruitment:waiver_list", {}),
    ("recruitment:exam_home", {}),
]


def grow(world, *, scale: int, rng: random.Random) -> None:
    """About ``scale`` times a base amount of everything the list pages show, in both
    townships, in the own village (the village committee's and the director's lists) and in
    the own campaign; a quarter of the people and applicants are namesakes of the director
    (王晓燕), whom the searches look for."""
    officer = world.users[Role.COUNTY_HR]
    own = world.own
    populate(
        townships=[own.township, world.foreign.township],
        villages=3 * scale,
        people=12 * scale,
        campaigns=scale,
        applications=12 * scale,
        by=officer,
        rng=rng,
        namesake=own.person.name,
    )
    populate(
        townships=[own.township],
        villages=0,
        people=4 * scale,
        campaigns=0,
        applications=0,
        by=officer,
        rng=rng,
        village=own.village,
        namesake=own.person.name,
    )
    add_documents([own.person] * 4 * scale, own.township, by=officer)
    populate_campaign(
        world.recruitment("own").campaign,
        villages=list(Village.objects.filter(township=own.township)[:3]),
        applications=12 * scale,
        # A full page of the campaign's history at each size: the first page then shows the
        # same kinds of entries, not the campaign's own steps beside a few of these.
        history=HISTORY_PAGE_SIZE * scale,
        by=officer,
        rng=rng,
        namesake=own.person.name,
    )
    village_type = ContentType.objects.get_for_model(Village)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=officer,
                action=AuditEntry.Action.UPDATE,
                content_type=village_type,
                object_id=own.village.pk,
                object_repr=str(own.village),
                county_id=world.county.pk,
                township=own.township,
                before={"registered_population": 1800 + n},
                after={"registered_population": 1801 + n},
            )
            for n in range(4 * scale)
        ]
    )


def readers(name: str) -> list[str]:
    """The roles that see the page of their own township (200 in the permission matrix)."""
    row = ROWS[name]
    found: list[str] = []
    for role in ROLES:
        expected = row.expected[role]
        own = expected[0] if isinstance(expected, tuple) else expected
        if own == 200:
            found.append(role)
    return found


def query_counts(client, world) -> dict[tuple[str, str, str], int]:
    counts = {}
    for name, params in LIST_PAGES:
        url = ROWS[name].url(world, "own")
        if params:
            url += "?" + urlencode(params)
        for role in readers(name):
            client.force_login(world.users[role])
            assert client.get(url).status_code == 200, (url, role)  # warms caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, role)
            counts[name, str(params), role] = len(queries)
    return counts


def test_every_list_page_runs_as_many_queries_with_five_times_the_data(client):
    rng = random.Random(1)
    world = make_world()
    grow(world, scale=1, rng=rng)
    small = query_counts(client, world)
    grow(world, scale=4, rng=rng)  # 1 + 4: five times as much
    large = query_counts(client, world)
    grown = {key: (small[key], large[key]) for key in small if small[key] != large[key]}
    assert not grown, f"queries at the small and the large size: {grown}"
    # Every role that sees a page was measured (the matrix is not empty for any page).
    assert all(readers(name) for name, _params in LIST_PAGES)


def the_page(response) -> Page:
    """The paginated list of a response: the one Page in its context."""
    pages = {
        id(value): value
        for context in response.context
        for value in context.flatten().values()
        if isinstance(value, Page)
    }
    assert len(pages) == 1, response.request["PATH_INFO"]
    return next(iter(pages.values()))


def test_every_list_page_is_paginated_and_its_links_keep_the_filters(client, monkeypatch):
    # One row a page: the county has two townships
    monkeypatch.setattr("core.pagination.PAGE_SIZE", 1)
    monkeypatch.setattr("recruitment.views_campaign.HISTORY_PAGE_SIZE", 1)
    monkeypatch.setattr("recruitment.views_exam.PAGE_SIZE", 1)
    world = make_world()
    grow(world, scale=1, rng=random.Random(2))
    for name, params in LIST_PAGES:
        role = readers(name)[0] if Role.COUNTY_HR not in readers(name) else Role.COUNTY_HR
        client.force_login(world.users[role])
        url = ROWS[name].url(world, "own")
        query = urlencode(params)
        response = client.get(f"{url}?{query}" if query else url)
        page = the_page(response)
        assert page.paginator.num_pages > 1 and len(page.object_list) == 1, (name, params)
        html = response.content.decode()
        link = f"?{query.replace('&', '&amp;')}&amp;page=2" if query else "?page=2"
        assert link in html, (name, params)
        assert "第 1 页，共" in html or "Page 1 of" in html, (name, params)
        second = the_page(client.get(url, {**params, "page": 2}))
        assert second.number == 2 and not set(second.object_list) & set(page.object_list)


def test_the_list_bench_yields_a_time_and_a_ratio_per_page_on_a_small_run():
    from bench import lists
    from bench.__main__ import format_figure
    from tests.test_bench import FIGURE

    figures = list(
        lists.run(
            small=(40, 20), large=(80, 40), samples=1, campaigns=1, applications=3, database=False
        )
    )
    names = [name for name, _value, _unit in figures]
    assert names[:4] == [
        "lists.people_ms",
        "lists.people_ratio",
        "lists.people_search_ms",
        "lists.people_search_ratio",
    ]
    assert len(names) == 22 and all(value > 0 for _name, value, _unit in figures)
    assert all(FIGURE.match(format_figure(*figure)) for figure in figures)
