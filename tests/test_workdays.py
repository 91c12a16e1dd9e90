"""The working-day calendar: official holidays, corrections for later years, the Civil Code
rules of periods, and the county HR pages that change the calendar."""

import datetime
from typing import cast

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import translation

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from config import urls as project_urls
from tests.factories import UserFactory
from workdays.calendar import (
    add_months,
    add_working_days,
    coverage_note,
    coverage_notes,
    is_working_day,
    period_end,
)
from workdays.models import CalendarYear, DayOverride
from workdays.services import (
    calendaryear_confirm,
    dayoverride_adopt_statutory,
    dayoverride_create,
)

# The staff site mounts these pages at /calendar/ (web.site); this module's URLconf mounts them
# too, so that the page tests do not depend on the site's sections.
urlpatterns = [path("calendar/", include("workdays.urls")), *project_urls.urlpatterns]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
    pytest.mark.usefixtures("english_messages"),
]

D = datetime.date


def make_user() -> User:
    return cast(User, UserFactory())


def holiday(day: datetime.date, name: str = "国庆节", *, working: bool = False, by=None):
    return DayOverride.objects.create(
        date=day, is_working_day=working, name=name, created_by=by or make_user()
    )


# --- the official calendar (chinesecalendar) --------------------------------------------------


def test_2026_national_day_holiday_and_make_up_days():
    # State Council schedule for 2026: National Day 1–7 October; make-up working days on
    # Sunday 20 September and Saturday 10 October; Mid-Autumn 25–27 September.
    for day in range(1, 8):
        assert not is_working_day(D(2026, 10, day))
    assert is_working_day(D(2026, 10, 8))
    assert is_working_day(D(2026, 10, 10))  # a Saturday worked in lieu
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday
    assert is_working_day(D(2026, 9, 20))  # a Sunday worked in lieu
    assert not is_working_day(D(2026, 9, 25))  # Mid-Autumn, a Friday


def test_seven_working_days_across_national_day_2026():
    # Published Wednesday 30 September: the period starts on 1 October (民法典 201); the
    # working days are 8, 9, 10 (Saturday in lieu), 12, 13, 14, 15 October.
    assert add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_working_days_start_the_day_after():
    # A Monday publication with 1 working day ends on Tuesday, not Monday.
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)
    # Friday + 1 working day is the next Monday.
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 23), -1)


# --- years the library does not cover ---------------------------------------------------------


def test_2027_counts_the_computed_statutory_holidays_and_says_so():
    # The library ends with 2026. National Day 2027 is 1–3 October (Friday to Sunday); nothing
    # adds the days the State Council's notice will move (调休), so Monday 4 October works.
    assert not is_working_day(D(2027, 10, 1))  # a Friday, 国庆节
    assert not is_working_day(D(2027, 10, 2))  # Saturday
    assert is_working_day(D(2027, 10, 4))
    # Thursday 30 September 2027 + 7 working days: 4, 5, 6, 7, 8, 11, 12 October.
    assert add_working_days(D(2027, 9, 30), 7) == D(2027, 10, 12)
    assert coverage_note(2027) == (
        "The statutory holidays of 2027 are computed from the 全国年节及纪念日放假办法; the "
        "make-up working days and extra days off of 2027 (调休) are not known until county HR "
        "enters the State Council's notice for that year."
    )
    assert coverage_note(2026) is None
    assert coverage_notes(D(2026, 12, 28), D(2027, 1, 8)) == [coverage_note(2027)]


def test_the_note_reads_in_chinese():
    with translation.override("zh-hans"):
        assert coverage_note(2027) == (
            "2027 年的法定节假日按《全国年节及纪念日放假办法》推算；该年的调休上班日和调休放假日"
            "须待县级人事管理员录入国务院当年的节假日安排通知后才能确定，目前尚未计入。"
        )


def test_new_year_2027_is_not_a_working_day():
    assert not is_working_day(D(2027, 1, 1))  # a Friday, 元旦
    # Published Wednesday 30 December 2026, the period starts on Thursday 31 December
    # (民法典 201). Working days: 31 December (1); 1 January is 元旦 and 2–3 January a weekend;
    # 4, 5, 6, 7, 8 January (2–6); 11 January (7). Counting 元旦 would end it on 8 January.
    assert add_working_days(D(2026, 12, 30), 7) == D(2027, 1, 11)


def test_spring_festival_2027_is_four_days_from_chuxi():
    # Chinese New Year 2027 (正月初一) is Saturday 6 February, so 除夕 is Friday 5 February
    # (the twelfth month of 丙午 has 29 days) and 初三 is Monday 8 February.
    for day in (5, 6, 7, 8):
        assert not is_working_day(D(2027, 2, day))
    assert is_working_day(D(2027, 2, 4))
    # 初四, Tuesday: the rest of the Spring Festival break comes only from the notice.
    assert is_working_day(D(2027, 2, 9))
    # Published Wednesday 3 February: 4 February (1), then 9, 10, 11 February (2–4).
    assert add_working_days(D(2027, 2, 3), 4) == D(2027, 2, 11)


def test_a_correction_wins_over_a_computed_holiday():
    assert not is_working_day(D(2027, 10, 1))
    holiday(D(2027, 10, 1), "国庆节调休上班", working=True)
    assert is_working_day(D(2027, 10, 1))
    # Thursday 30 September 2027 + 2 working days: 1 (the correction) and 4 October.
    assert add_working_days(D(2027, 9, 30), 2) == D(2027, 10, 4)


def test_years_before_the_current_rules_are_counted_monday_to_friday():
    # 2003 is outside the library too, but the current 办法 was not the law then.
    assert is_working_day(D(2003, 10, 1))  # a Wednesday
    assert coverage_note(2003) == (
        "Working days in 2003 are counted Monday to Friday: the official holidays of 2003 "
        "have not been entered yet."
    )


def test_day_overrides_in_2027_change_a_period():
    for day in range(1, 8):
        holiday(D(2027, 10, day))
    holiday(D(2027, 9, 26), "国庆节调休上班", working=True)  # a Sunday
    holiday(D(2027, 10, 9), "国庆节调休上班", working=True)  # a Saturday
    assert not is_working_day(D(2027, 10, 1))
    assert is_working_day(D(2027, 10, 9))
    # Working days after 30 September: 8, 9 (Saturday in lieu), 11, 12, 13, 14, 15.
    assert add_working_days(D(2027, 9, 30), 7) == D(2027, 10, 15)
    # Entered but not marked: still flagged until county HR marks the year.
    assert coverage_note(2027) is not None
    CalendarYear.objects.create(year=2027, confirmed_by=make_user())
    assert coverage_note(2027) is None


def test_a_correction_wins_over_the_library():
    holiday(D(2026, 10, 9), "调整")  # pretend the 9th became a holiday
    assert not is_working_day(D(2026, 10, 9))
    assert add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 16)


# --- months and calendar-day periods ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 10, 16), 12, D(2027, 10, 16)),
        (D(2026, 5, 15), 0, D(2026, 5, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 11, 30), 14, D(2028, 1, 30)),
    ],
)
def test_add_months_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_period_ending_on_a_sunday_moves_to_monday():
    # 民法典 203: 4 March 2027 + 10 days = Sunday 14 March → Monday 15 March.
    assert period_end(D(2027, 3, 4), 10) == D(2027, 3, 15)
    # A last day on a working day stays.
    assert period_end(D(2027, 3, 4), 8) == D(2027, 3, 12)
    # A last day inside National Day 2026 moves to the first working day after it.
    assert period_end(D(2026, 9, 21), 10) == D(2026, 10, 8)
    # A Sunday worked in lieu is a working day: the period ends on it.
    assert period_end(D(2026, 9, 10), 10) == D(2026, 9, 20)


# --- services and pages -------------------------------------------------------------------------


@pytest.fixture
def hr(county):
    return UserFactory(role=Role.COUNTY_HR, county=county)


def test_services_audit_changes_under_the_officers_county(hr):
    override = dayoverride_create(
        date=D(2027, 1, 1), is_working_day=False, name="元旦", by=hr, reason="国务院办公厅通知"
    )
    entry = AuditEntry.objects.get(object_id=override.pk, action=AuditEntry.Action.CREATE)
    assert entry.county_id == hr.county_id
    assert entry.after["name"] == "元旦"
    assert entry.reason == "国务院办公厅通知"
    with pytest.raises(ValidationError) as excinfo:
        dayoverride_create(date=D(2027, 1, 1), is_working_day=False, name="元旦", by=hr)
    assert "date" in excinfo.value.error_dict
    with pytest.raises(ValidationError) as excinfo:
        dayoverride_create(date=D(2027, 1, 2), is_working_day=False, name="  ", by=hr)
    assert "name" in excinfo.value.error_dict
    calendaryear_confirm(year=2027, by=hr)
    assert CalendarYear.objects.filter(year=2027, confirmed_by=hr).exists()


def test_only_county_hr_changes_the_calendar(committee):
    with pytest.raises(PermissionDenied):
        dayoverride_create(date=D(2027, 1, 1), is_working_day=False, name="元旦", by=committee)
    with pytest.raises(PermissionDenied):
        calendaryear_confirm(year=2027, by=committee)
    assert not DayOverride.objects.exists()


def test_county_hr_enters_a_year_in_the_browser(client, hr):
    client.force_login(hr)
    page = client.get(reverse("workdays:list") + "?year=2027")
    assert page.status_code == 200
    assert page.context["note"] == coverage_note(2027)
    response = client.post(
        reverse("workdays:add"),
        {"date": "2027-10-01", "is_working_day": "0", "name": "国庆节", "reason": "通知"},
    )
    assert response.status_code == 302
    override = DayOverride.objects.get(date=D(2027, 10, 1))
    assert not override.is_working_day
    response = client.post(
        reverse("workdays:edit", args=[override.pk]),
        {"date": "2027-10-01", "is_working_day": "0", "name": "国庆节（更正）", "reason": ""},
    )
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.name == "国庆节（更正）"
    assert AuditEntry.objects.filter(object_id=override.pk).count() == 2
    assert client.get(reverse("workdays:year_confirm", args=[2027])).status_code == 405
    response = client.post(reverse("workdays:year_confirm", args=[2027]))
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    page = client.get(reverse("workdays:list") + "?year=2027")
    assert "国庆节（更正）" in page.content.decode()
    response = client.post(reverse("workdays:delete", args=[override.pk]), {"reason": "错误"})
    assert response.status_code == 302
    assert not DayOverride.objects.exists()
    deleted = AuditEntry.objects.filter(transition="delete").get()
    assert deleted.before["name"] == "国庆节（更正）"


def test_add_form_reports_a_duplicate_date(client, hr):
    holiday(D(2027, 10, 1), by=hr)
    client.force_login(hr)
    response = client.post(
        reverse("workdays:add"), {"date": "2027-10-01", "is_working_day": "0", "name": "国庆节"}
    )
    assert response.status_code == 200
    assert "already has a correction" in response.content.decode()
    assert DayOverride.objects.count() == 1


def test_calendar_pages_refuse_other_roles(client, committee):
    override = holiday(D(2027, 10, 1))
    assert client.get(reverse("workdays:list")).status_code == 302  # anonymous → login
    client.force_login(committee)
    assert client.get(reverse("workdays:list")).status_code == 403
    assert client.get(reverse("workdays:add")).status_code == 403
    assert client.get(reverse("workdays:edit", args=[override.pk])).status_code == 403
    assert client.post(reverse("workdays:delete", args=[override.pk])).status_code == 403
    assert client.post(reverse("workdays:year_confirm", args=[2027])).status_code == 403
    assert DayOverride.objects.count() == 1
    assert not CalendarYear.objects.exists()


def test_county_hr_unmarks_a_year_to_correct_it(client, hr):
    CalendarYear.objects.create(year=2027, confirmed_by=hr)
    client.force_login(hr)
    response = client.post(reverse("workdays:year_unconfirm", args=[2027]))
    assert response.status_code == 302
    assert not CalendarYear.objects.exists()


# --- computed statutory holidays on the calendar page -------------------------------------------


def test_calendar_page_lists_the_computed_holidays_of_an_uncovered_year(client, hr):
    holiday(D(2027, 10, 1), "国庆节", by=hr)
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("workdays:list") + "?year=2027")
    html = page.content.decode()
    days = page.context["computed_days"]
    assert [(day.date, day.name) for day in days][:2] == [
        (D(2027, 1, 1), "元旦"),
        (D(2027, 2, 5), "春节"),
    ]
    assert len(days) == 13
    assert [day.correction is not None for day in days].count(True) == 1  # 1 October
    # The name of a day is 名称, not a person's 姓名.
    assert '<th scope="col">名称</th>' in html
    assert "姓名" not in html
    assert "2027年1月1日</td>\n              <td>星期五</td>\n              <td>元旦</td>" in html
    assert "2027年2月5日</td>\n              <td>星期五</td>\n              <td>春节</td>" in html
    assert page.context["can_adopt"]


def test_calendar_page_shows_no_computed_holidays_where_they_do_not_apply(client, hr):
    client.force_login(hr)
    assert client.get(reverse("workdays:list") + "?year=2026").context["computed_days"] == []
    CalendarYear.objects.create(year=2027, confirmed_by=hr)
    assert client.get(reverse("workdays:list") + "?year=2027").context["computed_days"] == []


def test_the_correction_form_labels_the_name_of_a_day(client, hr):
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("workdays:add")).content.decode()
    assert "名称" in html
    assert "姓名" not in html


def test_county_hr_adopts_the_computed_holidays_as_corrections(client, hr):
    kept = holiday(D(2027, 10, 1), "国庆节（通知）", by=hr)
    client.force_login(hr)
    assert client.get(reverse("workdays:year_adopt_statutory", args=[2027])).status_code == 405
    response = client.post(reverse("workdays:year_adopt_statutory", args=[2027]))
    assert response.status_code == 302
    adopted = DayOverride.objects.filter(date__year=2027).exclude(pk=kept.pk)
    assert adopted.count() == 12
    assert not adopted.filter(is_working_day=True).exists()
    assert set(adopted.values_list("name", flat=True)) == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }
    kept.refresh_from_db()
    assert kept.name == "国庆节（通知）"  # a correction already entered wins
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id__in=adopted)
    assert entries.count() == 12
    assert {entry.reason for entry in entries} == {"Computed from the 全国年节及纪念日放假办法"}
    page = client.get(reverse("workdays:list") + "?year=2027")
    assert not page.context["can_adopt"]
    # Again: nothing left to enter.
    client.post(reverse("workdays:year_adopt_statutory", args=[2027]))
    assert DayOverride.objects.filter(date__year=2027).count() == 13


def test_only_uncovered_years_from_2025_adopt_computed_holidays(client, hr, committee):
    with pytest.raises(ValidationError):
        dayoverride_adopt_statutory(year=2026, by=hr)  # the library covers it
    with pytest.raises(ValidationError):
        dayoverride_adopt_statutory(year=2003, by=hr)  # before the current 办法
    with pytest.raises(PermissionDenied):
        dayoverride_adopt_statutory(year=2027, by=committee)
    client.force_login(committee)
    assert client.post(reverse("workdays:year_adopt_statutory", args=[2027])).status_code == 403
    client.force_login(hr)
    response = client.post(reverse("workdays:year_adopt_statutory", args=[2026]), follow=True)
    assert "the built-in official calendar does not cover" in response.content.decode()
    assert not DayOverride.objects.exists()


def test_the_public_notice_says_which_days_its_period_leaves_out():
    # The printed note of a notice period in a year nobody has entered (the document is in
    # Chinese whatever the officer's language).
    html = render_to_string(
        "paperwork/recruitment/public_notice.html",
        {"weekdays_only": True, "starts_on": D(2026, 12, 31), "ends_on": D(2027, 1, 11)},
    )
    assert (
        "工作日暂按周一至周五计算，已扣除《全国年节及纪念日放假办法》规定的法定节假日；"
        "该年的调休上班日和调休放假日尚未确定，未予计入。"
    ) in html
