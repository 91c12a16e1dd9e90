"""Two publishes of one month at once (PostgreSQL only, as ``tests/test_hostile_races.py``):
one wins, the other gets a clear message, and the month has one bulletin and one slip a
director."""

import datetime

import time_machine
from django.core.exceptions import ValidationError

from assessment.constants import MonthState
from assessment.kinds import MONTHLY_BULLETIN, PAY_SLIP
from assessment.models import AssessmentMonth
from assessment.services import month_publish
from paperwork.models import Document
from tests.assessment_support import make_scheme, scored_month, seat_directors
from tests.builders import committee_member
from tests.test_hostile_races import RACES, race, unexpected

pytestmark = RACES


def test_two_publishes_at_once_publish_once(township, hr):
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)):
        make_scheme(township.county, 2026, by=hr)
        seat_directors(township, 3)
        month = scored_month(township, ["95", "88", "88"])
        committee = committee_member(township)

        def work(_i):
            copy = AssessmentMonth.objects.get(pk=month.pk)
            return month_publish(month=copy, by=committee)

        results = race(work, n=2)
    assert not unexpected(results, allowed=(ValidationError,))
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "不能重复发布" in refused[0].messages[0]
    assert AssessmentMonth.objects.get(pk=month.pk).state == MonthState.PUBLISHED
    assert Document.objects.filter(kind=MONTHLY_BULLETIN).count() == 1
    assert Document.objects.filter(kind=PAY_SLIP).count() == 3
