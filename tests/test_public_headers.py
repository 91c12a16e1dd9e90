"""The public pages (``/apply/`` and ``/verify/``) keep their URLs from other sites without
breaking their forms.

``Referrer-Policy: no-referrer`` made Chromium send ``Origin: null`` with every form of these
pages (registration, status lookup, language switch), which Django's CSRF check refuses. The
test client sends no Origin header, so ``tests/browser`` proves the forms work in Chromium;
this fast test pins the header on every page."""

import pytest
from django.urls import reverse

from recruitment.constants import CampaignState
from tests.factories import PersonFactory
from tests.matrix_support import make_document
from tests.test_recruitment_public import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(policy):
    campaign = make_campaign(policy=policy, state=CampaignState.ANNOUNCED)
    document = make_document(PersonFactory())
    return {
        "open campaigns": reverse("apply:campaign_list"),
        "registration": reverse("apply:campaign_detail", args=[campaign.pk]),
        "status lookup": reverse("apply:lookup"),
        "verify box": reverse("verify_lookup"),
        "verify page": reverse("verify", args=[document.verification_code]),
        "unknown code": reverse("verify", args=["ZZ99ZZ99"]),
    }


def test_public_pages_send_no_referrer_to_other_sites_and_let_forms_post(client, urls):
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 404), name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Robots-Tag"] == "noindex, nofollow", name
