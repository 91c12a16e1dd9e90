"""The audit log: every recorded change the user's scope covers, newest first."""

import datetime
from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from audit.models import AuditEntry
from core.forms import NormalisedForm
from core.pagination import paginate

# Apps whose records are audited; their models are the "record type" choices.
AUDITED_APPS = (
    "accounts",
    "organisation",
    "policy",
    "people",
    "paperwork",
    "recruitment",
    "contracts",
)


class AuditFilterForm(NormalisedForm):
    record_type = forms.TypedChoiceField(label=_("Record type"), required=False, coerce=int)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = [
            (ct.pk, capfirst(ct.name))
            for ct in ContentType.objects.filter(app_label__in=AUDITED_APPS)
            if ct.model_class() is not None
        ]
        record_type = cast(forms.TypedChoiceField, self.fields["record_type"])
        record_type.choices = [("", _("All")), *sorted(types, key=lambda t: t[1])]

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("record_type"):
            queryset = queryset.filter(content_type_id=data["record_type"])
        # Local days as ranges of instants, so that the index on the time serves the filter
        # (``at__date`` would convert every row's time first).
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            queryset = queryset.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(1)))
        return queryset


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_auditentry"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    # Newest first within the user's county or township: the indexes audit_county_at and
    # audit_township_at give the page without sorting every scoped entry.
    entries = scoped(AuditEntry.objects.select_related("actor", "content_type"), request.user)
    entries = form.filter(entries)
    page = paginate(request, entries)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page_obj": page, "entries": page.object_list},
    )
