"""The appraisal pages driven as people use them (test client): the township committee opens
and rates, county HR confirms, the rewards are proposed and settled, the director reads
their appraisal and rewards on /my-term/. Refusals come back as messages."""

import datetime

import pytest
from django.urls import reverse

from appraisal.constants import AppraisalState, SettlementState
from appraisal.models import AnnualAppraisal, RewardSettlement
from tests.appraisal_support import scheme, scores
from tests.builders import contract_in_force

pytestmark = pytest.mark.django_db
RATINGS = {
    "ethics": "95",
    "ability": "95",
    "diligence": "95",
    "performance": "95",
    "integrity": "95",
    "satisfaction": "95",
}


@pytest.fixture
def director(township):
    contract = contract_in_force(
        township, start=datetime.date(2024, 11, 15), birth=datetime.date(1990, 1, 1), name="张丽"
    )
    scores(contract, 2024, ["90", "92"], first_month=11)
    scores(contract, 2025, ["93"] * 12)
    scheme(township.county, 2024)
    scheme(township.county, 2025)
    return contract


def test_rate_confirm_settle_and_read(client, township, committee, hr, director, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 10, 10))
    client.force_login(committee)
    response = client.post(reverse("appraisal:open", args=[township.pk]), {"year": "2025"})
    page = reverse("appraisal:township_year", args=[township.pk, 2025])
    assert response.url == page
    appraisal = AnnualAppraisal.objects.get(year=2025)
    form = {f"a{appraisal.pk}-{k}": v for k, v in RATINGS.items()}
    client.post(reverse("appraisal:rate", args=[appraisal.pk]), form)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.RATED and str(appraisal.score) == "94.40"
    text = client.get(page).content.decode()
    assert "94.40" in text and "优秀" in text
    # The committee may not confirm: no button, and the POST is refused with a message.
    assert reverse("appraisal:confirm", args=[appraisal.pk]) not in text
    client.post(reverse("appraisal:confirm", args=[appraisal.pk]))
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.RATED

    client.force_login(hr)
    assert reverse("appraisal:confirm", args=[appraisal.pk]) in client.get(page).content.decode()
    client.post(reverse("appraisal:confirm", args=[appraisal.pk]))
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.CONFIRMED
    client.post(reverse("appraisal:propose", args=[township.pk, 2025]))
    settlement = RewardSettlement.objects.get()
    client.post(reverse("appraisal:settle", args=[settlement.pk]), {"settled_on": "2026-01-09"})
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.SETTLED
    text = client.get(page).content.decode()
    assert "表彰" in text and "2026年1月9日" in text

    client.force_login(director.person.user)
    text = client.get(reverse("my_term:index")).content.decode()
    assert "94.40" in text and "优秀" in text and "表彰" in text
    assert client.get(page).status_code == 403


def test_a_partial_year_says_so_on_the_page(client, township, committee, director, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 10, 10))
    client.force_login(committee)
    client.post(reverse("appraisal:open", args=[township.pk]), {"year": "2024"})
    text = client.get(reverse("appraisal:township_year", args=[township.pk, 2024])).content.decode()
    assert "2个月" in text


def test_bad_ratings_come_back_as_a_message_naming_the_field(client, township, committee, director):
    client.force_login(committee)
    client.post(reverse("appraisal:open", args=[township.pk]), {"year": "2025"})
    appraisal = AnnualAppraisal.objects.get(year=2025)
    form = {f"a{appraisal.pk}-{k}": v for k, v in {**RATINGS, "ethics": "120"}.items()}
    response = client.post(reverse("appraisal:rate", args=[appraisal.pk]), form, follow=True)
    text = response.content.decode()
    assert "张丽" in text and "德" in text
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.DRAFTED


def test_another_township_s_appraisal_is_not_found(client, other_township, township, director):
    from tests.builders import committee_member

    client.force_login(committee_member(other_township))
    assert (
        client.get(reverse("appraisal:township_year", args=[township.pk, 2025])).status_code == 404
    )


def test_a_year_without_a_scheme_is_refused_with_a_message(client, township, committee, director):
    client.force_login(committee)
    response = client.post(
        reverse("appraisal:open", args=[township.pk]), {"year": "2023"}, follow=True
    )
    assert "2023" in response.content.decode() and not AnnualAppraisal.objects.exists()


def test_the_menu_shows_the_section_to_staff(client, committee):
    client.force_login(committee)
    assert reverse("appraisal:index") in client.get(reverse("appraisal:index")).content.decode()
