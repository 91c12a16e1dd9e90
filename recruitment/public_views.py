"""Public pages for applicants (no sign-in): open campaigns, registration with a live
eligibility check, the confirmation with the registration form, status lookup by ID number and
mobile number, and downloads of the applicant's own documents.

Which applications a visitor may see is kept in their session: the one they just submitted and
those their last lookup found. A document is served only when its subject is one of them and
it is addressed to the applicant (no person record); anything else answers 404. Every endpoint
that takes input or serves files is rate-limited per client IP (``recruitment.ratelimit``).
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from paperwork.models import Document
from paperwork.services import DocumentIssueError
from recruitment.constants import ApplicationState, CampaignState
from recruitment.forms_corrections import WithdrawalForm
from recruitment.forms_public import ApplicationForm, LookupForm
from recruitment.models import Application, Campaign
from recruitment.ratelimit import rate_limited
from recruitment.selectors import (
    announcement_of,
    applicant_documents,
    applications_of_applicant,
    campaign_public_documents,
    campaign_public_or_none,
    campaigns_open_to_public,
)
from recruitment.services.applications import (
    APPLICANT_FIELDS,
    application_submit,
    application_withdraw,
    field_problems,
    live_problems,
    registration_closed_message,
    withdrawal_refusal,
)

logger = logging.getLogger(__name__)

SESSION_KEY = "apply_application_ids"
SESSION_SECONDS = 30 * 60  # a lookup on a shared phone should not stay open for weeks


def _remember(request: HttpRequest, ids: list[int], *, replace: bool) -> None:
    known = [] if replace else list(request.session.get(SESSION_KEY, []))
    request.session[SESSION_KEY] = sorted({*known, *ids})
    if not request.user.is_authenticated:
        request.session.set_expiry(SESSION_SECONDS)


def _remembered(request: HttpRequest) -> list[int]:
    return [int(i) for i in request.session.get(SESSION_KEY, [])]


def _public(response: HttpResponse) -> HttpResponse:
    """Applicants' pages are not for search engines, and their URLs (application and
    document numbers) must not leak to other sites as a referrer. ``same-origin`` sends no
    referrer to another site; ``no-referrer`` did too, but made Chromium send ``Origin: null``
    with the registration, lookup and language forms, which Django's CSRF check refuses."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _campaign_or_404(pk: int) -> Campaign:
    campaign = campaign_public_or_none(pk)
    if campaign is None:
        raise Http404
    return campaign


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = list(campaigns_open_to_public())
    for campaign in campaigns:
        campaign.closed_reason = registration_closed_message(campaign, today)  # type: ignore[attr-defined]
    return _public(
        render(request, "recruitment/public/campaign_list.html", {"campaigns": campaigns})
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("apply_submit", methods=("POST",))
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's rules and posts, and the application form while registration is open."""
    campaign = _campaign_or_404(pk)
    closed = registration_closed_message(campaign, timezone.localdate())
    form = None
    if not closed:
        if request.method == "POST":
            form = ApplicationForm(request.POST, request.FILES, campaign=campaign)
            if form.is_valid():
                try:
                    application = application_submit(
                        campaign=campaign,
                        offer=form.cleaned_data["offer"],
                        data=form.service_data(),
                        files=form.service_files(),
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                except DocumentIssueError:
                    logger.exception("Registration form could not be issued")
                    form.add_error(
                        None,
                        _(
                            "Your registration could not be completed because the registration "
                            "form could not be printed. Nothing was saved. Please contact the "
                            "office: %(contact)s"
                        )
                        % {"contact": campaign.contact},
                    )
                else:
                    _remember(request, [application.pk], replace=False)
                    return redirect("apply:submitted", pk=application.pk)
            else:
                # Say at once what the rules will refuse, rather than after the next attempt.
                problems = live_problems(
                    campaign=campaign,
                    id_number=request.POST.get("id_number", "")[:32],
                    education=request.POST.get("education", "")[:32],
                )
                for field, message in problems.items():
                    if field not in form.errors:
                        form.add_error(field, message)
                typed = {name: request.POST.get(name, "")[:256] for name in APPLICANT_FIELDS}
                for field, messages in field_problems(typed).items():
                    if field not in form.errors:
                        for message in messages:
                            form.add_error(field, message)
        else:
            form = ApplicationForm(campaign=campaign)
    context = {
        "campaign": campaign,
        "offers": campaign.offers.select_related("village").order_by("village__name_pinyin", "pk"),
        "closed": closed,
        "form": form,
        "announcement": announcement_of(campaign),
    }
    status = 400 if request.method == "POST" else 200
    return _public(
        render(request, "recruitment/public/campaign_detail.html", context, status=status)
    )


def _add_errors(form: ApplicationForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@require_POST
@rate_limited("apply_check", as_json=True)
def campaign_check(request: HttpRequest, pk: int) -> JsonResponse:
    """The live check: ``{field: message}`` for the rules a half-filled form already fails
    (age and ID number, education). It never says whether an ID number has applied."""
    campaign = _campaign_or_404(pk)
    problems = live_problems(
        campaign=campaign,
        id_number=request.POST.get("id_number", "")[:32],
        education=request.POST.get("education", "")[:32],
    )
    response = JsonResponse(problems)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@never_cache
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    if pk not in _remembered(request):
        raise Http404
    application = Application.objects.select_related("campaign__township", "offer__village").get(
        pk=pk
    )
    return _public(
        render(
            request,
            "recruitment/public/submitted.html",
            {"application": application, "documents": applicant_documents([pk])},
        )
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("apply_lookup", methods=("POST",))
@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """Status by ID number and mobile number. A POST that matches remembers the applications
    in the session and redirects to the GET, which lists them with their documents."""
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("forget"):
            request.session.pop(SESSION_KEY, None)
            return redirect("apply:lookup")
        if form.is_valid():
            found = list(
                applications_of_applicant(
                    id_number=form.cleaned_data["id_number"], phone=form.cleaned_data["phone"]
                ).values_list("pk", flat=True)
            )
            if found:
                _remember(request, found, replace=True)
                return redirect("apply:lookup")
            # One message whichever of the two was wrong.
            form.add_error(
                None,
                _(
                    "No application matches this ID number and mobile number. Check both and "
                    "try again."
                ),
            )
        return _public(
            render(request, "recruitment/public/lookup.html", {"form": form}, status=400)
        )
    ids = _remembered(request)
    applications = list(
        Application.objects.filter(pk__in=ids)
        .select_related("campaign__township", "offer__village")
        .order_by("-submitted_at", "-pk")
    )
    documents = list(applicant_documents(ids))
    public = list(campaign_public_documents([a.campaign_id for a in applications]))
    rows = [
        {
            "application": a,
            "status": status_in_words(a),
            "documents": [d for d in documents if d.object_id == a.pk],
            "public_documents": [d for d in public if d.object_id == a.campaign_id],
            "can_withdraw": withdrawal_refusal(a, a.campaign) is None,
        }
        for a in applications
    ]
    return _public(
        render(request, "recruitment/public/lookup.html", {"form": LookupForm(), "rows": rows})
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("apply_lookup", methods=("POST",))
@never_cache
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one application this visitor looked up (or just submitted), after a
    confirmation (``application_withdraw``). Any other application is not found."""
    if pk not in _remembered(request):
        raise Http404
    application = (
        Application.objects.select_related("campaign__township", "offer__village")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    refusal = withdrawal_refusal(application, application.campaign)
    status = 200
    if request.method == "POST":
        if form.is_valid() and refusal is None:
            try:
                application_withdraw(application=application, by=None)
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
            else:
                return redirect("apply:lookup")
        status = 400
    return _public(
        render(
            request,
            "recruitment/public/withdraw.html",
            {"application": application, "form": form, "refusal": refusal},
            status=status,
        )
    )


@require_safe
@rate_limited("apply_download")
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """One document about an application this visitor submitted or looked up, or a public
    paper of its campaign (announcement, ranking list, public notice)."""
    ids = _remembered(request)
    if not ids:
        raise Http404
    document = Document.objects.filter(
        pk=pk,
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=ids,
        person__isnull=True,
    ).first()
    if document is None:
        campaign_ids = list(
            Application.objects.filter(pk__in=ids).values_list("campaign_id", flat=True)
        )
        document = campaign_public_documents(campaign_ids).filter(pk=pk).first()
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title}-{document.verification_code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@rate_limited("apply_download")
def announcement_download(request: HttpRequest, pk: int) -> FileResponse:
    """The campaign's current recruitment announcement: a public paper."""
    campaign = _campaign_or_404(pk)
    document = announcement_of(campaign)
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title}-{document.verification_code}.pdf",
        content_type="application/pdf",
    )


def status_in_words(application: Application) -> str:
    """What the application's state means for the applicant, with the dates that matter."""
    campaign = application.campaign
    state = application.state
    written = campaign.written_exam_at
    exam = {
        "date": timezone.localtime(written).strftime("%Y-%m-%d %H:%M"),
        "venue": campaign.venue,
    }
    if state == ApplicationState.SUBMITTED:
        return _("Registered. Eligibility is reviewed after registration closes on %(date)s.") % {
            "date": campaign.registration_end.isoformat()
        }
    if state == ApplicationState.ELIGIBLE:
        if application.admission_number:
            return _(
                "Eligible. Admission number %(number)s: written exam on %(date)s at %(venue)s. "
                "Print your admission ticket below."
            ) % {**exam, "number": application.admission_number}
        return (
            _(
                "Eligible. The written exam is on %(date)s at %(venue)s; the admission ticket will "
                "appear here."
            )
            % exam
        )
    if state == ApplicationState.INELIGIBLE:
        return _("Not eligible. The eligibility result below gives the reasons.")
    if state == ApplicationState.ABSENT:
        return _("Recorded as absent from the exam.")
    if state == ApplicationState.SCORED:
        return _("Your written exam has been marked. Results are published with the ranking.")
    if state == ApplicationState.SHORTLISTED:
        if campaign.interview_at:
            return _("Shortlisted for the interview on %(date)s at %(venue)s.") % {
                "date": timezone.localtime(campaign.interview_at).strftime("%Y-%m-%d %H:%M"),
                "venue": campaign.venue,
            }
        return _("Shortlisted for the interview; the date will be announced.")
    if state == ApplicationState.RANKED:
        if campaign.state in (CampaignState.RANKED, CampaignState.PUBLICISED):
            return _("Ranked %(rank)s for the village, composite score %(score)s.") % {
                "rank": application.rank,
                "score": application.composite_score,
            }
        return _("Your interview has been marked. Results are published with the ranking.")
    if state == ApplicationState.PROPOSED:
        notice_ends_on = application.notice_ends_on or campaign.notice_ends_on
        if notice_ends_on:
            return _("Proposed for hire. The public notice runs until %(date)s.") % {
                "date": notice_ends_on.isoformat()
            }
        return _("Proposed for hire; the public notice will follow.")
    if state == ApplicationState.HIRED:
        return _("Hired. The township will contact you about the contract and training.")
    if state == ApplicationState.NOT_HIRED:
        return _("Not hired this time. The letter below explains the result.")
    if state == ApplicationState.RESERVE:
        return _("On the reserve list until %(date)s.") % {
            "date": application.reserve_until.isoformat() if application.reserve_until else "—"
        }
    return _(
        "Withdrawn at your request. You are no longer taking part in this campaign; "
        "your documents stay available here."
    )
