"""The spot-check draw's secrecy, role by role (seed 002: 在到达检查点前,只有带队组长知道检查点):
until the day ends, the day's page shows the drawn villages and the records that name them to
the day's leader alone; everyone else in scope sees that the draw was made, by whom and when;
another township does not see the day at all. After the end, everyone in scope sees the
villages and that the draw reproduces from its record."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.models import User
from inspections.services import day_end
from organisation.models import Village
from tests.inspections_support import add_villages, office_user, sign_all, started_day
from tests.matrix_support import make_user, make_world

pytestmark = pytest.mark.django_db

LEADER = "leader"
OTHER_OFFICE = "other office staff"
FOREIGN_OFFICE = "foreign office staff"
FOREIGN_COMMITTEE = "foreign committee"
SEES_BEFORE = {LEADER}
SEES_AFTER = {
    LEADER,
    OTHER_OFFICE,
    Role.TOWNSHIP_COMMITTEE,
    Role.COUNTY_HR,
    Role.ADMINISTRATOR,
}
REFUSED = {
    Role.VILLAGE_COMMITTEE: 403,
    Role.DIRECTOR: 403,
    FOREIGN_OFFICE: 404,
    FOREIGN_COMMITTEE: 404,
}
EVERY = [*sorted(SEES_AFTER), *sorted(REFUSED)]


@pytest.fixture
def setting():
    world = make_world()
    township = world.own.township
    add_villages(township)
    leader = world.users[Role.TOWNSHIP_OFFICE]
    foreign_committee = make_user(Role.TOWNSHIP_COMMITTEE, world, username="far_committee")
    foreign_committee.township = world.foreign.township
    foreign_committee.save(update_fields=["township"])
    users: dict[str, User] = {
        LEADER: leader,
        OTHER_OFFICE: office_user(township, "other_office"),
        FOREIGN_OFFICE: office_user(world.foreign.township, "far_office"),
        FOREIGN_COMMITTEE: foreign_committee,
        **{
            role: world.users[role]
            for role in (
                Role.TOWNSHIP_COMMITTEE,
                Role.COUNTY_HR,
                Role.ADMINISTRATOR,
                Role.VILLAGE_COMMITTEE,
                Role.DIRECTOR,
            )
        },
    }
    day = started_day(township, leader)
    records = sign_all(day, leader)
    names = list(Village.objects.filter(pk__in=day.draw.result).values_list("name", flat=True))
    return day, users, names, records


def page(client, user, day):
    client.force_login(user)
    return client.get(reverse("inspections:day", args=[day.pk]))


@pytest.mark.parametrize("who", EVERY)
def test_before_the_end_only_the_leader_sees_the_villages(client, setting, who):
    day, users, names, records = setting
    response = page(client, users[who], day)
    if who in REFUSED:
        assert response.status_code == REFUSED[who]
        return
    assert response.status_code == 200
    html = response.content.decode()
    # Everyone in scope sees that the draw was made, by whom and when.
    assert users[LEADER].display_name in html
    assert 'id="draw"' in html
    if who in SEES_BEFORE:
        assert all(name in html for name in names)
        assert all(record.findings in html for record in records)
        assert response.context["reproduces"] is True
    else:
        assert not any(name in html for name in names)
        assert not any(record.findings in html for record in records)
        assert day.draw.seed not in html
        assert response.context["reproduces"] is None
        assert 'id="secret-note"' in html


@pytest.mark.parametrize("who", EVERY)
def test_after_the_end_everyone_in_scope_sees_the_villages_and_the_check(client, setting, who):
    day, users, names, records = setting
    day_end(day=day, by=users[LEADER])
    response = page(client, users[who], day)
    if who in REFUSED:
        assert response.status_code == REFUSED[who]
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert all(name in html for name in names)
    assert all(record.findings in html for record in records)
    assert response.context["reproduces"] is True
    assert 'id="reproduction"' in html


@pytest.mark.parametrize("who", [OTHER_OFFICE, Role.TOWNSHIP_COMMITTEE, Role.COUNTY_HR])
def test_the_list_and_the_audit_log_do_not_tell_the_villages(client, setting, who):
    _day, users, names, _records = setting
    client.force_login(users[who])
    for url in (reverse("inspections:list"), reverse("audit:list")):
        response = client.get(url)
        if response.status_code == 403:
            continue
        html = response.content.decode()
        assert not any(name in html for name in names), url


def test_a_non_leader_cannot_probe_the_draw_by_posting_a_record(client, setting):
    day, users, _names, _records = setting
    client.force_login(users[OTHER_OFFICE])
    village = Village.objects.filter(township=day.township).exclude(pk__in=day.draw.result).first()
    assert village is not None
    response = client.post(
        reverse("inspections:record", args=[day.pk, village.pk]),
        {f"v{village.pk}-findings": "x", f"v{village.pk}-inspectors": "陆春梅"},
    )
    assert response.status_code == 403
