"""The pages people open first, at the size of a small county and of a large one: the county
dashboard, the county's contract list and a director's portal.

Set-up, not timed: a fresh test database of DJANGO_SETTINGS_MODULE (in-memory SQLite by
default; ``test_<name>`` on PostgreSQL when DATABASE_URL points there), migrated. ``populate``
writes one county of 20 townships with ``bulk_create``: its directors in post (two posts a
village, about 2 % of the posts vacant with their vacancies open, some past the refill
deadline), each with a contract in force begun within the last three years (three in four
hired by open selection, the others imported) and, for one post in ten, the contract of a
director who left before them; three years of published monthly scores (36 months a
township, one score a director a month, ranked); this year's refresher course and four
sessions a township with their attendance, last year's refresher; this year's
target-responsibility agreements (most signed, some drafted, some missing); last year's
confirmed appraisals and the townships' reward settlements (settled, proposed, overdue or
missing); three open dismissal cases a township; a county HR officer and one director's
account. The small county (100 directors) is measured first, then the large one (20,000)
in the same database. Each page is fetched through Django's test client as the user who
would read it, warmed once, then timed: the median of ``SAMPLES`` fetches, server time in
milliseconds, and the SQL queries of one fetch.

- portal.dashboard_ms_<n> / portal.dashboard_queries_<n>: the county dashboard ("/" as
  county HR: work waiting, deadlines by township, training compliance, the monthly ranking
  with its heat map, the stability measures of the last twelve months) with 100 and with
  20,000 directors;
- portal.contracts_ms_<n> / portal.contracts_queries_<n>: the county's contract list, first
  page (pinyin order);
- portal.portal_ms_<n> / portal.portal_queries_<n>: a director's "/" (their portal).

Targets (the dashboards issue): the queries of each page equal at both sizes, and the time at
20,000 within twice the time at 100. DEBUG is off while measuring (see ``run``).
"""

import datetime
import random
import statistics
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

SEED = 20261130
TOWNSHIPS = 20
POSTS_PER_VILLAGE = 2
MONTHS = 36
SAMPLES = 7
SIZES = (100, 20_000)
TODAY = datetime.date(2026, 11, 30)
BATCH = 5000


def _county(tag: str):
    from organisation.models import County, Township
    from policy.models import Policy

    county = County.objects.create(
        name=f"基准{tag}县", short_name=f"基准{tag}县", hr_office=f"基准{tag}县卫生健康局"
    )
    policy = Policy.objects.create(
        county=county,
        version=1,
        effective_from=datetime.date(2014, 7, 9),
        title="关岭自治县进一步加强村级人口计生队伍职业化建设实施方案",
    )
    Township.objects.bulk_create(
        [
            Township(county=county, name=f"{tag}第{n + 1:02d}镇", government=f"第{n + 1}镇人民政府")
            for n in range(TOWNSHIPS)
        ]
    )
    townships = list(Township.objects.filter(county=county).order_by("pk"))
    return county, policy, townships


def _people(count: int, rng: random.Random, serial, *, townships_of: list) -> list:
    from bench.lists import generated_person
    from core.education import Education
    from people.models import Person

    rows = []
    for township, village in townships_of[:count]:
        rows.append(
            generated_person(
                rng,
                serial,
                education=Education.JUNIOR_HIGH if rng.random() < 0.12 else "",
                township=township,
                village=village,
            )
        )
    first = Person.objects.count()
    Person.objects.bulk_create(rows, batch_size=BATCH)
    return list(Person.objects.order_by("pk")[first:])


def populate(*, directors: int, today: datetime.date, rng: random.Random, tag: str):
    """One county with ``directors`` directors in post and their records (module
    docstring). Returns (county HR, a director's account)."""
    from accounts.constants import Role
    from accounts.models import User
    from bench.lists import _Serial
    from contracts.constants import (
        ContractOrigin,
        ContractState,
        EndReason,
        InductionSource,
        VacancyCause,
        VacancyState,
    )
    from contracts.dates import refill_due
    from contracts.models import Contract, Vacancy
    from contracts.services.drafting import contract_end_date
    from core.text import pinyin_key
    from organisation.models import Post, Village
    from workdays.calendar import add_years

    county, policy, townships = _county(tag)
    hr = User.objects.create(
        username=f"bench_hr_{tag}", role=Role.COUNTY_HR, county=county, password="!"
    )
    per_township = max(1, directors // TOWNSHIPS)
    seats_each = per_township + max(1, per_township // 50)  # about 2 % more posts: vacant
    villages_each = -(-seats_each // POSTS_PER_VILLAGE)
    Village.objects.bulk_create(
        [
            Village(
                township=township,
                name=f"{township.name}{v + 1}村",
                name_pinyin=pinyin_key(f"{township.name}{v + 1}村"),
                registered_population=3000,
                population_effective_date=datetime.date(2026, 1, 1),
            )
            for township in townships
            for v in range(villages_each)
        ],
        batch_size=BATCH,
    )
    villages = list(Village.objects.filter(township__county=county).order_by("pk"))
    by_township: dict[int, list] = {}
    for village in villages:
        by_township.setdefault(village.township_id, []).append(village)
    seats, vacant_seats = [], []
    for township in townships:
        places = [(township, v, n + 1) for v in by_township[township.pk] for n in range(2)]
        seats += places[:per_township]
        vacant_seats += places[per_township:seats_each]
    serial = _Serial(Contract.objects.count() * 2 + 1000)
    people = _people(len(seats), rng, serial, townships_of=[(t, v) for t, v, _n in seats])
    Post.objects.bulk_create(
        [
            Post(village=village, number=number, holder=person)
            for (_t, village, number), person in zip(seats, people, strict=True)
        ]
        + [Post(village=village, number=number) for _t, village, number in vacant_seats],
        batch_size=BATCH,
    )
    posts = {
        (p.village_id, p.number): p
        for p in Post.objects.filter(village__township__county=county).order_by("pk")
    }
    # Those who left: one post in ten, and every vacant post, had a director before.
    left_seats = [s for i, s in enumerate(seats) if i % 10 == 3] + vacant_seats
    former = _people(len(left_seats), rng, serial, townships_of=[(t, v) for t, v, _n in left_seats])
    contracts, starts = [], {}
    for (township, village, number), person in zip(seats, people, strict=True):
        begins = today - datetime.timedelta(days=rng.randrange(60, 3 * 365 - 30))
        starts[(village.pk, number)] = begins
        hired = rng.random() < 0.75
        contracts.append(
            Contract(
                person=person, post=posts[(village.pk, number)], township=township,
                policy=policy, state=ContractState.ACTIVE, term_years=3, start_date=begins,
                end_date=contract_end_date(begins, 3), monthly_pay=policy.monthly_pay,
                origin=ContractOrigin.HIRE if hired else ContractOrigin.IMPORT,
                activated_on=begins, filed_on=begins, induction_on=begins,
                induction_source=InductionSource.RECORDED if hired else InductionSource.IMPORTED,
            )
        )  # fmt: skip
    vacancy_rows = []
    for (township, village, number), person in zip(left_seats, former, strict=True):
        vacant = (village.pk, number) not in starts
        last_day = (
            today - datetime.timedelta(days=rng.randrange(5, 100))
            if vacant
            else starts[(village.pk, number)] - datetime.timedelta(days=1)
        )
        begins = add_years(last_day, -2)
        contracts.append(
            Contract(
                person=person, post=posts[(village.pk, number)], township=township,
                policy=policy, state=ContractState.TERMINATED, term_years=3, start_date=begins,
                end_date=contract_end_date(begins, 3), monthly_pay=policy.monthly_pay,
                origin=ContractOrigin.HIRE, activated_on=begins, filed_on=begins,
                induction_on=begins, induction_source=InductionSource.RECORDED,
                ended_on=last_day, end_reason=EndReason.RESIGNATION,
            )
        )  # fmt: skip
        if vacant:
            opened = last_day + datetime.timedelta(days=1)
            vacancy_rows.append(
                Vacancy(
                    post=posts[(village.pk, number)], township=township, policy=policy,
                    state=VacancyState.ACTING if rng.random() < 0.6 else VacancyState.OPEN,
                    cause=VacancyCause.CONTRACT_ENDED, opened_on=opened,
                    refill_due=refill_due(opened, policy.vacancy_refill_months),
                )
            )  # fmt: skip
    Contract.objects.bulk_create(contracts, batch_size=BATCH)
    in_force = list(
        Contract.objects.filter(township__county=county, state=ContractState.ACTIVE)
        .select_related("post")
        .order_by("pk")
    )
    acting = iter(in_force)
    for vacancy in vacancy_rows:
        if vacancy.state == VacancyState.ACTING:
            vacancy.acting_person_id = next(acting).person_id
            vacancy.acting_from = vacancy.opened_on
    Vacancy.objects.bulk_create(vacancy_rows, batch_size=BATCH)
    _scores(county, policy, townships, in_force, today, rng)
    _training(county, townships, in_force, today, rng, by=hr)
    _agreements(county, policy, in_force, today, rng)
    _appraisals(county, policy, townships, in_force, today, rng)
    _cases(policy, townships, in_force, today)
    director = User.objects.create(
        username=f"bench_director_{tag}",
        role=Role.DIRECTOR,
        county=county,
        township_id=in_force[0].township_id,
        village_id=in_force[0].post.village_id,
        person_id=in_force[0].person_id,
        password="!",
    )
    return hr, director


def _scores(county, policy, townships, in_force, today, rng) -> None:
    """Thirty-six published months a township, up to last month: a ranked score a
    director a month."""
    from assessment.constants import MonthState
    from assessment.models import AssessmentMonth, MonthlyScore, ScoringItem, ScoringScheme
    from assessment.pay import competition_ranks
    from assessment.selectors import months_back
    from bench.assessment import ITEMS

    last = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    months = months_back(last, MONTHS)
    schemes = {}
    for year in sorted({y for y, _m in months}):
        scheme = ScoringScheme.objects.create(county=county, year=year, title=f"{year}年考核办法")
        ScoringItem.objects.bulk_create(
            [
                ScoringItem(scheme=scheme, order=i, name=name, kind=kind, nature="quality",
                            basis="quantitative", max_points=most)
                for i, (name, kind, most) in enumerate(ITEMS, start=1)
            ]
        )  # fmt: skip
        schemes[year] = scheme
    AssessmentMonth.objects.bulk_create(
        [
            AssessmentMonth(
                township=t, year=y, month=m, scheme=schemes[y], policy=policy,
                state=MonthState.PUBLISHED if (y, m) == last else MonthState.SETTLED,
            )
            for t in townships
            for y, m in months
        ],
        batch_size=BATCH,
    )  # fmt: skip
    month_of = {
        (a.township_id, a.year, a.month): a
        for a in AssessmentMonth.objects.filter(township__county=county)
    }
    by_township: dict[int, list] = {}
    for contract in in_force:
        by_township.setdefault(contract.township_id, []).append(contract)
    pay = policy.monthly_pay
    rows, published = [], []
    for township in townships:
        contracts = by_township.get(township.pk, [])
        level = Decimal(rng.randrange(7000, 9500)) / 100  # each township has its own level
        for year, month in months:
            totals = sorted(
                (
                    (min(Decimal(100), level + Decimal(rng.randrange(-1500, 1000)) / 100), c)
                    for c in contracts
                ),
                key=lambda pair: -pair[0],
            )
            ranks = competition_ranks(total for total, _c in totals)
            record = month_of[(township.pk, year, month)]
            if totals:  # the month's figures, as publishing stores them
                mean = sum((total for total, _c in totals), Decimal(0)) / len(totals)
                record.scored_count = len(totals)
                record.mean_total = mean.quantize(Decimal("0.01"), ROUND_HALF_UP)
                published.append(record)
            for (total, contract), rank in zip(totals, ranks, strict=True):
                percent = Decimal(0) if total >= 90 else Decimal(5) if total >= 80 else Decimal(10)
                deduction = (pay * percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                rows.append(
                    MonthlyScore(
                        month=record, person_id=contract.person_id, contract=contract,
                        village_id=contract.post.village_id, scheme=record.scheme, points={},
                        total=total, rank=rank, base_pay=pay, deduction_percent=percent,
                        deduction=deduction, pay=pay - deduction,
                    )
                )  # fmt: skip
            if len(rows) >= 50_000:
                MonthlyScore.objects.bulk_create(rows, batch_size=BATCH)
                rows = []
    MonthlyScore.objects.bulk_create(rows, batch_size=BATCH)
    AssessmentMonth.objects.bulk_update(published, ["scored_count", "mean_total"], batch_size=500)


def _training(county, townships, in_force, today, rng, *, by) -> None:
    """This year's refresher and four sessions a township, last year's refresher, and who
    attended them."""
    from training.constants import CourseKind
    from training.models import Attendance, Course

    def course(kind, year, month, township=None):
        day = datetime.date(year, month, 10)
        return Course(
            county=county, township=township, kind=kind, year=year,
            title=f"{year}年{month}月培训", starts_on=day,
            ends_on=day + datetime.timedelta(days=2), days=Decimal(3), hours=Decimal(18),
            created_by=by,
        )  # fmt: skip

    Course.objects.bulk_create(
        [course(CourseKind.REFRESHER, year, 6) for year in (today.year - 1, today.year)]
        + [
            course(CourseKind.TOWNSHIP_SESSION, today.year, month, township)
            for township in townships
            for month in (2, 5, 8, 10)
        ]
    )
    refreshers = {
        c.year: c for c in Course.objects.filter(county=county, kind=CourseKind.REFRESHER)
    }
    sessions: dict[int, list] = {}
    for c in Course.objects.filter(county=county, kind=CourseKind.TOWNSHIP_SESSION):
        if c.township_id is not None:
            sessions.setdefault(c.township_id, []).append(c)
    rows = []
    for contract in in_force:
        for year in (today.year - 1, today.year):
            if rng.random() < 0.9:
                rows.append(
                    Attendance(course=refreshers[year], person_id=contract.person_id,
                               days=Decimal(3), hours=Decimal(18), recorded_by=by)
                )  # fmt: skip
        for session in sessions[contract.township_id][: rng.choice((2, 3, 4, 4))]:
            rows.append(
                Attendance(course=session, person_id=contract.person_id, days=Decimal(3),
                           hours=Decimal(18), recorded_by=by)
            )  # fmt: skip
    Attendance.objects.bulk_create(rows, batch_size=BATCH)


def _agreements(county, policy, in_force, today, rng) -> None:
    from agreements.constants import AgreementState
    from agreements.models import AgreementTemplate, TargetAgreement

    template = AgreementTemplate.objects.create(
        county=county, year=today.year, title=f"{today.year}年目标管理责任书"
    )
    drafted = datetime.date(today.year, 2, 20)
    signed = datetime.date(today.year, 3, 10)
    rows = []
    for contract in in_force:
        draw = rng.random()
        if draw < 0.04:
            continue  # none drafted
        done = draw >= 0.10
        rows.append(
            TargetAgreement(
                template=template, township_id=contract.township_id,
                village_id=contract.post.village_id, person_id=contract.person_id,
                contract=contract, policy=policy, year=today.year,
                state=AgreementState.SIGNED if done else AgreementState.DRAFTED,
                drafted_on=drafted, township_signatory="计生办" if done else "",
                township_signed_on=signed if done else None,
                village_signatory="村两委" if done else "",
                village_signed_on=signed if done else None,
                director_signed_on=signed if done else None,
            )
        )  # fmt: skip
    TargetAgreement.objects.bulk_create(rows, batch_size=BATCH)


def _appraisals(county, policy, townships, in_force, today, rng) -> None:
    """Last year's confirmed appraisals, and the townships' settlements: most settled, some
    proposed (past the deadline), two without a list."""
    from appraisal.constants import AppraisalState, SettlementState
    from appraisal.models import AnnualAppraisal, RewardSettlement
    from appraisal.services.rewards import settlement_due
    from assessment.models import ScoringScheme
    from policy.constants import Grade

    year = today.year - 1
    scheme = ScoringScheme.objects.get(county=county, year=year)
    AnnualAppraisal.objects.bulk_create(
        [
            AnnualAppraisal(
                person_id=c.person_id, contract=c, township_id=c.township_id, year=year,
                policy=policy, scheme=scheme, state=AppraisalState.CONFIRMED,
                grade=Grade.COMPETENT, score=Decimal("82.50"),
            )
            for c in in_force
        ],
        batch_size=BATCH,
    )  # fmt: skip
    due = settlement_due(year, policy)
    RewardSettlement.objects.bulk_create(
        [
            RewardSettlement(
                township=t, year=year, policy=policy, due_on=due,
                state=SettlementState.SETTLED if n % 5 else SettlementState.PROPOSED,
                settled_on=datetime.date(today.year, 2, 20) if n % 5 else None,
                overdue_since=None if n % 5 else due + datetime.timedelta(days=1),
            )
            for n, t in enumerate(townships[:-2])
        ]
    )  # fmt: skip


def _cases(policy, townships, in_force, today) -> None:
    from contracts.constants import CaseState
    from contracts.models import DismissalCase

    by_township: dict[int, list] = {}
    for contract in in_force:
        by_township.setdefault(contract.township_id, []).append(contract)
    DismissalCase.objects.bulk_create(
        [
            DismissalCase(
                contract=contract, township_id=contract.township_id, policy=policy,
                state=CaseState.OPENED, opened_on=today - datetime.timedelta(days=10 + n),
                summary="计划生育台帐管理混乱",
                statement_due=today + datetime.timedelta(days=n),
            )
            for township in townships
            for n, contract in enumerate(by_township.get(township.pk, [])[-3:])
        ]
    )  # fmt: skip


# Measuring -------------------------------------------------------------------------------------


def _settle() -> None:
    """Fresh statistics for the planner, as a database in use has."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        elif connection.vendor in ("postgresql", "sqlite"):
            cursor.execute("ANALYZE")


def page_figures(client, user, url: str, samples: int) -> tuple[float, int]:
    """(median milliseconds, SQL queries) of fetching ``url`` as ``user``, warmed once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)  # read now: the next request empties the log
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), queries


def measure(*, sizes: tuple[int, ...], samples: int) -> Iterator[tuple[str, float, str]]:
    import time_machine
    from django.test import Client
    from django.urls import reverse

    rng = random.Random(SEED)
    client = Client(HTTP_HOST="localhost")  # an allowed host outside the test runner
    # 10:00 in Guanling on the measured day.
    now = datetime.datetime(TODAY.year, TODAY.month, TODAY.day, 2, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=True):
        for size in sizes:
            hr, director = populate(directors=size, today=TODAY, rng=rng, tag=str(size))
            _settle()
            pages = [
                ("dashboard", hr, reverse("web:dashboard")),
                ("contracts", hr, reverse("contracts:list")),
                ("portal", director, reverse("web:dashboard")),
            ]
            for name, user, url in pages:
                ms, queries = page_figures(client, user, url, samples)
                yield f"portal.{name}_ms_{size}", ms, "ms"
                yield f"portal.{name}_queries_{size}", queries, "queries"


def run(
    *, sizes: tuple[int, ...] = SIZES, samples: int = SAMPLES, database: bool = True
) -> Iterator[tuple[str, float, str]]:
    """``database=False`` uses the database already set up (in a test).

    DEBUG is off while measuring: with DEBUG on, every query's SQL is also kept."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(sizes=sizes, samples=samples)
