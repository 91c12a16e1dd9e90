"""Pages of townships, villages and their posts, and the village import.

Every queryset goes through ``accounts.scoping``: a record out of the user's scope answers 404.
"""

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.scoping import get_scoped_or_404, scoped
from audit.services import audit_trail
from core.exports import Column, ListExport, csv_response, xlsx_response
from core.pagination import paginate
from core.tabular import MAX_FILE_BYTES, ImportFileError
from organisation import documents as organisation_documents
from organisation.constants import PostStatus
from organisation.forms import PopulationChangeForm, VillageImportForm
from organisation.importing import HEADERS, MAX_ROWS
from organisation.importing import villages_import as run_import
from organisation.models import Post, Township, Village
from organisation.services import (
    SWITCH_DISCLOSURE,
    QuotaResult,
    quota_policy,
    township_set_disclosure,
    village_set_population,
)
from policy.models import Policy
from policy.selectors import NoPolicyInForce, policy_in_force_or_none
from web.exports import export_response, max_rows

VIEW_VILLAGE = "organisation.view_village"
CHANGE_VILLAGE = "organisation.change_village"
IMPORT_VILLAGES = "organisation.import_villages"
ADD_DOCUMENT = "paperwork.add_document"

TEMPLATE_HEADER = ["乡镇(街道)", "村(居、社区)", "户籍人口", "类型", "人口统计日期"]


def _post_counts() -> dict:
    """Annotations counting a village's posts by state, for lists without per-row queries."""
    live = Q(posts__status__in=[PostStatus.ACTIVE, PostStatus.SURPLUS])
    return {
        "active_posts": Count("posts", filter=Q(posts__status=PostStatus.ACTIVE)),
        "surplus_posts": Count("posts", filter=Q(posts__status=PostStatus.SURPLUS)),
        "occupied_posts": Count("posts", filter=live & Q(posts__holder__isnull=False)),
        "vacant_posts": Count(
            "posts", filter=Q(posts__status=PostStatus.ACTIVE, posts__holder__isnull=True)
        ),
    }


@dataclass
class VillageRow:
    village: Village
    quota: int | None
    flags: list[str]


def village_flags(village: Any, quota: int | None) -> list[str]:
    """What is wrong with a village's posts, from the counts annotated by ``_post_counts``."""
    flags = []
    if quota is None:
        flags.append(_("No policy in force: quota unknown."))
        return flags
    if village.surplus_posts:
        flags.append(
            ngettext(
                "%(n)s occupied post above the quota.",
                "%(n)s occupied posts above the quota.",
                village.surplus_posts,
            )
            % {"n": village.surplus_posts}
        )
    if village.active_posts < quota:
        missing = quota - village.active_posts
        flags.append(
            ngettext("%(n)s post missing.", "%(n)s posts missing.", missing) % {"n": missing}
        )
    elif village.active_posts > quota:
        extra = village.active_posts - quota
        flags.append(
            ngettext(
                "%(n)s active post more than the quota.",
                "%(n)s active posts more than the quota.",
                extra,
            )
            % {"n": extra}
        )
    return flags


@login_required
@permission_required(VIEW_VILLAGE, raise_exception=True)
def township_list(request):
    page = paginate(
        request,
        scoped(Township.objects.all(), request.user)
        .annotate(
            village_count=Count("villages", distinct=True),
            population=Sum("villages__registered_population"),
        )
        .order_by("name_pinyin", "pk"),
    )
    townships = list(page.object_list)
    posts = {
        row["village__township"]: row
        for row in scoped(Post.objects.all(), request.user)
        .filter(village__township__in=townships)
        .values("village__township")
        .annotate(
            active=Count("pk", filter=Q(status=PostStatus.ACTIVE)),
            surplus=Count("pk", filter=Q(status=PostStatus.SURPLUS)),
            occupied=Count(
                "pk",
                filter=Q(status__in=[PostStatus.ACTIVE, PostStatus.SURPLUS], holder__isnull=False),
            ),
        )
        .order_by()
    }
    rows = [(t, posts.get(t.pk, {})) for t in townships]
    return render(
        request,
        "organisation/township_list.html",
        {"rows": rows, "page_obj": page, "can_import": request.user.has_perm(IMPORT_VILLAGES)},
    )


def village_rows(villages, policy: Policy | None) -> list[VillageRow]:
    """Each village with its quota under ``policy`` and what is wrong with its posts."""
    rows = []
    for village in villages:
        quota = policy.posts_for_population(village.registered_population) if policy else None
        rows.append(VillageRow(village, quota, village_flags(village, quota)))
    return rows


def villages_listed(user, township: Township):
    """The villages of ``township`` that ``user`` sees with their posts counted
    (``_post_counts``), by pinyin within the township: the index village_township_pinyin."""
    return (
        scoped(Village.objects.filter(township=township), user)
        .annotate(**_post_counts())
        .order_by("name_pinyin", "pk")
    )


@login_required
@permission_required(VIEW_VILLAGE, raise_exception=True)
def township_detail(request, pk: int):
    township = get_scoped_or_404(Township.objects.select_related("county"), request.user, pk=pk)
    page = paginate(request, villages_listed(request.user, township))
    policy = policy_in_force_or_none(county=township.county, on=timezone.localdate())
    rows = village_rows(page.object_list, policy)
    return render(
        request,
        "organisation/village_list.html",
        {
            "township": township,
            "rows": rows,
            "page_obj": page,
            "policy": policy,
            "can_issue_register": request.user.has_perm(ADD_DOCUMENT),
            "can_switch_disclosure": request.user.has_perm(SWITCH_DISCLOSURE, township),
            "export_url": reverse("organisation:village_export", args=[township.pk]),
        },
    )


VILLAGES_EXPORT = ListExport(
    name=gettext_lazy("Villages and posts"),
    columns=(
        Column(gettext_lazy("Village"), attrgetter("village.name")),
        Column(gettext_lazy("Kind"), lambda row: row.village.get_kind_display()),
        Column(gettext_lazy("Registered population"), attrgetter("village.registered_population")),
        Column(gettext_lazy("Posts by quota"), attrgetter("quota")),
        Column(gettext_lazy("Active posts"), attrgetter("village.active_posts")),
        Column(gettext_lazy("Surplus posts"), attrgetter("village.surplus_posts")),
        Column(gettext_lazy("Occupied posts"), attrgetter("village.occupied_posts")),
        Column(gettext_lazy("Vacant posts"), attrgetter("village.vacant_posts")),
        Column(gettext_lazy("Notes"), lambda row: " ".join(row.flags)),
    ),
)


@login_required
@require_safe
@permission_required(VIEW_VILLAGE, raise_exception=True)
def village_export(request, pk: int):
    """A township's villages and their posts, as its page lists them, as an .xlsx."""
    township = get_scoped_or_404(Township.objects.select_related("county"), request.user, pk=pk)
    policy = policy_in_force_or_none(county=township.county, on=timezone.localdate())
    # One more than an export may hold, so that export_response still refuses a larger list.
    villages = villages_listed(request.user, township)[: max_rows() + 1]
    return export_response(
        request,
        VILLAGES_EXPORT,
        village_rows(villages, policy),
        back=reverse("organisation:township_detail", args=[township.pk]),
        about=township.name,
    )


@login_required
@require_POST
@permission_required(SWITCH_DISCLOSURE, raise_exception=True)
def township_disclosure(request, pk: int):
    """Switch the township's public disclosure on (``disclosure=on``) or off (``off``)."""
    township = get_scoped_or_404(Township.objects.select_related("county"), request.user, pk=pk)
    wanted = request.POST.get("disclosure")
    if wanted not in ("on", "off"):
        return HttpResponseBadRequest(_("Say whether to switch public disclosure on or off."))
    try:
        township_set_disclosure(township=township, on=wanted == "on", by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if wanted == "on":
            messages.success(
                request,
                _("%(township)s now discloses publicly: its public page is open to everyone.")
                % {"township": township.name},
            )
        else:
            messages.success(
                request,
                _("%(township)s no longer discloses publicly: its public page is closed.")
                % {"township": township.name},
            )
    return redirect("organisation:township_detail", pk=township.pk)


@login_required
@require_POST
@permission_required(ADD_DOCUMENT, raise_exception=True)
def township_register_issue(request, pk: int):
    """Issue the village post register of a township as a PDF and open it."""
    township = get_scoped_or_404(Township.objects.select_related("county"), request.user, pk=pk)
    document = organisation_documents.village_post_register_issue(
        township=township, by=request.user
    )
    return redirect(reverse("paperwork:download", args=[document.pk]))


def _village_context(request, village: Village, form: PopulationChangeForm | None) -> dict:
    posts = village.posts.select_related("holder").order_by("number")
    history = paginate(request, audit_trail(village).filter(after__has_key="registered_population"))
    try:
        policy: Policy | None = quota_policy(
            county=village.township.county, effective_date=village.population_effective_date
        )
    except NoPolicyInForce:
        policy = None
    can_change = request.user.has_perm(CHANGE_VILLAGE)
    if can_change and form is None:
        form = PopulationChangeForm(
            initial={
                "registered_population": village.registered_population,
                "effective_date": timezone.localdate(),
            }
        )
    return {
        "village": village,
        "posts": posts,
        "history": history,
        "policy": policy,
        "quota": policy.posts_for_population(village.registered_population) if policy else None,
        "form": form if can_change else None,
    }


@login_required
@permission_required(VIEW_VILLAGE, raise_exception=True)
def village_detail(request, pk: int):
    village = get_scoped_or_404(
        Village.objects.select_related("township__county"), request.user, pk=pk
    )
    return render(
        request, "organisation/village_detail.html", _village_context(request, village, None)
    )


def quota_message(village: Village, result: QuotaResult) -> str:
    text = ngettext(
        "The population of %(village)s is now %(population)s. Its quota is %(quota)s post.",
        "The population of %(village)s is now %(population)s. Its quota is %(quota)s posts.",
        result.quota,
    ) % {
        "village": village.name,
        "population": village.registered_population,
        "quota": result.quota,
    }
    if not result.changed:
        return text + " " + _("Its posts already match the quota.")
    return (
        text
        + " "
        + _(
            "Posts created: %(created)s; reactivated: %(reactivated)s; vacant posts abolished: "
            "%(abolished)s; occupied posts flagged as surplus: %(surplus)s."
        )
        % {
            "created": result.created,
            "reactivated": result.reactivated,
            "abolished": result.abolished,
            "surplus": result.marked_surplus,
        }
    )


@login_required
@require_POST
@permission_required(CHANGE_VILLAGE, raise_exception=True)
def village_population_change(request, pk: int):
    village = get_scoped_or_404(
        Village.objects.select_related("township__county"), request.user, pk=pk
    )
    form = PopulationChangeForm(request.POST)
    if form.is_valid():
        try:
            result = village_set_population(
                village=village,
                registered_population=form.cleaned_data["registered_population"],
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except NoPolicyInForce as exc:
            form.add_error("effective_date", str(exc))
        else:
            messages.success(request, quota_message(village, result))
            return redirect("organisation:village_detail", pk=village.pk)
    return render(
        request,
        "organisation/village_detail.html",
        _village_context(request, village, form),
        status=400,
    )


def _accepted_headers() -> list[tuple[str, str]]:
    names = {
        "township": _("Township"),
        "village": _("Village"),
        "population": _("Registered population"),
        "kind": _("Kind (optional): 村, 居 or 社区"),
        "date": _("Date of the figure (optional)"),
    }
    return [(names[column], " / ".join(HEADERS[column])) for column in names]


@login_required
@permission_required(IMPORT_VILLAGES, raise_exception=True)
def village_import(request):
    """Import villages and populations of the user's county from an .xlsx or .csv file."""
    county = request.user.county
    report = None
    status = 200
    if request.method == "POST":
        form = VillageImportForm(request.POST, request.FILES, county=county)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = run_import(
                    file_name=upload.name,
                    content=b"".join(upload.chunks()),
                    default_date=form.cleaned_data["effective_date"],
                    by=request.user,
                )
            except ImportFileError as exc:
                form.add_error("file", exc.message)
        if not form.is_valid() or (report is not None and not report.ok):
            status = 400
    else:
        form = VillageImportForm(county=county, initial={"effective_date": timezone.localdate()})
    return render(
        request,
        "organisation/import.html",
        {
            "form": form,
            "report": report,
            "county": county,
            "accepted_headers": _accepted_headers(),
            "max_megabytes": MAX_FILE_BYTES // 1024 // 1024,
            "max_rows": MAX_ROWS,
        },
        status=status,
    )


@login_required
@permission_required(IMPORT_VILLAGES, raise_exception=True)
def village_import_template(request):
    """An empty sheet in the import layout: CSV (UTF-8 with a BOM so that Excel opens it
    right), or .xlsx with ``?format=xlsx``; written through ``core.exports``."""
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            [TEMPLATE_HEADER], filename="villages-template.xlsx", sheet_title="村与人口"
        )
    return csv_response([TEMPLATE_HEADER], filename="villages-template.csv")
