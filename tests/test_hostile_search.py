"""Search boxes take text as forms do: a NUL, a zero-width space or a page of text in the
search box answers the list, never a 500 (PostgreSQL refuses NUL in a query parameter)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.constants import Role
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE_TERMS = ["\x00", "王\x00", "\u200b", "王\u200b晓", "\u202e", "x" * 5000, "%", "_"]


@pytest.fixture
def world():
    county = CountyFactory()
    PolicyFactory(county=county)
    township = TownshipFactory(county=county)
    PersonFactory(township=township, name="王晓燕")
    return county, UserFactory(role=Role.COUNTY_HR, county=county)


@pytest.mark.parametrize("term", HOSTILE_TERMS)
@pytest.mark.parametrize("url_name", ["people:list", "paperwork:list"])
def test_a_hostile_search_term_answers_the_list(client, world, url_name, term):
    client.force_login(world[1])
    response = client.get(reverse(url_name), {"q": term})
    assert response.status_code == 200


def test_a_zero_width_space_does_not_hide_a_name(client, world):
    client.force_login(world[1])
    response = client.get(reverse("people:list"), {"q": "王\u200b晓"})
    assert "王晓燕" in response.content.decode()


def searchable_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    ]


@pytest.mark.parametrize("term", ["\x00", "\u200b王"])
@pytest.mark.parametrize(
    "model", [model for model, _admin in searchable_admins()], ids=lambda m: m._meta.label
)
def test_every_admin_search_takes_a_hostile_term(client, world, model, term):
    county = world[0]
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, county=county))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url, {"q": term}).status_code == 200
