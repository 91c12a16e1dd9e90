"""The demo's inspection days (``demo.inspections``): two past months in each of two
townships, made by the services on their dates, with draws that reproduce and one corrected
record; nothing started in the current month; loaded once."""

import datetime

import pytest
from django.utils import timezone

from demo.inspections import demo_inspections_load, inspection_dates
from demo.services import demo_load
from inspections.constants import DayState
from inspections.models import InspectionDay, InspectionRecord

pytestmark = pytest.mark.django_db


def test_inspection_dates_are_working_days_of_the_two_months_before():
    assert inspection_dates(datetime.date(2026, 11, 30)) == [
        datetime.date(2026, 9, 15),
        datetime.date(2026, 10, 15),
    ]
    # 2026-03-15 is a Sunday: the next working day.
    assert inspection_dates(datetime.date(2026, 4, 2))[1] == datetime.date(2026, 3, 16)


def test_demo_inspections():
    demo_load()
    assert demo_inspections_load() == 4
    days = InspectionDay.objects.select_related("township", "leader")
    assert sorted((d.township.name, d.leader.username) for d in days) == sorted(
        [("关索街道", "guansuo_office")] * 2 + [("花江镇", "huajiang_office")] * 2
    )
    today = timezone.localdate()
    for day in days:
        assert day.state == DayState.ENDED
        assert day.draw.reproduces()
        assert day.records.filter(corrects__isnull=True).count() == day.draw.count
        assert (day.date.year, day.date.month) != (today.year, today.month)
    [correction] = InspectionRecord.objects.filter(corrects__isnull=False)
    assert correction.correction_reason
    assert correction.corrects is not None
    assert correction.corrects.findings != correction.findings
    assert demo_inspections_load() == 0
    assert InspectionDay.objects.count() == 4
