"""The agreement pages through Django's test client: the county's template form with its
lines, a township's year with the overdue ones marked, the village committee's view, and bad
input on the agreement's page shown on its field with nothing saved."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from agreements.models import AgreementTemplate, TargetAgreement
from tests.agreements_support import county_template, side_agreement
from tests.matrix_support import make_world

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def world():
    return make_world()


def as_user(client, world, role):
    client.force_login(world.users[role])
    return client


def lines(*rows):
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
    }
    for i, (name, unit, value, how) in enumerate(rows):
        data |= {
            f"lines-{i}-name": name,
            f"lines-{i}-unit": unit,
            f"lines-{i}-default_value": value,
            f"lines-{i}-assessment": how,
        }
    return data


def test_county_hr_creates_a_template_with_its_lines(client, world):
    client = as_user(client, world, Role.COUNTY_HR)
    response = client.post(
        reverse("agreements:template_create"),
        {"year": "2027", "title": "2027年度目标管理责任书"}
        | lines(("出生政策符合率", "%", "95", "每低1个百分点扣2分"), ("", "", "", "")),
    )
    template = AgreementTemplate.objects.get()
    assert response.status_code == 302
    assert [line.name for line in template.lines.all()] == ["出生政策符合率"]


def test_a_template_without_lines_or_with_a_bad_value_is_refused_on_the_page(client, world):
    client = as_user(client, world, Role.COUNTY_HR)
    response = client.post(
        reverse("agreements:template_create"),
        {"year": "2027", "title": "2027年度"} | lines(("", "", "", "")),
    )
    assert response.status_code == 400
    assert "请至少填写一项目标" in response.content.decode()
    response = client.post(
        reverse("agreements:template_create"),
        {"year": "2027", "title": "2027年度"} | lines(("出生政策符合率", "%", "", "")),
    )
    assert response.status_code == 400
    assert "请填写该目标的默认值" in response.content.decode()
    assert not AgreementTemplate.objects.exists()


def test_the_townships_year_marks_the_overdue_and_the_missing(client, world):
    county_template(world)
    world.term("own")
    page = as_user(client, world, Role.TOWNSHIP_OFFICE).get(reverse("agreements:list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert world.own.person.name in text and "未起草" in text and "已逾期" in text
    assert "起草本年度责任书" in text
    response = client.post(reverse("agreements:draft"), {"year": "2026"})
    assert response.status_code == 302
    assert TargetAgreement.objects.filter(person=world.own.person, year=2026).exists()


def test_the_village_committee_sees_its_village_and_no_forms(client, world):
    agreement = side_agreement(world, "own")
    client = as_user(client, world, Role.VILLAGE_COMMITTEE)
    page = client.get(reverse("agreements:list"))
    assert world.own.person.name in page.content.decode()
    assert "起草本年度责任书" not in page.content.decode()
    detail = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert detail.status_code == 200 and "登记签字" not in detail.content.decode()


def test_a_bad_date_is_shown_on_its_field_and_nothing_is_saved(client, world):
    agreement = side_agreement(world, "own")
    client = as_user(client, world, Role.TOWNSHIP_COMMITTEE)
    response = client.post(
        reverse("agreements:sign", args=[agreement.pk]),
        {
            "township_signatory": "杨光荣",
            "township_on": "2026-01-10",
            "village_signatory": "韦国富",
            "village_on": "2026-01-04",
            "director_on": "2026-01-10",
        },
    )
    assert response.status_code == 400
    assert "早于责任书起草日期" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == "drafted"


def test_the_director_sees_their_agreement_on_my_term(client, world):
    side_agreement(world, "own")
    page = as_user(client, world, Role.DIRECTOR).get(reverse("my_term:index"))
    assert "我的目标管理责任书" in page.content.decode()
    assert "已逾期" in page.content.decode()
