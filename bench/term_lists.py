"""The contract list of a township: its SQL queries with 10 and with 1,000 contracts, which
must be equal (the page is paged and loads nothing row by row).

Set-up, not timed: a fresh test database of DJANGO_SETTINGS_MODULE (in-memory SQLite by
default; ``test_<name>`` on PostgreSQL when DATABASE_URL points there), migrated, with one
county and township, a committee member of the township, and ``add_contracts`` writing
villages, posts, directors and their contracts (every state of the term, end dates spread over
three years) with ``bulk_create``. The page is fetched through Django's test client as the
committee member, warmed once, then its queries counted with ``CaptureQueriesContext``.

- term.contract_list_queries_10: queries of the township's contract list with 10 contracts.
- term.contract_list_queries_1000: the same page with 1,000 contracts.
"""

import datetime
import random
import time
from collections.abc import Iterator
from decimal import Decimal

SEED = 20261129
STATES = ["active", "active", "active", "expiring", "expired", "terminated", "drafted", "signed"]


def add_contracts(township, policy, count: int, *, rng: random.Random) -> None:
    """``count`` contracts in ``township``: each with its own director, village and post;
    the states spread over the term, so that one contract per post and per person holds."""
    from bench.lists import _Serial, generated_person
    from contracts.models import Contract
    from contracts.services import contract_end_date
    from core.text import pinyin_key
    from organisation.models import Post, Village
    from people.models import Person

    start = Person.objects.count() + Village.objects.count() + 1
    villages = Village.objects.bulk_create(
        [
            Village(
                township=township,
                name=f"基准{start + n}村",
                name_pinyin=pinyin_key(f"基准{start + n}村"),
                registered_population=1500,
                population_effective_date=datetime.date(2026, 1, 1),
            )
            for n in range(count)
        ]
    )
    villages = list(Village.objects.filter(township=township).order_by("-pk")[:count])
    posts = Post.objects.bulk_create([Post(village=v, number=1) for v in villages])
    posts = list(Post.objects.filter(village__in=villages).order_by("pk"))
    people = []
    serial = _Serial(start)  # ID numbers unique by construction, whatever was added before
    for _n in range(count):
        people.append(generated_person(rng, serial, township=township))
    Person.objects.bulk_create(people, batch_size=1000)
    people = list(Person.objects.filter(township=township).order_by("-pk")[:count])
    contracts = []
    for person, post in zip(people, posts, strict=True):
        begins = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        contracts.append(
            Contract(
                person=person,
                post=post,
                township=township,
                policy=policy,
                state=rng.choice(STATES),
                term_years=3,
                start_date=begins,
                end_date=contract_end_date(begins, 3),
                monthly_pay=Decimal("1700.00"),
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=1000)


def _world():
    from accounts.constants import Role
    from accounts.models import User
    from organisation.models import County, Township
    from policy.models import Policy

    county = County.objects.create(name=f"基准县{time.monotonic_ns()}", hr_office="基准县卫健局")
    policy = Policy.objects.create(
        county=county, version=1, effective_from=datetime.date(2014, 7, 9), title="bench"
    )
    township = Township.objects.create(county=county, name=f"基准{time.monotonic_ns()}镇")
    committee = User.objects.create(
        username=f"bench_term{time.monotonic_ns()}",
        role=Role.TOWNSHIP_COMMITTEE,
        county=county,
        township=township,
    )
    return township, policy, committee


def list_queries(client, user, query: str = "") -> int:
    """The SQL queries of one fetch of the contract list (warmed once first)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(user)
    url = reverse("contracts:list") + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(counts: tuple[int, ...] = (10, 1000)) -> Iterator[tuple[str, float, str]]:
    from django.test import Client

    rng = random.Random(SEED)
    client = Client(HTTP_HOST="localhost")  # an allowed host outside the test runner
    for count in counts:
        township, policy, committee = _world()
        add_contracts(township, policy, count, rng=rng)
        yield f"term.contract_list_queries_{count}", list_queries(client, committee), "queries"


def run(
    *, database: bool = True, counts: tuple[int, ...] = (10, 1000)
) -> Iterator[tuple[str, float, str]]:
    """``database=False`` uses the database already set up (in a test)."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(counts)
