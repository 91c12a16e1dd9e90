"""Pages of the monthly assessment, mounted at /assessment/ (``assessment:``).

- the months of a township (its office opens one) or of the county (county HR);
- one month's page: its state and time limits, the score grid (desk width; one director at a
  time on a phone), the buttons of its steps (finish scoring, publish, settle, reopen with a
  reason), the bulletin and the background job's progress;
- the county's ranking of a month across townships, with its bulletin;
- the scoring schemes of the county (county HR defines a year's scheme).

Every record goes through ``accounts.scoping``; each button calls one service, whose refusal is
shown as a message.
"""

import datetime
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404, scoped
from assessment import services
from assessment.constants import COUNTED_STATES, ItemKind, MonthState
from assessment.forms import ItemFormSet, OpenMonthForm, ReopenForm, SchemeForm
from assessment.kinds import COUNTY_BULLETIN, MONTHLY_BULLETIN
from assessment.models import AssessmentMonth, CountyMonth, MonthlyScore, ScoringScheme
from assessment.selectors import (
    CountyMonthFilters,
    county_month_status,
    county_ranking,
    scheme_in_use,
    scheme_used,
    township_ranking,
)
from assessment.services.schemes import scheme_items
from core.exports import Column, ListExport
from core.normalise import plain_number
from inspections.selectors import findings_for_month
from organisation.models import Township
from paperwork.selectors import document_current
from web.exports import export_response, url_with

VIEW_MONTH = "assessment.view_assessmentmonth"
SCORE = "assessment.score_month"
PUBLISH = "assessment.publish_month"
VIEW_SCHEME = "assessment.view_scoringscheme"
ADD_SCHEME = "assessment.add_scoringscheme"


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def month_list(request: HttpRequest) -> HttpResponse:
    """The months of the user's township (newest first), or of the county for county HR."""
    user: Any = request.user
    _need(user, VIEW_MONTH)
    months = scoped(AssessmentMonth.objects.all(), user).select_related("township")
    today = timezone.localdate()
    form = OpenMonthForm(initial={"year": today.year, "month": today.month})
    return render(
        request,
        "assessment/month_list.html",
        {
            "months": months.order_by("-year", "-month", "township__name_pinyin")[:240],
            "form": form,
            "can_open": user.has_perm(SCORE) and getattr(user, "township_id", None),
            "is_county": getattr(user, "role", "") == Role.COUNTY_HR,
        },
    )


@login_required
@require_POST
def month_open(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _need(user, SCORE)
    township = get_scoped_or_404(Township.objects.all(), user, pk=user.township_id)
    form = OpenMonthForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("assessment:months")
    try:
        month = services.month_open(
            township=township,
            year=form.cleaned_data["year"],
            month=form.cleaned_data["month"],
            by=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assessment:months")
    messages.success(request, _("%(month)s is open for scoring.") % {"month": month})
    return redirect("assessment:month", month.pk)


def _month(request, pk: int) -> AssessmentMonth:
    _need(request.user, VIEW_MONTH)
    return get_scoped_or_404(
        AssessmentMonth.objects.select_related("township__county", "scheme", "policy"),
        request.user,
        pk=pk,
    )


def _open_tasks(month: AssessmentMonth) -> list[tuple[str, datetime.datetime | None, object]]:
    """(step, when it is overdue, who holds it) of the month's open tasks."""
    tasks = (
        Task.objects.filter(
            process__monthprocess__month=month,
            flow_task_type="HUMAN",
            status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
        )
        .select_related("owner")
        .order_by("pk")
    )
    rows = []
    for task in tasks:
        timer = task.leading.filter(status=STATUS.SCHEDULED).order_by("scheduled").first()
        rows.append((task.flow_task.task_title, timer.scheduled if timer else None, task.owner))
    return rows


def _grid(
    month: AssessmentMonth, ranking: list[MonthlyScore], posted: dict | None = None
) -> list[dict]:
    """The score grid's rows; ``posted`` (score id → (points, remarks)) shows what was typed
    when a save was refused, so nothing typed is lost."""
    items = list(month.scheme.items.all())
    findings = findings_for_month(month)
    posted = posted or {}
    rows = []
    for score in ranking:
        points, remarks = posted.get(score.pk, (score.points or {}, score.remarks))
        rows.append(
            {
                "score": score,
                "remarks": remarks,
                "findings": findings.get(score.village_id, []),
                "cells": [{"item": item, "value": points.get(str(item.pk), "")} for item in items],
            }
        )
    return rows


@login_required
def month_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _month_page(request, _month(request, pk))


def _month_page(request: HttpRequest, month: AssessmentMonth, posted: dict | None = None):
    user: Any = request.user
    ranking = township_ranking(month)
    items = list(month.scheme.items.all())
    job = services.month_documents_job(month) if month.state in COUNTED_STATES else None
    bulletin = document_current(kind=MONTHLY_BULLETIN, subject=month)
    can_score = user.has_perm(SCORE, month)
    can_publish = user.has_perm(PUBLISH, month)
    return render(
        request,
        "assessment/month_detail.html",
        {
            "month": month,
            "ranking": ranking,
            "grid": (
                _grid(month, ranking, posted)
                if can_score and month.state == MonthState.OPEN
                else []
            ),
            "items": items,
            "scored": sum(1 for s in ranking if s.total is not None),
            "job": job,
            "bulletin": bulletin,
            "can_score": can_score and month.state == MonthState.OPEN,
            "can_finish": can_score and month.state == MonthState.OPEN,
            "can_resume": can_score and month.state == MonthState.SCORED,
            "can_publish": can_publish and month.state == MonthState.SCORED,
            "can_settle": can_publish and month.state == MonthState.PUBLISHED,
            "can_reopen": can_publish and month.state in COUNTED_STATES,
            "reopen_form": ReopenForm(),
            "corrections": list(month.corrections.select_related("by")),
            "tasks": _open_tasks(month),
            "counted": month.state in COUNTED_STATES,
            "export_url": reverse("assessment:month_export", args=[month.pk]),
        },
    )


def _scores_export(month: AssessmentMonth, items) -> ListExport:
    """The month's scores as the page lists them, with the points of each item of its
    scheme."""

    def points(item):
        key = str(item.pk)
        return lambda score: plain_number((score.points or {}).get(key))

    return ListExport(
        name=gettext_lazy("Monthly scores"),
        columns=(
            Column(gettext_lazy("Rank"), attrgetter("listed_rank")),
            Column(gettext_lazy("Director"), attrgetter("person.name")),
            Column(gettext_lazy("Village"), attrgetter("village.name")),
            *(Column(item.name, points(item)) for item in items),
            Column(gettext_lazy("Score"), attrgetter("total")),
            Column(gettext_lazy("Deduction (%)"), attrgetter("deduction_percent")),
            Column(gettext_lazy("Deduction (yuan)"), attrgetter("deduction")),
            Column(gettext_lazy("Pay (yuan)"), attrgetter("pay")),
            Column(gettext_lazy("Remarks"), attrgetter("remarks")),
        ),
    )


@login_required
@require_safe
def month_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A township's month: its scores in ranking order as an .xlsx (``web.exports``)."""
    month = _month(request, pk)
    items = list(month.scheme.items.all())
    return export_response(
        request,
        _scores_export(month, items),
        township_ranking(month),
        back=reverse("assessment:month", args=[month.pk]),
        about=str(month),
    )


def _points_from(post, score: MonthlyScore, items) -> tuple[dict, str]:
    prefix = f"s{score.pk}-"
    points = {str(item.pk): post.get(f"{prefix}{item.pk}", "").strip() for item in items}
    return points, " ".join(post.get(f"{prefix}remarks", "").split())


@login_required
@require_POST
def scores_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The score grid: every row saved together, or none."""
    month = _month(request, pk)
    items = list(month.scheme.items.all())
    rows = {
        score.pk: _points_from(request.POST, score, items)
        for score in month.scores.all()
        if f"s{score.pk}-remarks" in request.POST
    }
    try:
        saved = services.scores_record(month=month, rows=rows, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        # The grid again with what was typed: nothing was saved, nothing is lost.
        return _month_page(request, month, posted=rows)
    messages.success(request, _("%(n)s scores saved.") % {"n": saved})
    return redirect("assessment:month", month.pk)


@login_required
def score_edit(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    """One director's points (the phone's way of scoring)."""
    month = _month(request, pk)
    score = get_scoped_or_404(
        MonthlyScore.objects.select_related("person", "village"),
        request.user,
        pk=score_pk,
        month=month,
    )
    items = list(score.scheme.items.all())
    if request.method == "POST":
        points, remarks = _points_from(request.POST, score, items)
        try:
            services.score_record(score=score, points=points, remarks=remarks, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request, _("The score of %(name)s is saved.") % {"name": score.person.name}
            )
            following = (
                month.scores.filter(total__isnull=True)
                .exclude(pk=score.pk)
                .order_by("person__name_pinyin")
                .first()
            )
            if following is not None:
                return redirect("assessment:score", month.pk, following.pk)
            return redirect("assessment:month", month.pk)
        values = points
    else:
        values = {str(k): v for k, v in (score.points or {}).items()}
        remarks = score.remarks
    return render(
        request,
        "assessment/score_form.html",
        {
            "month": month,
            "score": score,
            "cells": [{"item": item, "value": values.get(str(item.pk), "")} for item in items],
            "findings": findings_for_month(month).get(score.village_id, []),
            "remarks": remarks,
            "can_score": request.user.has_perm(SCORE, month) and month.state == MonthState.OPEN,
        },
    )


ACTIONS = {
    "finish": (services.month_finish_scoring, _("Scoring of %(month)s is finished.")),
    "resume": (services.month_resume_scoring, _("%(month)s is open for scoring again.")),
    "publish": (
        services.month_publish,
        _("%(month)s is published; the bulletin and the slips are being issued."),
    ),
    "settle": (services.month_settle, _("%(month)s is settled.")),
}


@login_required
@require_POST
def month_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    month = _month(request, pk)
    try:
        if action == "reopen":
            form = ReopenForm(request.POST)
            form.is_valid()
            services.month_reopen(
                month=month, reason=form.cleaned_data.get("reason", ""), by=request.user
            )
            done = _("%(month)s is reopened for a correction.")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(month=month, by=request.user)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, str(done) % {"month": month})
    return redirect("assessment:month", month.pk)


# --- the county ------------------------------------------------------------------------------


def _year_month(request) -> tuple[int, int]:
    filters = CountyMonthFilters.from_query(request.GET)
    return filters.year, filters.month


def _require_county_hr(user) -> None:
    if getattr(user, "role", "") != Role.COUNTY_HR or not user.has_perm(ADD_SCHEME):
        raise PermissionDenied


COUNTY_RANKING_EXPORT = ListExport(
    name=gettext_lazy("County ranking"),
    columns=(
        Column(gettext_lazy("Rank in the county"), attrgetter("rank")),
        Column(gettext_lazy("Director"), attrgetter("name")),
        Column(gettext_lazy("Township"), attrgetter("township")),
        Column(gettext_lazy("Village"), attrgetter("village")),
        Column(gettext_lazy("Score"), attrgetter("total")),
        Column(gettext_lazy("Rank in the township"), attrgetter("township_rank")),
        Column(gettext_lazy("Pay (yuan)"), attrgetter("pay")),
    ),
)


@login_required
@require_safe
def county_ranking_export(request: HttpRequest) -> HttpResponse:
    """County HR: the month's county ranking, every row, as an .xlsx (``web.exports``)."""
    user: Any = request.user
    _require_county_hr(user)
    filters = CountyMonthFilters.from_query(request.GET)
    return export_response(
        request,
        COUNTY_RANKING_EXPORT,
        county_ranking(user.county, filters.year, filters.month),
        filters=filters,
        back=url_with("assessment:county", filters),
    )


@login_required
def county_ranking_page(request: HttpRequest) -> HttpResponse:
    """County HR: the month's ranking across the county's townships, and its bulletin."""
    user: Any = request.user
    _require_county_hr(user)
    county = user.county
    if request.method == "POST":
        year, month = _year_month(request)
        try:
            services.county_bulletin_issue(county=county, year=year, month=month, by=user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The county's monthly ranking is issued."))
        return redirect(f"{reverse('assessment:county')}?year={year}&month={month}")
    year, month = _year_month(request)
    record = CountyMonth.objects.filter(county=county, year=year, month=month).first()
    rows = county_ranking(county, year, month)
    counts = county_month_status(county, year, month)
    return render(
        request,
        "assessment/county_ranking.html",
        {
            "year": year,
            "month": month,
            "rows": rows[:500],
            "count": len(rows),
            "counts": [(MonthState(k).label, v) for k, v in counts.items()],
            "can_issue": counts[MonthState.OPEN] + counts[MonthState.SCORED] == 0
            and counts[MonthState.PUBLISHED] + counts[MonthState.SETTLED] > 0,
            "bulletin": document_current(kind=COUNTY_BULLETIN, subject=record) if record else None,
            "months": range(1, 13),
            "export_url": url_with(
                "assessment:county_export", CountyMonthFilters(year=year, month=month)
            ),
        },
    )


# --- schemes ---------------------------------------------------------------------------------


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    _need(request.user, VIEW_SCHEME)
    schemes = scoped(ScoringScheme.objects.all(), request.user).prefetch_related("items")
    return render(
        request,
        "assessment/scheme_list.html",
        {
            "schemes": schemes.order_by("-year", "-version")[:60],
            "can_edit": request.user.has_perm(ADD_SCHEME),
            "next_year": timezone.localdate().year + 1,
        },
    )


@login_required
def scheme_edit(request: HttpRequest, year: int) -> HttpResponse:
    """County HR: the year's scheme, saved whole (a new version once a month has used it)."""
    user: Any = request.user
    _need(user, ADD_SCHEME)
    county = user.county
    current = scheme_in_use(county=county, year=year)
    if request.method == "POST":
        form = SchemeForm(request.POST)
        formset = ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            items = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data.get("name") or f.cleaned_data.get("max_points")
            ]
            try:
                scheme = services.scheme_save(
                    county=county,
                    year=year,
                    title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"],
                    items=items,
                    by=user,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request,
                    _("The scheme of %(year)s is saved (version %(version)s).")
                    % {"year": year, "version": scheme.version},
                )
                return redirect("assessment:schemes")
        else:
            _item_errors(request, formset)
    else:
        initial_items = scheme_items(current) if current else []
        initial_items += [
            {"kind": ItemKind.SCORED, "nature": "quality", "basis": "quantitative"}
        ] * 3
        form = SchemeForm(
            initial={
                "title": current.title if current else f"{year}年村级人口主任月度考核办法",
                "note": current.note if current else "",
            }
        )
        formset = ItemFormSet(initial=initial_items, prefix="items")
    return render(
        request,
        "assessment/scheme_form.html",
        {
            "year": year,
            "form": form,
            "formset": formset,
            "current": current,
            "used": current is not None and scheme_used(current),
        },
    )


def _item_errors(request, formset) -> None:
    """The item rows' own errors as messages naming the item and the field: the table shows
    the rows' fields without their errors."""
    for n, item_form in enumerate(formset.forms, start=1):
        item = item_form["name"].value() or _("Item %(n)s") % {"n": n}
        for name, errors in item_form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    _("“%(item)s”, %(field)s: %(error)s")
                    % {"item": item, "field": item_form.fields[name].label, "error": error},
                )
    for error in formset.non_form_errors():
        messages.error(request, error)


@login_required
@require_POST
def scheme_copy(request: HttpRequest, year: int) -> HttpResponse:
    user: Any = request.user
    _need(user, ADD_SCHEME)
    try:
        services.scheme_copy(county=user.county, year=year, by=user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assessment:schemes")
    messages.success(
        request, _("The scheme of %(year)s is copied from the year before.") % {"year": year}
    )
    return redirect("assessment:scheme_edit", year)
