"""The statutory holidays computed from the 全国年节及纪念日放假办法, checked against the
official calendar (``chinesecalendar``) for the years it covers."""

import datetime

import chinese_calendar
import pytest

from workdays.calendar import library_covers
from workdays.statutory import (
    DRAGON_BOAT,
    LIBRARY_NAMES,
    MID_AUTUMN,
    NATIONAL_DAY,
    NEW_YEAR,
    QINGMING,
    RULES_IN_FORCE_SINCE,
    StatutoryHoliday,
    statutory_holidays,
    statutory_rest_days,
)

D = datetime.date

LIBRARY_YEARS = [year for year in range(2004, 2100) if library_covers(year)]


def _library_name(day: datetime.date) -> str | None:
    return LIBRARY_NAMES.get(chinese_calendar.holidays.get(day, ""))


def test_2027_by_hand():
    # 正月初一 2027 is 6 February (除夕 5 February); 清明 falls on 5 April; 端午 (五月初五) on
    # 9 June; 中秋 (八月十五) on 15 September.
    assert [(h.date, h.name) for h in statutory_holidays(2027)] == [
        (D(2027, 1, 1), "元旦"),
        (D(2027, 2, 5), "春节"),
        (D(2027, 2, 6), "春节"),
        (D(2027, 2, 7), "春节"),
        (D(2027, 2, 8), "春节"),
        (D(2027, 4, 5), "清明节"),
        (D(2027, 5, 1), "劳动节"),
        (D(2027, 5, 2), "劳动节"),
        (D(2027, 6, 9), "端午节"),
        (D(2027, 9, 15), "中秋节"),
        (D(2027, 10, 1), "国庆节"),
        (D(2027, 10, 2), "国庆节"),
        (D(2027, 10, 3), "国庆节"),
    ]


def test_chuxi_on_the_29th_and_the_30th():
    # 除夕 is the last day of the twelfth lunar month: 腊月廿九 in 2025 (28 January, which the
    # State Council's notice for 2025 calls 农历除夕; no year from 2025 to 2029 has a 腊月三十),
    # 腊月三十 in 2030 (2 February; 正月初一 is 3 February).
    spring_2025 = [h.date for h in statutory_holidays(2025) if h.name == "春节"]
    assert spring_2025 == [D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31)]
    spring_2030 = [h.date for h in statutory_holidays(2030) if h.name == "春节"]
    assert spring_2030 == [D(2030, 2, 2), D(2030, 2, 3), D(2030, 2, 4), D(2030, 2, 5)]


def test_a_day_two_holidays_share_is_one_rest_day_with_both_names():
    # 中秋 2028 (八月十五) is 3 October, the third day of National Day.
    october = [h for h in statutory_holidays(2028) if h.date.month == 10]
    assert october == [
        StatutoryHoliday(D(2028, 10, 1), ("国庆节",)),
        StatutoryHoliday(D(2028, 10, 2), ("国庆节",)),
        StatutoryHoliday(D(2028, 10, 3), ("国庆节", "中秋节")),
    ]
    assert october[2].name == "国庆节、中秋节"
    assert len(statutory_rest_days(2028)) == 12  # 13 holidays, two on one day


@pytest.mark.parametrize("year", [y for y in LIBRARY_YEARS if y >= RULES_IN_FORCE_SINCE])
def test_computed_holidays_are_official_holidays_under_the_current_rules(year):
    # The library's holidays include the days added by 调休 and in lieu, so every computed day
    # must be among them, under the same festival.
    for holiday in statutory_holidays(year):
        assert chinese_calendar.is_holiday(holiday.date), holiday
        assert _library_name(holiday.date) in holiday.festivals, holiday


def test_the_library_covers_years_of_the_current_rules():
    # Without them the test above checks nothing.
    assert RULES_IN_FORCE_SINCE in LIBRARY_YEARS


@pytest.mark.parametrize("year", [y for y in LIBRARY_YEARS if 2008 <= y < RULES_IN_FORCE_SINCE])
def test_festival_dates_match_the_official_holidays_before_2025(year):
    # Before 2025 the 办法 gave other days for 春节 (2008–2013: 除夕 to 初二; 2014–2024: 初一 to
    # 初三) and one day for 劳动节, and 清明, 端午 and 中秋 became holidays only in 2008; the
    # dates of the other festivals follow the same rule throughout, so they must match.
    same_rule = {NEW_YEAR, QINGMING, DRAGON_BOAT, MID_AUTUMN, NATIONAL_DAY}
    checked = [h for h in statutory_holidays(year) if same_rule & set(h.festivals)]
    assert len(checked) >= 6  # 7 days, or 6 when 中秋 falls on 1 to 3 October
    for holiday in checked:
        assert chinese_calendar.is_holiday(holiday.date), holiday
        name = _library_name(holiday.date)
        # When a festival fell on a weekend the library names the weekday given in lieu and
        # leaves the weekend day itself unnamed (端午 on Saturday 23 June 2012).
        unnamed_weekend = name is None and holiday.date.weekday() >= 5
        assert name in holiday.festivals or unnamed_weekend, holiday


def test_every_year_to_2099_computes():
    for year in range(2000, 2100):
        holidays = statutory_holidays(year)
        assert all(h.date.year == year for h in holidays)
        assert 12 <= len(holidays) <= 13
        assert [h.date for h in holidays] == sorted({h.date for h in holidays})
        spring = [h.date for h in holidays if "春节" in h.festivals]
        assert len(spring) == 4
        assert spring[-1] - spring[0] == datetime.timedelta(days=3)
        qingming = next(h.date for h in holidays if QINGMING in h.festivals)
        assert D(year, 4, 4) <= qingming <= D(year, 4, 6)


def test_rest_days_only_from_the_year_the_rules_came_into_force():
    assert statutory_rest_days(RULES_IN_FORCE_SINCE - 1) == frozenset()
    assert D(2027, 1, 1) in statutory_rest_days(2027)
