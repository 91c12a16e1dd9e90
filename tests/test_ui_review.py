"""The review pages: a link to the next application still to review, and an application
list that shows the household registration and explains its check marks."""

import pytest
from django.urls import reverse

from tests import test_recruitment_review as base

pytestmark = pytest.mark.django_db

make_application = base.make_application
world, staff_urls = base.world, base.staff_urls


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_review_page_links_the_next_application_still_to_review(client, world):
    first = make_application(world.campaign, name="甲")
    second = make_application(world.campaign, name="乙")
    third = make_application(world.campaign, name="丙")
    run = world.builder()
    run.review(second)
    client.force_login(world.committee)

    def next_of(application):
        response = client.get(reverse("recruitment:review_application", args=[application.pk]))
        return response.context["next_application"], response.content.decode()

    following, html = next_of(first)
    assert following == third  # the reviewed one in between is skipped
    assert reverse("recruitment:review_application", args=[third.pk]) in html
    assert "Next to review: 丙" in html
    assert next_of(third)[0] == first  # after the last one: back to the first still waiting
    run.review(first)
    following, html = next_of(third)
    assert following is None and "No other application waits for review." in html


def test_the_list_shows_household_registration_and_explains_the_marks(client, world):
    application = make_application(world.campaign, name="罗昇", age=45)
    client.force_login(world.committee)
    html = client.get(reverse("recruitment:review_list", args=[world.campaign.pk])).content
    page = html.decode()
    assert application.household_registration in page
    assert "Age<strong" in page and "Education✓" in page
    assert "✓ the rule is met, ✗ it is not" in page
