"""Townships and villages are listed in pinyin order, as people are, on every staff page that
lists them: the dashboards, the campaign flow's task pages and the review's "next" link.

The names are chosen so that pinyin order and the order of the characters' code points
differ: 关 (U+5173) < 北 (U+5317) < 摆 (U+6446), but bǎi < běi < guān."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from recruitment.constants import CampaignState
from recruitment.views_review import next_to_review
from tests.builders import CampaignBuilder, Timetable
from tests.factories import PostFactory, TownshipFactory, VillageFactory
from tests.matrix_support import every_task, make_world

pytestmark = pytest.mark.django_db

# In code-point order; the pinyin order is below.
VILLAGES = ["三家寨村", "享乐村", "关脚村", "北口村", "摆布村", "解放村"]
VILLAGES_BY_PINYIN = ["摆布村", "北口村", "关脚村", "解放村", "三家寨村", "享乐村"]


def in_page_order(html: str, names: list[str]) -> list[str]:
    """``names`` in the order the page first shows them (each must be shown)."""
    missing = [name for name in names if name not in html]
    assert missing == []
    return sorted(names, key=html.index)


@pytest.fixture
def world():
    world = make_world()
    for name in VILLAGES:
        village = VillageFactory(township=world.own.township, name=name)
        PostFactory(village=village, number=1)  # vacant
    return world


def applicants_in_every_village(world, state: str = CampaignState.ANNOUNCED) -> CampaignBuilder:
    """A campaign of the own township offering a post in its village and in each of
    ``VILLAGES``, one applicant registered for each of these, taken to ``state`` through the
    services (publicised: each is proposed)."""
    run = CampaignBuilder.open(
        world.own.township,
        by=world.users[Role.TOWNSHIP_COMMITTEE],
        villages=[world.own.village, *VILLAGES],
        timetable=Timetable.around(state),
    ).announce()
    for number, name in enumerate(VILLAGES):
        run.apply(f"{name[:2]}报名人", village=name, female=True, phone=f"1398765{number:04d}")
    run.to(state)
    return run


def test_the_county_dashboard_lists_the_townships_by_pinyin(client, world):
    for name in ("上关镇", "断桥镇"):  # 上 U+4E0A, 断 U+65AD
        TownshipFactory(county=world.county, name=name)
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("web:dashboard"))
    townships = [t.name for t in response.context["dashboard"].townships]
    assert townships == ["断桥镇", "关索街道", "花江镇", "上关镇"]
    assert in_page_order(response.content.decode(), townships) == townships


def test_the_township_dashboard_lists_the_villages_with_vacant_posts_by_pinyin(client, world):
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get(reverse("web:dashboard"))
    villages = [v.name for v in response.context["dashboard"].villages_with_vacancies]
    assert villages == [*VILLAGES_BY_PINYIN[:3], "关索街道新寨村", *VILLAGES_BY_PINYIN[3:]]
    assert in_page_order(response.content.decode(), VILLAGES) == VILLAGES_BY_PINYIN


@pytest.mark.parametrize(
    ("node", "state"),
    [
        ("approve_announcement", CampaignState.ANNOUNCED),  # the applicants registered
        ("review_applications", CampaignState.REGISTRATION_CLOSED),
        ("handle_objections", CampaignState.PUBLICISED),  # the applicants proposed
        ("confirm_hires", CampaignState.PUBLICISED),
    ],
)
def test_the_task_pages_list_villages_and_applications_by_pinyin(client, world, node, state):
    campaign = applicants_in_every_village(world, state).campaign
    committee = world.users[Role.TOWNSHIP_COMMITTEE]
    process, tasks = every_task(campaign, committee)
    client.force_login(committee)
    response = client.get(reverse(f"campaign:{node}:execute", args=[process.pk, tasks[node].pk]))
    assert response.status_code == 200
    assert campaign.offers.count() == len(VILLAGES) + 1
    assert in_page_order(response.content.decode(), VILLAGES) == VILLAGES_BY_PINYIN


def test_the_next_application_to_review_follows_the_pinyin_order_of_villages(world):
    run = applicants_in_every_village(world)
    reviewed = run.apply("罗昇", village=world.own.village)  # reviewed first: not next
    run.close_registration().review(reviewed)
    campaign = run.campaign
    by_village = {a.offer.village.name: a for a in campaign.applications.all()}
    following = [
        next_to_review(by_village[name]).offer.village.name  # type: ignore[union-attr]
        for name in VILLAGES_BY_PINYIN
    ]
    assert following == [*VILLAGES_BY_PINYIN[1:], VILLAGES_BY_PINYIN[0]]
