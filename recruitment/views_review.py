"""Staff pages of the eligibility review and of waivers.

- The campaign's applications, filtered, and one application's page with its photo, scans,
  documents, history and (while the review is open) the checklist and decision.
- Waiver requests by the committee; the county HR officer's list of pending waivers and the
  decision page.

Who: township committee members (``recruitment.run_campaign``) review and request waivers;
county HR officers (``recruitment.approve_waiver``) decide waivers and may read the
applications they decide on. Records go through ``accounts.scoping``: another township's
application answers 404. Photos and scans are served only through ``attachment``, never as
public media.
"""

from operator import attrgetter, methodcaller

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from accounts.scoping import get_scoped_or_404, scoped
from audit.display import local_datetime
from audit.services import audit_trail
from core.exports import Column, ListExport
from core.pagination import paginate
from paperwork.models import Document
from recruitment.constants import (
    ApplicationState,
    AttachmentKind,
    CampaignState,
    EligibilityRule,
    WaiverDecision,
)
from recruitment.forms_review import ReviewForm, WaiverDecisionForm, WaiverRequestForm
from recruitment.models import Application, Attachment, Campaign, Waiver
from recruitment.selectors import (
    ApplicationFilters,
    applications_for_review,
    applications_listed,
    waivers_pending,
)
from recruitment.services.common import RUN_CAMPAIGN
from recruitment.services.review import (
    APPROVE_WAIVER,
    WAIVER_CAMPAIGN_STATES,
    application_review,
    waivable_rules,
    waiver_decide,
    waiver_request,
)
from web.exports import export_response, url_with

ADMISSION_HINT = gettext_noop(
    "Admission tickets of this campaign are already issued: the township committee must give "
    "this applicant an admission number and ticket on the exam page."
)


def needs_admission(application: Application) -> bool:
    """An applicant made eligible by a waiver after the tickets were issued."""
    return (
        application.state == ApplicationState.ELIGIBLE
        and application.campaign.state == CampaignState.REVIEWED
        and not application.admission_number
    )


def optional_url(name: str, *args) -> str:
    """The URL of another part of recruitment, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def can_read_applications(user) -> bool:
    return user.has_perm(RUN_CAMPAIGN) or user.has_perm(APPROVE_WAIVER)


def _require_reader(user) -> None:
    if not can_read_applications(user):
        raise PermissionDenied


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@require_safe
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    campaign = get_scoped_or_404(Campaign.objects.select_related("township"), request.user, pk=pk)
    filters = ApplicationFilters.from_query(request.GET)
    offers = campaign.offers.select_related("village").order_by("village__name_pinyin", "pk")
    applications = applications_listed(campaign, filters)
    page = paginate(request, applications, searching=bool(filters.q))
    for application in page.object_list:
        application.check_marks = check_marks(application)
    counts = dict(
        campaign.applications.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return render(
        request,
        "recruitment/review/application_list.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "applications": page.object_list,
            "offers": offers,
            "states": ApplicationState.choices,
            "state": filters.state,
            "offer_id": filters.offer or 0,
            "q": filters.q,
            "counts": [
                (label, counts.get(value, 0))
                for value, label in ApplicationState.choices
                if counts.get(value)
            ],
            "review_open": campaign.state == CampaignState.REGISTRATION_CLOSED,
            "pending": counts.get(ApplicationState.SUBMITTED, 0),
            "export_url": url_with("recruitment:review_export", filters, args=[campaign.pk]),
        },
    )


APPLICATIONS_EXPORT = ListExport(
    name=gettext_lazy("Applications"),
    columns=(
        Column(gettext_lazy("Registration number"), attrgetter("number")),
        Column(gettext_lazy("Name"), attrgetter("name")),
        Column(gettext_lazy("ID number"), attrgetter("id_number"), identity="id_number"),
        Column(gettext_lazy("Sex"), methodcaller("get_sex_display")),
        Column(gettext_lazy("Birth date"), attrgetter("birth_date")),
        Column(gettext_lazy("Age"), attrgetter("age_at_deadline")),
        Column(gettext_lazy("Mobile phone"), attrgetter("phone"), identity="phone"),
        Column(gettext_lazy("Education"), methodcaller("get_education_display")),
        Column(gettext_lazy("School"), attrgetter("school")),
        Column(gettext_lazy("Graduation year"), attrgetter("graduation_year")),
        Column(gettext_lazy("Household registration"), attrgetter("household_registration")),
        Column(gettext_lazy("Village"), attrgetter("offer.village.name")),
        Column(gettext_lazy("State"), methodcaller("get_state_display")),
        Column(gettext_lazy("Admission number"), attrgetter("admission_number")),
        Column(gettext_lazy("Written score"), attrgetter("written_score")),
        Column(gettext_lazy("Interview score"), attrgetter("interview_score")),
        Column(gettext_lazy("Composite score"), attrgetter("composite_score")),
        Column(gettext_lazy("Rank"), attrgetter("rank")),
        Column(gettext_lazy("Submitted"), lambda a: local_datetime(a.submitted_at)),
    ),
    person_of=attrgetter("person_id"),
)


@login_required
@require_safe
def application_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's applications as an .xlsx, with the list's filters (``web.exports``)."""
    _require_reader(request.user)
    campaign = get_scoped_or_404(Campaign.objects.select_related("township"), request.user, pk=pk)
    filters = ApplicationFilters.from_query(request.GET)
    return export_response(
        request,
        APPLICATIONS_EXPORT,
        applications_listed(campaign, filters),
        filters=filters,
        back=url_with("recruitment:review_list", filters, args=[campaign.pk]),
        about=campaign.title,
    )


# Short names of the rules for the marks of the application list (the legend explains them).
CHECK_SHORT_NAMES = {
    EligibilityRule.AGE: gettext_noop("Age"),
    EligibilityRule.EDUCATION: gettext_noop("Education"),
    EligibilityRule.ID_NUMBER: gettext_noop("ID"),
    EligibilityRule.HOUSEHOLD: gettext_noop("Household"),
    EligibilityRule.DOCUMENTS: gettext_noop("Certificates"),
}


def check_marks(application: Application) -> list[dict]:
    """The application's checks as short marks: 年龄✓ 学历✗ …, with each rule's detail."""
    return [
        {
            "name": _(CHECK_SHORT_NAMES[c["rule"]]),
            "passed": c.get("passed"),
            "detail": c.get("detail"),
        }
        for c in application.checks or []
        if c.get("rule") in CHECK_SHORT_NAMES
    ]


def next_to_review(application: Application) -> Application | None:
    """The next application still to review after ``application`` in the order of the
    application list (village by pinyin, then time of registration), else the first one
    before it."""
    waiting = applications_for_review(
        application.campaign, state=ApplicationState.SUBMITTED
    ).exclude(pk=application.pk)
    # The list's order: village by pinyin (then the offer), time of registration, id.
    pinyin, offer = application.offer.village.name_pinyin, application.offer_id
    same_village = Q(offer__village__name_pinyin=pinyin)
    after = waiting.filter(
        Q(offer__village__name_pinyin__gt=pinyin)
        | (same_village & Q(offer__gt=offer))
        | (same_village & Q(offer=offer, submitted_at__gt=application.submitted_at))
        | (
            same_village
            & Q(offer=offer, submitted_at=application.submitted_at, pk__gt=application.pk)
        )
    )
    return after.first() or waiting.first()


def labelled_checks(application: Application) -> list[dict]:
    """The application's checks with each rule's name, for display."""
    return [
        {**c, "label": EligibilityRule(c["rule"]).label}
        for c in application.checks or []
        if c.get("rule") in EligibilityRule.values
    ]


def _application(request: HttpRequest, pk: int) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related(
            "campaign__township__county", "offer__village", "reviewed_by"
        ),
        request.user,
        pk=pk,
    )


def _detail_context(request: HttpRequest, application: Application, **extra) -> dict:
    user = request.user
    campaign = application.campaign
    can_review = (
        user.has_perm(RUN_CAMPAIGN)
        and campaign.state == CampaignState.REGISTRATION_CLOSED
        and application.state == ApplicationState.SUBMITTED
    )
    attachments = list(application.attachments.all())
    waivers = list(application.waivers.select_related("requested_by", "decided_by"))
    documents = Document.objects.filter(
        content_type__app_label="recruitment",
        content_type__model="application",
        object_id=application.pk,
    ).select_related("superseded_by")
    history = list(audit_trail(application)[:50])
    for waiver in waivers:
        history.extend(audit_trail(waiver)[:10])
    history.sort(key=lambda e: (e.at, e.pk), reverse=True)
    context = {
        "application": application,
        "campaign": campaign,
        "photo": next((a for a in attachments if a.kind == AttachmentKind.PHOTO), None),
        "scans": [a for a in attachments if a.kind != AttachmentKind.PHOTO],
        "checks": labelled_checks(application),
        "waivers": waivers,
        "documents": documents,
        "history": history,
        "can_review": can_review,
        "next_application": next_to_review(application)
        if campaign.state == CampaignState.REGISTRATION_CLOSED
        else None,
        "review_form": ReviewForm(application=application) if can_review else None,
        "admission_hint": _(ADMISSION_HINT) if needs_admission(application) else "",
        # The exam pages are the committee's: others read the hint without the link.
        "admit_url": optional_url("recruitment:exam_home", campaign.pk)
        if user.has_perm(RUN_CAMPAIGN)
        else "",
        "can_request_waiver": user.has_perm(RUN_CAMPAIGN)
        and campaign.state in WAIVER_CAMPAIGN_STATES
        and bool(waivable_rules(application))
        and not any(w.decision == WaiverDecision.PENDING for w in waivers),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application; a POST records the review decision."""
    _require_reader(request.user)
    application = _application(request, pk)
    if request.method != "POST":
        return render(
            request,
            "recruitment/review/application_detail.html",
            _detail_context(request, application),
        )
    _require(request.user, RUN_CAMPAIGN)
    form = ReviewForm(request.POST, application=application)
    if form.is_valid():
        try:
            application = application_review(
                application=application,
                by=request.user,
                eligible=form.eligible,
                checks=form.checks(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s: %(state)s. The eligibility result has been issued.")
                % {"name": application.name, "state": application.get_state_display()},
            )
            return redirect("recruitment:review_application", pk=application.pk)
    context = _detail_context(request, application)
    if context["can_review"]:
        context["review_form"] = form
    else:
        messages.error(request, " ".join(str(m) for e in form.errors.values() for m in e))
    return render(request, "recruitment/review/application_detail.html", context, status=400)


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A photo or scan of an application in the user's scope. Pictures are shown inline;
    PDFs are downloaded, so that an uploaded file never runs in the site's pages."""
    _require_reader(request.user)
    item = get_scoped_or_404(Attachment.objects.select_related("application"), request.user, pk=pk)
    inline = item.content_type in ("image/jpeg", "image/png")
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(item.content_type, "pdf")
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=f"{item.application_id}-{item.kind}-{item.pk}.{extension}",
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def waiver_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, RUN_CAMPAIGN)
    application = _application(request, pk)
    rules = waivable_rules(application)
    form = WaiverRequestForm(request.POST or None, rules=rules)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                waiver_request(
                    application=application,
                    rule=form.cleaned_data["rule"],
                    justification=form.cleaned_data["justification"],
                    by=request.user,
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The waiver request has been sent to the county for a decision.")
                )
                return redirect("recruitment:review_application", pk=application.pk)
        status = 400
    return render(
        request,
        "recruitment/review/waiver_request.html",
        {
            "application": application,
            "checks": labelled_checks(application),
            "form": form,
            "rules": rules,
        },
        status=status,
    )


@login_required
@require_safe
def waiver_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, APPROVE_WAIVER)
    decided = (
        scoped(Waiver.objects.exclude(decision=WaiverDecision.PENDING), request.user)
        .select_related("application__campaign__township", "requested_by", "decided_by")
        .order_by("-decided_at", "-pk")[:20]
    )
    page = paginate(request, waivers_pending(request.user))
    return render(
        request,
        "recruitment/review/waiver_list.html",
        {"page_obj": page, "waivers": page.object_list, "decided": decided},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def waiver_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, APPROVE_WAIVER)
    waiver = get_scoped_or_404(
        Waiver.objects.select_related(
            "application__campaign__township__county",
            "application__offer__village",
            "requested_by",
            "decided_by",
        ),
        request.user,
        pk=pk,
    )
    form = WaiverDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                waiver_decide(
                    waiver=waiver,
                    approve=form.approve,
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                waiver.refresh_from_db()
                messages.success(
                    request,
                    _("Waiver %(decision)s.") % {"decision": waiver.get_decision_display()},
                )
                application = Application.objects.select_related("campaign").get(
                    pk=waiver.application_id
                )
                if needs_admission(application):
                    messages.warning(request, _(ADMISSION_HINT))
                return redirect("recruitment:waiver_list")
        status = 400
    application = waiver.application
    return render(
        request,
        "recruitment/review/waiver_decide.html",
        {
            "waiver": waiver,
            "application": application,
            "checks": labelled_checks(application),
            "form": form,
            "own_request": waiver.requested_by_id == request.user.pk,
            "history": audit_trail(waiver),
        },
        status=status,
    )
