"""Pages of the monthly inspections: a township's inspection days by month, planning a day,
and the day's page, where its leader starts it (the draw), signs a record for each drawn
village, corrects a signed record with a reason and ends the day.

Who sees what: ``inspections.view_inspectionday`` opens the pages (township office and
committee for their township, county HR for the county), every query through
``accounts.scoping`` (another township's day answers 404). Which villages were drawn, and the
records that name them, are shown to the day's leader alone until the day ends
(``inspections.selectors.may_see_villages``). The forms need
``inspections.run_inspection``; each calls one service, which checks that the user leads
the day.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts.scoping import can_see, get_scoped_or_404, scoped
from inspections.constants import DayState
from inspections.forms import CorrectionForm, PlanForm, RecordForm
from inspections.models import InspectionDay, InspectionRecord
from inspections.selectors import day_chains, draw_of, may_see_villages
from inspections.services import (
    day_end,
    day_plan,
    day_start,
    director_in_post,
    record_correct,
    record_sign,
)
from organisation.models import Township, Village
from paperwork.selectors import documents_visible_to

VIEW = "inspections.view_inspectionday"
RUN = "inspections.run_inspection"
RACE_ERRORS = (ConcurrentTransition, IntegrityError)


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _days(user):
    return scoped(InspectionDay.objects.select_related("township", "leader", "month"), user)


def _month_of(value: str) -> datetime.date:
    """The first day of the month ``YYYY-MM``, or of this month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


def _shift(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@login_required
def day_list(request: HttpRequest) -> HttpResponse:
    """The inspection days of one month (``?month=YYYY-MM``, this month by default), of the
    user's township or, for the county, of the chosen township."""
    _require(request.user, VIEW)
    first = _month_of(request.GET.get("month", ""))
    days = _days(request.user).filter(date__gte=first, date__lt=_shift(first, 1))
    townships = scoped(Township.objects.all(), request.user).order_by("name_pinyin", "pk")
    township = request.GET.get("township", "")
    if township.isdigit():
        days = days.filter(township_id=int(township))
    else:
        township = ""
    return render(
        request,
        "inspections/day_list.html",
        {
            "days": days.order_by("-date", "township__name_pinyin", "-pk"),
            "first": first,
            "month_value": first.strftime("%Y-%m"),
            "previous": _shift(first, -1).strftime("%Y-%m"),
            "next": _shift(first, 1).strftime("%Y-%m"),
            "townships": townships if len(townships) > 1 else [],
            "township": township,
            "can_plan": request.user.has_perm(RUN),
        },
    )


@login_required
def day_new(request: HttpRequest) -> HttpResponse:
    _require(request.user, RUN)
    townships = scoped(Township.objects.all(), request.user).order_by("name_pinyin", "pk")
    form = PlanForm(request.POST or None, townships=townships)
    if request.method == "POST" and form.is_valid():
        try:
            day = day_plan(
                township=form.cleaned_data["township"],
                date=form.cleaned_data["date"],
                leader=form.cleaned_data["leader"],
                team=form.cleaned_data["team"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("The inspection day is planned. Only its leader can start it and see the draw."),
            )
            return redirect(reverse("inspections:day", args=[day.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/day_new.html", {"form": form}, status=status)


def _get(request: HttpRequest, pk: int) -> InspectionDay:
    return get_scoped_or_404(_days(request.user), request.user, pk=pk)


def _rows(day: InspectionDay, draw, *, leader_acts: bool, forms: dict) -> list[dict]:
    """One row per drawn village: the director in post, the chain of records and the forms
    the leader may use."""
    chains = day_chains(day)
    villages = Village.objects.in_bulk([v["id"] for v in draw.drawn_villages()])
    rows = []
    for drawn in draw.drawn_villages():
        village = villages.get(drawn["id"])
        chain = chains.get(drawn["id"])
        row = {
            "id": drawn["id"],
            "name": drawn["name"],
            "director": director_in_post(village) if village else None,
            "chain": chain,
            "record_form": None,
            "correction_form": None,
        }
        if leader_acts and chain is None and day.state == DayState.STARTED:
            row["record_form"] = forms.get(("record", drawn["id"])) or RecordForm(
                prefix=f"v{drawn['id']}", initial={"inspectors": day.team}
            )
        if leader_acts and chain is not None:
            row["correction_form"] = forms.get(("correct", drawn["id"])) or CorrectionForm(
                prefix=f"c{drawn['id']}",
                initial={
                    "findings": chain.current.findings,
                    "observations": chain.current.observations,
                    "inspectors": chain.current.inspectors,
                },
            )
        rows.append(row)
    return rows


def _detail(request: HttpRequest, day: InspectionDay, *, forms=None, status=200) -> HttpResponse:
    draw = draw_of(day)
    see = may_see_villages(request.user, day)
    leader_acts = (
        request.user.pk == day.leader_id
        and request.user.has_perm(RUN)
        and can_see(request.user, day)
    )
    context = {
        "day": day,
        "draw": draw,
        "see": see,
        "leader_acts": leader_acts,
        "is_leader": request.user.pk == day.leader_id,
        "rows": _rows(day, draw, leader_acts=leader_acts, forms=forms or {})
        if draw and see
        else [],
        "reproduces": draw.reproduces() if draw and see else None,
        "records_signed": InspectionRecord.objects.filter(day=day, corrects__isnull=True).count(),
        "can_start": leader_acts and day.state == DayState.PLANNED,
        "start_today": day.date == timezone.localdate(),
        "can_end": leader_acts and day.state == DayState.STARTED,
        # Issued when the day ends, so they never tell the villages before.
        "documents": documents_visible_to(request.user)
        .filter(content_type=ContentType.objects.get_for_model(InspectionDay), object_id=day.pk)
        .order_by("-issued_at", "-pk"),
    }
    return render(request, "inspections/day_detail.html", context, status=status)


@login_required
def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, VIEW)
    return _detail(request, _get(request, pk))


def _acting(request: HttpRequest, pk: int) -> InspectionDay:
    _require(request.user, RUN)
    return _get(request, pk)


def _back(day: InspectionDay, anchor: str = "") -> HttpResponse:
    return redirect(reverse("inspections:day", args=[day.pk]) + anchor)


def _refused(request: HttpRequest, day: InspectionDay, exc: ValidationError) -> HttpResponse:
    for problem in exc.messages:
        messages.error(request, problem)
    return _back(day)


def _race(request: HttpRequest, day: InspectionDay) -> HttpResponse:
    messages.warning(
        request,
        _("Someone else changed this day at the same moment; nothing was saved. Try again."),
    )
    return _back(day)


@login_required
def day_begin(request: HttpRequest, pk: int) -> HttpResponse:
    day = _acting(request, pk)
    if request.method != "POST":
        return _back(day)
    try:
        draw = day_start(day=day, by=request.user)
    except ValidationError as exc:
        return _refused(request, day, exc)
    except RACE_ERRORS:
        return _race(request, day)
    messages.success(
        request,
        _("The day has started and %(count)s villages were drawn. Keep them to yourself.")
        % {"count": draw.count},
    )
    return _back(day, "#draw")


@login_required
def day_finish(request: HttpRequest, pk: int) -> HttpResponse:
    day = _acting(request, pk)
    if request.method != "POST":
        return _back(day)
    try:
        day_end(day=day, by=request.user)
    except ValidationError as exc:
        return _refused(request, day, exc)
    except RACE_ERRORS:
        return _race(request, day)
    messages.success(request, _("The day has ended; the draw and the records are now shown."))
    return _back(day)


@login_required
def record_new(request: HttpRequest, pk: int, village: int) -> HttpResponse:
    day = _acting(request, pk)
    if request.method != "POST":
        return _back(day)
    place = get_scoped_or_404(Village.objects.all(), request.user, pk=village)
    form = RecordForm(request.POST, prefix=f"v{place.pk}")
    if form.is_valid():
        try:
            record_sign(
                day=day,
                village=place,
                findings=form.cleaned_data["findings"],
                observations=form.cleaned_data["observations"],
                inspectors=form.cleaned_data["inspectors"],
                by=request.user,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") or "village" in exc.error_dict:
                return _refused(request, day, exc)
            form.add_service_error(exc)
        except RACE_ERRORS:
            return _race(request, day)
        else:
            messages.success(
                request,
                _("The record of %(village)s is signed; it can no longer be changed.")
                % {"village": place.name},
            )
            return _back(day, f"#village-{place.pk}")
    return _detail(request, day, forms={("record", place.pk): form}, status=400)


@login_required
def record_fix(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, RUN)
    record = get_scoped_or_404(
        InspectionRecord.objects.select_related("day", "village"), request.user, pk=pk
    )
    day = _get(request, record.day_id)
    if request.method != "POST":
        return _back(day)
    form = CorrectionForm(request.POST, prefix=f"c{record.village_id}")
    if form.is_valid():
        try:
            record_correct(
                record=record,
                findings=form.cleaned_data["findings"],
                observations=form.cleaned_data["observations"],
                inspectors=form.cleaned_data["inspectors"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, day, exc)
            form.add_service_error(exc)
        except RACE_ERRORS:
            return _race(request, day)
        else:
            messages.success(
                request,
                _("The correction of %(village)s is signed; the earlier record is kept.")
                % {"village": record.village.name},
            )
            return _back(day, f"#village-{record.village_id}")
    return _detail(request, day, forms={("correct", record.village_id): form}, status=400)
