"""Writing training records: a course (``course_create``) and attendance at it
(``attendance_record_many``). Each service is one transaction with its audit rows; recording
attendance issues the course's attendance record (``training.paperwork``) and, for an
induction course, records the induction on the contract waiting for it
(``contracts.services.signing.contract_record_induction``, source "training attendance"),
which may put that contract in force.

County HR runs the county's courses (induction, refresher); a township's office runs its own
sessions. Every number comes from the policy in force on the course's first day.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Scope
from audit.models import AuditEntry
from audit.services import audit_created_many, audit_record, audited_create
from contracts.constants import IN_FORCE_STATES, PENDING_STATES, InductionSource
from contracts.models import Contract
from contracts.services.signing import contract_record_induction
from organisation.models import County, Township
from paperwork.table import issue_for
from people.models import Person
from policy.selectors import NoPolicyInForce, policy_in_force
from training.constants import COUNTY_KINDS, CourseKind
from training.models import Attendance, Course

ADD_PERMISSION = "training.add_course"
RECORD_PERMISSION = "training.record_attendance"
TENTH = Decimal("0.1")
MAX_HOURS_A_DAY = 24


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def runs_course(user, *, county: County, township: Township | None, kind: str) -> bool:
    """Whether ``user`` runs courses of ``kind`` there: county HR (or the administrator) the
    county's, a township's staff its own sessions."""
    if getattr(user, "role", "") == "administrator" or user.is_superuser:
        return True
    if kind in COUNTY_KINDS:
        return user.scope == Scope.COUNTY and user.county_id == county.pk
    return township is not None and user.scope == Scope.TOWNSHIP and user.township_id == township.pk


def _tenths(value, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter %(what)s as a number.") % {"what": label}}) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError({field: _("%(what)s must be more than 0.") % {"what": label}})
    if number != number.quantize(TENTH, rounding=ROUND_HALF_UP):
        raise ValidationError(
            {field: _("%(what)s is counted to one decimal place.") % {"what": label}}
        )
    return number.quantize(TENTH)


def _text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError({field: _("Enter %(what)s.") % {"what": label}})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("%(what)s is longer than %(n)s characters.")
                % {"what": label, "n": max_length}
            }
        )
    return text


@transaction.atomic
def course_create(
    *,
    county: County,
    township: Township | None,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    days,
    hours,
    venue: str = "",
    organiser: str = "",
    note: str = "",
    by,
) -> Course:
    """Record a course. County HR records the county's induction and refresher courses, a
    township's office its own sessions. A refresher lasts at least the policy's
    ``refresher_min_days`` and a township session its ``township_session_min_days``; a
    township holds at most ``township_sessions_max`` sessions a year."""
    if kind not in CourseKind.values:
        raise ValidationError({"kind": _("Choose the kind of course.")})
    if kind in COUNTY_KINDS:
        township = None
    elif township is None:
        raise ValidationError({"township": _("A township session needs its township.")})
    elif township.county_id != county.pk:
        raise ValidationError({"township": _("The township is not in this county.")})
    if not by.has_perm(ADD_PERMISSION) or not runs_course(
        by, county=county, township=township, kind=kind
    ):
        if kind in COUNTY_KINDS:
            raise PermissionDenied(_("Only the county HR office records county courses."))
        raise PermissionDenied(
            _("Only the office of %(township)s records its training sessions.")
            % {"township": township.name if township else ""}
        )
    title = _text(title, field="title", label=_("the title"), max_length=120, required=True)
    venue = _text(venue, field="venue", label=_("the venue"), max_length=120)
    organiser = _text(organiser, field="organiser", label=_("the organiser"), max_length=120)
    note = _text(note, field="note", label=_("the note"), max_length=2000)
    if starts_on is None:
        raise ValidationError({"starts_on": _("Enter the first day of the course.")})
    if ends_on is None:
        raise ValidationError({"ends_on": _("Enter the last day of the course.")})
    if ends_on < starts_on:
        raise ValidationError(
            {
                "ends_on": _("The last day (%(end)s) is before the first day (%(start)s).")
                % {"end": _day(ends_on), "start": _day(starts_on)}
            }
        )
    if ends_on.year != starts_on.year:
        raise ValidationError({"ends_on": _("A course ends in the year it starts.")})
    days = _tenths(days, field="days", label=_("The number of days"))
    hours = _tenths(hours, field="hours", label=_("The number of hours"))
    span = (ends_on - starts_on).days + 1
    if days > span:
        raise ValidationError(
            {
                "days": _("%(days)s days do not fit between the first and the last day (%(span)s).")
                % {"days": _number(days), "span": span}
            }
        )
    if hours > days * MAX_HOURS_A_DAY:
        raise ValidationError(
            {
                "hours": _("%(hours)s hours do not fit in %(days)s days.")
                % {"hours": _number(hours), "days": _number(days)}
            }
        )
    try:
        policy = policy_in_force(county=county, on=starts_on)
    except NoPolicyInForce as exc:
        raise ValidationError({"starts_on": str(exc)}) from exc
    if kind == CourseKind.REFRESHER and days < policy.refresher_min_days:
        raise ValidationError(
            {
                "days": _("A refresher training lasts at least %(min)s days under the policy.")
                % {"min": policy.refresher_min_days}
            }
        )
    if kind == CourseKind.TOWNSHIP_SESSION:
        if days < policy.township_session_min_days:
            raise ValidationError(
                {
                    "days": _("A township session lasts at least %(min)s days under the policy.")
                    % {"min": policy.township_session_min_days}
                }
            )
        assert township is not None
        # One session at a time per township: the count below stays true until commit.
        Township.objects.select_for_update().get(pk=township.pk)
        held = Course.objects.filter(
            township=township, kind=CourseKind.TOWNSHIP_SESSION, year=starts_on.year
        ).count()
        if held >= policy.township_sessions_max:
            raise ValidationError(
                _(
                    "%(township)s already has %(held)s training sessions in %(year)s; the policy "
                    "allows at most %(max)s a year."
                )
                % {
                    "township": township.name,
                    "held": held,
                    "year": starts_on.year,
                    "max": policy.township_sessions_max,
                }
            )
    course = Course(
        county=county,
        township=township,
        kind=kind,
        year=starts_on.year,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        hours=hours,
        venue=venue,
        organiser=organiser,
        note=note,
        created_by=by,
    )
    audited_create(course, by=by)
    return course


# Attendance ---------------------------------------------------------------------------------


def eligible_contracts(course: Course):
    """The contracts whose people may attend ``course``: in force or waiting to come into
    force (a hire takes induction before taking up duties), in the course's township for a
    session, anywhere in the county for a county course."""
    contracts = Contract.objects.filter(state__in=[*IN_FORCE_STATES, *PENDING_STATES])
    if course.township_id is not None:
        return contracts.filter(township_id=course.township_id)
    return contracts.filter(township__county_id=course.county_id)


@dataclass(frozen=True)
class Refusal:
    person: Person
    reason: str

    @property
    def message(self) -> str:
        return f"{self.person.name}（{self.person.masked_id_number}）：{self.reason}"


def _days_for(course: Course, days, person: Person) -> Decimal | str:
    """The days ``person`` attended, or why they cannot be recorded."""
    if isinstance(days, Mapping):
        days = days.get(person.pk)
    if days is None or days == "":
        return course.days
    try:
        value = _tenths(days, field="days", label=_("The number of days"))
    except ValidationError as exc:
        return " ".join(exc.messages)
    if value > course.days:
        return _("%(days)s days is more than the course's %(course)s days.") % {
            "days": _number(value),
            "course": _number(course.days),
        }
    return value


def attendance_refusals(course: Course, persons: list[Person], days=None) -> list[Refusal]:
    """Why each person of ``persons`` cannot be recorded as attending ``course``: not a
    director or hire of the course's township (a session) or county (a county course),
    already recorded, listed twice, or more days than the course lasted. Empty: all can."""
    refusals: list[Refusal] = []
    ids = [p.pk for p in persons]
    eligible = set(
        eligible_contracts(course).filter(person_id__in=ids).values_list("person_id", flat=True)
    )
    recorded = set(
        Attendance.objects.filter(course=course, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    seen: set[int] = set()
    for person in persons:
        if person.pk in seen:
            refusals.append(Refusal(person, _("listed more than once.")))
            continue
        seen.add(person.pk)
        if person.pk not in eligible:
            if course.township_id is not None:
                reason = _("not a director or hire of %(township)s, which held this session.") % {
                    "township": course.township.name  # type: ignore[union-attr]
                }
            else:
                reason = _("not a director or hire of %(county)s.") % {"county": course.county.name}
            refusals.append(Refusal(person, reason))
            continue
        if person.pk in recorded:
            refusals.append(Refusal(person, _("already recorded as attending this course.")))
            continue
        found = _days_for(course, days, person)
        if isinstance(found, str):
            refusals.append(Refusal(person, found))
    return refusals


def check_may_record(course: Course, by) -> None:
    if not by.has_perm(RECORD_PERMISSION) or not runs_course(
        by, county=course.county, township=course.township, kind=course.kind
    ):
        if course.is_county_course:
            raise PermissionDenied(
                _("Only the county HR office records attendance at county courses.")
            )
        raise PermissionDenied(
            _("Only the office of %(township)s records attendance at its sessions.")
            % {"township": course.township.name}  # type: ignore[union-attr]
        )


@transaction.atomic
def attendance_record_many(
    *,
    course: Course,
    persons: Iterable[Person],
    days: Decimal | Mapping[int, Decimal | None] | None = None,
    by,
    note: str = "",
) -> list[Attendance]:
    """Record that ``persons`` attended ``course``, each for ``days`` (one number for all, or
    per person id; the course's days when not given), with hours in proportion; then issue
    the course's attendance record, superseding the previous one. All or nothing: a person
    who cannot be recorded (``attendance_refusals``) refuses the whole list, naming them and
    why. For an induction course, each attendee who attended the whole course and whose
    contract waits for induction has it recorded from this attendance."""
    check_may_record(course, by)
    # Only the course's row is locked: a county course has no township, and PostgreSQL
    # refuses FOR UPDATE on the nullable side of the outer join that select_related makes.
    course = (
        Course.objects.select_for_update(of=("self",))
        .select_related("county", "township")
        .get(pk=course.pk)
    )
    persons = list(persons)
    if not persons:
        raise ValidationError(_("Choose at least one person who attended."))
    today = timezone.localdate()
    if course.starts_on > today:
        raise ValidationError(
            _("The course starts on %(date)s: record attendance once it has been held.")
            % {"date": _day(course.starts_on)}
        )
    if course.kind == CourseKind.INDUCTION and course.ends_on > today:
        raise ValidationError(
            _("The induction course ends on %(date)s: record attendance once it has ended.")
            % {"date": _day(course.ends_on)}
        )
    note = _text(note, field="note", label=_("the note"), max_length=200)
    refusals = attendance_refusals(course, persons, days)
    if refusals:
        raise ValidationError([r.message for r in refusals])
    rows = []
    for person in persons:
        attended = _days_for(course, days, person)
        assert isinstance(attended, Decimal)
        hours = (course.hours * attended / course.days).quantize(TENTH, rounding=ROUND_HALF_UP)
        rows.append(
            Attendance(
                course=course, person=person, days=attended, hours=hours, note=note, recorded_by=by
            )
        )
    created = Attendance.objects.bulk_create(rows)
    for row in created:
        row.course = course
    audit_created_many(created, by=by, place=course.audit_place)
    audit_record(
        obj=course,
        action=AuditEntry.Action.UPDATE,
        by=by,
        after={"recorded": len(created), "people": [a.person_id for a in created]},
        transition="record_attendance",
    )
    if course.kind == CourseKind.INDUCTION:
        _record_inductions(course, [a for a in created if a.days >= course.days], by=by)
    issue_for(course, "record_attendance", by=by)
    return created


def _record_inductions(course: Course, attendances: list[Attendance], *, by) -> None:
    """The contracts waiting for induction of those who attended the whole induction course
    get it recorded, dated the course's last day."""
    waiting = Contract.objects.filter(
        person_id__in=[a.person_id for a in attendances],
        state__in=PENDING_STATES,
        induction_on__isnull=True,
    ).exclude(induction_source=InductionSource.NOT_REQUIRED)
    for contract in waiting.order_by("pk"):
        contract_record_induction(
            contract=contract,
            on=course.ends_on,
            by=by,
            source=InductionSource.TRAINING,
            note=course.title[:200],
        )
