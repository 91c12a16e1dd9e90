"""The demo's warnings and yellow card (``demo.earlywarnings``): the rules over the published
months of the demo county, one yellow card, and nothing more the second time."""

import pytest

from accounts.constants import Role
from demo import data
from demo.earlywarnings import demo_warnings_load
from earlywarnings.models import Warning, YellowCard
from tests.endings_support import active_contract
from tests.factories import CountyFactory, PolicyFactory, TownshipFactory, UserFactory
from tests.warnings_support import published_month

pytestmark = pytest.mark.django_db


def test_the_demo_opens_warnings_from_the_published_months_and_gives_one_yellow_card():
    county = CountyFactory(name=data.COUNTY["name"])
    # The agreements are due at the year's end: this test is about the scores.
    PolicyFactory(county=county, agreement_due_month=12, agreement_due_day=31)
    township = TownshipFactory(county=county, name="关索街道")
    UserFactory(username="county_hr", role=Role.COUNTY_HR, county=county)
    directors = [
        active_contract(township, name=n) for n in ["王晓燕", "李春梅", "张丽", "刘芳", "陈静"]
    ]
    for month in (8, 9, 10):
        published_month(
            township, 2026, month, dict(zip(directors, ["50", "70", "80", "90", "95"], strict=True))
        )
    first = demo_warnings_load()
    # 王晓燕 below the line in each month; she, 李春梅 and 张丽 the bottom three all three months
    assert first.warnings == 3 + 3
    assert first.yellow_cards == 1
    card = YellowCard.objects.get()
    assert card.township == township and card.person is None
    again = demo_warnings_load()
    assert (again.warnings, again.yellow_cards) == (0, 0)
    assert Warning.objects.count() == 6 and YellowCard.objects.count() == 1
