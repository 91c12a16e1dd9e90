"""Every change of a user's role, scope, active flag, groups or permissions made in the admin
is in the audit trail, before → after, in words a clerk reads (accounts.services)."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.constants import Role
from accounts.models import User
from accounts.services import user_update
from audit.models import AuditEntry
from audit.services import audit_trail
from people.models import Person
from tests.factories import PersonFactory, TownshipFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(county):
    guansuo = TownshipFactory(county=county, name="关索街道")
    huajiang = TownshipFactory(county=county, name="花江镇")
    return {
        "guansuo": guansuo,
        "huajiang": huajiang,
        "chengnei": VillageFactory(township=guansuo, name="城内村"),
    }


@pytest.fixture
def administrator(county):
    return UserFactory(role=Role.ADMINISTRATOR, county=county, first_name="敏", last_name="罗")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def officer(county, places):
    return UserFactory(
        username="guansuo_office",
        first_name="芳",
        last_name="王",
        role=Role.TOWNSHIP_OFFICE,
        county=county,
        township=places["guansuo"],
    )


VIEW_FULL_IDENTITY = ("people", "view_full_identity")


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def form_data(user: User, **overrides) -> dict:
    """The admin's change form as the page fills it in for ``user``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "county": user.county_id,
        "township": user.township_id or "",
        "village": user.village_id or "",
        "person": user.person_id or "",
        "is_active": "on" if user.is_active else "",
        "user_permissions": [p.pk for p in user.user_permissions.all()],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def change(admin_client, user: User, **overrides):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    return admin_client.post(url, form_data(user, **overrides))


def entries(user: User):
    return list(audit_trail(user).filter(action=AuditEntry.Action.UPDATE).order_by("id"))


def test_a_role_and_scope_change_is_recorded_in_words(admin_client, administrator, officer, places):
    response = change(
        admin_client,
        officer,
        role=Role.TOWNSHIP_COMMITTEE,
        township=places["huajiang"].pk,
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.TOWNSHIP_COMMITTEE and officer.township == places["huajiang"]
    (entry,) = entries(officer)
    assert entry.actor == administrator
    assert entry.before == {"role": "乡镇计生办工作人员", "township": "关索街道"}
    assert entry.after == {"role": "乡镇选聘领导小组成员", "township": "花江镇"}
    assert entry.object_repr == "王芳"
    assert entry.reason == "在系统管理中修改"
    assert entry.township_id == places["huajiang"].pk


def test_a_village_and_a_person_are_recorded_by_name(admin_client, officer, places):
    director: Person = PersonFactory(name="韦春燕", township=places["guansuo"])
    response = change(
        admin_client,
        officer,
        role=Role.DIRECTOR,
        village=places["chengnei"].pk,
        person=director.pk,
    )
    assert response.status_code == 302
    (entry,) = entries(officer)
    assert entry.before == {"role": "乡镇计生办工作人员", "village": "", "person": ""}
    assert entry.after == {
        "role": "村级人口主任",
        "village": "关索街道 城内村",
        "person": f"韦春燕 ({director.masked_id_number})",
    }
    assert director.id_number not in json.dumps(entry.after, ensure_ascii=False)


def test_deactivating_and_granting_a_permission_are_recorded(admin_client, officer):
    grant = permission(*VIEW_FULL_IDENTITY)
    view_people = permission("people", "view_person")
    response = change(admin_client, officer, is_active="", user_permissions=[grant.pk])
    assert response.status_code == 302
    (entry,) = entries(officer)
    assert entry.before == {"is_active": "是", "user_permissions": ""}
    assert entry.after == {"is_active": "否", "user_permissions": "可查看完整身份证号码和手机号码"}

    change(admin_client, officer, is_active="", user_permissions=[grant.pk, view_people.pk])
    second = entries(officer)[1]
    assert second.after["user_permissions"] == "可查看人员、可查看完整身份证号码和手机号码"


def test_the_audit_page_shows_the_change_with_labels(admin_client, officer, places):
    change(admin_client, officer, township=places["huajiang"].pk)
    page = admin_client.get(reverse("audit:list")).content.decode()
    assert "乡镇（街道）：关索街道 → 花江镇" in page


def test_saving_without_a_change_records_nothing(admin_client, officer):
    assert change(admin_client, officer).status_code == 302
    assert entries(officer) == []


def test_a_refused_change_is_not_saved_nor_recorded(admin_client, officer):
    # A township role needs a township (User.clean): the form says so and nothing changes.
    response = change(admin_client, officer, township="")
    assert response.status_code == 200
    assert "该角色须指定乡镇（街道）。" in response.content.decode()
    officer.refresh_from_db()
    assert officer.township is not None
    assert entries(officer) == []


def test_creating_an_account_records_its_role_and_scope(admin_client, administrator, places):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "huajiang_new",
            "usable_password": "true",
            "password1": "Cunpin-2026-Secret!",
            "password2": "Cunpin-2026-Secret!",
            "first_name": "明",
            "last_name": "岑",
            "email": "",
            "role": Role.TOWNSHIP_COMMITTEE,
            "county": places["huajiang"].county_id,
            "township": places["huajiang"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="huajiang_new")
    entry = audit_trail(user).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == administrator
    assert entry.after["role"] == "乡镇选聘领导小组成员"
    assert entry.after["township"] == "花江镇"
    assert entry.after["is_active"] == "是"
    assert "password" not in entry.after


def test_group_changes_are_recorded_by_the_service(officer, administrator):
    group = Group.objects.create(name="档案核查组")
    user_update(user=officer, by=administrator, groups=[group])
    (entry,) = entries(officer)
    assert (entry.before, entry.after) == ({"groups": ""}, {"groups": "档案核查组"})
