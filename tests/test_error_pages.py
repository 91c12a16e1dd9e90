"""The error pages speak the user's language (Chinese first) and render without the
database or the staff menu."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import bad_request, permission_denied, server_error

from accounts.constants import Role
from tests.factories import TownshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_404_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "找不到页面" in text and "Not Found" not in text


def test_a_foreign_township_record_answers_the_same_chinese_404(client, county, policy):
    own, other = TownshipFactory(county=county), TownshipFactory(county=county)
    member = UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=own)
    client.force_login(member)
    response = client.get(f"/organisation/townships/{other.pk}/")
    assert response.status_code == 404
    assert "找不到页面" in response.content.decode()


def test_a_refused_page_answers_403_in_chinese(client, county, policy):
    director = UserFactory(role=Role.VILLAGE_COMMITTEE, county=county)
    client.force_login(director)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_an_expired_form_answers_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/apply/status/", {"id_number": "x", "phone": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单已失效" in text and "CSRF" not in text


@pytest.mark.parametrize(
    ("view", "words"),
    [(server_error, "出错"), (bad_request, "无法识别"), (permission_denied, "无权")],
)
def test_the_error_pages_render_without_a_database(view, words, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override("zh-hans"), django_assert_num_queries(0):
        response = view(request) if view is server_error else view(request, Exception())
    assert words in response.content.decode()
