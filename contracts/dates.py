"""The term's dates, counted as DESIGN.md's date rules say (民法典 201 and 203)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workdays.calendar import add_months, next_working_day_on_or_after, period_end

ONE_DAY = datetime.timedelta(days=1)


def refill_due(vacant_since: datetime.date, months: int) -> datetime.date:
    """The last day to refill a post that fell vacant on ``vacant_since``: ``months``
    calendar months later, clamped to the end of a shorter month, then moved to the next
    working day when it is a rest day (2026-12-31 + 2 months → 2027-02-28, a Sunday →
    2027-03-01)."""
    return next_working_day_on_or_after(add_months(vacant_since, months))


def refill_rule_text(months: int) -> str:
    """The rule shown beside a refill deadline."""
    return ngettext(
        "%(months)s calendar month after the post fell vacant; a shorter month ends on its "
        "last day, and a rest day moves the deadline to the next working day",
        "%(months)s calendar months after the post fell vacant; a shorter month ends on its "
        "last day, and a rest day moves the deadline to the next working day",
        months,
    ) % {"months": months}


def notice_ends_on(requested_on: datetime.date, days: int) -> datetime.date:
    """The last day of a notice period of ``days`` days that starts the day after
    ``requested_on`` (民法典 201), moved to the next working day when it is a rest day
    (民法典 203): a 30-day notice given on 2 March 2026 ends on 1 April 2026."""
    return period_end(requested_on, days)


def notice_rule_text(days: int) -> str:
    return _(
        "%(days)s days, counted from the day after the request; a rest day moves the last day "
        "to the next working day"
    ) % {"days": days}
