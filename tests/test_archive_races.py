"""Issuing one person's archive extract 20 times at once, on PostgreSQL with 20 threads, each
with its own database connection (as ``tests/test_hostile_races.py``): the person's row is
locked while the extract is issued, so one extract is printed and the 19 other requests, which
all saw no extract on the page, are refused with a message naming the one issued, never an
``IntegrityError``.

Run with ``DATABASE_URL=postgres://…``; SQLite skips them.
"""

from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.constants import Role
from accounts.models import User
from archive.kinds import ARCHIVE_EXTRACT
from archive.services import archive_extract_issue
from audit.models import AuditEntry
from paperwork.models import Document
from people.models import Person
from tests.matrix_support import make_world
from tests.test_hostile_races import RACES, THREADS, race, unexpected

pytestmark = RACES


def test_one_extract_issued_twenty_times_at_once_is_printed_once():
    world = make_world()
    person = world.own.person
    hr = world.users[Role.COUNTY_HR]

    def work(_i):
        with translation.override("zh-hans"):
            return archive_extract_issue(
                person=Person.objects.get(pk=person.pk),
                by=User.objects.get(pk=hr.pk),
                seen=None,
            )

    results = race(work)
    assert not unexpected(results, allowed=(ValidationError,))
    (issued,) = [r for r in results if isinstance(r, Document)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all(issued.verification_code in r.messages[0] for r in refused), refused[0].messages
    assert Document.objects.filter(kind=ARCHIVE_EXTRACT).count() == 1
    assert (
        AuditEntry.objects.filter(transition="issue_archive_extract", object_id=issued.pk).count()
        == 1
    )
