"""One place decides what a user sees: accounts.scoping."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404, scoped
from organisation.models import Township, Village
from people.models import Person
from tests.factories import (
    CountyFactory,
    PersonFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    county = CountyFactory()
    other_county = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    own, foreign = TownshipFactory(county=county), TownshipFactory(county=county)
    far = TownshipFactory(county=other_county)
    own_village = VillageFactory(township=own)
    other_village = VillageFactory(township=own)
    foreign_village = VillageFactory(township=foreign)
    people = {
        "own": PersonFactory(township=own, village=own_village, name="张三"),
        "own_other_village": PersonFactory(township=own, village=other_village, name="李四"),
        "foreign": PersonFactory(township=foreign, village=foreign_village, name="王五"),
        "far": PersonFactory(township=far, name="赵六"),
    }
    return {
        "county": county,
        "own": own,
        "foreign": foreign,
        "own_village": own_village,
        "people": people,
    }


def user_for(role, world, **extra):
    fields = {"role": role, "county": world["county"]}
    if role in (Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.VILLAGE_COMMITTEE):
        fields["township"] = world["own"]
    if role == Role.VILLAGE_COMMITTEE:
        fields["village"] = world["own_village"]
    if role == Role.DIRECTOR:
        fields["person"] = world["people"]["own"]
        fields["township"] = world["own"]
    fields.update(extra)
    return UserFactory(**fields)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.ADMINISTRATOR, {"own", "own_other_village", "foreign", "far"}),
        (Role.COUNTY_HR, {"own", "own_other_village", "foreign"}),
        (Role.TOWNSHIP_COMMITTEE, {"own", "own_other_village"}),
        (Role.TOWNSHIP_OFFICE, {"own", "own_other_village"}),
        (Role.VILLAGE_COMMITTEE, {"own"}),
        (Role.DIRECTOR, {"own"}),
    ],
)
def test_people_visible_by_role(world, role, visible):
    user = user_for(role, world)
    names = {
        key
        for key, p in world["people"].items()
        if scoped(Person.objects, user).filter(pk=p.pk).exists()
    }
    assert names == visible


def test_foreign_township_record_is_404(world):
    user = user_for(Role.TOWNSHIP_COMMITTEE, world)
    assert get_scoped_or_404(Person.objects, user, pk=world["people"]["own"].pk)
    with pytest.raises(Http404):
        get_scoped_or_404(Person.objects, user, pk=world["people"]["foreign"].pk)


def test_township_user_sees_own_township_and_its_villages_only(world):
    user = user_for(Role.TOWNSHIP_OFFICE, world)
    assert list(scoped(Township.objects, user)) == [world["own"]]
    assert set(scoped(Village.objects, user).values_list("township", flat=True)) == {
        world["own"].pk
    }


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoped(Person.objects, AnonymousUser()).exists()
    user = user_for(Role.COUNTY_HR, world, is_active=False)
    assert not scoped(Person.objects, user).exists()


def test_user_clean_requires_the_scope_of_the_role(world):
    user = UserFactory.build(role=Role.TOWNSHIP_COMMITTEE, county=world["county"])
    with pytest.raises(ValidationError) as exc:
        user.clean()
    assert "township" in exc.value.message_dict
    director = UserFactory.build(role=Role.DIRECTOR, county=world["county"])
    with pytest.raises(ValidationError) as exc:
        director.clean()
    assert "person" in exc.value.message_dict


def test_village_must_belong_to_the_users_township(world):
    foreign_village = Village.objects.get(township=world["foreign"])
    user = UserFactory.build(
        role=Role.VILLAGE_COMMITTEE,
        county=world["county"],
        township=world["own"],
        village=foreign_village,
    )
    with pytest.raises(ValidationError) as exc:
        user.clean()
    assert "village" in exc.value.message_dict


def test_role_permissions_come_from_the_role(world):
    hr = user_for(Role.COUNTY_HR, world)
    office = user_for(Role.TOWNSHIP_OFFICE, world)
    assert hr.has_perm("people.view_full_identity")
    assert not office.has_perm("people.view_full_identity")
    admin = user_for(Role.ADMINISTRATOR, world)
    assert admin.is_superuser and admin.is_staff
    assert not hr.is_staff
