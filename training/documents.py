"""The training attendance record (培训登记表): the course and everyone recorded as attending,
with masked ID numbers. Issued by the county HR office for a county course and by the
township for its session, through ``issue_for(course, "record_attendance", by=...)``
(declared in ``training.paperwork``); each issue supersedes the previous version."""

from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from policy.selectors import policy_in_force_or_none
from training.kinds import TRAINING_ATTENDANCE_RECORD
from training.models import Attendance, Course


def attendance_record_context(course: Course) -> dict:
    attendances = list(
        Attendance.objects.filter(course=course)
        .select_related("person__township", "person__village")
        .order_by("person__township__name_pinyin", "person__name_pinyin", "pk")
    )
    return {
        "course": course,
        "county": course.county,
        "township": course.township,
        "kind": course.get_kind_display(),
        "rows": [
            {
                "name": a.person.name,
                "masked_id": a.person.masked_id_number,
                "township": a.person.township.name,
                "village": a.person.village.name if a.person.village else "",
                "days": a.days,
                "hours": a.hours,
                "note": a.note,
            }
            for a in attendances
        ],
        "total": len(attendances),
    }


def issue_attendance_record(course: Course, *, by) -> Document:
    """The course's attendance record as it now stands; supersedes the previous version."""
    issuing_body = course.township.issuing_body if course.township else course.county.hr_office
    return document_issue(
        kind=TRAINING_ATTENDANCE_RECORD,
        context=attendance_record_context(course),
        subject=course,
        by=by,
        county=course.county,
        township=course.township,
        policy=policy_in_force_or_none(county=course.county, on=course.starts_on),
        issuing_body=issuing_body,
        transition="record_attendance",
        supersedes=document_current(kind=TRAINING_ATTENDANCE_RECORD, subject=course),
    )
