"""Pages of the working-day calendar: the corrections by year, and changing them.

The calendar is national, so there is no township scope: everyone with
``workdays.view_dayoverride`` sees it, and only county HR officers (who hold the add, change
and delete permissions) change it. Every change goes through ``workdays.services`` and is
audited.
"""

import contextlib
import datetime
from dataclasses import dataclass

import chinese_calendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workdays.calendar import coverage_note, library_covers
from workdays.forms import DayOverrideForm, DeleteForm
from workdays.models import CalendarYear, DayOverride
from workdays.services import (
    calendaryear_confirm,
    calendaryear_unconfirm,
    dayoverride_adopt_statutory,
    dayoverride_create,
    dayoverride_delete,
    dayoverride_update,
)
from workdays.statutory import LIBRARY_NAMES, statutory_holidays, statutory_rest_days

VIEW = "workdays.view_dayoverride"
ADD = "workdays.add_dayoverride"
CHANGE = "workdays.change_dayoverride"
DELETE = "workdays.delete_dayoverride"
CONFIRM_YEAR = "workdays.add_calendaryear"
UNCONFIRM_YEAR = "workdays.delete_calendaryear"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


@dataclass(frozen=True)
class YearRow:
    year: int
    library: bool
    entered: bool
    computed: bool
    holidays: int
    working_days: int
    note: str | None

    @property
    def status(self) -> str:
        if self.entered:
            return _("Entered by county HR")
        if self.library:
            return _("Official calendar")
        if self.computed:
            return _("Statutory holidays computed")
        return _("Weekdays only")


@dataclass(frozen=True)
class OfficialDay:
    date: datetime.date
    is_working_day: bool
    name: str


def _official_days(year: int) -> list[OfficialDay]:
    """The holidays and make-up working days the library knows for ``year`` (weekends that
    are simply weekends are left out)."""
    days = [
        OfficialDay(d, False, LIBRARY_NAMES.get(name, name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year and name
    ]
    days += [
        OfficialDay(d, True, LIBRARY_NAMES.get(name, name) + "调休上班")
        for d, name in chinese_calendar.workdays.items()
        if d.year == year and name
    ]
    return sorted(days, key=lambda day: day.date)


@dataclass(frozen=True)
class ComputedDay:
    date: datetime.date
    name: str
    correction: DayOverride | None


def _computed_days(year: int, corrections: list[DayOverride]) -> list[ComputedDay]:
    """The statutory holidays computed for ``year``, each with the correction of its date if
    county HR entered one; none for a year they do not stand in for."""
    if library_covers(year) or not statutory_rest_days(year):
        return []
    by_date = {correction.date: correction for correction in corrections}
    return [
        ComputedDay(holiday.date, holiday.name, by_date.get(holiday.date))
        for holiday in statutory_holidays(year)
    ]


def _year_rows(selected: int) -> list[YearRow]:
    today = timezone.localdate()
    counts = {
        row["year"]: row
        for row in DayOverride.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            holidays=Count("pk", filter=Q(is_working_day=False)),
            working=Count("pk", filter=Q(is_working_day=True)),
        )
        .order_by()
    }
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    years = set(counts) | entered | {today.year, today.year + 1, selected}
    rows = []
    for year in sorted(years, reverse=True):
        row = counts.get(year, {})
        rows.append(
            YearRow(
                year=year,
                library=library_covers(year),
                entered=year in entered,
                computed=bool(statutory_rest_days(year)),
                holidays=row.get("holidays", 0),
                working_days=row.get("working", 0),
                note=coverage_note(year),
            )
        )
    return rows


def _selected_year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    year = _selected_year(request)
    user = request.user
    corrections = list(DayOverride.objects.filter(date__year=year).select_related("created_by"))
    entered = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    computed_days = [] if entered else _computed_days(year, corrections)
    return render(
        request,
        "workdays/calendar_list.html",
        {
            "year": year,
            "years": _year_rows(year),
            "corrections": corrections,
            "official_days": _official_days(year) if library_covers(year) else [],
            "computed_days": computed_days,
            "can_adopt": user.has_perm(ADD)
            and any(day.correction is None for day in computed_days),
            "library_covers": library_covers(year),
            "entered": entered,
            "note": coverage_note(year),
            "can_add": user.has_perm(ADD),
            "can_change": user.has_perm(CHANGE),
            "can_delete": user.has_perm(DELETE),
            "can_confirm": user.has_perm(CONFIRM_YEAR),
            "can_unconfirm": user.has_perm(UNCONFIRM_YEAR),
        },
    )


def _back_to(year: int) -> str:
    return reverse("workdays:list") + f"?year={year}"


@login_required
def override_add(request: HttpRequest) -> HttpResponse:
    _require(request.user, ADD)
    initial = {}
    if request.method != "POST":
        with contextlib.suppress(ValueError):
            initial["date"] = datetime.date.fromisoformat(request.GET.get("date", ""))
    form = DayOverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            override = dayoverride_create(by=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("%(date)s %(name)s has been recorded.")
                % {"date": date_format(override.date, "DATE_FORMAT"), "name": override.name},
            )
            return redirect(_back_to(override.date.year))
    return render(request, "workdays/override_form.html", {"form": form, "override": None})


@login_required
def override_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, CHANGE)
    override = get_object_or_404(DayOverride, pk=pk)
    form = (
        DayOverrideForm(request.POST)
        if request.method == "POST"
        else DayOverrideForm.for_override(override)
    )
    if request.method == "POST" and form.is_valid():
        try:
            override = dayoverride_update(
                override=override, by=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The correction has been saved."))
            return redirect(_back_to(override.date.year))
    return render(request, "workdays/override_form.html", {"form": form, "override": override})


@login_required
def override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, DELETE)
    override = get_object_or_404(DayOverride, pk=pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = override.date.year
        dayoverride_delete(override=override, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The correction has been removed."))
        return redirect(_back_to(year))
    return render(
        request, "workdays/override_confirm_delete.html", {"form": form, "override": override}
    )


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@login_required
def year_confirm(request: HttpRequest, year: int) -> HttpResponse:
    _require(request.user, CONFIRM_YEAR)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    calendaryear_confirm(year=_year_or_404(year), by=request.user)
    messages.success(
        request,
        _("%(year)s is marked as entered: its working days follow your corrections.")
        % {"year": year},
    )
    return redirect(_back_to(year))


@login_required
def year_unconfirm(request: HttpRequest, year: int) -> HttpResponse:
    _require(request.user, UNCONFIRM_YEAR)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    calendaryear_unconfirm(year=_year_or_404(year), by=request.user)
    messages.success(request, _("%(year)s is no longer marked as entered.") % {"year": year})
    return redirect(_back_to(year))


@login_required
def year_adopt_statutory(request: HttpRequest, year: int) -> HttpResponse:
    """Enter the computed statutory holidays of ``year`` as corrections."""
    _require(request.user, ADD)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        created = dayoverride_adopt_statutory(year=_year_or_404(year), by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back_to(year))
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s statutory holiday of %(year)s has been entered as a correction.",
                "%(count)s statutory holidays of %(year)s have been entered as corrections.",
                len(created),
            )
            % {"count": len(created), "year": year},
        )
    else:
        messages.info(
            request,
            _("Every statutory holiday of %(year)s already has a correction.") % {"year": year},
        )
    return redirect(_back_to(year))
