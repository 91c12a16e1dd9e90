"""The county's monthly ranking across townships: county HR issues its bulletin once every
township that opened the month has published it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.constants import MonthState
from assessment.models import CountyMonth
from assessment.selectors import county_month_status
from audit.models import AuditEntry
from audit.services import audit_record
from paperwork.models import Document
from paperwork.table import issue_for

PERMISSION = "assessment.add_scoringscheme"  # county HR's assessment permission


@transaction.atomic
def county_bulletin_issue(*, county, year: int, month: int, by) -> Document:
    """Issue (or issue again, superseding) the county's ranking of the month."""
    if not (by.has_perm(PERMISSION) and getattr(by, "county_id", None) == county.pk):
        raise PermissionDenied(_("Only county HR issues the county's monthly ranking."))
    counts = county_month_status(county, year, month)
    published = counts[MonthState.PUBLISHED] + counts[MonthState.SETTLED]
    waiting = counts[MonthState.OPEN] + counts[MonthState.SCORED]
    if not published:
        raise ValidationError(
            _("No township has published %(year)s年%(month)s月 yet.")
            % {"year": year, "month": month}
        )
    if waiting:
        raise ValidationError(
            _("%(n)s townships have not published %(year)s年%(month)s月 yet.")
            % {"n": waiting, "year": year, "month": month}
        )
    record, _created = CountyMonth.objects.select_for_update().get_or_create(
        county=county, year=year, month=month
    )
    record.issued_by, record.issued_at = by, timezone.now()
    record.save(update_fields=["issued_by", "issued_at"])
    audit_record(obj=record, action=AuditEntry.Action.UPDATE, by=by, transition="issue")
    (document,) = issue_for(record, "issue", by=by)
    return document
