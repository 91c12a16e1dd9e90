"""The public registration form does not tell who has applied: "already applied" is said
only when everything else in the form is valid, and the live check never says it. The
applicant's session stays short."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from recruitment.models import Application
from tests.factories import make_id_number
from tests.test_recruitment_public import (
    birth_for_age,
    errors_of,
    make_campaign,
    photo,
    submit,
)

pytestmark = pytest.mark.django_db

DUPLICATE = "This ID number has already applied to this campaign."


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(policy):
    return make_campaign(policy=policy)


@pytest.fixture
def applied(client, campaign) -> str:
    """An ID number that has applied to ``campaign``."""
    number = make_id_number(birth_for_age(campaign, 30))
    assert submit(client, campaign, id_number=number).status_code == 302
    return number


def test_a_duplicate_with_an_invalid_form_field_shows_only_that_error(client, campaign, applied):
    response = submit(client, campaign, id_number=applied, pledge="")
    assert response.status_code == 400
    assert "This field is required." in errors_of(response)
    assert DUPLICATE not in errors_of(response)


def test_a_duplicate_with_a_bad_upload_shows_only_that_error(client, campaign, applied):
    fake = photo("photo.jpg", b"MZ\x90\x00 this is a program, not a picture")
    response = submit(client, campaign, id_number=applied, photo=fake)
    assert response.status_code == 400
    assert "photo.jpg is not a JPEG or PNG picture that can be opened." in errors_of(response)
    assert DUPLICATE not in errors_of(response)


def test_a_duplicate_with_a_failed_rule_shows_only_that_rule(client, campaign, applied):
    response = submit(client, campaign, id_number=applied, graduation_year="1900")
    assert response.status_code == 400
    assert "The graduation year must be between" in errors_of(response)
    assert DUPLICATE not in errors_of(response)


def test_a_duplicate_in_an_otherwise_valid_form_is_told(client, campaign, applied):
    response = submit(client, campaign, id_number=applied, phone="13600001111")
    assert response.status_code == 400
    assert DUPLICATE in errors_of(response)
    assert Application.objects.filter(id_number=applied).count() == 1


def test_the_live_check_answers_the_same_for_an_id_that_applied(client, campaign, applied):
    fresh = make_id_number(birth_for_age(campaign, 30))
    url = reverse("apply:check", args=[campaign.pk])
    answers = [
        client.post(url, {"id_number": number, "education": "high_school"})
        for number in (applied, fresh)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json() == {}


def test_the_applicant_session_lasts_thirty_minutes(client, campaign, applied):
    assert client.session.get_expiry_age() == 30 * 60
