"""Writes of the personnel archive: issuing the extract.

- ``archive_extract_issue``: county HR, who keeps the archive (DESIGN.md, Users), issues the
  extract of one person; a new extract supersedes the previous one, which stays on record.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.documents import archive_extract_context
from archive.kinds import ARCHIVE_EXTRACT
from archive.selectors import person_archive
from audit.display import local_datetime
from core.services import lock, require_permission
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from people.models import Person

ISSUE_EXTRACT = "people.issue_archive_extract"
# The step recorded on the document and its audit entry (label: archive.apps).
TRANSITION = "issue_archive_extract"


@transaction.atomic
def archive_extract_issue(*, person: Person, by, seen: int | None) -> Document:
    """Issue the personnel archive extract of ``person`` as of today, in one transaction:
    the document (its file, its row) and its audit entry (``paperwork.services``). It
    supersedes the current extract of the person, if any.

    ``seen`` is the id of the extract the user saw as current when they asked (None: none
    yet). The person's row is locked first, so that of two requests sent at once the second
    finds the extract the first issued and is refused with a message naming it, instead of
    issuing a second one."""
    require_permission(
        by,
        ISSUE_EXTRACT,
        person,
        message=_("Only county HR, who keep the personnel archive, may issue its extract."),
    )
    person = lock(person, related=("township__county", "village"))
    current = document_current(kind=ARCHIVE_EXTRACT, subject=person)
    if (current.pk if current is not None else None) != seen:
        if current is None:
            raise ValidationError(_("The archive changed meanwhile; nothing was issued."))
        raise ValidationError(
            _(
                "%(who)s issued the archive extract of %(name)s at %(time)s (verification code "
                "%(code)s) while you were reading the archive; nothing else was issued."
            )
            % {
                "who": current.produced_by.display_name if current.produced_by else _("system"),
                "name": person.name,
                "time": local_datetime(current.issued_at),
                "code": current.verification_code,
            }
        )
    today = timezone.localdate()
    with translation.override("zh-hans"):
        context = archive_extract_context(person_archive(person), on=today)
    county = person.township.county
    return document_issue(
        kind=ARCHIVE_EXTRACT,
        context=context,
        subject=person,
        by=by,
        county=county,
        township=person.township,
        person=person,
        issuing_body=county.hr_office,
        transition=TRANSITION,
        supersedes=current,
    )
