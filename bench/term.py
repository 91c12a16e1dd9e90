"""The contract term's figures: the daily sweep over a county of 20,000 contracts.

Set-up, not timed: a fresh test database of DJANGO_SETTINGS_MODULE (in-memory SQLite by
default; ``test_<name>`` on PostgreSQL when DATABASE_URL points there), migrated, with one
county of 20 townships, 1,000 villages of 20 posts each, and 20,000 directors in post on
active 3-year contracts, written with ``bulk_create``. The contracts' start dates are spread
evenly over three years, so about 18 terms end on any day and about 1,650 are within the
90 days of a renewal review. Each township has two committee members and the county three HR
officers; every director has an account. The sweep is then run once for the day before the
measured day (catching up: every review within 90 days opened, its flow started, and the
reminders of the nearest threshold sent), not timed.

- term.sweep_20000_s: wall time of ``contracts.sweep.sweep`` for the next day, every step of
  it: the reviews of the contracts now 90 days from their end opened (each with its flow),
  the reminders of the contracts reaching 90, 30 or 7 days sent to the committee, the
  county and the director, and the contracts that ended yesterday expired with their posts
  vacated. Target (the contract-term issue): under 2 s on SQLite.

DEBUG is off while measuring (see ``run``).
"""

import datetime
import random
import time
from collections.abc import Iterator

SEED = 20261129
TOWNSHIPS = 20
POSTS_PER_VILLAGE = 20
TODAY = datetime.date(2026, 11, 30)


def populate(*, contracts: int, today: datetime.date, rng: random.Random) -> None:
    """``contracts`` directors in post on active contracts ending from ``today`` - 1 on."""
    from accounts.constants import Role
    from accounts.models import User
    from bench.lists import _Serial, generated_person
    from contracts.constants import ContractState
    from contracts.models import Contract
    from contracts.services.drafting import contract_end_date
    from core.text import pinyin_key
    from organisation.models import County, Post, Township, Village
    from people.models import Person
    from policy.models import Policy
    from workdays.calendar import add_years

    county = County.objects.create(
        name="关岭布依族苗族自治县", short_name="关岭自治县", hr_office="关岭自治县卫生健康局"
    )
    policy = Policy.objects.create(
        county=county,
        version=1,
        effective_from=datetime.date(2014, 7, 9),
        title="关岭自治县进一步加强村级人口计生队伍职业化建设实施方案",
    )
    townships = Township.objects.bulk_create(
        [
            Township(county=county, name=f"第{n + 1}镇", government=f"第{n + 1}镇人民政府")
            for n in range(TOWNSHIPS)
        ]
    )
    townships = list(Township.objects.filter(county=county).order_by("pk"))
    villages_each = max(1, contracts // POSTS_PER_VILLAGE // TOWNSHIPS)
    Village.objects.bulk_create(
        [
            Village(
                township=township,
                name=f"{township.name}{v + 1}村",
                name_pinyin=pinyin_key(f"{township.name}{v + 1}村"),
                registered_population=1800,
                population_effective_date=datetime.date(2026, 1, 1),
            )
            for township in townships
            for v in range(villages_each)
        ],
        batch_size=1000,
    )
    villages = list(Village.objects.filter(township__county=county).order_by("pk"))
    serial = _Serial(1000)
    people = []
    seats = [(village, n + 1) for village in villages for n in range(POSTS_PER_VILLAGE)]
    seats = seats[:contracts]
    for village, _number in seats:
        people.append(
            generated_person(rng, serial, township_id=village.township_id, village=village)
        )
    Person.objects.bulk_create(people, batch_size=1000)
    people = list(Person.objects.order_by("pk"))
    Post.objects.bulk_create(
        [
            Post(village=village, number=number, holder=person)
            for (village, number), person in zip(seats, people, strict=True)
        ],
        batch_size=1000,
    )
    posts = list(Post.objects.select_related("village").order_by("pk"))
    # End dates from yesterday on, one day after another, round the three years.
    span = (add_years(today, 3) - today).days
    rows = []
    for index, (post, person) in enumerate(zip(posts, people, strict=True)):
        end = (
            today - datetime.timedelta(days=1) + datetime.timedelta(days=index * span // len(posts))
        )
        start = add_years(end + datetime.timedelta(days=1), -3)
        rows.append(
            Contract(
                person=person,
                post=post,
                township_id=post.village.township_id,
                policy=policy,
                state=ContractState.ACTIVE,
                term_years=3,
                start_date=start,
                end_date=contract_end_date(start, 3),
                monthly_pay=policy.monthly_pay,
                activated_on=start,
            )
        )
    Contract.objects.bulk_create(rows, batch_size=1000)
    users = [
        User(
            username=f"committee{t.pk}_{n}",
            role=Role.TOWNSHIP_COMMITTEE,
            county=county,
            township=t,
            password="!",
        )
        for t in townships
        for n in range(2)
    ]
    users += [
        User(username=f"hr{n}", role=Role.COUNTY_HR, county=county, password="!") for n in range(3)
    ]
    users += [
        User(
            username=f"director{p.pk}",
            role=Role.DIRECTOR,
            county=county,
            township_id=p.township_id,
            village_id=p.village_id,
            person=p,
            password="!",
        )
        for p in people
    ]
    User.objects.bulk_create(users, batch_size=1000)


def measure(*, contracts: int) -> Iterator[tuple[str, float, str]]:
    from django.db import connection

    from contracts.sweep import sweep

    rng = random.Random(SEED)
    populate(contracts=contracts, today=TODAY, rng=rng)
    if connection.vendor in ("postgresql", "sqlite"):
        # Fresh statistics, as a database in use has (ANALYZE runs inside a transaction,
        # VACUUM does not, and a test runs the bench inside one).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    sweep(today=TODAY - datetime.timedelta(days=1))  # catching up, not timed
    started = time.perf_counter()
    sweep(today=TODAY)
    yield f"term.sweep_{contracts}_s", time.perf_counter() - started, "s"


def run(*, contracts: int = 20_000, database: bool = True) -> Iterator[tuple[str, float, str]]:
    """``database=False`` uses the database already set up (in a test)."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(contracts=contracts)
