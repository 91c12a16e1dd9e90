"""Every link a staff page shows is one its reader may follow: no button leads to a 403.

Each role that may open a campaign's page (and an application's page) gets it, and every
link on it is followed as that user: each answers 200 (after any redirect)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.constants import Role
from recruitment.constants import ApplicationState, CampaignState, EligibilityRule
from tests.builders import CampaignBuilder, Timetable

pytestmark = pytest.mark.django_db

CAMPAIGN_READERS = [
    Role.ADMINISTRATOR,
    Role.COUNTY_HR,
    Role.TOWNSHIP_COMMITTEE,
    Role.TOWNSHIP_OFFICE,
]


class Links(HTMLParser):
    """The href of every link of the page's main content and menu."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return sorted(
        {
            href.split("#")[0]
            for href in parser.hrefs
            if href.startswith("/") and not href.startswith(("/static/", "//"))
        }
        - {""}
    )


def assert_every_link_opens(client, html: str) -> list[str]:
    links = links_of(html)
    refused = {}
    for href in links:
        response = client.get(href, follow=True)
        if response.status_code != 200:
            refused[href] = response.status_code
    assert refused == {}
    return links


@pytest.mark.parametrize("role", CAMPAIGN_READERS)
def test_every_link_of_a_campaign_page_opens_for_its_reader(client, world, role):
    campaign = world.recruitment("own").campaign
    client.force_login(world.users[role])
    response = client.get(reverse("recruitment:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    links = assert_every_link_opens(client, response.content.decode())
    # The page is not empty of links: its documents and the campaign list at least.
    assert reverse("recruitment:campaign_list") in links


@pytest.mark.parametrize(
    ("role", "applications", "exam"),
    [
        (Role.ADMINISTRATOR, True, True),
        (Role.COUNTY_HR, True, False),  # reads the applications (waivers), not the exam pages
        (Role.TOWNSHIP_COMMITTEE, True, True),
        (Role.TOWNSHIP_OFFICE, False, False),
    ],
)
def test_the_campaign_page_offers_the_applications_and_the_exam_to_who_may_open_them(
    client, world, role, applications, exam
):
    campaign = world.recruitment("own").campaign
    client.force_login(world.users[role])
    html = client.get(reverse("recruitment:campaign_detail", args=[campaign.pk])).content.decode()
    assert (reverse("recruitment:review_list", args=[campaign.pk]) in html) is applications
    assert (reverse("recruitment:exam_home", args=[campaign.pk]) in html) is exam


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE])
def test_every_link_of_an_application_page_opens_for_its_reader(client, world, role):
    """An applicant made eligible by a waiver after the tickets were issued: the page says
    the committee gives the admission number on the exam page, and links it only for them."""
    run = CampaignBuilder.open(
        world.own.township,
        by=world.users[Role.TOWNSHIP_COMMITTEE],
        hr=world.users[Role.COUNTY_HR],
        villages=[world.own.village],
        timetable=Timetable.around(CampaignState.REVIEWED),
    ).announce()
    application = run.apply("罗昇", failed={EligibilityRule.HOUSEHOLD: "户籍在邻县"})
    run.to(CampaignState.REVIEWED)  # the tickets are issued
    run.waiver(application, EligibilityRule.HOUSEHOLD, approve=True)
    assert (application.state, application.admission_number) == (ApplicationState.ELIGIBLE, "")
    client.force_login(world.users[role])
    response = client.get(reverse("recruitment:review_application", args=[application.pk]))
    assert response.status_code == 200
    links = assert_every_link_opens(client, response.content.decode())
    exam = reverse("recruitment:exam_home", args=[run.campaign.pk])
    assert (exam in links) is (role != Role.COUNTY_HR)


@pytest.mark.parametrize("role", CAMPAIGN_READERS)
def test_every_link_of_the_dashboard_and_the_process_page_opens_for_its_reader(client, world, role):
    recruitment = world.recruitment("own")
    client.force_login(world.users[role])
    for url in ("/", reverse("campaign:process_detail", args=[recruitment.process.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert_every_link_opens(client, response.content.decode())
