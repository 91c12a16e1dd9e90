"""Villages, their quota of posts, and the organisation pages."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEntry
from organisation.constants import PostStatus
from organisation.models import Post, Village
from organisation.services import (
    village_reconcile_posts,
    village_set_population,
)
from policy.services import policy_create_version
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_village,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

DAY = datetime.date(2026, 1, 1)


def statuses(village) -> list[str]:
    return list(village.posts.order_by("number").values_list("status", flat=True))


# Quota ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "posts"),
    [(0, 1), (2000, 1), (2001, 2), (4999, 2), (5000, 3), (250_000, 3)],
)
def test_default_quota_at_the_boundaries(policy, population, posts):
    assert policy.posts_for_population(population) == posts


@pytest.mark.parametrize(("population", "posts"), [(2000, 1), (2001, 2), (4999, 2), (5000, 3)])
def test_a_new_village_gets_its_quota_of_active_posts(township, hr, population, posts):
    village = make_village(township, population, by=hr)
    assert statuses(village) == [PostStatus.ACTIVE] * posts


def test_raising_the_population_creates_the_missing_posts(township, hr):
    village = make_village(township, 2000, by=hr)
    result = village_set_population(
        village=village, registered_population=5000, effective_date=DAY, by=hr
    )
    assert (result.quota, result.created) == (3, 2)
    assert statuses(village) == [PostStatus.ACTIVE] * 3


def test_a_fall_abolishes_vacant_posts_and_flags_occupied_ones_without_removing_them(township, hr):
    village = make_village(township, 5000, by=hr)
    _first, second, third = village.posts.order_by("number")
    for post in (second, third):
        post.holder = PersonFactory(township=township, village=village)
        post.save()

    result = village_set_population(
        village=village, registered_population=1500, effective_date=DAY, by=hr
    )

    assert (result.quota, result.abolished, result.marked_surplus) == (1, 1, 1)
    assert Post.objects.filter(village=village).count() == 3  # nothing deleted
    assert statuses(village) == [PostStatus.ABOLISHED, PostStatus.ACTIVE, PostStatus.SURPLUS]
    assert village.posts.filter(holder__isnull=False).count() == 2


def test_a_surplus_post_is_abolished_once_vacant_and_reactivated_when_population_grows(
    township, hr
):
    village = make_village(township, 2500, by=hr)
    for post in village.posts.all():
        post.holder = PersonFactory(township=township, village=village)
        post.save()
    village_set_population(village=village, registered_population=100, effective_date=DAY, by=hr)
    surplus = village.posts.get(status=PostStatus.SURPLUS)

    village_set_population(village=village, registered_population=2600, effective_date=DAY, by=hr)
    surplus.refresh_from_db()
    assert surplus.status == PostStatus.ACTIVE

    village_set_population(village=village, registered_population=100, effective_date=DAY, by=hr)
    surplus.refresh_from_db()
    surplus.holder = None
    surplus.save()
    village_reconcile_posts(village=village, policy=township.county.policies.get(), by=hr)
    surplus.refresh_from_db()
    assert surplus.status == PostStatus.ABOLISHED


def test_reconciling_an_unchanged_village_changes_nothing(township, hr, policy):
    village = make_village(township, 3000, by=hr)
    entries = AuditEntry.objects.count()
    result = village_reconcile_posts(village=village, policy=policy, by=hr)
    assert not result.changed
    assert AuditEntry.objects.count() == entries


def test_a_backdated_figure_gets_the_quota_of_the_policy_in_force_today(township, hr, policy):
    policy_create_version(
        county=township.county,
        by=hr,
        base=policy,
        effective_from=datetime.date(2026, 6, 1),
        title="修订",
        quota_tiers=[
            {"min": 0, "max": 1000, "posts": 1},
            {"min": 1001, "max": None, "posts": 2},
        ],
    )
    village = make_village(township, 900, by=hr, on=DAY)
    result = village_set_population(
        village=village, registered_population=1500, effective_date=DAY, by=hr
    )
    assert result.quota == 2  # the old tiers would give 1


# Bad input -----------------------------------------------------------------------------------


def test_a_village_name_already_in_the_township_is_refused(township, hr):
    make_village(township, 100, name="Xinzhai", by=hr)
    with pytest.raises(ValidationError) as exc:
        make_village(township, 100, name=" xinzhai ", by=hr)
    assert "already a village named" in exc.value.message_dict["name"][0]
    assert Village.objects.count() == 1


def test_the_same_name_in_another_township_is_allowed(township, hr):
    make_village(township, 100, by=hr)
    make_village(TownshipFactory(county=township.county), 100, by=hr)
    assert Village.objects.filter(name="新寨村").count() == 2


def test_a_negative_population_is_refused_and_nothing_is_saved(township, hr):
    village = make_village(township, 1800, by=hr)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        village_set_population(village=village, registered_population=-1, effective_date=DAY, by=hr)
    assert "registered_population" in exc.value.message_dict
    village.refresh_from_db()
    assert village.registered_population == 1800
    assert AuditEntry.objects.count() == entries


def test_a_figure_older_than_the_one_on_record_is_refused(township, hr):
    village = make_village(township, 1800, by=hr, on=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError) as exc:
        village_set_population(
            village=village, registered_population=3000, effective_date=DAY, by=hr
        )
    assert "older" in exc.value.message_dict["population_effective_date"][0]


def test_a_failing_reconciliation_rolls_back_the_population(township, hr, monkeypatch):
    from organisation import services

    village = make_village(township, 1800, by=hr)
    entries = AuditEntry.objects.count()

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "village_reconcile_posts", broken)
    with pytest.raises(RuntimeError):
        village_set_population(
            village=village, registered_population=5000, effective_date=DAY, by=hr
        )
    village.refresh_from_db()
    assert village.registered_population == 1800
    assert AuditEntry.objects.count() == entries


# Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def world(county, policy):
    own = TownshipFactory(county=county, name="关索街道")
    foreign = TownshipFactory(county=county, name="顶云街道")
    admin_user = UserFactory(role=Role.COUNTY_HR, county=county)
    return SimpleNamespace(
        own=own,
        foreign=foreign,
        village=make_village(own, 2500, by=admin_user),
        foreign_village=make_village(foreign, 900, name="石板村", by=admin_user),
        hr=admin_user,
        committee=UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=own),
        office=UserFactory(role=Role.TOWNSHIP_OFFICE, county=county, township=own),
    )


def test_township_list_shows_the_county_townships_to_county_hr(client, world):
    client.force_login(world.hr)
    response = client.get(reverse("organisation:township_list"))
    assert response.status_code == 200
    names = [township.name for township, _posts in response.context["rows"]]
    assert names == ["顶云街道", "关索街道"]  # by pinyin: ding, guan


def test_township_list_of_a_township_user_shows_only_their_township(client, world):
    client.force_login(world.committee)
    response = client.get(reverse("organisation:township_list"))
    assert [t.name for t, _posts in response.context["rows"]] == ["关索街道"]


def test_village_list_shows_quota_posts_and_flags(client, world):
    village = world.village
    first, second = village.posts.order_by("number")
    for post in (first, second):
        post.holder = PersonFactory(township=world.own, village=village)
        post.save()
    village_set_population(
        village=village, registered_population=1000, effective_date=DAY, by=world.hr
    )
    client.force_login(world.committee)

    response = client.get(reverse("organisation:township_detail", args=[world.own.pk]))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.quota == 1
    assert (row.village.active_posts, row.village.occupied_posts, row.village.vacant_posts) == (
        1,
        2,
        0,
    )
    assert row.flags == ["1 occupied post above the quota."]
    assert "1 occupied post above the quota." in response.content.decode()


def test_village_list_flags_a_village_short_of_its_quota(client, world):
    Post.objects.filter(village=world.village, number=2).update(status=PostStatus.ABOLISHED)
    client.force_login(world.hr)
    response = client.get(reverse("organisation:township_detail", args=[world.own.pk]))
    [row] = response.context["rows"]
    assert row.flags == ["1 post missing."]


def _village_list_queries(client, user, township) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organisation:township_detail", args=[township.pk]))
    assert response.status_code == 200
    return len(queries)


def test_village_list_takes_the_same_number_of_queries_for_3_and_30_villages(
    client, county, policy, django_assert_max_num_queries
):
    hr = UserFactory(role=Role.COUNTY_HR, county=county)
    small, large = TownshipFactory(county=county), TownshipFactory(county=county)
    for index in range(3):
        make_village(small, 2500, name=f"小{index}村", by=hr)
    for index in range(30):
        make_village(large, 2500 + index * 100, name=f"大{index}村", by=hr)
    client.force_login(hr)
    _village_list_queries(client, hr, small)  # warm caches (content types, session)

    for_three = _village_list_queries(client, hr, small)
    with django_assert_max_num_queries(for_three):
        response = client.get(reverse("organisation:township_detail", args=[large.pk]))
    assert len(response.context["rows"]) == 30


def test_village_detail_shows_posts_with_masked_id_and_population_history(client, world):
    holder = PersonFactory(township=world.own, village=world.village, name="李小红")
    post = world.village.posts.order_by("number").first()
    post.holder = holder
    post.save()
    village_set_population(
        village=world.village,
        registered_population=2700,
        effective_date=datetime.date(2026, 3, 1),
        by=world.hr,
        reason="2026年一季度人口统计",
    )
    client.force_login(world.office)

    response = client.get(reverse("organisation:village_detail", args=[world.village.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "李小红" in content
    assert holder.masked_id_number in content
    assert holder.id_number not in content
    assert "2026年一季度人口统计" in content
    assert [e.after["registered_population"] for e in response.context["history"]] == [2700, 2500]
    assert response.context["form"] is None  # township office may not change populations


def test_county_hr_changes_a_population_and_sees_the_quota(client, world):
    client.force_login(world.hr)
    response = client.post(
        reverse("organisation:village_population", args=[world.village.pk]),
        {"registered_population": "5200", "effective_date": "2026-06-30", "reason": "年报"},
        follow=True,
    )
    assert response.status_code == 200
    message = str(next(iter(response.context["messages"])))
    assert "quota is 3 posts" in message
    assert "Posts created: 1" in message
    world.village.refresh_from_db()
    assert world.village.registered_population == 5200
    assert AuditEntry.objects.filter(
        object_id=world.village.pk, reason="年报", action=AuditEntry.Action.UPDATE
    ).exists()


def test_a_township_committee_member_changes_a_population(client, world):
    """Township committees may change the populations of their own villages."""
    assert world.committee.has_perm("organisation.change_village")
    client.force_login(world.committee)
    response = client.post(
        reverse("organisation:village_population", args=[world.village.pk]),
        {"registered_population": "1200", "effective_date": "2026-06-30", "reason": "年报"},
    )
    assert response.status_code == 302
    world.village.refresh_from_db()
    assert world.village.registered_population == 1200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"registered_population": "-3", "effective_date": "2026-06-30"}, "registered_population"),
        ({"registered_population": "abc", "effective_date": "2026-06-30"}, "registered_population"),
        (
            {"registered_population": "12.5", "effective_date": "2026-06-30"},
            "registered_population",
        ),
        ({"registered_population": "100", "effective_date": "2099-01-01"}, "effective_date"),
        ({"registered_population": "100", "effective_date": "2025-01-01"}, "effective_date"),
    ],
)
def test_a_bad_population_change_names_the_field_and_changes_nothing(client, world, data, field):
    client.force_login(world.hr)
    response = client.post(
        reverse("organisation:village_population", args=[world.village.pk]),
        {**data, "reason": "test"},
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    world.village.refresh_from_db()
    assert world.village.registered_population == 2500


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("organisation:township_list", []),
        ("organisation:township_detail", ["own"]),
        ("organisation:village_detail", ["village"]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, world, name, args):
    url = reverse(name, args=[getattr(world, a).pk for a in args])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_population_change_is_sent_to_log_in(client, world):
    url = reverse("organisation:village_population", args=[world.village.pk])
    response = client.post(url, {"registered_population": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_director_may_not_see_the_village_pages(client, world):
    director = UserFactory(
        role=Role.DIRECTOR,
        county=world.own.county,
        township=world.own,
        person=PersonFactory(township=world.own),
    )
    client.force_login(director)
    assert client.get(reverse("organisation:township_list")).status_code == 403
    assert (
        client.get(reverse("organisation:village_detail", args=[world.village.pk])).status_code
        == 403
    )


def test_township_office_may_not_change_a_population(client, world):
    client.force_login(world.office)
    response = client.post(
        reverse("organisation:village_population", args=[world.village.pk]),
        {"registered_population": "1", "effective_date": "2026-06-30", "reason": "x"},
    )
    assert response.status_code == 403
    world.village.refresh_from_db()
    assert world.village.registered_population == 2500


def test_another_townships_village_and_township_answer_404(client, world):
    client.force_login(world.committee)
    assert (
        client.get(
            reverse("organisation:village_detail", args=[world.foreign_village.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("organisation:township_detail", args=[world.foreign.pk])).status_code
        == 404
    )


def test_another_countys_village_answers_404_to_county_hr(client, world):
    other = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    PolicyFactory(county=other)
    far = make_village(TownshipFactory(county=other), 100, by=None)
    client.force_login(world.hr)
    assert client.get(reverse("organisation:village_detail", args=[far.pk])).status_code == 404


# The post register button --------------------------------------------------------------------


@pytest.fixture
def fake_register(fake_issue):
    return fake_issue("organisation.documents.village_post_register_issue", "township", pk=4321)


def test_the_register_button_issues_the_pdf_and_opens_it(client, world, fake_register):
    client.force_login(world.committee)
    response = client.post(reverse("organisation:township_register", args=[world.own.pk]))
    assert response.status_code == 302
    assert response.url == reverse("paperwork:download", args=[4321])
    assert fake_register == [(world.own, world.committee)]


def test_the_register_of_another_township_answers_404(client, world, fake_register):
    client.force_login(world.committee)
    response = client.post(reverse("organisation:township_register", args=[world.foreign.pk]))
    assert response.status_code == 404
    assert fake_register == []


def test_the_register_needs_post_and_the_document_permission(client, world, fake_register):
    village_user = UserFactory(
        role=Role.VILLAGE_COMMITTEE,
        county=world.own.county,
        township=world.own,
        village=world.village,
    )
    client.force_login(village_user)
    url = reverse("organisation:township_register", args=[world.own.pk])
    assert client.post(url).status_code == 403
    client.force_login(world.committee)
    assert client.get(url).status_code == 405
    assert fake_register == []
