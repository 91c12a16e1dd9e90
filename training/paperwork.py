"""The documents of training's steps, declared in the paperwork table (``paperwork.table``):
recording attendance at a course issues its attendance record (``training.documents``)."""

from paperwork.table import PaperworkEntry, declare
from training.documents import issue_attendance_record
from training.kinds import TRAINING_ATTENDANCE_RECORD
from training.models import Course

declare(
    PaperworkEntry(
        Course,
        "record_attendance",
        TRAINING_ATTENDANCE_RECORD,
        issue_attendance_record,
        "the course's organiser and the county archive",
    ),
)
