"""Staff pages of campaigns: the list, a campaign's page, the reserve list, and recording and
deciding objections during the public notice.

Who sees what: ``recruitment.view_campaign`` opens the pages (township committee and office
staff for their own township, county HR for every township of the county); every query goes
through ``accounts.scoping``, so another township's campaign answers 404. Recording and
deciding objections needs ``recruitment.run_campaign`` (the township committee). A campaign's
page links only to what its reader may open: the applications to those who review them or
decide waivers (committee, county HR), the exam pages to the committee, whose working pages
they are (county HR follows the results on this page and in its documents). Opening a
campaign and the steps of the flow are task pages of ``workflows``; they call the same
services (``recruitment.services.campaigns``).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter, methodcaller

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.scoping import can_see, get_scoped_or_404, scoped
from audit.services import audit_trail
from contracts.models import Contract
from core.exports import Column, ListExport
from core.pagination import paginate
from core.text import join_list
from paperwork.selectors import documents_visible_to
from recruitment.constants import ApplicationState, CampaignState, ObjectionDecision
from recruitment.forms_campaign import ObjectionDecisionForm, ObjectionForm
from recruitment.models import Application, Campaign, CampaignPost, Objection
from recruitment.selectors import CampaignFilters, campaigns_listed, documents_named
from recruitment.services.notice import (
    objection_decide,
    objection_record,
    objection_window_end,
)
from recruitment.views_review import can_read_applications
from web.exports import export_response, url_with
from workdays.calendar import coverage_notes

VIEW_CAMPAIGN = "recruitment.view_campaign"
RUN_CAMPAIGN = "recruitment.run_campaign"
DOCUMENTS_SHOWN = 100
HISTORY_PAGE_SIZE = 30


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _campaigns(user):
    return scoped(
        Campaign.objects.select_related("township", "policy", "created_by", "approved_by"), user
    )


def can_run(user, campaign: Campaign) -> bool:
    return user.has_perm(RUN_CAMPAIGN) and can_see(user, campaign.township)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW_CAMPAIGN)
    filters = CampaignFilters.from_query(request.GET)
    page = paginate(request, campaigns_listed(request.user, filters))
    return render(
        request,
        "recruitment/campaign/list.html",
        {
            "page_obj": page,
            "campaigns": page.object_list,
            "states": CampaignState.choices,
            "state": filters.state,
            "export_url": url_with("recruitment:campaign_export", filters),
        },
    )


CAMPAIGNS_EXPORT = ListExport(
    name=gettext_lazy("Recruitment campaigns"),
    columns=(
        Column(gettext_lazy("Campaign"), attrgetter("title")),
        Column(gettext_lazy("Township"), attrgetter("township.name")),
        Column(gettext_lazy("Kind"), methodcaller("get_kind_display")),
        Column(gettext_lazy("State"), methodcaller("get_state_display")),
        Column(gettext_lazy("Registration starts"), attrgetter("registration_start")),
        Column(gettext_lazy("Registration ends"), attrgetter("registration_end")),
        Column(gettext_lazy("Posts offered"), lambda c: c.seats or 0),
        Column(gettext_lazy("Applications"), attrgetter("application_count")),
    ),
)


@login_required
@require_safe
def campaign_export(request: HttpRequest) -> HttpResponse:
    """The campaign list as an .xlsx, with its filter (``web.exports``)."""
    _require(request.user, VIEW_CAMPAIGN)
    filters = CampaignFilters.from_query(request.GET)
    return export_response(
        request,
        CAMPAIGNS_EXPORT,
        campaigns_listed(request.user, filters),
        filters=filters,
        back=url_with("recruitment:campaign_list", filters),
    )


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass
class OfferRow:
    offer: CampaignPost
    posts: list
    counts: list[StateCount]
    proposed: list[Application]
    hired: list[Application]

    @property
    def post_numbers(self) -> list[str]:
        return [_("No. %(n)s") % {"n": post.number} for post in self.posts]


def _state_counts(counter: Counter) -> list[StateCount]:
    return [
        StateCount(state, str(label), counter[state])
        for state, label in ApplicationState.choices
        if counter.get(state)
    ]


def _campaign_documents(user, campaign: Campaign):
    """The documents about the campaign, its applications and their contracts, each with
    the name of its person or applicant. The ids are read first (two queries), so that the
    documents are found by the index on their subject rather than by reading every document
    of the county."""
    types = ContentType.objects.get_for_models(Campaign, Application, Contract)
    applications = list(
        Application.objects.filter(campaign=campaign).order_by().values_list("pk", flat=True)
    )
    contracts = list(
        Contract.objects.filter(application__campaign=campaign)
        .order_by()
        .values_list("pk", flat=True)
    )
    condition = (
        Q(content_type=types[Campaign], object_id=campaign.pk)
        | Q(content_type=types[Application], object_id__in=applications)
        | Q(content_type=types[Contract], object_id__in=contracts)
    )
    return documents_named(documents_visible_to(user).filter(condition)).order_by(
        "-issued_at", "-pk"
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, VIEW_CAMPAIGN)
    user = request.user
    campaign = get_scoped_or_404(_campaigns(user), user, pk=pk)
    offers = list(
        campaign.offers.select_related("village")
        .prefetch_related("posts")
        .order_by("village__name_pinyin", "pk")
    )
    per_offer: dict[int, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for row in (
        Application.objects.filter(campaign=campaign)
        .values("offer_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_offer[row["offer_id"]][row["state"]] += row["n"]
        total[row["state"]] += row["n"]
    outcome = defaultdict(list)
    for application in campaign.applications.filter(
        state__in=[ApplicationState.PROPOSED, ApplicationState.HIRED]
    ).order_by("rank", "pk"):
        outcome[(application.offer_id, application.state)].append(application)
    offer_rows = [
        OfferRow(
            offer=offer,
            posts=list(offer.posts.all()),
            counts=_state_counts(per_offer[offer.pk]),
            proposed=outcome[(offer.pk, ApplicationState.PROPOSED)],
            hired=outcome[(offer.pk, ApplicationState.HIRED)],
        )
        for offer in offers
    ]
    today = timezone.localdate()
    notes = (
        coverage_notes(campaign.notice_starts_on, campaign.notice_ends_on)
        if campaign.notice_starts_on and campaign.notice_ends_on
        else []
    )
    objections = list(
        Objection.objects.filter(application__campaign=campaign)
        .select_related("application__offer__village", "recorded_by", "decided_by")
        .order_by("-received_on", "-pk")
    )
    documents = _campaign_documents(user, campaign)
    running = can_run(user, campaign)
    # Objections received during the notice may be recorded until the hires are confirmed.
    notice_open = campaign.state == CampaignState.PUBLICISED
    return render(
        request,
        "recruitment/campaign/detail.html",
        {
            "campaign": campaign,
            "offers": offer_rows,
            "total_seats": sum(o.seats for o in offers),
            "state_counts": _state_counts(total),
            "application_count": sum(total.values()) - total[ApplicationState.WITHDRAWN],
            "coverage_notes": notes,
            "objections": objections,
            "pending_objections": sum(
                1 for o in objections if o.decision == ObjectionDecision.PENDING
            ),
            "documents": documents[:DOCUMENTS_SHOWN],
            "document_count": documents.count(),
            "documents_shown": DOCUMENTS_SHOWN,
            # One page of the history, with each entry's record type for its labels
            "history": paginate(
                request,
                audit_trail(campaign).select_related("content_type"),
                per_page=HISTORY_PAGE_SIZE,
            ),
            # The page links only to pages the user may open: the applications for those who
            # review or decide waivers, the exam pages for the township's committee.
            "can_run": running,
            "can_read_applications": can_read_applications(user),
            "can_record_objection": running and notice_open,
            "reserve_count": total[ApplicationState.RESERVE],
            "today": today,
        },
    )


@login_required
def campaign_reserve(request: HttpRequest, pk: int) -> HttpResponse:
    """The reserve list (备选名单) of a concluded campaign: who may be called, until when."""
    _require(request.user, VIEW_CAMPAIGN)
    campaign = get_scoped_or_404(_campaigns(request.user), request.user, pk=pk)
    reserve = (
        campaign.applications.filter(state=ApplicationState.RESERVE)
        .select_related("offer__village")
        .order_by("offer__village__name_pinyin", "offer", "rank", "-composite_score", "pk")
    )
    page = paginate(request, reserve)
    return render(
        request,
        "recruitment/campaign/reserve.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "reserve": page.object_list,
            "today": timezone.localdate(),
        },
    )


@login_required
def objection_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, RUN_CAMPAIGN)
    campaign = get_scoped_or_404(_campaigns(request.user), request.user, pk=pk)
    if not can_run(request.user, campaign):
        raise PermissionDenied
    proposed = (
        campaign.applications.filter(state=ApplicationState.PROPOSED)
        .select_related("offer__village")
        .order_by("offer__village__name_pinyin", "offer", "rank", "pk")
    )
    form = ObjectionForm(request.POST or None, proposed=proposed)
    if request.method == "POST" and form.is_valid():
        try:
            objection_record(
                application=form.cleaned_data["application"],
                received_on=form.cleaned_data["received_on"],
                lodged_by=form.cleaned_data["lodged_by"],
                content=form.cleaned_data["content"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("The objection has been recorded; decide it after looking into it."),
            )
            return redirect(reverse("recruitment:campaign_detail", args=[campaign.pk]))
    return render(
        request,
        "recruitment/campaign/objection_form.html",
        {
            "campaign": campaign,
            "form": form,
            "windows": [(a, objection_window_end(a)) for a in proposed],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def objection_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, RUN_CAMPAIGN)
    objection = get_scoped_or_404(
        Objection.objects.select_related(
            "application__campaign__township", "application__offer__village", "recorded_by"
        ),
        request.user,
        pk=pk,
    )
    campaign = objection.application.campaign
    if not can_run(request.user, campaign):
        raise PermissionDenied
    form = ObjectionDecisionForm(request.POST or None)
    pending = objection.decision == ObjectionDecision.PENDING
    if request.method == "POST" and pending and form.is_valid():
        try:
            decided = objection_decide(
                objection=objection,
                upheld=form.upheld,
                finding=form.cleaned_data["finding"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            _report_decision(request, decided)
            return redirect(reverse("recruitment:campaign_detail", args=[campaign.pk]))
    return render(
        request,
        "recruitment/campaign/objection_decide.html",
        {"objection": objection, "campaign": campaign, "form": form, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


def _report_decision(request: HttpRequest, objection) -> None:
    if objection.decision == ObjectionDecision.DISMISSED:
        messages.success(request, _("The objection has been dismissed."))
        return
    messages.success(
        request,
        _("The objection has been upheld: %(name)s will not be hired.")
        % {"name": objection.application.name},
    )
    for candidate in getattr(objection, "moved_up", []):
        messages.info(
            request,
            _("%(name)s moves up; the supplementary public notice runs until %(end)s.")
            % {"name": candidate.name, "end": date_format(candidate.notice_ends_on, "DATE_FORMAT")},
        )
    tied = getattr(objection, "tied_for_seat", [])
    if tied:
        messages.warning(
            request,
            _(
                "%(names)s are tied for the freed post and the tie can no longer be decided, "
                "so nobody moved up; they join the reserve list when the hires are confirmed."
            )
            % {"names": join_list(a.name for a in tied)},
        )
    elif not getattr(objection, "moved_up", []):
        messages.info(request, _("Nobody else reached the pass line, so nobody moves up."))
