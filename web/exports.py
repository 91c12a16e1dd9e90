"""Excel exports of the staff site's lists: one mechanism for every list.

A list page reads its filters once (a ``core.filters.ListFilters``) and gets its rows from
one selector; its export view calls the same selector with the same filters and hands the
rows to ``export_response`` with the list's ``core.exports.ListExport`` (its name and
columns). So the file holds exactly the rows the page lists, in its order, within the
user's scope (``accounts.scoping``), never paginated.

``export_response``

- refuses a list of more than ``CUNPIN_EXPORT_MAX_ROWS`` rows (default 20,000): the user is
  sent back to the list, filters kept, with a message asking for narrower filters;
- writes ID and mobile numbers masked (110105********002X, 138****8000) unless the user may
  see full numbers (``people.view_full_identity``);
- records every export in the audit log, on the account that exported (which list, its
  filters, how many rows, whether full numbers went out); when full numbers went out, also one
  ``IdentityAccess`` per person and number, as when a full number is revealed on a person's
  page;
- answers an .xlsx written by ``core.exports.xlsx_response`` (every cell escaped against
  formula injection) named after the list and the day: 人员名单-2026-11-29.xlsx.

The list's selector must load what the columns read (``select_related``, annotations): the
export then costs a fixed number of queries whatever the number of rows.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core.exports import ListExport, table, xlsx_response
from core.filters import ListFilters
from people.models import IdentityAccess
from people.services import identity_accesses_record

VIEW_FULL_IDENTITY = "people.view_full_identity"
FIELD_LABELS = dict(IdentityAccess.Field.choices)


def max_rows() -> int:
    return settings.CUNPIN_EXPORT_MAX_ROWS


def url_with(name: str, filters: ListFilters | None = None, *, args: Iterable = ()) -> str:
    """The address ``name`` with the list's filters: a list's export link (导出 Excel), and
    the way back from a refused export to the list."""
    url = reverse(name, args=list(args))
    query = filters.query() if filters is not None else ""
    return f"{url}?{query}" if query else url


def _account(user):
    """The user record behind ``request.user``, a lazy object that the audit trail cannot
    name as its record."""
    user.pk  # noqa: B018 (reading an attribute loads the user)
    return getattr(user, "_wrapped", user)


def may_see_full_numbers(user) -> bool:
    return user.has_perm(VIEW_FULL_IDENTITY)


@transaction.atomic
def list_export_log(
    *,
    export: ListExport,
    filters: ListFilters | None,
    rows: list[Any],
    full_fields: list[str],
    by,
    about: str = "",
) -> AuditEntry:
    """Record that ``by`` exported ``rows`` of the list ``export`` (of the record ``about``
    names: a campaign, a month, a course) with ``filters``: an audit entry on their account,
    and with full numbers (``full_fields``) one identity access per person and number."""
    name = f"{export.name}：{about}" if about else str(export.name)
    described = filters.described() if filters is not None else ""
    entry = audit_record(
        obj=by,
        action=AuditEntry.Action.EXPORT,
        by=by,
        after={
            "export_list": name,
            "export_filters": described or _("none"),
            "export_rows": len(rows),
            "export_full_numbers": "、".join(str(FIELD_LABELS[f]) for f in full_fields)
            or _("none (masked)"),
        },
    )
    if full_fields and export.person_of is not None:
        person_ids = [pk for pk in map(export.person_of, rows) if pk is not None]
        identity_accesses_record(
            person_ids=person_ids,
            fields=full_fields,
            by=by,
            reason=_("Exported in full in the list “%(list)s” (Excel)") % {"list": name},
        )
    return entry


def export_response(
    request: HttpRequest,
    export: ListExport,
    items: QuerySet | list,
    *,
    filters: ListFilters | None = None,
    back: str,
    about: str = "",
) -> HttpResponse:
    """The .xlsx of ``items`` (the list's rows, filtered and in order) for ``request.user``,
    logged; or, past the row limit, a redirect to ``back`` (the list, with its filters) and
    a message. ``about`` names the record whose list it is (a campaign, a month), for the
    log."""
    user = _account(request.user)
    limit = max_rows()
    rows = list(items[: limit + 1])
    if len(rows) > limit:
        messages.error(
            request,
            _(
                "This list has more than %(limit)s rows, more than one export may hold. "
                "Narrow it with the filters and export again."
            )
            % {"limit": limit},
        )
        return redirect(back)
    full_fields = export.identity_fields if may_see_full_numbers(user) else []
    list_export_log(
        export=export, filters=filters, rows=rows, full_fields=full_fields, by=user, about=about
    )
    name = str(export.name)
    return xlsx_response(
        table(rows, export.columns, full=bool(full_fields)),
        filename=f"{name}-{timezone.localdate().isoformat()}.xlsx",
        sheet_title=name,
    )
