"""An applicant withdraws an application from the public status page before the written
exam: confirmed, audited without a user, and out of the review, the score sheets and the
campaign's count."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import Role
from audit.services import audit_trail
from recruitment.constants import ApplicationState, EligibilityRule
from recruitment.models import Application
from recruitment.services.applications import application_withdraw
from tests.builders import build
from tests.factories import UserFactory, make_id_number
from tests.test_recruitment_public import (
    birth_for_age,
    lookup,
    make_campaign,
    service_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(policy):
    return make_campaign(policy=policy)


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_the_status_page_offers_withdrawal_and_confirms_it(client, campaign):
    application = service_submit(campaign)
    lookup(client, application.id_number, application.phone)
    page = client.get(reverse("apply:lookup")).content.decode()
    url = reverse("apply:withdraw", args=[application.pk])
    assert url in page
    assert client.get(url).status_code == 200
    response = client.post(url, {})  # not confirmed
    assert response.status_code == 400
    assert "Tick the box to confirm the withdrawal." in response.content.decode()
    assert fresh(application).state == ApplicationState.SUBMITTED

    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert fresh(application).state == ApplicationState.WITHDRAWN
    entry = audit_trail(application).get(transition="withdraw")
    assert entry.actor is None and entry.reason == "withdrawn by the applicant"
    page = client.get(reverse("apply:lookup")).content.decode()
    assert "Withdrawn at your request" in page and url not in page


def test_only_an_application_of_this_browser_can_be_withdrawn(client, campaign):
    mine = service_submit(campaign)
    theirs = service_submit(
        campaign, id_number=make_id_number(birth_for_age(campaign, 35)), phone="13711112222"
    )
    url = reverse("apply:withdraw", args=[theirs.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    lookup(client, mine.id_number, mine.phone)
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert fresh(theirs).state == ApplicationState.SUBMITTED


def test_from_the_written_exam_on_it_can_no_longer_be_withdrawn(client, campaign):
    application = service_submit(campaign)
    turned_down = service_submit(
        campaign, id_number=make_id_number(birth_for_age(campaign, 35)), phone="13711112222"
    )
    run = build(campaign).close_registration()
    run.review(application)
    run.review(turned_down, failed={EligibilityRule.HOUSEHOLD: "户籍不在本乡镇"})
    run.finish_review()
    with time_machine.travel(campaign.written_exam_at + datetime.timedelta(minutes=1)):
        lookup(client, application.id_number, application.phone)
        page = client.get(reverse("apply:lookup")).content.decode()
        assert reverse("apply:withdraw", args=[application.pk]) not in page
        with pytest.raises(ValidationError, match="written exam has begun"):
            application_withdraw(application=application)
        response = client.post(reverse("apply:withdraw", args=[application.pk]), {"confirm": "on"})
        assert response.status_code == 400
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        application_withdraw(application=turned_down)
    assert fresh(turned_down).state == ApplicationState.INELIGIBLE


def test_a_withdrawn_application_leaves_the_review_and_the_count(client, campaign):
    kept = service_submit(campaign)
    gone = service_submit(
        campaign, id_number=make_id_number(birth_for_age(campaign, 35)), phone="13711112222"
    )
    application_withdraw(application=gone)
    committee = UserFactory(
        role=Role.TOWNSHIP_COMMITTEE, county=campaign.township.county, township=campaign.township
    )
    client.force_login(committee)
    listing = client.get(reverse("recruitment:campaign_list"))
    row = next(c for c in listing.context["campaigns"] if c.pk == campaign.pk)
    assert row.application_count == 1
    detail = client.get(reverse("recruitment:campaign_detail", args=[campaign.pk]))
    assert detail.context["application_count"] == 1
    assert "Withdrawn" in detail.content.decode()
    build(campaign).close_registration()
    review = client.get(reverse("recruitment:review_list", args=[campaign.pk]))
    assert review.context["pending"] == 1
    assert kept.pk != gone.pk


def test_a_withdrawn_candidate_is_left_off_the_score_sheet(client, campaign):
    application = service_submit(campaign)
    run = build(campaign).close_registration()
    run.review(application)
    run.finish_review()  # admission number and seat given; the written exam is ahead
    number = fresh(application).admission_number
    assert number
    application_withdraw(application=fresh(application))
    committee = UserFactory(
        role=Role.TOWNSHIP_COMMITTEE, county=campaign.township.county, township=campaign.township
    )
    client.force_login(committee)
    sheet = client.get(reverse("recruitment:exam_import_template", args=[campaign.pk]))
    assert number not in sheet.content.decode("utf-8-sig")
