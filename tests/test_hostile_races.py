"""Races that used to break a rule or answer 500, run on PostgreSQL with 20 threads, each
with its own database connection:

- 20 imports of one new village at once create it once (the county is locked while the rows
  are checked and written; ``village_unique_name_per_township`` backs it);
- campaigns of one township finishing their review at once get different admission numbers
  (the township is locked while numbers are given; ``application_unique_admission_number``
  backs it), and a clash across townships whose ids end alike is a message;
- one ID number hired by many campaigns at once gives one person record
  (``Person.id_number`` is unique; the losers update the winner's record);
- one ID number registered 20 times at once gives one application
  (``application_one_per_id_per_campaign``); the others are told it has applied;
- 20 people registering for one campaign at once get the registration numbers 1 to 20 (the
  campaign is locked while a number is given; ``application_unique_number_per_campaign``
  backs it).

SQLite has one writer at a time and an in-memory test database per connection, so these run
only with ``DATABASE_URL=postgres://…``.
"""

import datetime
import threading
from collections import Counter
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from contracts.models import Contract
from core.education import Education
from core.files import discard_uncommitted
from organisation.importing import villages_import
from organisation.models import Township, Village
from people.models import Person
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign, CampaignPost
from recruitment.services import applications as applications_service
from recruitment.services import hiring, review
from tests.builders import SPRING_2026, CampaignBuilder, Timetable, birth_for_age
from tests.builders import make_campaign as make_open_campaign
from tests.factories import (
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_pdf,
)
from tests.test_recruitment_public import image_bytes, stored_upload_files

# The marks of every race test module (``pytestmark = RACES``): PostgreSQL only, each thread
# with its own connection to a database the test really commits to.
RACES = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]
pytestmark = RACES

THREADS = 20


def race(work, n: int = THREADS) -> list:
    """Run ``work(i)`` in ``n`` threads released together; each result is the value
    returned or the exception raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[i] = work(i)
        except Exception as exc:  # the assertions look at what was raised
            results[i] = exc
        finally:
            # As at the end of a request: files staged by a transaction that rolled back
            # (a loser's document) are deleted with it.
            discard_uncommitted()
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return results


def unexpected(results: list, allowed=()) -> list:
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, allowed)]


# The village import -------------------------------------------------------------------------


def test_twenty_imports_of_one_new_village_create_it_once(hr, county):
    township = cast(Township, TownshipFactory(county=county, name="关索街道"))
    content = "乡镇(街道),村(居、社区),户籍人口\n关索街道,北口村,2600\n".encode()

    def work(_i):
        by = User.objects.select_related("county").get(pk=hr.pk)
        return villages_import(
            file_name="villages.csv",
            content=content,
            default_date=datetime.date(2026, 1, 1),
            by=by,
        )

    results = race(work)
    assert unexpected(results) == []
    assert all(report.ok for report in results), [r.errors for r in results]
    assert sum(report.created for report in results) == 1
    village = Village.objects.get(township=township)
    assert village.name == "北口村"
    assert village.posts.count() == 2  # 2001–4999 → 2 posts, created once


# Admission numbers ----------------------------------------------------------------------------


def closed_campaign(township, committee, n: int, names=("张三", "李四")) -> Campaign:
    """A campaign of ``township`` past its registration, whose applicants ``names`` are all
    found eligible: the review can be finished."""
    run = CampaignBuilder.open(
        township, by=committee, title=f"{township.name}选聘{n}", timetable=SPRING_2026
    ).announce()
    for name in names:
        run.apply(name)
    run.close_registration()
    for application in run.registered:
        run.review(application)
    return run.campaign


def committee_of(township) -> User:
    user = UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=township.county, township=township)
    return cast(User, user)


@pytest.fixture
def no_tickets(monkeypatch):
    """Tickets are paper; these tests are about numbers."""
    monkeypatch.setattr(review, "issue_for", lambda *args, **kwargs: [])


def finish_reviews(campaigns: list[Campaign], users: dict[int, User]) -> list:
    def work(i):
        campaign = Campaign.objects.get(pk=campaigns[i].pk)
        by = User.objects.get(pk=users[campaign.township_id].pk)
        return review.campaign_finish_review(campaign=campaign, by=by)

    return race(work, n=len(campaigns))


def test_campaigns_of_one_township_finishing_review_together_get_different_numbers(
    county, policy, no_tickets
):
    township = TownshipFactory(county=county, name="关索街道")
    committee = committee_of(township)
    campaigns = [closed_campaign(township, committee, n) for n in range(THREADS)]

    results = finish_reviews(campaigns, {township.pk: committee})

    assert unexpected(results) == []
    numbers = list(Application.objects.values_list("admission_number", flat=True))
    assert len(numbers) == 2 * THREADS and "" not in numbers
    assert len(set(numbers)) == len(numbers)
    assert set(Campaign.objects.values_list("state", flat=True)) == {CampaignState.REVIEWED}


def test_townships_whose_numbers_share_a_prefix_clash_with_a_message_not_a_500(
    county, policy, no_tickets
):
    first = cast(Township, TownshipFactory(county=county, name="关索街道"))
    second = Township.objects.create(pk=first.pk + 1000, county=county, name="顶云街道")
    users = {first.pk: committee_of(first), second.pk: committee_of(second)}
    campaigns = [
        closed_campaign(township, users[township.pk], n)
        for n in range(THREADS // 2)
        for township in (first, second)
    ]
    assert review.admission_prefix(campaigns[0]) == review.admission_prefix(campaigns[1])

    results = finish_reviews(campaigns, users)

    assert unexpected(results, allowed=ValidationError) == []
    for result in results:
        if isinstance(result, ValidationError):
            assert "另一项选聘" in result.messages[0] or "same moment" in result.messages[0]
    numbers = list(
        Application.objects.exclude(admission_number="").values_list("admission_number", flat=True)
    )
    assert len(set(numbers)) == len(numbers)
    for campaign in Campaign.objects.all():
        numbered = campaign.applications.exclude(admission_number="").count()
        if campaign.state == CampaignState.REVIEWED:
            assert numbered == 2
        else:  # refused: nothing half-done
            assert (campaign.state, numbered) == (CampaignState.REGISTRATION_CLOSED, 0)


# One ID number hired by many campaigns at once -------------------------------------------------


def test_one_id_number_hired_by_twenty_campaigns_at_once_is_one_person(county, policy, monkeypatch):
    monkeypatch.setattr(hiring, "issue_for", lambda *args, **kwargs: [])
    township = TownshipFactory(county=county, name="关索街道")
    committee = committee_of(township)
    birth = datetime.date(1994, 3, 1)
    id_number = make_id_number(birth)
    campaigns = []
    for n in range(THREADS):
        # 王芳 is proposed in each; the notices are over.
        run = CampaignBuilder.open(
            township,
            by=committee,
            title=f"关索街道选聘{n}",
            timetable=Timetable.around(CampaignState.CONCLUDED),
        ).announce()
        run.apply("王芳", id_number=id_number, birth=birth)
        campaigns.append(run.to(CampaignState.PUBLICISED).campaign)

    def work(i):
        campaign = Campaign.objects.get(pk=campaigns[i].pk)
        by = User.objects.get(pk=committee.pk)
        return hiring.campaign_confirm_hires(
            campaign=campaign, start_date=timezone.localdate(), by=by
        )

    results = race(work)

    # One person directs one post: the first confirmation hires her, the others are refused
    # with a message and leave their campaign as it was.
    assert unexpected(results, allowed=(ValidationError,)) == []
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == THREADS - 1
    person = Person.objects.get(id_number=id_number)
    hired = Application.objects.filter(state=ApplicationState.HIRED)
    assert list(hired.values_list("person", flat=True)) == [person.pk]
    assert Contract.objects.filter(person=person).count() == 1
    assert Campaign.objects.filter(state=CampaignState.PUBLICISED).count() == THREADS - 1


# One ID number registered 20 times at once ----------------------------------------------------


def test_one_id_number_registered_twenty_times_at_once_gives_one_application(policy, monkeypatch):
    monkeypatch.setattr(applications_service, "issue_for", lambda *args, **kwargs: [])
    campaign = make_open_campaign(policy=policy)
    offer = campaign.offers.order_by("pk")[0]
    id_number = make_id_number(birth_for_age(campaign, 30))
    photo, pdf = image_bytes(), make_pdf()

    def work(i):
        return submit(campaign, offer, name="罗昇", id_number=id_number, photo=photo, pdf=pdf)

    files_before = stored_upload_files()
    results = race(work)

    assert unexpected(results, allowed=ValidationError) == []
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == THREADS - 1
    assert Counter(tuple(r.message_dict) for r in refusals) == {("id_number",): THREADS - 1}
    application = Application.objects.get()
    assert application.id_number == id_number
    stored = stored_upload_files() - files_before
    assert len(stored) == application.attachments.count() == 2  # the refused left no file


def test_twenty_registrations_at_once_get_the_numbers_one_to_twenty(policy, monkeypatch):
    monkeypatch.setattr(applications_service, "issue_for", lambda *args, **kwargs: [])
    campaign = make_open_campaign(policy=policy)
    offer = campaign.offers.order_by("pk")[0]
    id_numbers = [make_id_number(birth_for_age(campaign, 30)) for _ in range(THREADS)]
    photo, pdf = image_bytes(), make_pdf()

    def work(i):
        return submit(
            campaign, offer, name=f"报名人{i}", id_number=id_numbers[i], photo=photo, pdf=pdf
        )

    results = race(work)
    assert unexpected(results) == []
    numbers = sorted(Application.objects.filter(campaign=campaign).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))


def submit(campaign, offer, *, name: str, id_number: str, photo: bytes, pdf: bytes):
    """Register through the service, as the public form does, in a racing thread (each thread
    reads the campaign and the offer itself)."""
    data = {
        "name": name,
        "id_number": id_number,
        "phone": "13987654321",
        "education": Education.HIGH_SCHOOL,
        "school": "关岭民族高级中学",
        "graduation_year": 2014,
        "household_registration": "贵州省关岭自治县关索街道",
    }
    files = {
        "photo": SimpleUploadedFile("photo.jpg", photo, "image/jpeg"),
        "education_certificate": [SimpleUploadedFile("d.pdf", pdf, "application/pdf")],
    }
    return applications_service.application_submit(
        campaign=Campaign.objects.get(pk=campaign.pk),
        offer=CampaignPost.objects.get(pk=offer.pk),
        data=data,
        files=files,
    )
