"""Loading the demo county of ``demo.data``: idempotent, one transaction, audited.

Everything is looked up by its natural key (county name, township name, village name within
its township, ID number, username) and created only when missing (the head of a township's
recruitment leading group is recorded only where the township has none); nothing that exists is
changed, so a second run writes nothing and takes a few queries. Villages, people and policy
go through their services, so the audit trail of a demo county looks like a real one; the
actor is recorded as the system (no user).

Passwords are set when an account is created. A later run leaves them alone (someone may have
changed theirs while trying the product); ``reset_passwords=True`` sets the printed ones again.
"""

import datetime
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.models import User
from accounts.services import user_create
from audit.services import audited_create, audited_update
from core.identity import check_digit
from demo import data
from organisation.constants import PostStatus, VillageKind
from organisation.models import County, Post, Township, Village
from organisation.services import village_create
from people.models import Person
from people.services import person_create
from policy.models import Policy, default_quota_tiers
from policy.services import policy_create_version

# Stored with the records, like the demo's names: in the county's language.
REASON = "演示县数据（manage.py load_demo 载入）"


@dataclass(frozen=True)
class PlannedPerson:
    """A person the demo county should have; ``post_number`` set for a director."""

    name: str
    id_number: str
    phone: str
    education: str
    school: str
    graduation_year: int
    township: str
    village: str
    household_registration: str
    post_number: int | None = None


@dataclass
class DemoResult:
    created: Counter = field(default_factory=Counter)
    passwords_reset: int = 0
    accounts: list[tuple[data.DemoAccount, User]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or self.passwords_reset)


def _id_number(birth: datetime.date, order: int) -> str:
    first17 = f"{data.REGION_CODE}{birth:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def _household(township: str, village: str, group: int) -> str:
    place = f"{data.PROVINCE_PREFIX}{data.COUNTY['name']}{township}{village}"
    if data.village_kind(village) == VillageKind.VILLAGE:
        return f"{place}{group}组"
    return f"{place}第{group}居民小组"


class _Planner:
    """Draws the people of the demo county from one seeded random generator."""

    def __init__(self) -> None:
        self.rng = random.Random(data.SEED)
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def phone(self) -> str:
        while True:
            number = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def identity(self, male: bool) -> tuple[datetime.date, str]:
        start = datetime.date(1975, 1, 1)
        span = (datetime.date(2002, 12, 31) - start).days
        birth = start + datetime.timedelta(days=self.rng.randrange(span + 1))
        while True:
            order = self.rng.randrange(1000)
            if order % 2 != int(male):  # the 17th digit is odd for men, even for women
                order = order ^ 1
            number = _id_number(birth, order)
            if number not in self.ids:
                self.ids.add(number)
                return birth, number

    def schooling(self, birth: datetime.date, *, director: bool) -> tuple[str, str, int]:
        if director or self.rng.random() > 0.15:
            level, years, schools = self.rng.choices(
                data.EDUCATIONS, weights=data.EDUCATION_WEIGHTS
            )[0]
        else:
            level, years, schools = self.rng.choice(data.LOW_EDUCATIONS)
        return level, self.rng.choice(schools), birth.year + years

    def person(self, township: str, village: str, post_number: int | None) -> PlannedPerson:
        male = self.rng.random() < 0.5
        if self.rng.random() < data.RARE_NAME_SHARE:
            names = data.RARE_GIVEN_NAMES_MALE if male else data.RARE_GIVEN_NAMES_FEMALE
        else:
            names = data.GIVEN_NAMES_MALE if male else data.GIVEN_NAMES_FEMALE
        given = self.rng.choice(names)
        name = self.rng.choice(data.SURNAMES) + given
        birth, number = self.identity(male)
        education, school, year = self.schooling(birth, director=post_number is not None)
        return PlannedPerson(
            name=name,
            id_number=number,
            phone=self.phone(),
            education=education,
            school=school,
            graduation_year=year,
            township=township,
            village=village,
            household_registration=_household(township, village, self.rng.randint(1, 12)),
            post_number=post_number,
        )

    def named(self, person: data.NamedPerson) -> PlannedPerson:
        number = _id_number(person.birth_date, person.order)
        self.ids.add(number)
        level = next(e for e in data.EDUCATIONS if e[0] == person.education)
        return PlannedPerson(
            name=person.name,
            id_number=number,
            phone=self.phone(),
            education=person.education,
            school=level[2][0],
            graduation_year=person.birth_date.year + level[1],
            township=person.township,
            village=person.village,
            household_registration=_household(person.township, person.village, 1),
            post_number=person.post_number,
        )


def demo_plan() -> list[PlannedPerson]:
    """The people of the demo county, the same on every machine.

    About two thirds of the posts that the default quota gives (``data.OCCUPIED_SHARE``) get a
    director; the named people of ``data.NAMED_PEOPLE`` take the posts given to them.
    """
    planner = _Planner()
    people = [planner.named(p) for p in data.NAMED_PEOPLE]
    quota = Policy(quota_tiers=default_quota_tiers()).posts_for_population
    slots = [
        (township.name, village, number)
        for township in data.TOWNSHIPS
        for village, population in township.villages
        for number in range(1, quota(population) + 1)
    ]
    taken = {(p.township, p.village, p.post_number) for p in people if p.post_number}
    free = [slot for slot in slots if slot not in taken]
    wanted = round(len(slots) * data.OCCUPIED_SHARE) - len(taken)
    chosen = set(planner.rng.sample(free, wanted))
    people += [planner.person(*slot) for slot in free if slot in chosen]
    villages = [(t.name, v) for t in data.TOWNSHIPS for v, _ in t.villages]
    for _ in range(data.APPLICANTS):
        township, village = planner.rng.choice(villages)
        people.append(planner.person(township, village, None))
    return people


def named_person_id(name: str) -> str:
    person = next(p for p in data.NAMED_PEOPLE if p.name == name)
    return _id_number(person.birth_date, person.order)


def _email(account: data.DemoAccount) -> str:
    return f"{account.username}@example.cn"


def _load_county(result: DemoResult) -> County:
    county = County.objects.filter(name=data.COUNTY["name"]).first()
    if county is None:
        county = County(**data.COUNTY)
        audited_create(county, by=None, reason=REASON)
        result.created["counties"] += 1
    if not Policy.objects.filter(county=county, title=data.POLICY_TITLE).exists():
        policy_create_version(
            county=county,
            by=None,
            effective_from=data.POLICY_EFFECTIVE_FROM,
            title=data.POLICY_TITLE,
            note=data.POLICY_NOTE,
        )
        result.created["policy versions"] += 1
    return county


def _load_villages(county: County, result: DemoResult) -> dict[tuple[str, str], Village]:
    townships = {t.name: t for t in Township.objects.filter(county=county)}
    villages = {
        (v.township.name, v.name): v
        for v in Village.objects.filter(township__county=county).select_related("township")
    }
    for item in data.TOWNSHIPS:
        township = townships.get(item.name)
        if township is None:
            township = Township(
                county=county, name=item.name, kind=item.kind, government=item.government
            )
            audited_create(township, by=None, reason=REASON)
            townships[item.name] = township
            result.created["townships"] += 1
        for name, population in item.villages:
            if (item.name, name) in villages:
                continue
            villages[item.name, name] = village_create(
                township=township,
                name=name,
                kind=data.village_kind(name),
                registered_population=population,
                population_effective_date=data.POPULATION_DATE,
                by=None,
            )
            result.created["villages"] += 1
    return villages


def _load_people(
    county: County, villages: dict[tuple[str, str], Village], result: DemoResult
) -> None:
    plan = demo_plan()
    existing = set(
        Person.objects.filter(id_number__in=[p.id_number for p in plan]).values_list(
            "id_number", flat=True
        )
    )
    missing = [p for p in plan if p.id_number not in existing]
    if not missing:
        return
    vacant = {
        (post.village_id, post.number): post
        for post in Post.objects.filter(
            village__township__county=county, status=PostStatus.ACTIVE, holder__isnull=True
        ).select_related("village__township")
    }
    for planned in missing:
        village = villages[planned.township, planned.village]
        person = person_create(
            by=None,
            reason=REASON,
            name=planned.name,
            id_number=planned.id_number,
            phone=planned.phone,
            education=planned.education,
            school=planned.school,
            graduation_year=planned.graduation_year,
            household_registration=planned.household_registration,
            township=village.township,
            village=village,
        )
        result.created["people"] += 1
        if planned.post_number is None:
            continue
        post = vacant.pop((village.pk, planned.post_number), None)
        if post is not None:  # a post taken or abolished since is left alone
            audited_update(post, {"holder": person}, by=None, reason=REASON)
            result.created["directors seated"] += 1


def _load_accounts(
    county: County,
    villages: dict[tuple[str, str], Village],
    hashes: dict[str, str],
    result: DemoResult,
) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[a.username for a in data.ACCOUNTS]
        ).select_related("county", "township", "village__township", "person")
    }
    for account in data.ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            village = villages.get((account.township, account.village))
            person = (
                Person.objects.get(id_number=named_person_id(account.person))
                if account.person
                else None
            )
            user = User(
                username=account.username,
                email=_email(account),
                first_name=account.first_name,
                last_name=account.last_name,
                role=account.role,
                county=county,
                township=(
                    Township.objects.get(county=county, name=account.township)
                    if account.township
                    else None
                ),
                village=village if account.village else None,
                person=person,
                password=hashes[account.username],
            )
            user_create(user=user, by=None, reason=REASON)
            result.created["users"] += 1
        elif account.username in hashes and user.role == account.role:
            audited_update(
                user,
                {"password": hashes[account.username]},
                by=None,
                reason=f"{REASON}：密码重置为演示密码",
            )
            result.passwords_reset += 1
        result.accounts.append((account, user))
    _load_leading_group_heads(county, result)


def _load_leading_group_heads(county: County, result: DemoResult) -> None:
    """Record the head of each demo township's recruitment leading group, where the township
    has none yet (a head chosen since is kept)."""
    heads = {
        account.township: user
        for account, user in result.accounts
        if account.heads_leading_group
        and user.role == account.role
        and user.township is not None
        and user.township.name == account.township
    }
    for township in Township.objects.filter(
        county=county, name__in=list(heads), leading_group_head__isnull=True
    ):
        audited_update(
            township, {"leading_group_head": heads[township.name]}, by=None, reason=REASON
        )
        result.created["leading-group heads"] += 1


def demo_load(*, reset_passwords: bool = False) -> DemoResult:
    """Create whatever part of the demo county is missing and return what was done."""
    existing = set(
        User.objects.filter(username__in=[a.username for a in data.ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    # Hashing is the slow part (PBKDF2, a fifth of a second each), so it happens before the
    # transaction starts, in parallel (hashlib releases the GIL), and only for the accounts
    # that will be written.
    to_hash = [a for a in data.ACCOUNTS if a.username not in existing or reset_passwords]
    for account in to_hash:
        validate_password(
            account.password,
            User(
                username=account.username,
                email=_email(account),
                first_name=account.first_name,
                last_name=account.last_name,
            ),
        )
    with ThreadPoolExecutor() as pool:
        hashes = dict(
            zip(
                [a.username for a in to_hash],
                pool.map(make_password, [a.password for a in to_hash]),
                strict=True,
            )
        )
    result = DemoResult()
    with transaction.atomic():
        county = _load_county(result)
        villages = _load_villages(county, result)
        _load_people(county, villages, result)
        _load_accounts(county, villages, hashes, result)
    return result
