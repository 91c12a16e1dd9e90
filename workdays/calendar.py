"""The Chinese working-day calendar, and the date rules of the Civil Code (民法典).

Which days are working days:

1. a correction entered by county HR (``DayOverride``) wins;
2. otherwise the official calendar of the ``chinesecalendar`` package (statutory holidays and
   make-up working days, 调休), which covers 2004 to the latest announced year (2026 in
   version 1.11) and raises ``NotImplementedError`` after it;
3. otherwise the statutory holidays the 全国年节及纪念日放假办法 fixes for the year
   (``workdays.statutory``, from 2025 when the current 办法 came into force) are rest days, and
   the other days follow Monday to Friday. The rest of the year's arrangement (调休: make-up
   working days on weekends and the extra days off; days off in lieu) comes only from the State
   Council's notice, which county HR enters as corrections; nothing guesses it. Wherever a
   period falls in such a year and county HR has not marked the year as entered
   (``CalendarYear``), ``coverage_note`` says so.

Periods follow the Civil Code: a period counted in days starts on the day after the event
(art. 201); a period whose last day is a statutory holiday or rest day ends on the next working
day (art. 203); months are calendar months, and a month without the corresponding day ends on
its last day (art. 202, so 31 December + 2 months is the end of February).
"""

import calendar as _stdlib_calendar
import datetime
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext as _

from workdays.models import CalendarYear, DayOverride
from workdays.statutory import RULES_IN_FORCE_SINCE, statutory_rest_days

ONE_DAY = datetime.timedelta(days=1)
# A notice of N working days never needs more than a few weeks; this bounds a runaway loop
# should every day of a year be entered as a holiday by mistake.
MAX_SEARCH_DAYS = 3660


@lru_cache(maxsize=64)
def library_covers(year: int) -> bool:
    """True when ``chinesecalendar`` knows the official holidays of ``year``."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _library_is_working_day(day: datetime.date) -> bool | None:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


class _Overrides:
    """The corrections of one computation, read one year at a time (one query a year)."""

    def __init__(self) -> None:
        self._years: dict[int, dict[datetime.date, bool]] = {}

    def get(self, day: datetime.date) -> bool | None:
        year = self._years.get(day.year)
        if year is None:
            year = dict(
                DayOverride.objects.filter(date__year=day.year).values_list(
                    "date", "is_working_day"
                )
            )
            self._years[day.year] = year
        return year.get(day)


def _is_working_day(day: datetime.date, overrides: _Overrides) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override
    official = _library_is_working_day(day)
    if official is not None:
        return official
    if day in statutory_rest_days(day.year):
        return False
    return day.weekday() < 5  # Monday to Friday


def is_working_day(d: datetime.date) -> bool:
    """Whether ``d`` is a working day: a correction, else the official calendar, else the
    computed statutory holidays are rest days and other days follow Monday to Friday."""
    return _is_working_day(d, _Overrides())


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The last day of a period of ``n`` working days after ``start``.

    Counting begins on the day after ``start`` (民法典 201): the period ends on the ``n``-th
    working day after it. ``n`` = 0 gives ``start``.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    overrides = _Overrides()
    day, counted = start, 0
    for _step in range(MAX_SEARCH_DAYS):
        if counted == n:
            return day
        day += ONE_DAY
        if _is_working_day(day, overrides):
            counted += 1
    raise ValueError(f"no {n} working days within {MAX_SEARCH_DAYS} days after {start}")


def next_working_day_on_or_after(d: datetime.date) -> datetime.date:
    overrides = _Overrides()
    day = d
    for _step in range(MAX_SEARCH_DAYS):
        if _is_working_day(day, overrides):
            return day
        day += ONE_DAY
    raise ValueError(f"no working day within {MAX_SEARCH_DAYS} days after {d}")


def period_end(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of ``days`` calendar days after ``start``.

    The period starts the day after ``start`` (民法典 201), so it ends ``days`` days after it;
    when that day is not a working day, the period ends on the next working day (民法典 203).
    """
    return next_working_day_on_or_after(start + datetime.timedelta(days=days))


def add_months(d: datetime.date, n: int) -> datetime.date:
    """``d`` moved by ``n`` calendar months, clamped to the end of a shorter month
    (2026-12-31 + 2 → 2027-02-28; 2027-12-31 + 2 → 2028-02-29)."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(d.day, last))


def add_years(d: datetime.date, n: int) -> datetime.date:
    """The anniversary of ``d`` ``n`` years later; 29 February falls on 1 March in a common
    year (the day a person born on 29 February turns a year older, see core.identity)."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February in a common year
        return datetime.date(d.year + n, 3, 1)


def year_is_entered(year: int) -> bool:
    """True when county HR marked ``year`` as entered in full."""
    return CalendarYear.objects.filter(year=year).exists()


def year_is_covered(year: int) -> bool:
    """True when working days of ``year`` follow the official calendar: the library knows the
    year, or county HR entered its holidays and make-up working days."""
    return library_covers(year) or year_is_entered(year)


def coverage_note(year: int) -> str | None:
    """A sentence for people reading a period in ``year``, when nobody has entered the official
    holidays of that year; else None.

    From 2025 on the sentence says that the statutory holidays are computed and the days moved
    by 调休 are not known yet; before it (years the library does not cover either, 2000–2003),
    that working days are counted Monday to Friday.
    """
    if year_is_covered(year):
        return None
    if year >= RULES_IN_FORCE_SINCE:
        return _(
            "The statutory holidays of %(year)s are computed from the 全国年节及纪念日放假办法; "
            "the make-up working days and extra days off of %(year)s (调休) are not known until "
            "county HR enters the State Council's notice for that year."
        ) % {"year": year}
    return _(
        "Working days in %(year)s are counted Monday to Friday: the official holidays of "
        "%(year)s have not been entered yet."
    ) % {"year": year}


def coverage_notes(start: datetime.date, end: datetime.date) -> list[str]:
    """``coverage_note`` of every year from ``start`` to ``end`` that has one."""
    notes = []
    for year in range(start.year, end.year + 1):
        note = coverage_note(year)
        if note:
            notes.append(note)
    return notes
