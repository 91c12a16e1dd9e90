"""List pages at the size of a large county: 20,000 people and 1,500 villages.

Set-up, not timed: a fresh test database of DJANGO_SETTINGS_MODULE (in-memory SQLite by
default; ``test_<name>`` on PostgreSQL when DATABASE_URL points there), migrated, with one
county of 20 townships. It is first filled to the demo county's size (176 people, 150
villages) and measured, then grown to 20,000 people and 1,500 villages and measured again.
``populate`` writes with ``bulk_create``: villages with their posts, people with names drawn
from common surnames and given names by a seeded generator, one document and two audit
entries per person, five campaigns per township with their applications, reserve lists,
waivers and history. The same builder grows the data of the query-count tests
(``tests/test_perf_lists.py``).

Each page is fetched through Django's test client as the user who would read it (county HR,
or the township committee member), warmed once, then timed: the median of ``SAMPLES`` (5)
fetches, in milliseconds, at the large size. ``..._ratio`` is that time divided by the time
of the same page at the demo's size (1.0 means the page does not slow down with the data).
Where the demo's page has fewer rows than a full page (a township's villages: 7 against 50;
campaigns: 1 against 50), the ratio includes drawing the extra rows.

- lists.people_ms / _ratio: the people list of the county, first page (pinyin order).
- lists.people_search_ms / _ratio: the county-wide people search by a full name.
- lists.people_pinyin_ms / _ratio: the same search typed in pinyin.
- lists.villages_ms / _ratio: the village list of a township (75 villages at the large size).
- lists.townships_ms / _ratio: the township list of the county.
- lists.audit_county_ms / _ratio, lists.audit_township_ms / _ratio: the audit log of the
  county (county HR) and of a township (its committee member), first page.
- lists.documents_ms / _ratio, lists.documents_search_ms / _ratio: the document list of the
  county, first page, and searched by a person's name.
- lists.campaigns_ms / _ratio: the campaign list of the county.
- lists.campaign_detail_ms / _ratio: a campaign's page with 40 history entries.

On PostgreSQL the tables are vacuumed and analysed after each fill, as autovacuum would.
DEBUG is off while measuring, as in production (see ``run``).
"""

import datetime
import hashlib
import random
import statistics
import time
from collections.abc import Iterator
from decimal import Decimal

SEED = 20261129
SAMPLES = 5
REGION = "520424"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤岑伍"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥燕玲建国志春梅海文斌晓云飞鹏"
    "辉琴慧婷雪林波宇浩凯欣怡佳琳瑶昇堃喆䶮"
)
VILLAGE_HEAD = "新大小上下中东西南北高坪坝寨沟坡岩田河山湾塘口营屯堡花石青白黄龙凤安乐永兴德和"
VILLAGE_TAIL = "寨坝坡田河湾塘口营屯堡冲箐场坪庄岭溪关坳"


def _check_digit(first17: str) -> str:
    from core.identity import check_digit

    return check_digit(first17)


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _village_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(VILLAGE_HEAD) + rng.choice(VILLAGE_TAIL) + "村"
        if name in taken:
            name = rng.choice(VILLAGE_HEAD) + name
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


class _Serial:
    """ID numbers that no earlier call gave: a birth day and an order code per person."""

    def __init__(self, start: int):
        self.next = start

    def id_number(self) -> tuple[str, datetime.date, str]:
        n = self.next
        self.next += 1
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=n % 12000)
        order = n // 12000 % 1000
        first17 = f"{REGION}{birth:%Y%m%d}{order:03d}"
        return first17 + _check_digit(first17), birth, "M" if order % 2 else "F"


def generated_person(
    rng: random.Random, serial: "_Serial", *, name: str = "", education: str = "", **where
):
    """An unsaved person for bulk_create: a generated name (or ``name``) with its pinyin
    keys, a new ID number from ``serial``, a phone, 高中 (or ``education``) and the township
    and village given in ``where``."""
    from core.education import Education
    from core.text import pinyin_key
    from people.models import Person
    from people.search import name_search_key

    name = name or person_name(rng)
    number, birth, sex = serial.id_number()
    return Person(
        name=name,
        name_pinyin=pinyin_key(name),
        name_search=name_search_key(name),
        id_number=number,
        birth_date=birth,
        sex=sex,
        phone=f"139{rng.randrange(10**8):08d}",
        education=education or Education.HIGH_SCHOOL,
        household_registration="贵州省关岭布依族苗族自治县",
        **where,
    )


def populate(
    *,
    townships: list,
    villages: int,
    people: int,
    campaigns: int,
    applications: int,
    by,
    rng: random.Random,
    village=None,
    namesake: str = "",
) -> None:
    """Add, in each of ``townships``, ``villages`` villages (with one or two posts, about two
    thirds filled), ``people`` people (one document and two audit entries each; living in
    the new villages, or in ``village`` when given) and ``campaigns`` campaigns of
    ``applications`` applications each (see ``populate_campaign``). With ``namesake``, every
    fourth person and applicant has that name, for searches with many matches."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEntry
    from core.text import pinyin_key
    from organisation.models import Post, Village
    from people.models import Person

    serial = _Serial(Person.objects.count() + 1000)
    person_type = ContentType.objects.get_for_model(Person)
    for township in townships:
        taken = {name.lower() for name in township.villages.values_list("name", flat=True)}
        created = Village.objects.bulk_create(
            [
                Village(
                    township=township,
                    name=name,
                    name_pinyin=pinyin_key(name),
                    registered_population=rng.randrange(600, 6000),
                    population_effective_date=datetime.date(2026, 1, 1),
                )
                for name in _village_names(rng, villages, taken)
            ]
        )
        new_villages = list(Village.objects.filter(township=township).order_by("-pk")[:villages])
        assert len(created) == len(new_villages)
        rows = []
        for n in range(people):
            rows.append(
                generated_person(
                    rng,
                    serial,
                    name=namesake if namesake and n % 4 == 0 else "",
                    township=township,
                    village=village or (rng.choice(new_villages) if new_villages else None),
                )
            )
        Person.objects.bulk_create(rows, batch_size=1000)
        persons = list(Person.objects.filter(township=township).order_by("-pk")[:people])
        holders = iter(persons)
        posts = []
        for village in new_villages:
            for seat in (1, 2)[: 1 + village.registered_population // 2001]:
                holder = next(holders, None) if rng.random() < 0.67 else None
                posts.append(Post(village=village, number=seat, holder=holder))
        Post.objects.bulk_create(posts, batch_size=1000)
        add_documents(persons, township, by=by)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=by,
                    action=action,
                    content_type=person_type,
                    object_id=person.pk,
                    object_repr=str(person),
                    county_id=township.county_id,
                    township=township,
                    after={"name": person.name},
                )
                for person in persons
                for action in (AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE)
            ],
            batch_size=1000,
        )
        for index in range(campaigns):
            campaign = new_campaign(township, by=by, title=f"{township.name}选聘{index + 1}")
            populate_campaign(
                campaign,
                villages=new_villages[:3] or list(township.villages.all()[:3]),
                applications=applications,
                history=applications // 5,
                by=by,
                rng=rng,
                namesake=namesake,
            )


def add_documents(persons: list, township, *, by) -> None:
    """One stored contract (without a file) about each of ``persons``."""
    from django.contrib.contenttypes.models import ContentType

    from contracts.kinds import CONTRACT
    from paperwork.models import Document
    from people.models import Person

    person_type = ContentType.objects.get_for_model(Person)
    Document.objects.bulk_create(
        [
            Document(
                kind=CONTRACT,
                title="聘用合同",
                content_type=person_type,
                object_id=person.pk,
                subject_repr=str(person),
                template_name="paperwork/bench.html",
                template_version="1",
                issuing_body=township.issuing_body,
                county_id=township.county_id,
                township=township,
                person=person,
                file=f"documents/bench/{person.pk}.pdf",
                sha256=hashlib.sha256(str(person.pk).encode()).hexdigest(),
                size=1000,
                pages=1,
                produced_by=by,
            )
            for person in persons
        ],
        batch_size=1000,
    )


def new_campaign(township, *, by, title: str):
    """A concluded campaign of ``township`` under the county's first policy version."""
    from policy.models import Policy
    from recruitment.constants import CampaignState
    from recruitment.models import Campaign

    policy = Policy.objects.filter(county_id=township.county_id).order_by("pk").first()
    assert policy is not None, "the county needs a policy version"
    campaign = Campaign.objects.create(
        township=township,
        title=title,
        policy=policy,
        registration_start=datetime.date(2026, 3, 1),
        registration_end=datetime.date(2026, 3, 15),
        written_exam_at=datetime.datetime(2026, 4, 11, 1, 0, tzinfo=datetime.UTC),
        venue="考点",
        contact="0851-3682000",
        max_age=policy.first_hire_max_age,
        min_education=policy.min_education,
        written_weight=policy.written_weight,
        interview_weight=policy.interview_weight,
        written_pass_line=policy.written_pass_line,
        composite_pass_line=policy.composite_pass_line,
        shortlist_ratio=policy.interview_shortlist_ratio,
        interview_drop_extremes=True,
        notice_working_days=7,
        reserve_months=12,
        created_by=by,
    )
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CONCLUDED)
    campaign.refresh_from_db()
    return campaign


def populate_campaign(
    campaign,
    *,
    villages: list,
    applications: int,
    history: int,
    by,
    rng: random.Random,
    namesake: str = "",
) -> None:
    """Add ``applications`` applications to ``campaign`` over ``villages`` (offered, one seat
    each, when not yet): a tenth of them on the reserve list, each with an eligibility
    result (a document about the application) and one in ten with a pending waiver; and
    ``history`` audit entries of the campaign itself."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEntry
    from core.education import Education
    from paperwork.models import Document
    from recruitment.constants import ApplicationState, EligibilityRule
    from recruitment.kinds import ELIGIBILITY_RESULT
    from recruitment.models import Application, Campaign, CampaignPost, Waiver

    offers = []
    for village in villages:
        offer, _created = CampaignPost.objects.get_or_create(
            campaign=campaign, village=village, defaults={"seats": 1}
        )
        offers.append(offer)
    serial = _Serial(Application.objects.count() + 500_000)
    # Numbers continue after the campaign's own, so the campaign can be grown again.
    first = campaign.applications.count()
    rows = []
    for n in range(applications):
        number, birth, sex = serial.id_number()
        reserve = n % 10 == 0
        rows.append(
            Application(
                campaign=campaign,
                offer=offers[n % len(offers)],
                state=ApplicationState.RESERVE if reserve else ApplicationState.NOT_HIRED,
                name=namesake if namesake and n % 4 == 0 else person_name(rng),
                id_number=number,
                birth_date=birth,
                sex=sex,
                phone=f"138{rng.randrange(10**8):08d}",
                education=Education.HIGH_SCHOOL,
                school="关岭民族高级中学",
                graduation_year=2012,
                household_registration="贵州省关岭布依族苗族自治县",
                age_at_deadline=30,
                composite_score=Decimal(rng.randrange(1200, 1900)) / 20,
                rank=n // len(offers) + 1,
                admission_number=f"B{campaign.pk:05d}{first + n:05d}",
                exam_room=f"{n // 30 + 1:02d}",
                seat_number=n % 30 + 1,
                reserve_until=datetime.date(2027, 6, 30) if reserve else None,
            )
        )
    created = Application.objects.bulk_create(rows, batch_size=1000)
    if not created or created[0].pk is None:  # backends that do not return the keys
        created = list(campaign.applications.order_by("-pk")[:applications])
    Waiver.objects.bulk_create(
        [
            Waiver(
                application=application,
                rule=EligibilityRule.AGE,
                justification="长期从事村计生工作",
                requested_by=by,
            )
            for application in created[::10]
        ]
    )
    township = campaign.township
    application_type = ContentType.objects.get_for_model(Application)
    Document.objects.bulk_create(
        [
            Document(
                kind=ELIGIBILITY_RESULT,
                title="资格审查结果通知书",
                content_type=application_type,
                object_id=application.pk,
                subject_repr=str(application.public_repr),
                template_name="paperwork/bench.html",
                template_version="1",
                issuing_body=township.issuing_body,
                county_id=township.county_id,
                township=township,
                file=f"documents/bench/a{application.pk}.pdf",
                sha256=hashlib.sha256(str(application.pk).encode()).hexdigest(),
                size=1000,
                pages=1,
                produced_by=by,
            )
            for application in created
        ],
        batch_size=1000,
    )
    campaign_type = ContentType.objects.get_for_model(Campaign)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=by,
                action=AuditEntry.Action.TRANSITION,
                transition="conclude",
                content_type=campaign_type,
                object_id=campaign.pk,
                object_repr=str(campaign),
                county_id=township.county_id,
                township=township,
                before={"state": "publicised"},
                after={"state": "concluded"},
            )
            for _ in range(history)
        ],
        batch_size=1000,
    )


# Measuring -------------------------------------------------------------------------------------


def _world(rng: random.Random):
    """The county, its 20 townships, a county HR officer and a committee member of the first
    township."""
    from accounts.constants import Role
    from accounts.models import User
    from organisation.models import County, Township
    from policy.models import Policy

    county = County.objects.create(
        name=f"基准县{time.monotonic_ns()}", hr_office="关岭自治县卫生健康局"
    )
    Policy.objects.create(
        county=county, version=1, effective_from=datetime.date(2014, 7, 9), title="bench"
    )
    townships = [
        Township.objects.create(county=county, name=f"{rng.choice(VILLAGE_HEAD)}基准{i:02d}镇")
        for i in range(20)
    ]
    hr = User.objects.create(
        username=f"bench_hr{time.monotonic_ns()}", role=Role.COUNTY_HR, county=county
    )
    committee = User.objects.create(
        username=f"bench_committee{time.monotonic_ns()}",
        role=Role.TOWNSHIP_COMMITTEE,
        county=county,
        township=townships[0],
    )
    return county, townships, hr, committee


def _pages(townships, hr, committee, search_name: str, search_pinyin: str, campaign):
    from django.urls import reverse
    from django.utils.http import urlencode

    township = townships[0]
    return [
        ("people", hr, reverse("people:list")),
        ("people_search", hr, reverse("people:list") + "?" + urlencode({"q": search_name})),
        ("people_pinyin", hr, reverse("people:list") + "?" + urlencode({"q": search_pinyin})),
        ("villages", committee, reverse("organisation:township_detail", args=[township.pk])),
        ("townships", hr, reverse("organisation:township_list")),
        ("audit_county", hr, reverse("audit:list")),
        ("audit_township", committee, reverse("audit:list")),
        ("documents", hr, reverse("paperwork:list")),
        ("documents_search", hr, reverse("paperwork:list") + "?" + urlencode({"q": search_name})),
        ("campaigns", hr, reverse("recruitment:campaign_list")),
        ("campaign_detail", hr, reverse("recruitment:campaign_detail", args=[campaign.pk])),
    ]


def _settle() -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk load: statistics for the planner
    and the trigram index's pending entries merged (a GIN index scans them one by one)."""
    from django.db import connection

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _time(client, user, url: str, samples: int) -> float:
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(
    *,
    small: tuple[int, int],
    large: tuple[int, int],
    samples: int,
    campaigns: int = 5,
    applications: int = 200,
) -> Iterator[tuple[str, float, str]]:
    """``small`` and ``large``: (people, villages) of the whole county; the large size also
    has ``campaigns`` campaigns of ``applications`` applications in every township."""
    from django.test import Client
    from pypinyin import lazy_pinyin

    from people.models import Person

    rng = random.Random(SEED)
    county, townships, hr, committee = _world(rng)
    client = Client(HTTP_HOST="localhost")  # an allowed host outside the test runner

    def fill(people: int, villages: int) -> None:
        per_people = people // len(townships)
        per_villages = villages // len(townships)
        populate(
            townships=townships,
            villages=per_villages,
            people=per_people,
            campaigns=0,
            applications=0,
            by=hr,
            rng=rng,
        )

    fill(*small)
    campaign = new_campaign(townships[0], by=committee, title="基准选聘")
    populate_campaign(
        campaign,
        villages=list(townships[0].villages.all()[:3]),
        applications=40,
        history=40,
        by=committee,
        rng=rng,
    )
    # A full name of three characters: rare at both sizes, so that both searches show about
    # as many rows and the ratio is the cost of finding them
    name = next(p.name for p in Person.objects.filter(township__county=county) if len(p.name) == 3)
    pinyin = " ".join(lazy_pinyin(name))
    pages = _pages(townships, hr, committee, name, pinyin, campaign)
    _settle()
    before = {key: _time(client, user, url, samples) for key, user, url in pages}

    more_people, more_villages = large[0] - small[0], large[1] - small[1]
    fill(more_people, more_villages)
    for township in townships:
        for index in range(campaigns):
            grown = new_campaign(township, by=hr, title=f"{township.name}往年选聘{index + 1}")
            populate_campaign(
                grown,
                villages=list(township.villages.all()[:3]),
                applications=applications,
                history=10,
                by=hr,
                rng=rng,
            )
    _settle()
    for key, user, url in pages:
        after = _time(client, user, url, samples)
        yield f"lists.{key}_ms", after, "ms"
        yield f"lists.{key}_ratio", after / before[key], "x"


def run(
    *,
    small: tuple[int, int] = (176, 150),
    large: tuple[int, int] = (20_000, 1_500),
    samples: int = SAMPLES,
    campaigns: int = 5,
    applications: int = 200,
    database: bool = True,
) -> Iterator[tuple[str, float, str]]:
    """``database=False`` uses the database already set up (in a test).

    DEBUG is off while measuring: with DEBUG on, every query's SQL is also kept."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(
            small=small,
            large=large,
            samples=samples,
            campaigns=campaigns,
            applications=applications,
        )
