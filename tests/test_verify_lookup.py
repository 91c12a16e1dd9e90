"""``/verify/``: the box where anyone types the code printed on a paper and reaches its
verify page, accepting the code as people type it."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PersonFactory
from tests.matrix_support import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def document():
    return make_document(PersonFactory())


def test_the_verify_page_has_a_box_for_the_code(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page
    assert f'action="{reverse("verify_lookup")}"' in page


def test_a_code_typed_in_lower_case_with_spaces_and_hyphens_reaches_its_page(client, document):
    code = document.verification_code
    typed = f" {code[:4].lower()} -{code[4:8]} {code[8:].lower()} "
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify", args=[code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert document.title in page.content.decode()


def test_an_empty_box_says_what_to_type(client):
    response = client.get("/verify/", {"code": "  "})
    assert response.status_code == 400
    assert "Type the verification code printed at the foot of the document." in (
        response.content.decode()
    )


def test_a_code_with_other_characters_is_refused_with_a_reason(client):
    response = client.get("/verify/", {"code": "AB/12?#"})
    assert response.status_code == 400
    assert "A verification code has only letters and digits." in response.content.decode()


def test_an_unknown_code_offers_the_box_again_with_what_was_typed(client):
    response = client.get("/verify/", {"code": "zz99 zz99"}, follow=True)
    assert response.redirect_chain == [(reverse("verify", args=["ZZ99ZZ99"]), 302)]
    assert response.status_code == 404
    page = response.content.decode()
    assert "No document has the verification code “ZZ99ZZ99”." in page
    assert 'name="code"' in page and 'value="ZZ99ZZ99"' in page
