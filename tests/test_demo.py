"""The demo county: what ``load_demo`` builds, that it is idempotent and that its accounts work."""

import io
import random

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from demo import data
from demo.services import demo_load, demo_plan
from organisation.constants import PostStatus, TownshipKind, VillageKind
from organisation.models import County, Post, Township, Village
from people.constants import Education
from people.identity import parse_id_number, validate_mobile
from people.models import Person
from policy.models import Policy
from policy.selectors import policy_in_force

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "counties": County.objects.count(),
        "policies": Policy.objects.count(),
        "townships": Township.objects.count(),
        "villages": Village.objects.count(),
        "posts": Post.objects.count(),
        "occupied": Post.objects.filter(holder__isnull=False).count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


class TestLoadedCounty(TestCase):
    """Facts about a loaded demo county. The county is loaded once for the class (loading
    takes most of a second) and every test runs in its own transaction, rolled back after."""

    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_county_has_the_real_townships_and_the_2014_policy(self):
        county = County.objects.get()
        assert (county.name, county.short_name, county.hr_office) == (
            "关岭布依族苗族自治县",
            "关岭自治县",
            "关岭自治县卫生健康局",
        )
        townships = {t.name: t for t in county.townships.all()}
        assert set(townships) == {
            "关索街道", "顶云街道", "龙潭街道", "百合街道", "永宁镇", "岗乌镇", "上关镇",
            "坡贡镇", "白水镇", "新铺镇", "沙营镇", "花江镇", "断桥镇", "普利乡",
        }  # fmt: skip
        assert townships["关索街道"].kind == TownshipKind.SUBDISTRICT
        assert townships["关索街道"].issuing_body == "关索街道办事处"
        assert townships["花江镇"].kind == TownshipKind.TOWN
        assert townships["花江镇"].issuing_body == "花江镇人民政府"
        assert townships["普利乡"].kind == TownshipKind.TOWNSHIP
        policy = policy_in_force(county=county, on=data.POPULATION_DATE)
        assert policy.title == "关岭自治县进一步加强村级人口计生队伍职业化建设实施方案"
        assert str(policy.effective_from) == "2014-07-09"
        assert policy.version == 1
        assert policy.posts_for_population(2000) == 1

    def test_villages_have_the_posts_their_population_gives(self):
        policy = Policy.objects.get()
        villages = list(Village.objects.prefetch_related("posts"))
        assert 140 <= len(villages) <= 160
        assert all(800 <= v.registered_population <= 6500 for v in villages)
        assert {v.kind for v in villages} == set(VillageKind.values)
        for village in villages:
            active = [p for p in village.posts.all() if p.status == PostStatus.ACTIVE]
            assert len(active) == policy.posts_for_population(village.registered_population)
            assert [p.number for p in active] == list(range(1, len(active) + 1))

    def test_villages_on_the_quota_boundaries_get_1_2_2_and_3_posts(self):
        on_boundary = {
            village.registered_population: village.posts.filter(status=PostStatus.ACTIVE).count()
            for village in Village.objects.filter(
                registered_population__in=[2000, 2001, 4999, 5000]
            )
        }
        assert on_boundary == {2000: 1, 2001: 2, 4999: 2, 5000: 3}

    def test_about_two_thirds_of_the_posts_have_a_director_from_their_village(self):
        posts = Post.objects.filter(status=PostStatus.ACTIVE).select_related("holder")
        occupied = [p for p in posts if p.holder_id]
        assert 0.6 < len(occupied) / posts.count() < 0.72
        for post in occupied:
            holder = post.holder
            assert holder is not None
            assert (holder.township_id, holder.village_id) == (
                post.village.township_id,
                post.village_id,
            )
        holders = [p.holder_id for p in occupied]
        assert len(holders) == len(set(holders))

    def test_people_have_valid_identities_and_live_in_their_village(self):
        people = list(Person.objects.select_related("township", "village"))
        assert len(people) > len(Post.objects.filter(holder__isnull=False))  # and some applicants
        assert len({p.id_number for p in people}) == len(people)
        for person in people:
            village = person.village
            assert village is not None
            facts = parse_id_number(person.id_number)
            assert person.id_number.startswith("520424")
            assert (facts.birth_date, facts.sex) == (person.birth_date, person.sex)
            assert 1975 <= person.birth_date.year <= 2002
            validate_mobile(person.phone)
            assert person.education in Education.values
            assert person.household_registration.endswith(
                tuple(f"{village.name}{n}组" for n in range(1, 13))
                + tuple(f"{village.name}第{n}居民小组" for n in range(1, 13))
            )
            assert person.household_registration.startswith("贵州省安顺市关岭布依族苗族自治县")
            assert village.township_id == person.township_id
        names = "".join(p.name for p in people)
        assert all(char in names for char in "堃喆昇䶮")
        assert {p.sex for p in people} == {"M", "F"}

    def test_every_role_has_a_valid_account_with_its_scope(self):
        users = list(User.objects.select_related("township", "village", "person"))
        assert {u.role for u in users} == set(Role.values)
        for user in users:
            user.full_clean()
            assert user.last_name and user.first_name
        scopes = {
            u.username: (
                u.role,
                u.township.name if u.township else "",
                u.village.name if u.village else "",
                u.person.name if u.person else "",
            )
            for u in users
        }
        assert scopes == {
            "admin": (Role.ADMINISTRATOR, "", "", ""),
            "county_hr": (Role.COUNTY_HR, "", "", ""),
            "county_hr2": (Role.COUNTY_HR, "", "", ""),
            "guansuo_head": (Role.TOWNSHIP_COMMITTEE, "关索街道", "", ""),
            "guansuo_committee": (Role.TOWNSHIP_COMMITTEE, "关索街道", "", ""),
            "guansuo_office": (Role.TOWNSHIP_OFFICE, "关索街道", "", ""),
            "huajiang_head": (Role.TOWNSHIP_COMMITTEE, "花江镇", "", ""),
            "huajiang_committee": (Role.TOWNSHIP_COMMITTEE, "花江镇", "", ""),
            "huajiang_office": (Role.TOWNSHIP_OFFICE, "花江镇", "", ""),
            "village_chengnei": (Role.VILLAGE_COMMITTEE, "关索街道", "城内村", ""),
            "village_heping": (Role.VILLAGE_COMMITTEE, "花江镇", "和平村", ""),
            "director_wang": (Role.DIRECTOR, "关索街道", "城内村", "王堃"),
            "director_wei": (Role.DIRECTOR, "花江镇", "和平村", "韦春燕"),
        }
        assert User.objects.get(username="admin").is_superuser

    def test_townships_with_accounts_have_their_leading_group_head(self):
        heads = dict(
            Township.objects.filter(leading_group_head__isnull=False).values_list(
                "name", "leading_group_head__username"
            )
        )
        assert heads == {"关索街道": "guansuo_head", "花江镇": "huajiang_head"}
        for username in heads.values():
            user = User.objects.get(username=username)
            assert user.has_perm(f"workflows.township_head@{user.township_id}")
        committee = User.objects.get(username="guansuo_committee")
        assert not committee.has_perm(f"workflows.township_head@{committee.township_id}")

    def test_a_head_chosen_since_is_kept(self):
        township = Township.objects.get(name="关索街道")
        member = User.objects.get(username="guansuo_committee")
        township.leading_group_head = member
        township.save(update_fields=["leading_group_head"])
        assert not demo_load().changed
        township.refresh_from_db()
        assert township.leading_group_head == member

    def test_director_accounts_belong_to_directors_holding_a_post_in_their_village(self):
        for user in User.objects.filter(role=Role.DIRECTOR):
            assert user.person is not None
            assert (user.person.township_id, user.person.village_id) == (
                user.township_id,
                user.village_id,
            )
            assert Post.objects.filter(
                holder=user.person, village=user.village, status=PostStatus.ACTIVE
            ).exists()

    def test_demo_accounts_log_in_with_the_printed_passwords(self):
        for account in data.ACCOUNTS:
            user = User.objects.get(username=account.username)
            validate_password(account.password, user)
            assert Client().login(username=account.username, password=account.password), (
                account.username
            )

    def test_second_load_creates_and_changes_nothing(self):
        before = _counts()
        users = list(User.objects.values_list("username", "password", "township", "person"))
        with CaptureQueriesContext(connection) as queries:
            again = demo_load()
        assert len(queries) <= 12
        assert not again.changed
        assert _counts() == before
        assert list(User.objects.values_list("username", "password", "township", "person")) == (
            users
        )

    def test_second_load_keeps_a_changed_password_unless_asked_to_reset(self):
        user = User.objects.get(username="county_hr")
        user.set_password("My-own-Secret-42")
        user.save()
        demo_load()
        assert Client().login(username="county_hr", password="My-own-Secret-42")
        result = demo_load(reset_passwords=True)
        assert result.passwords_reset == len(data.ACCOUNTS)
        assert Client().login(username="county_hr", password="Cunpin-2026-hr1")

    def test_load_recreates_only_what_is_missing(self):
        User.objects.get(username="huajiang_office").delete()
        audit_before = AuditEntry.objects.count()
        result = demo_load()
        assert dict(result.created) == {"users": 1}
        assert AuditEntry.objects.count() == audit_before + 1
        assert Client().login(username="huajiang_office", password="Cunpin-2026-huajiang2")


def test_failed_load_leaves_nothing_behind(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("demo.services.person_create", broken)
    with pytest.raises(RuntimeError):
        demo_load()
    assert not County.objects.exists()
    assert not Village.objects.exists()
    assert not AuditEntry.objects.exists()


def test_plan_is_the_same_whatever_the_global_random_state():
    random.seed(1)
    first = demo_plan()
    random.seed(2)
    second = demo_plan()
    assert first == second
    assert len({p.id_number for p in first}) == len(first)


def test_command_prints_summary_and_accounts_table():
    out, again = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("load_demo", stdout=out)
        call_command("load_demo", stdout=again)
    assert "150 villages" in out.getvalue()
    for account in data.ACCOUNTS:
        row = next(
            line for line in out.getvalue().splitlines() if line.startswith(account.username + " ")
        )
        assert account.password in row
        with translation.override("en"):
            assert str(Role(account.role).label) in row
    assert "Nothing to create" in again.getvalue()
    assert "Cunpin-2026-admin" in again.getvalue()
