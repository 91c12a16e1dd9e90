"""Training pages, mounted at /training/ (``training:``):

- the courses the user sees (county courses and, for a township, its own sessions), filtered
  by year and kind;
- a new course: county HR records induction and refresher courses, a township's office its
  sessions;
- one course: its facts, who attended (masked ID numbers), its attendance record, and for the
  office that runs it the three ways to record attendance (a pasted list, a spreadsheet,
  ticking a township's directors in post);
- compliance: each director in post's training in a year, per township (the county sees
  every township).

Every record goes through ``accounts.scoping``: a course out of the user's scope is 404.
"""

from operator import attrgetter, methodcaller
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.constants import Scope
from accounts.models import User
from accounts.scoping import get_scoped_or_404, scoped
from core.exports import Column, ListExport
from core.pagination import paginate
from core.tabular import ImportFileError
from organisation.models import Township
from paperwork.selectors import documents_visible_to
from training.constants import COUNTY_KINDS, CourseKind
from training.forms import AttendanceListForm, AttendanceTickForm, AttendanceUploadForm, CourseForm
from training.importing import MAX_ROWS, attendance_from_file, attendance_from_text
from training.models import Attendance, Course
from training.selectors import (
    ComplianceFilters,
    CourseFilters,
    attendances_listed,
    compliance_listed,
    courses_listed,
    directors_in_post,
)
from training.services import attendance_record_many, course_create, runs_course
from web.exports import export_response, url_with

VIEW = "training.view_course"
ADD = "training.add_course"
RECORD = "training.record_attendance"


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(_("You may not see training records."))


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    _require(user, VIEW)
    filters = CourseFilters.from_query(request.GET)
    page = paginate(request, courses_listed(user, filters))
    return render(
        request,
        "training/course_list.html",
        {
            "page_obj": page,
            "courses": page.object_list,
            "kinds": CourseKind.choices,
            "kind": filters.kind,
            "year": filters.year or "",
            "may_add": user.has_perm(ADD) and user.scope in (Scope.COUNTY, Scope.TOWNSHIP),
            "export_url": url_with("training:export", filters),
        },
    )


COURSES_EXPORT = ListExport(
    name=gettext_lazy("Training courses"),
    columns=(
        Column(gettext_lazy("Course"), attrgetter("title")),
        Column(gettext_lazy("Kind"), methodcaller("get_kind_display")),
        Column(
            gettext_lazy("Held by"),
            lambda c: c.township.name if c.township else gettext("County"),
        ),
        Column(gettext_lazy("Year"), attrgetter("year")),
        Column(gettext_lazy("Starts"), attrgetter("starts_on")),
        Column(gettext_lazy("Ends"), attrgetter("ends_on")),
        Column(gettext_lazy("Days"), attrgetter("days")),
        Column(gettext_lazy("Hours"), attrgetter("hours")),
        Column(gettext_lazy("Attended"), attrgetter("attendees")),
    ),
)


@login_required
@require_safe
def course_export(request: HttpRequest) -> HttpResponse:
    """The course list as an .xlsx, with its filters (``web.exports``)."""
    user = cast(User, request.user)
    _require(user, VIEW)
    filters = CourseFilters.from_query(request.GET)
    return export_response(
        request,
        COURSES_EXPORT,
        courses_listed(user, filters),
        filters=filters,
        back=url_with("training:list", filters),
    )


@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    _require(user, ADD)
    county_user = user.scope == Scope.COUNTY
    township = None if county_user else user.township
    if not county_user and (user.scope != Scope.TOWNSHIP or township is None):
        raise PermissionDenied(_("You may not record training courses."))
    county = township.county if township is not None else user.county
    status = 200
    if request.method == "POST":
        form = CourseForm(request.POST, county_kinds=county_user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                course = course_create(county=county, township=township, by=user, **data)
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The course was recorded."))
                return redirect("training:detail", course.pk)
        status = 400
    else:
        form = CourseForm(county_kinds=county_user)
    return render(
        request,
        "training/course_form.html",
        {"form": form, "township": township, "county": county},
        status=status,
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _tick_township(request, course: Course, user) -> Township | None:
    """The township whose directors are offered for ticking: the session's own; for a
    county course, the one chosen (``?township=``)."""
    if course.township_id is not None:
        return course.township
    raw = request.POST.get("township") or request.GET.get("township")
    try:
        return Township.objects.get(pk=int(raw or ""), county_id=course.county_id)
    except (ValueError, Township.DoesNotExist):
        return None


def _tick_choices(course: Course, township: Township | None, recorded: set[int]):
    if township is None:
        return []
    return [
        (c.person_id, f"{c.person.name}（{c.post.village.name}）")
        for c in directors_in_post(township.pk)
        if c.person_id not in recorded
    ]


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    _require(user, VIEW)
    course = get_scoped_or_404(
        Course.objects.select_related("county", "township", "created_by"), user, pk=pk
    )
    may_record = user.has_perm(RECORD) and runs_course(
        user, county=course.county, township=course.township, kind=course.kind
    )
    forms: dict[str, Any] = {}
    form: Any
    report = None
    status = 200
    recorded = set(Attendance.objects.filter(course=course).values_list("person_id", flat=True))
    tick_township = _tick_township(request, course, user) if may_record else None
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(_("You may not record attendance at this course."))
        way = request.POST.get("way", "")
        try:
            if way == "list":
                forms["list"] = form = AttendanceListForm(request.POST)
                if form.is_valid():
                    report = attendance_from_text(
                        course=course,
                        text=form.cleaned_data["names"],
                        days=form.cleaned_data["days"],
                        by=user,
                    )
            elif way == "upload":
                forms["upload"] = form = AttendanceUploadForm(request.POST, request.FILES)
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    report = attendance_from_file(
                        course=course,
                        file_name=upload.name,
                        content=b"".join(upload.chunks()),
                        by=user,
                    )
            elif way == "tick":
                forms["tick"] = form = AttendanceTickForm(
                    request.POST, choices=_tick_choices(course, tick_township, recorded)
                )
                if form.is_valid():
                    people = [c.person for c in directors_in_post(tick_township.pk)]  # type: ignore[union-attr]
                    chosen = set(form.cleaned_data["persons"])
                    attendance_record_many(
                        course=course, persons=[p for p in people if p.pk in chosen], by=user
                    )
                    messages.success(request, _("Attendance was recorded."))
                    return redirect("training:detail", course.pk)
            else:
                raise PermissionDenied(_("Choose how to record attendance."))
        except ImportFileError as exc:
            forms["upload"].add_error("file", exc.message)
        except ValidationError as exc:
            _add_errors(forms[way], exc)
        if report is not None and report.ok:
            messages.success(
                request,
                _("Attendance was recorded for %(count)s people.") % {"count": report.recorded},
            )
            return redirect("training:detail", course.pk)
        status = 400
    forms.setdefault("list", AttendanceListForm())
    forms.setdefault("upload", AttendanceUploadForm())
    forms.setdefault(
        "tick", AttendanceTickForm(choices=_tick_choices(course, tick_township, recorded))
    )
    attendances = attendances_listed(user, course)
    documents = (
        documents_visible_to(user)
        .filter(content_type=ContentType.objects.get_for_model(Course), object_id=course.pk)
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "attendances": attendances,
            "documents": documents,
            "may_record": may_record and course.starts_on <= timezone.localdate(),
            "not_held_yet": course.starts_on > timezone.localdate(),
            "list_form": forms["list"],
            "upload_form": forms["upload"],
            "tick_form": forms["tick"],
            "tick_township": tick_township,
            "townships": (
                Township.objects.filter(county_id=course.county_id).order_by("name_pinyin")
                if course.township_id is None
                else []
            ),
            "report": report,
            "max_rows": MAX_ROWS,
            "export_url": reverse("training:attendance_export", args=[course.pk]),
        },
        status=status,
    )


ATTENDANCE_EXPORT = ListExport(
    name=gettext_lazy("Attendance"),
    columns=(
        Column(gettext_lazy("Name"), attrgetter("person.name")),
        Column(gettext_lazy("ID number"), attrgetter("person.id_number"), identity="id_number"),
        Column(gettext_lazy("Township"), attrgetter("person.township.name")),
        Column(
            gettext_lazy("Village"), lambda a: a.person.village.name if a.person.village else ""
        ),
        Column(gettext_lazy("Days attended"), attrgetter("days")),
        Column(gettext_lazy("Hours attended"), attrgetter("hours")),
    ),
    person_of=attrgetter("person_id"),
)


@login_required
@require_safe
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Who attended a course, as the course's page lists them, as an .xlsx."""
    user = cast(User, request.user)
    _require(user, VIEW)
    course = get_scoped_or_404(Course.objects.all(), user, pk=pk)
    return export_response(
        request,
        ATTENDANCE_EXPORT,
        attendances_listed(user, course),
        back=reverse("training:detail", args=[course.pk]),
        about=course.title,
    )


def _require_compliance_reader(user) -> None:
    _require(user, VIEW)
    if user.scope not in (Scope.COUNTY, Scope.TOWNSHIP):
        raise PermissionDenied(_("This page is for the county and the townships."))


@login_required
def compliance_page(request: HttpRequest) -> HttpResponse:
    """Each director in post's training in a year, township by township (``?show=met`` or
    ``unmet``: only those who met every requirement of the year, or did not)."""
    user = cast(User, request.user)
    _require_compliance_reader(user)
    filters = ComplianceFilters.from_query(request.GET)
    return render(
        request,
        "training/compliance.html",
        {
            "year": filters.year,
            "groups": compliance_listed(user, filters),
            "townships": scoped(Township.objects.all(), user).order_by("name_pinyin", "pk"),
            "chosen": str(filters.township or ""),
            "show": filters.show,
            "county_user": user.scope == Scope.COUNTY,
            "kinds": dict(CourseKind.choices),
            "county_kinds": COUNTY_KINDS,
            "export_url": url_with("training:compliance_export", filters),
        },
    )


def _induction(row) -> str:
    if row.induction_on:
        return row.induction_on.isoformat()
    return gettext("not recorded") if row.induction_required else gettext("not required")


def _met(value: bool) -> str:
    return gettext("met") if value else gettext("not met")


COMPLIANCE_EXPORT = ListExport(
    name=gettext_lazy("Training compliance"),
    columns=(
        Column(gettext_lazy("Township"), lambda r: r[0].township.name),
        Column(gettext_lazy("Director"), lambda r: r[0].person.name),
        Column(gettext_lazy("Village"), lambda r: r[0].post.village.name),
        Column(gettext_lazy("Induction"), lambda r: _induction(r[1])),
        Column(gettext_lazy("Refresher days"), lambda r: r[1].refresher_days),
        Column(gettext_lazy("Refresher"), lambda r: _met(r[1].refresher_met)),
        Column(gettext_lazy("Township sessions"), lambda r: r[1].township_sessions),
        Column(gettext_lazy("Township sessions required"), lambda r: r[1].township_sessions_min),
        Column(gettext_lazy("Township sessions met"), lambda r: _met(r[1].township_sessions_met)),
        Column(gettext_lazy("All met"), lambda r: _met(r[1].met)),
    ),
)


@login_required
@require_safe
def compliance_export(request: HttpRequest) -> HttpResponse:
    """The compliance page's directors, township by township, as an .xlsx."""
    user = cast(User, request.user)
    _require_compliance_reader(user)
    filters = ComplianceFilters.from_query(request.GET)
    rows = [row for _township, rows in compliance_listed(user, filters) for row in rows]
    return export_response(
        request,
        COMPLIANCE_EXPORT,
        rows,
        filters=filters,
        back=url_with("training:compliance", filters),
    )
