"""The monthly assessment (``make bench``):

- ``assessment.month_township_s``: a township of 30 directors runs a month through the
  services, timed from opening to the published bulletin and slips: open, 30 score entries,
  finish, publish (ranks, pay, and the background job issuing the bulletin and 30 slips, run
  eagerly here). Target: under 5 s.
- ``assessment.ranking_20000_ms``: the county's ranking of a published month across its
  townships (``assessment.selectors.county_ranking``) with 20,000 directors. Target: under 1 s.

Set-up, not timed: the county of ``bench.term`` (its directors in post), a scheme, and for
the ranking one published month per township with a score per director.
"""

import datetime
import random
import time
from collections.abc import Iterator
from decimal import Decimal

SEED = 20261129
TODAY = datetime.date(2026, 11, 29)
ITEMS = [
    ("人口信息采集", "scored", 40),
    ("入户随访服务", "scored", 40),
    ("台帐管理", "scored", 20),
    ("创新工作加分", "bonus", 5),
    ("违规减分", "deduction", 10),
]


def _township_of_30(county, policy, rng):
    from bench.lists import _Serial, person_name
    from contracts.constants import ContractState
    from contracts.models import Contract
    from core.education import Education
    from organisation.models import Post, Township, Village
    from people.models import Person

    township = Township.objects.create(county=county, name="测评镇", government="测评镇人民政府")
    village = Village.objects.create(
        township=township,
        name="测评村",
        registered_population=1800,
        population_effective_date=datetime.date(2026, 1, 1),
    )
    serial = _Serial(900_000)
    start = datetime.date(2024, 1, 1)
    for n in range(30):
        number, birth, sex = serial.id_number()
        person = Person.objects.create(
            name=person_name(rng),
            id_number=number,
            birth_date=birth,
            sex=sex,
            phone="13900000000",
            education=Education.HIGH_SCHOOL,
            household_registration="贵州省关岭布依族苗族自治县",
            township=township,
            village=village,
        )
        post = Post.objects.create(village=village, number=n + 1, holder=person)
        Contract.objects.create(
            person=person,
            post=post,
            township=township,
            policy=policy,
            state=ContractState.ACTIVE,
            term_years=3,
            start_date=start,
            end_date=datetime.date(2026, 12, 31),
            monthly_pay=policy.monthly_pay,
            activated_on=start,
        )
    return township


def measure(*, directors: int) -> Iterator[tuple[str, float, str]]:
    import time_machine

    from accounts.constants import Role
    from accounts.models import User
    from assessment.constants import MonthState
    from assessment.models import AssessmentMonth, MonthlyScore, ScoringItem, ScoringScheme
    from assessment.selectors import county_ranking
    from assessment.services import month_finish_scoring, month_open, month_publish, score_record
    from bench.term import populate
    from organisation.models import County
    from policy.models import Policy

    rng = random.Random(SEED)
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)):
        populate(contracts=directors, today=TODAY, rng=rng)
        county = County.objects.get()
        policy = Policy.objects.get(county=county)
        scheme = ScoringScheme.objects.create(county=county, year=2026, title="2026年考核办法")
        ScoringItem.objects.bulk_create(
            [
                ScoringItem(
                    scheme=scheme,
                    order=i,
                    name=name,
                    kind=kind,
                    nature="quality",
                    basis="quantitative",
                    max_points=most,
                )
                for i, (name, kind, most) in enumerate(ITEMS, start=1)
            ]
        )
        items = list(scheme.items.all())

        # The county's ranking: one published month per township, a score per director.
        months = {}
        for township in county.townships.all():
            months[township.pk] = AssessmentMonth.objects.create(
                township=township, year=2026, month=10, scheme=scheme, policy=policy,
                state=MonthState.PUBLISHED,
            )  # fmt: skip
        from contracts.models import Contract

        rows = [
            MonthlyScore(
                month=months[c.township_id], person_id=c.person_id, contract_id=c.pk,
                village_id=c.post.village_id, scheme=scheme, base_pay=policy.monthly_pay,
                total=Decimal(rng.randrange(6000, 10001)) / 100,
            )
            for c in Contract.objects.select_related("post")
        ]  # fmt: skip
        MonthlyScore.objects.bulk_create(rows, batch_size=2000)
        started = time.perf_counter()
        ranking = county_ranking(county, 2026, 10)
        elapsed = time.perf_counter() - started
        assert len(ranking) == len(rows)
        yield f"assessment.ranking_{directors}_ms", elapsed * 1000, "ms"

        # A township of 30 directors, open to published.
        township = _township_of_30(county, policy, rng)
        office = User.objects.create(username="bench-office", role=Role.TOWNSHIP_OFFICE,
                                     county=county, township=township)  # fmt: skip
        committee = User.objects.create(username="bench-committee",
                                        role=Role.TOWNSHIP_COMMITTEE, county=county,
                                        township=township)  # fmt: skip
        # A web or job process that has issued a document before has WeasyPrint, the fonts'
        # coverage and the URL patterns loaded: load them before the clock starts.
        from paperwork.services import printing_warm_up

        printing_warm_up()
        started = time.perf_counter()
        month = month_open(township=township, year=2026, month=10, by=office)
        for score in month.scores.all():
            # Each director has a level (60 %–100 % of an item's points): a township's usual
            # spread, a few below the warning line, not half of them.
            level = rng.uniform(0.6, 1.0)
            points = {
                str(item.pk): str(round(float(item.max_points) * level, 2)
                                  if item.kind == "scored" else 0)
                for item in items
            }  # fmt: skip
            score_record(score=score, points=points, by=office)
        month_finish_scoring(month=month, by=office)
        month_publish(month=month, by=committee)
        yield "assessment.month_township_s", time.perf_counter() - started, "s"


def run(*, directors: int = 20_000, database: bool = True) -> Iterator[tuple[str, float, str]]:
    """``database=False`` uses the database already set up (in a test)."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(directors=directors)
