"""Login throttling (django-axes) through the login page: wrong passwords lock a username
from one address for a cool-off period, with a Chinese page saying until when; the right
password is refused meanwhile; an administrator can unlock; a success starts the count again."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.throttling import client_ip_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-2026"  # tests.factories.UserFactory
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def officer(county):
    return UserFactory(role=Role.COUNTY_HR, county=county, username="county_officer")


def login(client, username: str, password: str, *, address: str = "10.0.0.7"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_forty_wrong_passwords_do_not_all_get_the_form_back(client, officer):
    statuses = [login(client, officer.username, f"wrong-{n}").status_code for n in range(40)]
    # Django's login page answers a wrong password with the form again (200) ...
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)
    # ... until the limit: from then on every attempt gets the lockout page.
    assert statuses[LIMIT - 1 :] == [429] * (40 - LIMIT + 1)
    assert not signed_in(client)


def test_after_the_limit_even_the_right_password_is_refused_with_a_chinese_message(client, officer):
    five_pm_in_shanghai = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(five_pm_in_shanghai, tick=False):
        for n in range(LIMIT):
            login(client, officer.username, f"wrong-{n}")
        response = login(client, officer.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续输错密码次数过多" in page
    # 09:00 UTC is 17:00 in Shanghai; the lockout lasts 15 minutes from the last failure.
    assert "17:15" in page
    assert response["Retry-After"]


def test_the_lockout_is_for_one_username_from_one_address(client, officer):
    for n in range(LIMIT):
        login(client, officer.username, f"wrong-{n}")
    assert login(client, officer.username, PASSWORD).status_code == 429
    # The same username from another address still signs in.
    response = login(client, officer.username, PASSWORD, address="10.0.0.8")
    assert response.status_code == 302 and signed_in(client)


def test_the_lockout_ends_after_the_cool_off(client, officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(LIMIT):
            login(client, officer.username, f"wrong-{n}")
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        assert login(client, officer.username, PASSWORD).status_code == 429
    # Trying during the lockout did not push its end back.
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)):
        response = login(client, officer.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_a_success_starts_the_count_again(client, officer):
    for n in range(LIMIT - 1):
        login(client, officer.username, f"wrong-{n}")
    assert login(client, officer.username, PASSWORD).status_code == 302
    client.logout()
    for n in range(LIMIT - 1):
        assert login(client, officer.username, f"again-{n}").status_code == 200
    assert login(client, officer.username, PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, officer, county):
    for n in range(LIMIT):
        login(client, officer.username, f"wrong-{n}")
    attempt = AccessAttempt.objects.get(username=officer.username)

    admin = UserFactory(role=Role.ADMINISTRATOR, county=county)
    admin_client = type(client)()
    admin_client.force_login(admin)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and officer.username in listing.content.decode()
    delete_url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    response = login(client, officer.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_admin_login_is_throttled_too(client, officer):
    url = reverse("admin:login")
    for n in range(LIMIT):
        client.post(url, {"username": officer.username, "password": f"wrong-{n}"})
    response = client.post(url, {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 429


def test_a_signed_in_session_lasts_a_working_day(client, officer):
    response = login(client, officer.username, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 9 * 60 * 60
    assert client.session.get_expiry_age() == 9 * 60 * 60


def test_behind_a_proxy_the_forwarded_address_counts(client, officer, settings):
    settings.CUNPIN_RATE_LIMIT_PROXIES = 1
    proxy = "127.0.0.1"

    def via_proxy(password: str, forwarded_for: str):
        return client.post(
            reverse("login"),
            {"username": officer.username, "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for n in range(LIMIT):
        via_proxy(f"wrong-{n}", "203.0.113.9")
    assert via_proxy(PASSWORD, "203.0.113.9").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert via_proxy(PASSWORD, "198.51.100.4").status_code == 302


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "10.0.0.7"}, "10.0.0.7"),
        ({"REMOTE_ADDR": "::1"}, "::1"),
        ({}, None),  # a request built in code (force_login, a management command)
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}, None),
    ],
)
def test_the_address_axes_stores_is_an_ip_address_or_nothing(settings, meta, expected):
    settings.CUNPIN_RATE_LIMIT_PROXIES = 1 if "HTTP_X_FORWARDED_FOR" in meta else 0
    request = HttpRequest()
    request.META.update(meta)
    assert client_ip_address(request) == expected
