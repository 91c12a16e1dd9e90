"""Training: courses, attendance in its three ways, compliance, the attendance record, the
missed-refresher provider of the dismissal detector and the term's training records."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from accounts.constants import Role
from audit.models import AuditEntry
from contracts.constants import ContractState, InductionSource
from contracts.detectors import detect, dismissal_detectors
from contracts.models import Contract, DismissalCase
from contracts.services.drafting import contract_draft
from contracts.services.signing import contract_file, contract_sign
from contracts.term_records import term_records
from paperwork.models import Document
from paperwork.selectors import document_current
from people.models import Person
from tests.builders import committee_member, contract_in_force
from tests.endings_support import seed_grounds
from tests.factories import PersonFactory, PostFactory, UserFactory, VillageFactory
from tests.test_contract_signing import pdf_text
from training.constants import CourseKind
from training.importing import attendance_from_file, attendance_from_text
from training.kinds import TRAINING_ATTENDANCE_RECORD
from training.models import Attendance, Course
from training.selectors import compliance
from training.services import attendance_record_many, course_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def office(township):
    return UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)


@pytest.fixture
def directors(township):
    return [
        contract_in_force(township, start=D(2024, 1, 1), birth=D(1985, 1, n), name=name)
        for n, name in enumerate(["王晓燕", "李四", "张三"], start=1)
    ]


@pytest.fixture
def foreign_director(other_township):
    return contract_in_force(other_township, start=D(2024, 1, 1), birth=D(1986, 2, 2), name="赵六")


def refresher(hr, county, year=2025, days="3", **kw):
    values = {
        "county": county,
        "township": None,
        "kind": CourseKind.REFRESHER,
        "title": f"{year}年知识更新培训",
        "starts_on": D(year, 6, 2),
        "ends_on": D(year, 6, 4),
        "days": days,
        "hours": "18",
        "by": hr,
    } | kw
    with at(D(year, 5, 1)):
        return course_create(**values)


def session(office, township, year=2025, month=3, **kw):
    values = {
        "county": township.county,
        "township": township,
        "kind": CourseKind.TOWNSHIP_SESSION,
        "title": f"{year}年第{month}月业务培训",
        "starts_on": D(year, month, 10),
        "ends_on": D(year, month, 10),
        "days": "1",
        "hours": "6",
        "by": office,
    } | kw
    with at(D(year, month, 1)):
        return course_create(**values)


def nothing_written(before: dict) -> None:
    assert Attendance.objects.count() == before["attendances"]
    assert Document.objects.count() == before["documents"]


def counts() -> dict:
    return {"attendances": Attendance.objects.count(), "documents": Document.objects.count()}


# Courses ------------------------------------------------------------------------------------


def test_county_hr_records_a_refresher_and_the_office_a_session(hr, office, county, township):
    course = refresher(hr, county)
    assert course.township is None and course.year == 2025 and course.days == Decimal("3.0")
    assert AuditEntry.objects.filter(object_id=course.pk, action="create").exists()
    own = session(office, township)
    assert own.township == township


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"days": "2"}, "at least 3 days"),
        ({"days": "2.25"}, "one decimal"),
        ({"days": "0"}, "more than 0"),
        ({"ends_on": D(2025, 6, 1)}, "before the first day"),
        ({"days": "4"}, "do not fit"),
        ({"hours": "100"}, "do not fit"),
        ({"title": " "}, "Enter the title"),
    ],
)
def test_bad_courses_are_refused(hr, county, kw, message):
    with pytest.raises(ValidationError, match=message):
        refresher(hr, county, **kw)
    assert not Course.objects.exists()


def test_the_policy_decides_the_refresher_minimum(hr, county, policy):
    policy.refresher_min_days = 2
    policy.save()
    assert refresher(hr, county, days="2").days == 2


def test_who_runs_which_course(hr, office, county, township, other_township):
    with pytest.raises(PermissionDenied):
        refresher(office, county)
    with pytest.raises(PermissionDenied):
        session(hr, township)
    foreign = UserFactory(role=Role.TOWNSHIP_OFFICE, county=county, township=other_township)
    with pytest.raises(PermissionDenied):
        session(foreign, township)
    with pytest.raises(PermissionDenied):
        session(committee_member(township), township)  # no add_course
    assert not Course.objects.exists()


def test_a_township_holds_at_most_the_policys_sessions(office, township, policy):
    for month in range(1, policy.township_sessions_max + 1):
        session(office, township, month=month)
    with pytest.raises(ValidationError, match="at most 6 a year"):
        session(office, township, month=12)


# Attendance ---------------------------------------------------------------------------------


def test_attendance_by_ticking_issues_the_record_and_supersedes_it(office, township, directors):
    course = session(office, township)
    people = [c.person for c in directors]
    with at(D(2025, 3, 11)):
        attendance_record_many(course=course, persons=people[:2], by=office)
    first = document_current(kind=TRAINING_ATTENDANCE_RECORD, subject=course)
    text = pdf_text(first)
    assert "王晓燕" in text and "李四" in text and "张三" not in text
    assert people[0].id_number not in text and people[0].masked_id_number in text
    with at(D(2025, 3, 12)):
        attendance_record_many(course=course, persons=[people[2]], days="0.5", by=office)
    second = document_current(kind=TRAINING_ATTENDANCE_RECORD, subject=course)
    assert second != first
    assert first is not None
    first.refresh_from_db()
    assert first.superseded_by == second
    row = Attendance.objects.get(course=course, person=people[2])
    assert row.days == Decimal("0.5") and row.hours == Decimal("3.0")
    assert AuditEntry.objects.filter(content_type__model="attendance", action="create").count() == 3


@pytest.mark.parametrize("case", ["foreign", "twice", "already", "too_many_days", "not_held"])
def test_bad_attendance_is_refused_naming_the_person(
    office, township, directors, foreign_director, case
):
    course = session(office, township)
    people = [c.person for c in directors]
    with at(D(2025, 3, 11)):
        attendance_record_many(course=course, persons=[people[0]], by=office)
    before = counts()
    persons, days, day, message = [people[1]], None, D(2025, 3, 11), ""
    if case == "foreign":
        persons = [people[1], foreign_director.person]
        message = "赵六.*not a director or hire of 关索街道"
    elif case == "twice":
        persons = [people[1], people[1]]
        message = "李四.*more than once"
    elif case == "already":
        persons = [people[0], people[1]]
        message = "王晓燕.*already recorded"
    elif case == "too_many_days":
        days, message = "2", "李四.*2 days is more than the course's 1 days"
    else:
        day, message = D(2025, 3, 9), "record attendance once it has been held"
    with at(day), pytest.raises(ValidationError, match=message):
        attendance_record_many(course=course, persons=persons, days=days, by=office)
    nothing_written(before)


def test_a_county_course_takes_directors_of_the_whole_county(
    hr, county, directors, foreign_director
):
    course = refresher(hr, county)
    with at(D(2025, 6, 5)):
        attendance_record_many(
            course=course, persons=[directors[0].person, foreign_director.person], by=hr
        )
    stranger: Person = PersonFactory(township=directors[0].township, name="路人")
    with at(D(2025, 6, 5)), pytest.raises(ValidationError, match=r"路人.*not a director or hire"):
        attendance_record_many(course=course, persons=[stranger], by=hr)


def test_only_the_runner_records_attendance(hr, office, township, county, directors):
    course = session(office, township)
    with at(D(2025, 3, 11)), pytest.raises(PermissionDenied):
        attendance_record_many(course=course, persons=[directors[0].person], by=hr)
    county_course = refresher(hr, county)
    with at(D(2025, 6, 5)), pytest.raises(PermissionDenied):
        attendance_record_many(course=county_course, persons=[directors[0].person], by=office)
    assert not Attendance.objects.exists()


def test_a_pasted_list_by_name_and_id_number(office, township, directors, foreign_director):
    course = session(office, township)
    text = f"王晓燕\n\n{directors[1].person.id_number}\n"
    with at(D(2025, 3, 11)):
        report = attendance_from_text(course=course, text=text, by=office)
    assert report.ok and report.recorded == 2
    bad = "张三\n赵六\n无名氏"
    with at(D(2025, 3, 11)):
        report = attendance_from_text(course=course, text=bad, by=office)
    assert not report.ok
    reasons = {e.row: e.reason for e in report.errors}
    assert set(reasons) == {2, 3} and "赵六" in reasons[2] and "无名氏" in reasons[3]
    assert Attendance.objects.filter(course=course).count() == 2  # 张三 was not recorded


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_of_refresher_attendance_all_or_nothing(hr, county, directors, foreign_director):
    course = refresher(hr, county)
    people = [c.person for c in directors]
    bad = workbook(
        [
            ["姓名", "身份证号", "天数"],
            ["王晓燕", "", 3],
            ["", people[1].id_number, 4],
            ["李四", "", ""],
        ]
    )
    with at(D(2025, 6, 5)):
        report = attendance_from_file(course=course, file_name="签到.xlsx", content=bad, by=hr)
    assert not report.ok
    assert any(e.row == 3 and "more than the course" in e.reason for e in report.errors)
    assert not Attendance.objects.exists()
    good = workbook(
        [
            ["县知识更新培训签到表"],
            ["姓名", "身份证号", "天数"],
            ["王晓燕", "", 3],
            ["", people[1].id_number, 2.5],
            ["赵六", "", None],
        ]
    )
    with at(D(2025, 6, 5)):
        report = attendance_from_file(course=course, file_name="签到.xlsx", content=good, by=hr)
    assert report.ok and report.recorded == 3
    assert Attendance.objects.get(person=people[1]).days == Decimal("2.5")


def test_a_file_that_is_not_a_workbook_is_refused_before_parsing(hr, county):
    from core.tabular import ImportFileError

    course = refresher(hr, county)
    with at(D(2025, 6, 5)), pytest.raises(ImportFileError):
        attendance_from_file(course=course, file_name="a.xlsx", content=b"PK\x03\x04junk", by=hr)
    with at(D(2025, 6, 5)), pytest.raises(ImportFileError):
        attendance_from_file(course=course, file_name="a.xls", content=b"x", by=hr)


# Induction ----------------------------------------------------------------------------------


def hire_waiting_for_induction(county, township, committee, hr) -> tuple[Person, Contract, Course]:
    """新聘人's contract for 解放村, signed and filed in November 2026 and waiting for
    induction, and the county's induction course of 23–24 November."""
    seed_grounds()
    post = PostFactory(village=VillageFactory(township=township, name="解放村"))
    person: Person = PersonFactory(township=township, name="新聘人")
    with at(D(2026, 11, 20)):
        contract = contract_draft(
            application=None, person=person, post=post, start_date=D(2026, 12, 1), by=committee
        )
    with at(D(2026, 11, 21)):
        contract = contract_sign(
            contract=contract,
            signatory="李强",
            township_on=D(2026, 11, 21),
            director_on=D(2026, 11, 21),
            by=committee,
        )
        contract_file(contract=contract, by=hr)
    with at(D(2026, 11, 1)):
        course = course_create(
            county=county,
            township=None,
            kind=CourseKind.INDUCTION,
            title="2026年村级人口主任初任培训",
            starts_on=D(2026, 11, 23),
            ends_on=D(2026, 11, 24),
            days="2",
            hours="12",
            by=hr,
        )
    return person, contract, course


def test_an_induction_course_records_the_hires_induction_and_puts_it_in_force(
    hr, county, township, committee
):
    person, contract, course = hire_waiting_for_induction(county, township, committee, hr)
    with at(D(2026, 11, 25)):
        attendance_record_many(course=course, persons=[person], by=hr)
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.state == ContractState.ACTIVE
    assert contract.induction_on == D(2026, 11, 24)
    assert contract.induction_source == InductionSource.TRAINING
    assert compliance([person.pk], 2026)[person.pk].induction_on == D(2026, 11, 24)


# Compliance ---------------------------------------------------------------------------------


def test_compliance_counts_refresher_days_and_sessions_by_the_policy(
    hr, office, county, township, directors, policy
):
    people = [c.person for c in directors]
    course = refresher(hr, county)
    with at(D(2025, 6, 5)):
        attendance_record_many(course=course, persons=people[:1], by=hr)
        attendance_record_many(course=course, persons=people[1:2], days="2", by=hr)
    for month in range(1, 5):
        held = session(office, township, month=month)
        with at(D(2025, month, 11)):
            attendance_record_many(
                course=held, persons=people[:1] if month == 4 else people[:2], by=office
            )
    found = compliance([p.pk for p in people], 2025)
    full, short, none = (found[p.pk] for p in people)
    assert (full.refresher_days, full.refresher_met) == (Decimal("3"), True)
    assert (full.township_sessions, full.township_sessions_met) == (4, True)
    assert (short.refresher_days, short.refresher_met) == (Decimal("2"), False)
    assert (short.township_sessions, short.township_sessions_met) == (3, False)
    assert (none.refresher_days, none.refresher_met, none.township_sessions) == (0, False, 0)
    policy.township_sessions_min = 3
    policy.save()
    assert compliance([people[1].pk], 2025)[people[1].pk].township_sessions_met


# The dismissal detector and the renewal review ---------------------------------------------


def test_two_years_without_refresher_open_a_case_and_the_director_stays(
    hr, county, township, directors, committee
):
    seed_grounds()
    people = [c.person for c in directors]
    for year in (2025, 2026):
        course = refresher(hr, county, year=year)
        with at(D(year, 6, 5)):
            attendance_record_many(course=course, persons=people[:2], by=hr)
    # one year missed is not yet a ground
    findings = detect(today=D(2026, 3, 1))
    assert findings == []
    findings = detect(today=D(2027, 1, 5))
    assert [(f.contract_id, f.detector, f.years) for f in findings] == [
        (directors[2].pk, "missed_refresher", (2025, 2026))
    ]
    assert dismissal_detectors(today=D(2027, 1, 5)) == 1
    case = DismissalCase.objects.get()
    assert case.contract_id == directors[2].pk
    assert "2025年、2026年未参加知识更新培训" in case.grounds.get().detail
    assert Contract.objects.get(pk=directors[2].pk).state == ContractState.ACTIVE
    assert dismissal_detectors(today=D(2027, 1, 6)) == 0


def test_a_year_whose_refresher_came_before_the_director_or_without_one_does_not_count(
    hr, county, township
):
    late = contract_in_force(township, start=D(2025, 7, 1), birth=D(1990, 1, 1), name="迟到")
    refresher(hr, county, year=2026)
    # 2025: no refresher held in the county
    assert detect(today=D(2027, 1, 5)) == []
    refresher(hr, county, year=2025)
    # 2025's refresher (June) was held before the director took up the post in July
    assert detect(today=D(2027, 1, 5)) == []
    assert late.pk


def test_a_year_whose_refresher_the_director_was_in_post_for_counts(hr, county, township):
    contract = contract_in_force(township, start=D(2025, 3, 1), birth=D(1990, 1, 1), name="三月")
    refresher(hr, county, year=2025)
    refresher(hr, county, year=2026)
    findings = detect(today=D(2027, 1, 5))
    assert [(f.contract_id, f.years) for f in findings] == [(contract.pk, (2025, 2026))]


def test_the_renewal_review_reads_training_per_year(hr, county, directors):
    contract = directors[0]
    assert term_records().training_compliance(contract) is None  # no course in the county
    course = refresher(hr, county)
    with at(D(2025, 6, 5)):
        attendance_record_many(course=course, persons=[contract.person], by=hr)
    rows = term_records().training_compliance(contract)
    assert rows is not None
    by_year = {r["year"]: r for r in rows}
    assert by_year[2025]["attended"] is True and "知识更新培训3天" in by_year[2025]["note"]
    assert by_year[2024]["attended"] is False
    assert term_records().appraisal_grades(contract) is None


def test_a_failing_attendance_record_leaves_nothing_recorded(
    office, township, directors, monkeypatch
):
    from paperwork.services import DocumentIssueError
    from training import documents

    course = session(office, township)

    def fail(*args, **kwargs):
        raise DocumentIssueError("the printer is on fire")

    monkeypatch.setattr(documents, "document_issue", fail)
    audits = AuditEntry.objects.count()
    with at(D(2025, 3, 11)), pytest.raises(DocumentIssueError):
        attendance_record_many(course=course, persons=[directors[0].person], by=office)
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_who_sees_which_course(hr, office, county, township, other_township, directors):
    from accounts.scoping import scoped

    county_course = refresher(hr, county)
    own = session(office, township)
    foreign_office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=county, township=other_township)
    foreign = session(foreign_office, other_township)
    assert set(scoped(Course.objects.all(), office)) == {county_course, own}
    assert set(scoped(Course.objects.all(), foreign_office)) == {county_course, foreign}
    assert set(scoped(Course.objects.all(), hr)) == {county_course, own, foreign}
    with at(D(2025, 3, 11)):
        attendance_record_many(course=own, persons=[directors[0].person], by=office)
    director = directors[0].person.user
    assert list(scoped(Course.objects.all(), director)) == [own]
