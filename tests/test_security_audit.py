"""The audit trail never keeps a full ID or mobile number: values are masked by field (with a
keyed hash for matching), any such number in other text is masked, existing rows are masked by
a migration; the pages still show the changes. Identity-access records are append-only."""

import datetime
import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from accounts.constants import Role
from audit.masking import identity_hmac, mask_text, mask_values
from audit.models import AppendOnlyError, AuditEntry
from audit.selectors import entries_about_number
from audit.services import audit_record, audit_trail
from people.models import IdentityAccess, Person
from people.services import person_create, person_reveal, person_update
from recruitment.models import Application
from tests.factories import UserFactory, make_id_number
from tests.test_recruitment_public import birth_for_age, make_campaign, submit

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
NEW_PHONE = "13912395678"  # the same mask as PHONE: 139****5678


@pytest.fixture
def officer(township):
    return UserFactory(role=Role.COUNTY_HR, county=township.county)


@pytest.fixture
def person(township, officer) -> Person:
    return person_create(
        by=officer,
        name="罗昇",
        id_number=make_id_number(datetime.date(1990, 5, 17)),
        phone=PHONE,
        education="high_school",
        household_registration="关索街道",
        township=township,
    )


def stored_text() -> str:
    """Everything the audit trail holds, as the database stores it."""
    rows = AuditEntry.objects.values_list("before", "after", "object_repr", "reason")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def test_creating_and_changing_a_person_leaves_no_full_number(person, officer):
    person_update(person=person, by=officer, phone=NEW_PHONE, reason="本人申请")
    text = stored_text()
    for secret in (person.id_number, PHONE, NEW_PHONE, "1990-05-17"):
        assert secret not in text
    created = audit_trail(person).get(action=AuditEntry.Action.CREATE)
    assert created.after["id_number"] == person.masked_id_number
    assert created.after["id_number_hmac"] == identity_hmac(person.id_number)
    assert created.after["phone"] == "139****5678"
    assert created.after["birth_date"] == "1990-**-**"


def test_a_change_hidden_by_the_mask_is_still_a_change(person, officer):
    person_update(person=person, by=officer, phone=NEW_PHONE)
    entry = audit_trail(person).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes() == [("phone", "139****5678", "139****5678")]


def test_submitting_an_application_leaves_no_full_number(client, policy):
    cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    campaign = make_campaign(policy=policy)
    number = make_id_number(birth_for_age(campaign, 30))
    assert submit(client, campaign, id_number=number, phone=PHONE).status_code == 302
    application = Application.objects.get(id_number=number)
    assert audit_trail(application).exists()
    text = stored_text()
    assert number not in text and PHONE not in text
    assert application.birth_date.isoformat() not in text


def test_numbers_in_any_text_are_masked(person, officer):
    number = make_id_number()
    entry = audit_record(
        obj=person,
        action=AuditEntry.Action.UPDATE,
        by=officer,
        before={"note": f"原登记号码{number}", "contacts": [{"tel": "139-1234-5678"}]},
        after={"lodged_by": f"张三（电话{PHONE}）"},
        reason=f"核对 {number.lower()} 与 {PHONE}",
    )
    entry.refresh_from_db()
    masked_id = number[:6] + "********" + number[14:]
    assert entry.before == {"note": f"原登记号码{masked_id}", "contacts": [{"tel": "139****5678"}]}
    assert entry.after == {"lodged_by": "张三（电话139****5678）"}
    assert entry.reason == f"核对 {masked_id} 与 139****5678"


def test_other_numbers_are_left_alone():
    sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    values = {
        "sha256": sha256 + "13912345678",
        "admission_number": "20260120001",
        "contact": "关索街道计生办 0851-33622100",
        "registered_population": 13912345678,
    }
    assert mask_values(values) == values
    assert mask_text("2026-11-30 09:00") == "2026-11-30 09:00"


def test_masking_twice_changes_nothing(person):
    once = mask_values({"id_number": person.id_number, "phone": PHONE, "birth_date": "1990-05-17"})
    assert mask_values(once) == once


def test_entries_about_a_number_are_found_by_its_keyed_hash(person, officer, township):
    other = person_create(
        by=officer,
        name="王芳",
        id_number=make_id_number(),
        phone="13600001111",
        education="high_school",
        household_registration="关索街道",
        township=township,
    )
    found = entries_about_number(id_number=person.id_number.lower())
    assert list(found) == list(audit_trail(person))
    assert list(entries_about_number(phone="136 0000 1111")) == list(audit_trail(other))


def test_the_migration_masks_existing_rows(person):
    """Rows written before masking (inserted here with full values, as bulk_create skips
    nothing of the old behaviour) are masked in place; masked rows are left as they are."""
    content_type = ContentType.objects.get_for_model(Person)
    old = AuditEntry(
        action=AuditEntry.Action.UPDATE,
        content_type=content_type,
        object_id=person.pk,
        object_repr=f"罗昇 {person.id_number}",
        county_id=person.township.county_id,
        township_id=person.township_id,
        before={"phone": PHONE, "birth_date": "1990-05-17"},
        after={"phone": NEW_PHONE, "id_number": person.id_number},
        reason=f"电话{PHONE}",
    )
    (old,) = AuditEntry.objects.bulk_create([old])
    clean = AuditEntry.objects.exclude(pk=old.pk).get()
    clean_values = (clean.before, clean.after, clean.object_repr, clean.reason)
    migration = importlib.import_module("audit.migrations.0003_mask_identity_numbers")
    migration.mask_existing_entries(apps, SimpleNamespace(connection=connection))
    old.refresh_from_db()
    assert old.before == {
        "phone": "139****5678",
        "phone_hmac": identity_hmac(PHONE),
        "birth_date": "1990-**-**",
    }
    assert old.after["id_number"] == person.masked_id_number
    assert old.object_repr == f"罗昇 {person.masked_id_number}"
    assert old.reason == "电话139****5678"
    assert person.id_number not in stored_text() and PHONE not in stored_text()
    clean.refresh_from_db()
    assert (clean.before, clean.after, clean.object_repr, clean.reason) == clean_values


def test_the_audit_pages_show_the_masked_changes(client, person, officer):
    person_update(person=person, by=officer, phone="13800138000", reason="本人申请")
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("audit:list"), reverse("people:detail", args=[person.pk])):
        page = client.get(url).content.decode()
        assert "139****5678 → 138****8000" in page, url
        assert "_hmac" not in page and identity_hmac(PHONE) not in page
        assert person.id_number not in page and PHONE not in page


# Identity accesses ------------------------------------------------------------------------


def test_identity_accesses_are_append_only(person, officer):
    person_reveal(person=person, field="id_number", by=officer, reason="核对档案")
    access = IdentityAccess.objects.get()
    access.reason = "改过"
    with pytest.raises(AppendOnlyError):
        access.save()
    with pytest.raises(AppendOnlyError):
        access.delete()
    with pytest.raises(AppendOnlyError):
        IdentityAccess.objects.filter(pk=access.pk).update(reason="改过")
    with pytest.raises(AppendOnlyError):
        IdentityAccess.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        person.accesses.all().delete()
    access.refresh_from_db()
    assert access.reason == "核对档案"
    assert IdentityAccess.objects.count() == 1
