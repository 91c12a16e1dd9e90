"""Person pages: masking, the logged reveal of full numbers, the create and edit forms."""

import datetime
from typing import cast

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEntry
from audit.services import audit_trail
from core.identity import check_digit
from people.models import IdentityAccess, Person
from people.services import person_create, person_update
from tests.matrix_support import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English (the msgids), whatever the Chinese catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def login(client, world, role):
    client.force_login(world.users[role])
    return world.users[role]


def id_with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def id_ending_in_x() -> str:
    for order in range(1, 1000):
        first17 = f"52042419880412{order:03d}"
        if check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError("no serial gives an X check digit")


def form_data(world, **overrides) -> dict:
    data = {
        "name": "罗昇",
        "id_number": id_with_check("52042419920318031"),
        "phone": "13987654321",
        "education": "high_school",
        "school": "关岭民族中学",
        "graduation_year": "2010",
        "household_registration": "贵州省关岭自治县关索街道",
        "township": world.own.township.pk,
        "village": world.own.village.pk,
    }
    data.update(overrides)
    return data


# Masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_page_prints_a_full_id_or_phone_number(client, world, role):
    # Creating and editing leave full values in the audit trail (ID number, birth date, old
    # and new phone), which the person page, the dashboards and the audit log display.
    officer = world.users[Role.COUNTY_HR]
    person_update(person=world.own.person, by=officer, phone="13600001111", reason="新号码")
    created = person_create(
        by=officer,
        name="罗昇",
        id_number=id_with_check("52042419920318031"),
        phone="13987654321",
        education="high_school",
        household_registration="关岭",
        township=world.own.township,
        village=world.own.village,
    )
    login(client, world, role)
    people = [Person.objects.get(pk=world.own.person.pk), world.foreign.person, created]
    pages = ["/", reverse("people:list"), reverse("audit:list")]
    pages += [reverse("people:detail", args=[p.pk]) for p in people]
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        for person in people:
            assert person.id_number not in html, url
            assert person.phone not in html, url
            assert "13912340001" not in html, url  # the phone before the edit
            # Next to the masked number the birth date would complete it.
            assert person.birth_date.isoformat() not in html, url
            assert f"{person.birth_date:%Y%m%d}" not in html, url


def test_list_and_detail_show_the_masked_numbers(client, world):
    login(client, world, Role.TOWNSHIP_COMMITTEE)
    person = world.own.person
    listing = client.get(reverse("people:list")).content.decode()
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    for html in (listing, detail):
        assert person.masked_id_number in html
        assert "139****0001" in html


def test_the_list_shows_only_the_users_township(client, world):
    login(client, world, Role.TOWNSHIP_OFFICE)
    html = client.get(reverse("people:list")).content.decode()
    assert world.own.person.name in html
    assert world.foreign.person.name not in html


def test_search_finds_by_name_and_pinyin_and_lists_in_pinyin_order(client, world):
    township, village = world.own.township, world.own.village
    for name in ("张伟", "阿依", "周敏"):
        Person.objects.create(
            name=name,
            id_number=id_with_check(f"5204241990010{len(name)}{ord(name[0]) % 1000:03d}"),
            birth_date=datetime.date(1990, 1, 1),
            sex="F",
            phone="13800000000",
            education="high_school",
            household_registration="关岭",
            township=township,
            village=village,
        )
    login(client, world, Role.COUNTY_HR)
    listing = client.get(reverse("people:list")).content.decode()
    positions = [listing.index(name) for name in ("阿依", "王晓燕", "张伟", "周敏")]
    assert positions == sorted(positions)
    by_pinyin = client.get(reverse("people:list"), {"q": "zhang"}).content.decode()
    assert "张伟" in by_pinyin and "周敏" not in by_pinyin
    by_name = client.get(reverse("people:list"), {"q": "周"}).content.decode()
    assert "周敏" in by_name and "张伟" not in by_name


# Reveal -------------------------------------------------------------------------------------


def test_reveal_shows_the_full_number_once_and_logs_who_whose_why(client, world):
    officer = login(client, world, Role.COUNTY_HR)
    person = world.own.person
    url = reverse("people:reveal", args=[person.pk])
    response = client.post(url, {"field": "id_number", "reason": "填写县备案表"})
    assert response.status_code == 200
    assert person.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert (access.user, access.person, access.field, access.reason) == (
        officer,
        person,
        "id_number",
        "填写县备案表",
    )
    # The record page stays masked afterwards.
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.id_number not in detail
    assert "填写县备案表" in detail  # the access log on the page


def test_reveal_of_the_phone_number(client, world):
    login(client, world, Role.COUNTY_HR)
    response = client.post(
        reverse("people:reveal", args=[world.own.person.pk]),
        {"field": "phone", "reason": "通知培训"},
    )
    assert "13912340001" in response.content.decode()
    assert IdentityAccess.objects.get().field == "phone"


def test_reveal_needs_a_reason(client, world):
    login(client, world, Role.COUNTY_HR)
    person = world.own.person
    response = client.post(
        reverse("people:reveal", args=[person.pk]), {"field": "id_number", "reason": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert person.id_number not in html
    assert "Say why you need the full number." in html
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.VILLAGE_COMMITTEE, Role.DIRECTOR],
)
def test_reveal_is_refused_without_the_permission(client, world, role):
    login(client, world, role)
    response = client.post(
        reverse("people:reveal", args=[world.own.person.pk]),
        {"field": "id_number", "reason": "想看看"},
    )
    assert response.status_code == 403
    assert world.own.person.id_number not in response.content.decode()
    assert not IdentityAccess.objects.exists()


def test_an_individually_granted_permission_allows_the_reveal(client, world):
    from django.contrib.auth.models import Permission

    user = login(client, world, Role.TOWNSHIP_COMMITTEE)
    user.user_permissions.add(Permission.objects.get(codename="view_full_identity"))
    response = client.post(
        reverse("people:reveal", args=[world.own.person.pk]),
        {"field": "id_number", "reason": "核对"},
    )
    assert response.status_code == 200
    assert IdentityAccess.objects.filter(user=user).count() == 1


def test_reveal_is_a_post_only_action(client, world):
    login(client, world, Role.COUNTY_HR)
    response = client.get(reverse("people:reveal", args=[world.own.person.pk]))
    assert response.status_code == 405
    assert not IdentityAccess.objects.exists()


def test_reveal_of_another_countys_person_is_404(client, world):
    from tests.factories import PersonFactory, TownshipFactory

    far = cast(Person, PersonFactory(township=TownshipFactory(county=world.far_policy.county)))
    login(client, world, Role.COUNTY_HR)
    response = client.post(
        reverse("people:reveal", args=[far.pk]), {"field": "id_number", "reason": "核对"}
    )
    assert response.status_code == 404
    assert not IdentityAccess.objects.exists()


# Create and edit ----------------------------------------------------------------------------


def test_create_derives_birth_date_and_sex_and_normalises_a_lower_case_x(client, world):
    login(client, world, Role.TOWNSHIP_COMMITTEE)
    number = id_ending_in_x()
    response = client.post(reverse("people:create"), form_data(world, id_number=number.lower()))
    person = Person.objects.get(name="罗昇")
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[person.pk])
    assert person.id_number == number
    assert person.birth_date == datetime.date(1988, 4, 12)
    assert person.sex == ("M" if int(number[16]) % 2 else "F")
    entry = audit_trail(person).get()
    assert entry.action == AuditEntry.Action.CREATE


def test_a_wrong_check_digit_is_refused_naming_the_field(client, world):
    login(client, world, Role.COUNTY_HR)
    good = id_with_check("52042419920318031")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(reverse("people:create"), form_data(world, id_number=bad))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ID number: The check digit of the ID number is wrong" in html
    assert not Person.objects.filter(name="罗昇").exists()


def test_a_birth_date_that_does_not_exist_is_refused(client, world):
    login(client, world, Role.COUNTY_HR)
    number = id_with_check("52042419900230031")  # 30 February 1990, valid check digit
    response = client.post(reverse("people:create"), form_data(world, id_number=number))
    html = response.content.decode()
    assert "ID number: The birth date in the ID number (1990-02-30) does not exist." in html
    assert not Person.objects.filter(name="罗昇").exists()


def test_a_bad_phone_number_is_refused_naming_the_field(client, world):
    login(client, world, Role.COUNTY_HR)
    response = client.post(reverse("people:create"), form_data(world, phone="12345"))
    assert "Mobile phone: A mobile number is 11 digits" in response.content.decode()
    assert not Person.objects.filter(name="罗昇").exists()


def test_an_id_number_already_on_file_is_refused(client, world):
    login(client, world, Role.COUNTY_HR)
    response = client.post(
        reverse("people:create"), form_data(world, id_number=world.foreign.person.id_number)
    )
    assert "A person with this ID number is already on file." in response.content.decode()
    assert Person.objects.filter(id_number=world.foreign.person.id_number).count() == 1


def test_township_choices_are_limited_to_the_users_scope(client, world):
    login(client, world, Role.TOWNSHIP_COMMITTEE)
    form = client.get(reverse("people:create")).context["form"]
    assert list(form.fields["township"].queryset) == [world.own.township]
    assert world.foreign.village not in form.fields["village"].queryset
    response = client.post(
        reverse("people:create"),
        form_data(world, township=world.foreign.township.pk, village=""),
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Person.objects.filter(name="罗昇").exists()


def test_the_village_must_be_in_the_township(client, world):
    login(client, world, Role.COUNTY_HR)
    response = client.post(
        reverse("people:create"),
        form_data(world, township=world.own.township.pk, village=world.foreign.village.pk),
    )
    assert "is not in" in response.content.decode()
    assert not Person.objects.filter(name="罗昇").exists()


def test_editing_writes_an_audit_entry_and_keeps_the_phone_when_left_empty(client, world):
    officer = login(client, world, Role.TOWNSHIP_COMMITTEE)
    person = world.own.person
    url = reverse("people:update", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.phone not in page  # the edit form never prints the stored number
    data = form_data(world, name="王晓艳", phone="", reason="户口簿更正")
    del data["id_number"]
    response = client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "王晓艳"
    assert person.phone == "13912340001"
    entry = audit_trail(person).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == officer
    assert entry.before["name"] == "王晓燕" and entry.after["name"] == "王晓艳"
    assert entry.reason == "户口簿更正"


def test_the_person_page_shows_posts_documents_and_history(client, world):
    person_update(
        person=world.own.person, by=world.users[Role.COUNTY_HR], name="王晓艳", reason="户口簿更正"
    )
    login(client, world, Role.VILLAGE_COMMITTEE)
    html = client.get(reverse("people:detail", args=[world.own.person.pk])).content.decode()
    assert world.own.village.name in html  # the post held
    assert world.own.document.verification_code in html
    assert "户口簿更正" in html and "王晓艳" in html
    assert world.foreign.document.verification_code not in html


def test_a_director_sees_only_their_own_person_page(client, world):
    login(client, world, Role.DIRECTOR)
    assert client.get(reverse("people:detail", args=[world.own.person.pk])).status_code == 200
    other = Person.objects.create(
        name="赵六",
        id_number=id_with_check("52042419910101051"),
        birth_date=datetime.date(1991, 1, 1),
        sex="M",
        phone="13800000000",
        education="high_school",
        household_registration="关岭",
        township=world.own.township,
        village=world.own.village,
    )
    assert client.get(reverse("people:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("people:list")).status_code == 403
