"""Starting one inspection day 20 times at once, on PostgreSQL with 20 threads, each with its
own database connection (as ``tests/test_hostile_races.py``): the day's row is locked while
the villages are drawn, and the draw is one per day in the database, so one draw is made and
kept, and the 19 others are refused with the service's message, never an ``IntegrityError``.

Run with ``DATABASE_URL=postgres://…``; SQLite skips them.
"""

from django.core.exceptions import ValidationError

from accounts.models import User
from audit.models import AuditEntry
from inspections.constants import DayState
from inspections.models import InspectionDay, SpotCheckDraw
from inspections.services import day_start
from tests.inspections_support import add_villages, office_user, planned_day
from tests.test_hostile_races import RACES, THREADS, race, unexpected

pytestmark = RACES


def test_one_day_started_twenty_times_at_once_draws_once(township):
    add_villages(township)
    leader = office_user(township, "leader", last_name="岑", first_name="丽")
    day = planned_day(township, leader)

    def work(_i):
        return day_start(
            day=InspectionDay.objects.get(pk=day.pk), by=User.objects.get(pk=leader.pk)
        )

    results = race(work)
    assert not unexpected(results, allowed=(ValidationError,))
    drawn = [r for r in results if isinstance(r, SpotCheckDraw)]
    assert len(drawn) == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all("不得重抽" in r.messages[0] for r in refused), refused[0].messages
    draw = SpotCheckDraw.objects.get(day=day)  # one draw, the winner's
    assert (draw.pk, draw.seed, draw.result) == (drawn[0].pk, drawn[0].seed, drawn[0].result)
    assert draw.reproduces()
    day.refresh_from_db()
    assert day.state == DayState.STARTED
    for model, transition in (("spotcheckdraw", "draw"), ("inspectionday", "start")):
        entries = AuditEntry.objects.filter(content_type__model=model, transition=transition)
        assert entries.count() == 1
