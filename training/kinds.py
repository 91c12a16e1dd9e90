"""The documents of training (seed 001, 教育培训机制)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

# One per course: who attended, for how many days and hours. Issued again, superseding the
# previous version, each time attendance is recorded (training.services).
TRAINING_ATTENDANCE_RECORD = Kind(
    "training_attendance_record",
    printed_title="村级人口主任培训登记表",
    label=_("Training attendance record"),
    template="paperwork/training/attendance_record.html",
    version=1,
)

register(TRAINING_ATTENDANCE_RECORD)
