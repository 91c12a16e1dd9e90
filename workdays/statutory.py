"""The statutory holidays of a year, computed from the 全国年节及纪念日放假办法.

The 办法 as revised by the State Council in November 2024 (in force since 1 January 2025) gives
every citizen these days off:

- 元旦: 1 January;
- 春节: 除夕 (the last day of the twelfth lunar month, the 29th or the 30th) and 正月初一 to 初三;
- 清明节: the day of the solar term 清明;
- 劳动节: 1 and 2 May;
- 端午节: 五月初五 (lunar);
- 中秋节: 八月十五 (lunar);
- 国庆节: 1 to 3 October.

The lunar dates and the solar term come from ``lunar_python`` (``Lunar.fromYmd`` converts a
lunar date of a lunar year to the solar calendar; a lunar date's ``getJieQiTable()`` holds the
solar terms of its solar year, in Beijing time).

Only the days the 办法 itself fixes are computed. The State Council's notice of each year adds
the rest of the arrangement: the days moved by 调休 (make-up working days on weekends and the
extra days off they pay for) and the day off in lieu when a holiday falls on a weekend. Nothing
here guesses them; county HR enters them from the notice (``workdays.models.DayOverride``).
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from lunar_python import Lunar, Solar

# The year the current rules came into force. Earlier years followed older rules (2014–2024:
# 春节 正月初一 to 初三 and 劳动节 1 day; 2008–2013: 春节 除夕 to 正月初二), so the computed days
# stand in for the official calendar only from this year on.
RULES_IN_FORCE_SINCE = 2025

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"

# The names ``chinesecalendar`` gives its holidays (in English), in Chinese.
LIBRARY_NAMES = {
    "New Year's Day": NEW_YEAR,
    "Spring Festival": SPRING_FESTIVAL,
    "Tomb-sweeping Day": QINGMING,
    "Labour Day": LABOUR_DAY,
    "Dragon Boat Festival": DRAGON_BOAT,
    "National Day": NATIONAL_DAY,
    "Mid-autumn Festival": MID_AUTUMN,
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class StatutoryHoliday:
    """One statutory day off. ``festivals`` has two names when two holidays fall on the same
    day (中秋节 on 1 to 3 October, as in 2020 and 2028)."""

    date: datetime.date
    festivals: tuple[str, ...]

    @property
    def name(self) -> str:
        return "、".join(self.festivals)


def _solar(lunar: Lunar) -> datetime.date:
    solar = lunar.getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> datetime.date:
    # The table of a day in April holds the solar terms of the solar year ``year`` under their
    # Chinese names (the neighbouring years' terms have Latin keys).
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return datetime.date(term.getYear(), term.getMonth(), term.getDay())


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> tuple[StatutoryHoliday, ...]:
    """The statutory holidays of ``year`` under the current 办法, by date.

    Pure: the same year always gives the same days, so the result is cached per year. The
    rules are applied to any year asked for; ``statutory_rest_days`` knows from which year on
    they are the law.
    """
    if not datetime.MINYEAR < year < datetime.MAXYEAR:
        raise ValueError(f"year {year} is out of range")
    new_year = _solar(Lunar.fromYmd(year, 1, 1))  # 正月初一, always in the solar year
    days = [
        (datetime.date(year, 1, 1), NEW_YEAR),
        *((new_year + datetime.timedelta(days=n), SPRING_FESTIVAL) for n in range(-1, 3)),
        (_qingming(year), QINGMING),
        (datetime.date(year, 5, 1), LABOUR_DAY),
        (datetime.date(year, 5, 2), LABOUR_DAY),
        # Month 5 and month 8 are the ordinary months; a leap month has a negative number.
        (_solar(Lunar.fromYmd(year, 5, 5)), DRAGON_BOAT),
        # 国庆节 before 中秋节: the State Council names a shared day "国庆节、中秋节".
        *((datetime.date(year, 10, day), NATIONAL_DAY) for day in (1, 2, 3)),
        (_solar(Lunar.fromYmd(year, 8, 15)), MID_AUTUMN),
    ]
    by_date: dict[datetime.date, list[str]] = {}
    for date, festival in days:
        by_date.setdefault(date, []).append(festival)
    return tuple(
        StatutoryHoliday(date, tuple(festivals)) for date, festivals in sorted(by_date.items())
    )


@lru_cache(maxsize=256)
def statutory_rest_days(year: int) -> frozenset[datetime.date]:
    """The computed statutory holidays of ``year`` that count as rest days: those of the
    current 办法 from the year it came into force; none before it."""
    if year < RULES_IN_FORCE_SINCE:
        return frozenset()
    return frozenset(holiday.date for holiday in statutory_holidays(year))
