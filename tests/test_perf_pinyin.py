"""Townships and villages sort by pinyin like people do: each keeps a pinyin key of its name on
every save path, and their lists and choices sort by it. The keys stay out of the audit
trail. The audit log's date filter keeps local days."""

import datetime
from typing import cast

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEntry
from audit.services import audited_update
from organisation.constants import VillageKind
from organisation.models import Township, Village
from organisation.services import village_create
from people.forms import PersonForm
from people.services import person_update
from tests.factories import TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db

# Code-point order and pinyin order disagree on these: 坝 (ba) < 大 (da) < 新 (xin) < 中 (zhong)
VILLAGES = ["中寨村", "新寨村二", "坝子村", "大坪村"]
BY_PINYIN = ["坝子村", "大坪村", "新寨村二", "中寨村"]


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def add_villages(world) -> None:
    for name in VILLAGES:
        village_create(
            township=world.own.township,
            name=name,
            kind=VillageKind.VILLAGE,
            registered_population=1500,
            population_effective_date=datetime.date(2026, 1, 1),
            by=world.users[Role.COUNTY_HR],
        )


def test_places_get_their_pinyin_key_when_created(world):
    add_villages(world)
    village = Village.objects.get(name="坝子村")
    assert village.name_pinyin == "ba4 zi cun1"
    assert world.own.township.name_pinyin == "guan1 suo3 jie1 dao4"


def test_a_renamed_place_gets_a_new_key_when_saving_only_its_name(world):
    township = world.own.township
    audited_update(township, {"name": "顶云街道"}, by=world.users[Role.ADMINISTRATOR])
    township.refresh_from_db()
    assert township.name_pinyin == "ding3 yun2 jie1 dao4"
    village = world.own.village
    village.name = "坝子村"
    village.save(update_fields=["name"])
    village.refresh_from_db()
    assert village.name_pinyin == "ba4 zi cun1"


def test_a_village_renamed_in_the_admin_gets_a_new_key(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    village = world.own.village
    response = client.post(
        reverse("admin:organisation_village_change", args=[village.pk]),
        {"name": "坝子村", "kind": village.kind},
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert (village.name, village.name_pinyin) == ("坝子村", "ba4 zi cun1")


def test_a_renamed_person_gets_new_keys(world):
    person = person_update(person=world.own.person, by=world.users[Role.COUNTY_HR], name="张伟")
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_search) == ("zhang1 wei3", "zhangwei")


def test_the_keys_stay_out_of_the_audit_trail(world):
    person_update(person=world.own.person, by=world.users[Role.COUNTY_HR], name="张伟")
    entry = AuditEntry.objects.filter(content_type__model="person").latest("at", "id")
    assert entry.after["name"] == "张伟"
    assert not {"name_pinyin", "name_search"} & (set(entry.before) | set(entry.after))
    add_villages(world)
    entry = AuditEntry.objects.filter(content_type__model="village", action="create").latest(
        "at", "id"
    )
    assert "name" in entry.after and "name_pinyin" not in entry.after


def test_the_village_list_of_a_township_is_in_pinyin_order(client, world):
    add_villages(world)
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get(reverse("organisation:township_detail", args=[world.own.township.pk]))
    names = [row.village.name for row in response.context["rows"]]
    assert [n for n in names if n in VILLAGES] == BY_PINYIN


def test_the_township_list_is_in_pinyin_order(client, world):
    for name in ("中寨镇", "坝陵镇"):
        TownshipFactory(county=world.county, name=name)
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("organisation:township_list"))
    names = [township.name for township, _posts in response.context["rows"]]
    assert names == ["坝陵镇", "关索街道", "花江镇", "中寨镇"]


def test_the_choices_of_the_person_form_are_in_pinyin_order(world):
    add_villages(world)
    TownshipFactory(county=world.county, name="坝陵镇")
    form = PersonForm(user=world.users[Role.COUNTY_HR])
    townships = [t.name for t in form.fields["township"].queryset]  # type: ignore[attr-defined]
    assert townships == ["坝陵镇", "关索街道", "花江镇"]
    villages = [
        v.name
        for v in form.fields["village"].queryset  # type: ignore[attr-defined]
        if v.township_id == world.own.township.pk
    ]
    assert [n for n in villages if n in VILLAGES] == BY_PINYIN


def test_villages_sort_by_pinyin_by_default(world):
    township = cast(Township, TownshipFactory(county=world.county, name="测试镇"))
    for name in VILLAGES:
        VillageFactory(township=township, name=name)
    assert [v.name for v in Village.objects.filter(township=township)] == BY_PINYIN


# The audit log's dates ----------------------------------------------------------------------


def test_the_audit_log_filters_by_local_days(client, world):
    """An entry at 23:30 in Shanghai (15:30 UTC) belongs to that local day."""
    officer = world.users[Role.COUNTY_HR]
    with time_machine.travel(datetime.datetime(2026, 11, 20, 15, 30, tzinfo=datetime.UTC)):
        person_update(person=world.own.person, by=officer, name="张伟")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 16, 30, tzinfo=datetime.UTC)):
        person_update(person=world.own.person, by=officer, name="周敏")
    client.force_login(officer)

    def reasons(**dates) -> list[str]:
        response = client.get(reverse("audit:list"), dates)
        return [e.after.get("name") for e in response.context["entries"] if "name" in e.after]

    assert reasons(date_from="2026-11-20", date_to="2026-11-20") == ["张伟"]
    assert reasons(date_from="2026-11-21", date_to="2026-11-21") == ["周敏"]
    assert reasons(date_from="2026-11-20", date_to="2026-11-21") == ["周敏", "张伟"]
