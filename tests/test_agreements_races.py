"""Signing one target-responsibility agreement 20 times at once, on PostgreSQL with 20
threads, each with its own database connection (as ``tests/test_hostile_races.py``): the
agreement's row is locked while the signatures are recorded, so one signing is recorded and
the 19 others are refused with the service's message, never an ``IntegrityError``; the signed
agreement is printed once.

Run with ``DATABASE_URL=postgres://…``; SQLite skips them.
"""

import datetime

import time_machine
from django.core.exceptions import ValidationError

from accounts.constants import Role
from accounts.models import User
from agreements.constants import AgreementState
from agreements.kinds import TARGET_AGREEMENT
from agreements.models import TargetAgreement
from agreements.services import agreement_sign, agreements_draft_for_township
from audit.models import AuditEntry
from paperwork.models import Document
from tests.agreements_support import county_template
from tests.matrix_support import make_world
from tests.test_hostile_races import RACES, THREADS, race, unexpected

pytestmark = RACES

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# The messages a late signing gets: the copy it read was still drafted (“someone else changed
# this agreement”), or it read the agreement once signed (“only before it is signed”).
REFUSALS = ("其他人刚刚修改了这份责任书", "只能在责任书签订前进行")


def test_one_agreement_signed_twenty_times_at_once_is_signed_once():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=SHANGHAI), tick=False):
        world = make_world()
        office = world.users[Role.TOWNSHIP_OFFICE]
        county_template(world, 2026)
        world.term("own")
        (agreement,) = agreements_draft_for_township(
            township=world.own.township, year=2026, by=office, on=datetime.date(2026, 1, 5)
        )

        def work(_i):
            return agreement_sign(
                agreement=TargetAgreement.objects.get(pk=agreement.pk),
                township_signatory="杨光荣",
                township_on=datetime.date(2026, 1, 10),
                village_signatory="韦国富",
                village_on=datetime.date(2026, 1, 10),
                director_on=datetime.date(2026, 1, 11),
                by=User.objects.get(pk=office.pk),
            )

        results = race(work)
    assert not unexpected(results, allowed=(ValidationError,))
    assert sum(isinstance(r, TargetAgreement) for r in results) == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all(any(m in r.messages[0] for m in REFUSALS) for r in refused), refused[0].messages
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED
    assert (agreement.township_signatory, agreement.village_signatory) == ("杨光荣", "韦国富")
    assert agreement.recorded_by == office
    signed = Document.objects.filter(kind=TARGET_AGREEMENT, transition="sign")
    assert signed.count() == 1
    assert Document.objects.filter(kind=TARGET_AGREEMENT).count() == 2  # the draft and the signed
    signing = AuditEntry.objects.filter(
        content_type__model="targetagreement", object_id=agreement.pk, transition="sign"
    )
    assert signing.count() == 1
