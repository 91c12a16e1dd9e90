"""Recording one person's attendance at one course 20 times at once, on PostgreSQL with 20
threads, each with its own database connection (as ``tests/test_hostile_races.py``): the
course's row is locked while attendance is checked and written, and ``attendance_once``
backs it, so one attendance is recorded and the 19 others are refused with the service's
message, never an ``IntegrityError``:

- at a township session: one row, the attendance record printed once;
- at an induction course, for a hire whose contract waits for induction: one row, and the
  induction recorded once, putting the contract in force.

Run with ``DATABASE_URL=postgres://…``; SQLite skips them.
"""

import datetime
import zoneinfo

import time_machine
from django.core.exceptions import ValidationError

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from contracts.constants import ContractState, InductionSource
from contracts.models import Contract
from paperwork.models import Document
from people.models import Person
from tests.builders import contract_in_force
from tests.factories import UserFactory
from tests.test_hostile_races import RACES, THREADS, race, unexpected
from tests.test_training import hire_waiting_for_induction
from training.constants import CourseKind
from training.kinds import TRAINING_ATTENDANCE_RECORD
from training.models import Attendance, Course
from training.services import attendance_record_many, course_create

pytestmark = RACES

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date
ALREADY = "已登记参加本次培训"


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


def record_each(course: Course, person: Person, by) -> list:
    def work(_i):
        return attendance_record_many(
            course=Course.objects.get(pk=course.pk),
            persons=[Person.objects.get(pk=person.pk)],
            by=User.objects.get(pk=by.pk),
        )

    return race(work)


def assert_recorded_once(results: list, course: Course, person: Person) -> None:
    assert not unexpected(results, allowed=(ValidationError,))
    assert sum(isinstance(r, list) for r in results) == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all(ALREADY in r.messages[0] for r in refused), refused[0].messages
    assert Attendance.objects.filter(course=course, person=person).count() == 1
    printed = Document.objects.filter(
        kind=TRAINING_ATTENDANCE_RECORD, transition="record_attendance"
    )
    assert printed.count() == 1
    recorded = AuditEntry.objects.filter(
        content_type__model="course", object_id=course.pk, transition="record_attendance"
    )
    assert recorded.count() == 1


def test_one_person_recorded_twenty_times_at_a_session_is_recorded_once(township):
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    director = contract_in_force(township, start=D(2024, 1, 1), birth=D(1985, 1, 1), name="王晓燕")
    with at(D(2025, 3, 1)):
        course = course_create(
            county=township.county,
            township=township,
            kind=CourseKind.TOWNSHIP_SESSION,
            title="2025年第3月业务培训",
            starts_on=D(2025, 3, 10),
            ends_on=D(2025, 3, 10),
            days="1",
            hours="6",
            by=office,
        )
    with at(D(2025, 3, 11)):
        results = record_each(course, director.person, office)
    assert_recorded_once(results, course, director.person)


def test_one_hire_recorded_twenty_times_at_an_induction_course_is_inducted_once(
    hr, county, township, committee
):
    person, contract, course = hire_waiting_for_induction(county, township, committee, hr)
    with at(D(2026, 11, 25)):
        results = record_each(course, person, hr)
    assert_recorded_once(results, course, person)
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.state == ContractState.ACTIVE
    assert contract.induction_on == D(2026, 11, 24)
    assert contract.induction_source == InductionSource.TRAINING
    assert Contract.objects.filter(person=person, state=ContractState.ACTIVE).count() == 1
