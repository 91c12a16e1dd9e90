"""Registration numbers (报名序号): 1, 2, 3 … within each campaign in the order of
registration, stored with the application, unique in its campaign, never reused, and printed
on the registration form instead of the database id."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from paperwork.models import Document, DocumentKind
from recruitment.models import Application
from recruitment.services import applications as applications_service
from recruitment.services.applications import application_withdraw
from tests.factories import TownshipFactory, make_id_number
from tests.test_recruitment_public import birth_for_age, make_campaign, pdf_text, service_submit

pytestmark = pytest.mark.django_db


def register(campaign) -> Application:
    return service_submit(campaign, id_number=make_id_number(birth_for_age(campaign, 30)))


@pytest.fixture
def no_paper(monkeypatch):
    """The numbers, not the documents, are under test here."""
    monkeypatch.setattr(applications_service, "issue_for", lambda *args, **kwargs: [])


def test_applications_are_numbered_per_campaign_in_order_of_registration(policy, no_paper):
    first = make_campaign(policy=policy)
    second = make_campaign(policy=policy, township=TownshipFactory(county=policy.county))
    numbers = [register(first).number, register(second).number, register(first).number]
    assert numbers == [1, 1, 2]
    withdrawn = first.applications.get(number=2)
    application_withdraw(application=withdrawn)
    assert register(first).number == 3  # a withdrawn application keeps its number


def test_the_registration_form_prints_the_registration_number(policy, no_paper, monkeypatch):
    other = make_campaign(policy=policy, township=TownshipFactory(county=policy.county))
    for _ in range(3):
        register(other)
    campaign = make_campaign(policy=policy)
    monkeypatch.undo()  # this one is issued
    application = register(campaign)
    assert application.number == 1 != application.pk
    form = Document.objects.get(
        kind=DocumentKind.REGISTRATION_FORM,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
    )
    assert "报名序号1报名时间" in pdf_text(form)


def test_two_applications_of_a_campaign_cannot_share_a_number(policy, no_paper):
    application = register(make_campaign(policy=policy))
    application.pk = None
    application.id_number = make_id_number()
    with pytest.raises(IntegrityError), transaction.atomic():
        application.save()


def test_applications_registered_before_the_numbers_get_them_in_order(policy, no_paper):
    campaigns = [
        make_campaign(policy=policy),
        make_campaign(policy=policy, township=TownshipFactory(county=policy.county)),
    ]
    for campaign in (*campaigns, campaigns[0]):
        register(campaign)
    Application.objects.update(number=None)
    migration = importlib.import_module("recruitment.migrations.0004_application_number")
    migration.number_applications(apps, None)
    assert [
        list(c.applications.order_by("pk").values_list("number", flat=True)) for c in campaigns
    ] == [[1, 2], [1]]
