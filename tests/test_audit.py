"""Audit entries are append-only and written by every change service."""

import datetime

import pytest

from audit.models import AppendOnlyError, AuditEntry
from audit.services import audit_trail
from organisation.services import village_set_population
from people.models import IdentityAccess
from people.services import person_create, person_reveal, person_update
from tests.factories import UserFactory, make_id_number, make_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(township):
    return UserFactory(county=township.county)


def create_person(township, officer):
    return person_create(
        by=officer,
        name="罗昇",
        id_number=make_id_number(),
        phone="13912345678",
        education="high_school",
        household_registration="关索街道",
        township=township,
    )


def test_entries_cannot_be_changed_or_deleted(township, officer):
    village = make_village(township, 1500, name="坝区村", by=officer)
    entry = audit_trail(village).first()
    entry.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_population_change_records_before_after_reason_and_scope(township, officer):
    village = make_village(township, 1500, name="坝区村", by=officer)
    village_set_population(
        village=village,
        registered_population=2600,
        effective_date=datetime.date(2026, 6, 1),
        by=officer,
        reason="2026年人口普查",
    )
    entry = audit_trail(village).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == officer
    assert entry.before["registered_population"] == 1500
    assert entry.after["registered_population"] == 2600
    assert entry.reason == "2026年人口普查"
    assert entry.township_id == township.pk and entry.county_id == township.county_id


def test_person_changes_are_audited_and_reveal_is_logged(township, officer):
    person = create_person(township, officer)
    person_update(person=person, by=officer, phone="13987654321", reason="本人申请")
    actions = list(audit_trail(person).values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]
    assert (
        person_reveal(person=person, field="id_number", by=officer, reason="核对档案")
        == person.id_number
    )
    access = IdentityAccess.objects.get()
    assert (access.user, access.person, access.field, access.reason) == (
        officer,
        person,
        "id_number",
        "核对档案",
    )
    with pytest.raises(RuntimeError):
        access.delete()


def test_a_failed_update_writes_nothing(township, officer):
    person = create_person(township, officer)
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - the phone is invalid
        person_update(person=person, by=officer, phone="12345")
    person.refresh_from_db()
    assert person.phone == "13912345678"
    assert AuditEntry.objects.count() == before


def test_saving_without_a_change_writes_no_entry(township, officer):
    person = create_person(township, officer)
    person_update(person=person, by=officer, phone="139 1234 5678")
    assert list(audit_trail(person).values_list("action", flat=True)) == ["create"]
