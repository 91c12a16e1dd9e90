"""When a task of the campaign flow is due, and the one way every page says so.

A task's time limit is kept as the moment it becomes overdue: its timer fires at 00:05 on the
day after the last working day of its period (``due_after_working_days``), when the task goes
to the county's HR officers. People read the last day to act, "Due by 4 December 2026"
(办理期限至2026年12月4日): ``deadline_text`` is that wording, used by the dashboard, the task
pages and the process page (through the ``deadline`` template tag of ``web``).
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from workdays.calendar import add_working_days

# The timers that hold a task's time limit: armed, or fired (the task is overdue and went to
# the county, and its last day is still the one that passed). A cancelled one was met.
TIME_LIMIT_STATUSES = (STATUS.SCHEDULED, STATUS.DONE)

# Timers fire a few minutes after midnight, Asia/Shanghai, so that "the day after" has begun
# wherever the server's clock is.
TIMER_TIME = datetime.time(0, 5)


def at_start_of(day: datetime.date) -> datetime.datetime:
    """``day`` at 00:05 in the project's time zone, as an aware datetime."""
    return timezone.make_aware(
        datetime.datetime.combine(day, TIMER_TIME), timezone.get_default_timezone()
    )


def due_after_working_days(start: datetime.date, days: int) -> datetime.datetime:
    """The moment a task opened on ``start`` with ``days`` working days is overdue: the start
    of the day after the last working day (the period starts the day after ``start``)."""
    return at_start_of(add_working_days(start, days) + datetime.timedelta(days=1))


def last_day(due: datetime.datetime) -> datetime.date:
    """The last day to act on a task that is overdue from ``due``: the day before, when
    ``due`` is the start of a day (as every time limit of the flow is)."""
    start = datetime.timedelta(hours=TIMER_TIME.hour, minutes=TIMER_TIME.minute + 1)
    return timezone.localdate(due - start)


def is_overdue(due: datetime.datetime | None) -> bool:
    return due is not None and due <= timezone.now()


def deadline_text(due: datetime.datetime, *, explain: bool = False) -> str:
    """The last day to act, in the active language; with ``explain``, what happens after."""
    day = date_format(last_day(due), "DATE_FORMAT")
    if explain:
        return _("Due by %(day)s; a task not done by then goes to the county's HR officers.") % {
            "day": day
        }
    return _("Due by %(day)s") % {"day": day}
