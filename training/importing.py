"""Attendance given as a pasted list (a name or an ID number per line) or as a spreadsheet
(.xlsx or .csv: a name or an ID number per row, optionally the days attended), resolved to
people and recorded through ``training.services.attendance_record_many``, all or nothing.

A file is read through ``core.tabular``, which bounds its size, its rows and its unpacked
size before and while it is parsed. Every line or row that cannot be recorded is reported
with its number and the reason; then nothing is recorded.
"""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import tabular
from core.identity import mask_id_number, normalise_id_number
from core.tabular import ImportFileError, RowError
from people.models import Person
from training.models import Attendance, Course
from training.services import (
    attendance_record_many,
    attendance_refusals,
    check_may_record,
    eligible_contracts,
)

MAX_LINES = 500
MAX_ROWS = 2000
MAX_FILE_BYTES = 2 * 1024 * 1024
_ID_LIKE = re.compile(r"^[0-9]{15}$|^[0-9]{17}[0-9X]$")

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "idnumber", "id_number"),
    "days": ("天数", "参训天数", "培训天数", "days"),
    "note": ("备注", "note"),
}


@dataclass
class AttendanceReport(tabular.FileImportReport):
    """What an attendance list or file did: the people recorded, or why nothing was."""

    recorded: int = 0
    names: list[str] = field(default_factory=list)


class _Candidates:
    """The people who may attend the course, found by ID number or by name."""

    def __init__(self, course: Course):
        persons = Person.objects.filter(pk__in=eligible_contracts(course).values("person_id")).only(
            "pk", "name", "id_number", "township_id"
        )
        self.by_id = {p.id_number: p for p in persons}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in self.by_id.values():
            self.by_name[person.name].append(person)
        self.course = course

    def find(self, text: str) -> Person | str:
        """The person ``text`` names, or why none can be chosen."""
        number = normalise_id_number(text)
        if _ID_LIKE.match(number):
            found = self.by_id.get(number) or Person.objects.filter(id_number=number).first()
            if found is None:
                return _("nobody with the ID number %(id)s is known.") % {
                    "id": mask_id_number(number)
                }
            return found
        name = " ".join(text.split())
        matches = self.by_name.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return _("%(count)s people named %(name)s may attend; give the ID number instead.") % {
                "count": len(matches),
                "name": name,
            }
        elsewhere = Person.objects.filter(name=name, township__county=self.course.county_id)
        if elsewhere.count() == 1:
            return elsewhere.get()
        if self.course.township_id is not None:
            return _("%(name)s is not a director or hire of %(township)s.") % {
                "name": name,
                "township": self.course.township.name,  # type: ignore[union-attr]
            }
        return _("%(name)s is not a director or hire of %(county)s.") % {
            "name": name,
            "county": self.course.county.name,
        }


def _resolve(
    course: Course, entries: list[tuple[int, str, str, object]]
) -> tuple[list[Person], dict[int, object], list[RowError]]:
    """(line, column, text, days) → the people, their days and the errors by line."""
    candidates = _Candidates(course)
    persons: list[Person] = []
    days: dict[int, object] = {}
    lines: dict[int, list[int]] = defaultdict(list)
    errors: list[RowError] = []
    for number, column, text, value in entries:
        found = candidates.find(text)
        if isinstance(found, str):
            errors.append(RowError(number, column, found))
            continue
        persons.append(found)
        lines[found.pk].append(number)
        if value not in (None, ""):
            days[found.pk] = value
    for refusal in attendance_refusals(course, persons, days):
        reason = f"{refusal.person.name}：{refusal.reason}"
        for number in lines[refusal.person.pk]:
            errors.append(RowError(number, "", reason))
    unique: list[Person] = []
    seen: set[int] = set()
    for person in persons:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique, days, sorted(set(errors), key=lambda e: (e.row, e.column, e.reason))


def _record(course, persons, days, errors, report, by) -> AttendanceReport:
    if errors:
        report.errors = errors
        return report
    try:
        created = attendance_record_many(course=course, persons=persons, days=days or None, by=by)
    except ValidationError as exc:
        report.errors = [RowError(0, "", m) for m in exc.messages]
        return report
    report.recorded = len(created)
    report.names = [a.person.name for a in created]
    return report


def attendance_from_text(*, course: Course, text: str, days=None, by) -> AttendanceReport:
    """Record attendance from a pasted list: a name or an ID number per line (blank lines
    are left out), all attending for ``days`` (the course's days when not given)."""
    check_may_record(course, by)
    raw = (text or "").splitlines()
    entries = [(i, "", line.strip(), days) for i, line in enumerate(raw, start=1) if line.strip()]
    report = AttendanceReport(
        file_name="", sha256=hashlib.sha256((text or "").encode()).hexdigest(), rows=len(entries)
    )
    if not entries:
        raise ValidationError({"names": _("Enter at least one name or ID number.")})
    if len(entries) > MAX_LINES:
        raise ValidationError(
            {"names": _("At most %(max)s lines can be entered at once.") % {"max": MAX_LINES}}
        )
    persons, by_person, errors = _resolve(course, entries)
    return _record(course, persons, by_person, errors, report, by)


def read_table(file_name: str, content: bytes) -> tabular.Table:
    table = tabular.read_table(
        file_name,
        content,
        headers=HEADERS,
        required=(),
        labels={},
        no_header=_(
            "No header row was found. The first row must name the columns: 姓名 or 身份证号, "
            "and optionally 天数."
        ),
        no_rows=_("The file has a header row but nobody below it."),
        max_rows=MAX_ROWS,
        max_bytes=MAX_FILE_BYTES,
    )
    if "name" not in table.header_map and "id_number" not in table.header_map:
        raise ImportFileError(_("The header row has no column 姓名 or 身份证号."))
    return table


def attendance_from_file(*, course: Course, file_name: str, content: bytes, by) -> AttendanceReport:
    """Record attendance from an .xlsx or .csv file: per row a name or an ID number (the ID
    number wins when both are given) and optionally the days attended. Raises
    ImportFileError when the file as a whole is unusable; otherwise returns a report whose
    ``errors`` name every row that cannot be recorded (and then nothing was)."""
    check_may_record(course, by)
    report = AttendanceReport(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(file_name, content)
    report.rows = len(table.data)
    entries = []
    errors = list(table.errors)
    for number, values in table.data:
        id_text = tabular.cell_text(table.cell(values, "id_number"))
        name = tabular.cell_text(table.cell(values, "name"))
        raw_days = table.cell(values, "days")
        value: object = None
        if not tabular.is_blank(raw_days):
            try:
                value = Decimal(tabular.cell_text(raw_days))
            except ArithmeticError:
                errors.append(
                    RowError(number, table.header("days"), _("Enter the days as a number."))
                )
                continue
        if id_text:
            entries.append((number, table.header("id_number"), id_text, value))
        elif name:
            entries.append((number, table.header("name"), name, value))
        else:
            errors.append(
                RowError(number, "", _("The row names nobody: give a name or an ID number."))
            )
    persons, by_person, found = _resolve(course, entries)
    errors = sorted([*errors, *found], key=lambda e: e.row)
    return _record(course, persons, by_person, errors, report, by)


def attendance_recorded(course: Course) -> set[int]:
    return set(Attendance.objects.filter(course=course).values_list("person_id", flat=True))
