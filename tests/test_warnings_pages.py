"""The pages of the early warnings and yellow cards, as people use them (test client)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from earlywarnings.constants import WarningRule, WarningState
from earlywarnings.kinds import YELLOW_CARD_DECISION
from earlywarnings.models import Warning, YellowCard
from earlywarnings.rules import warnings_for_month
from paperwork.models import Document
from tests.builders import committee_member, county_officer
from tests.endings_support import active_contract, director_of
from tests.warnings_support import published_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

NOW = datetime.datetime(2026, 11, 29, 2, tzinfo=datetime.UTC)
NAMES = ["王晓燕", "李春梅", "张丽", "刘芳"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def directors(township):
    return [active_contract(township, name=name) for name in NAMES]


@pytest.fixture
def warning(township, directors):
    month = published_month(
        township, 2026, 10, dict(zip(directors, ["58", "80", "85", "90"], strict=True))
    )
    (opened,) = warnings_for_month(month=month)
    return opened


def test_the_list_filters_by_rule_and_state_and_explains_the_rules(client, township, warning):
    client.force_login(committee_member(township))
    page = client.get(reverse("earlywarnings:list"))
    assert page.status_code == 200
    assert list(page.context["warnings"]) == [warning]
    assert "below 60.00 points" in page.content.decode()
    assert "bottom 3" in page.content.decode()
    filtered = client.get(reverse("earlywarnings:list"), {"rule": WarningRule.BOTTOM_RANKED})
    assert list(filtered.context["warnings"]) == []
    filtered = client.get(reverse("earlywarnings:list"), {"state": WarningState.OPEN})
    assert list(filtered.context["warnings"]) == [warning]


def test_another_township_sees_none_of_them(client, other_township, warning):
    client.force_login(committee_member(other_township))
    assert list(client.get(reverse("earlywarnings:list")).context["warnings"]) == []
    assert client.get(reverse("earlywarnings:detail", args=[warning.pk])).status_code == 404


def test_the_director_reads_and_acknowledges_their_warning(client, directors, warning):
    director = director_of(directors[0])
    client.force_login(director)
    mine = client.get(reverse("my_term:index"))
    assert "My early warnings" in mine.content.decode()
    assert reverse("earlywarnings:detail", args=[warning.pk]) in mine.content.decode()
    page = client.get(reverse("earlywarnings:detail", args=[warning.pk]))
    assert page.context["acknowledge"] is not None and page.context["close"] is None
    assert "58.00" in page.content.decode()
    refused = client.post(
        reverse("earlywarnings:detail", args=[warning.pk]),
        {"step": "acknowledge", "response": ""},
    )
    assert refused.status_code == 200
    assert "response" in refused.context["acknowledge"].errors
    done = client.post(
        reverse("earlywarnings:detail", args=[warning.pk]),
        {"step": "acknowledge", "response": "下月加强随访。"},
    )
    assert done.status_code == 302
    warning.refresh_from_db()
    assert warning.state == WarningState.ACKNOWLEDGED
    assert warning.response == "下月加强随访。"


def test_another_director_gets_404(client, directors, warning):
    client.force_login(director_of(directors[1]))
    assert client.get(reverse("earlywarnings:detail", args=[warning.pk])).status_code == 404


def test_the_office_reads_but_may_not_act(client, township, warning):
    from tests.factories import UserFactory

    office = UserFactory(role="township_office", county=township.county, township=township)
    client.force_login(office)
    page = client.get(reverse("earlywarnings:detail", args=[warning.pk]))
    assert page.context["acknowledge"] is None and page.context["close"] is None
    response = client.post(
        reverse("earlywarnings:detail", args=[warning.pk]), {"step": "acknowledge", "response": "x"}
    )
    assert response.status_code == 403
    warning.refresh_from_db()
    assert warning.state == WarningState.OPEN


def test_the_committee_closes_an_acknowledged_warning(client, township, directors, warning):
    client.force_login(director_of(directors[0]))
    client.post(
        reverse("earlywarnings:detail", args=[warning.pk]),
        {"step": "acknowledge", "response": "好"},
    )
    client.force_login(committee_member(township))
    response = client.post(
        reverse("earlywarnings:detail", args=[warning.pk]),
        {"step": "close", "note": "已约谈。"},
    )
    assert response.status_code == 302
    assert Warning.objects.get().state == WarningState.CLOSED


def test_the_dashboard_counts_the_open_warnings(client, township, warning):
    client.force_login(committee_member(township))
    page = client.get("/")
    assert "1 early warning is still to be dealt with" in page.content.decode()


def test_county_hr_gives_a_yellow_card_from_the_form(client, county, township, directors):
    client.force_login(county_officer(county))
    url = reverse("earlywarnings:yellowcard_new")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"target": "township", "township": township.pk, "reason": "年度考核不达标。"}
    )
    card = YellowCard.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("earlywarnings:yellowcard_detail", args=[card.pk])
    assert Document.objects.filter(kind=YELLOW_CARD_DECISION, object_id=card.pk).exists()
    page = client.get(response.url)
    assert "年度考核不达标" in page.content.decode()


def test_the_form_refuses_a_card_to_both_or_neither(client, county, township, directors):
    client.force_login(county_officer(county))
    url = reverse("earlywarnings:yellowcard_new")
    both = client.post(
        url,
        {
            "target": "director",
            "township": township.pk,
            "contract": directors[0].pk,
            "reason": "理由",
        },
    )
    assert both.status_code == 200
    assert "exactly one" in both.content.decode()
    neither = client.post(url, {"target": "director", "reason": "理由"})
    assert "contract" in neither.context["form"].errors
    assert YellowCard.objects.count() == 0


def test_the_committee_reads_its_townships_cards_only(
    client, county, township, other_township, directors
):
    hr = county_officer(county)
    client.force_login(hr)
    for place in (township, other_township):
        client.post(
            reverse("earlywarnings:yellowcard_new"),
            {"target": "township", "township": place.pk, "reason": "理由"},
        )
    client.force_login(committee_member(township))
    cards = client.get(reverse("earlywarnings:yellowcard_list")).context["cards"]
    assert [c.concerns for c in cards] == [township]
