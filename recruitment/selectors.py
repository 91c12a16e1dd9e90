"""Reading recruitment records: open campaigns, applications to review, an applicant's own
applications and documents, pending waivers, and whom a list of documents is about."""

import dataclasses

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from core.filters import ListFilters, choice, record_id, search
from core.identity import normalise_id_number, normalise_mobile
from paperwork.models import Document
from recruitment import kinds
from recruitment.constants import ApplicationState, CampaignState, WaiverDecision
from recruitment.models import Application, Campaign, CampaignPost, Waiver


def campaigns_open_to_public() -> QuerySet[Campaign]:
    """Announced campaigns whose registration has not ended (it may not have started yet),
    soonest deadline first."""
    return (
        Campaign.objects.filter(
            state=CampaignState.ANNOUNCED, registration_end__gte=timezone.localdate()
        )
        .select_related("township", "township__county")
        .order_by("registration_end", "pk")
    )


def campaign_public_or_none(pk: int) -> Campaign | None:
    """A campaign the public may look at: announced or later, never a draft or cancelled."""
    return (
        Campaign.objects.exclude(state__in=[CampaignState.DRAFT, CampaignState.CANCELLED])
        .select_related("township", "township__county")
        .filter(pk=pk)
        .first()
    )


def applications_pending_review(campaign: Campaign) -> QuerySet[Application]:
    return campaign.applications.filter(state=ApplicationState.SUBMITTED)


@dataclasses.dataclass(frozen=True)
class CampaignFilters(ListFilters):
    """The filters of the campaign list (and its export)."""

    state: str = dataclasses.field(
        default="", metadata={"label": _("State"), "show": lambda v: CampaignState(v).label}
    )

    @classmethod
    def from_query(cls, params: QueryDict) -> "CampaignFilters":
        return cls(state=choice(params.get("state"), CampaignState.values))


def campaigns_listed(user, filters: CampaignFilters) -> QuerySet[Campaign]:
    """The campaigns ``user`` sees, newest first within the township (the index
    campaign_township_created), each with ``seats`` (posts offered) and
    ``application_count`` (withdrawn applications are no longer in the campaign; its page
    still counts them). Both counts are subqueries, so that a page counts only its own
    campaigns."""
    seats = (
        CampaignPost.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    applications = (
        Application.objects.filter(campaign=OuterRef("pk"))
        .exclude(state=ApplicationState.WITHDRAWN)
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    campaigns = scoped(
        Campaign.objects.select_related("township", "policy", "created_by", "approved_by"), user
    ).annotate(
        seats=Subquery(seats, output_field=IntegerField()),
        application_count=Coalesce(Subquery(applications, output_field=IntegerField()), 0),
    )
    if filters.state:
        campaigns = campaigns.filter(state=filters.state)
    return campaigns.order_by("-created_at", "-pk")


def _offer_village(pk: int) -> str:
    offer = CampaignPost.objects.select_related("village").filter(pk=pk).first()
    return offer.village.name if offer else str(pk)


@dataclasses.dataclass(frozen=True)
class ApplicationFilters(ListFilters):
    """The filters of a campaign's applications (the review list and its export)."""

    state: str = dataclasses.field(
        default="",
        metadata={"label": _("State"), "show": lambda v: ApplicationState(v).label},
    )
    offer: int | None = dataclasses.field(
        default=None, metadata={"label": _("Village"), "show": _offer_village}
    )
    q: str = dataclasses.field(default="", metadata={"label": _("Search")})

    @classmethod
    def from_query(cls, params: QueryDict) -> "ApplicationFilters":
        return cls(
            state=choice(params.get("state"), ApplicationState.values),
            offer=record_id(params.get("offer")),
            q=search(params.get("q")),
        )


def applications_listed(campaign: Campaign, filters: ApplicationFilters) -> QuerySet[Application]:
    """The campaign's applications of the review list with its filters."""
    return applications_for_review(
        campaign, state=filters.state, offer_id=filters.offer, query=filters.q
    )


def applications_for_review(
    campaign: Campaign,
    *,
    state: str = "",
    offer_id: int | None = None,
    query: str = "",
) -> QuerySet[Application]:
    """The campaign's applications with the list filters applied."""
    applications = campaign.applications.select_related("offer__village").order_by(
        "offer__village__name_pinyin", "offer", "submitted_at", "pk"
    )
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    if offer_id:
        applications = applications.filter(offer_id=offer_id)
    query = query.strip()
    if query:
        condition = Q(name__icontains=query)
        number = normalise_id_number(query)
        if len(number) == 18:
            condition |= Q(id_number=number)
        applications = applications.filter(condition)
    return applications


def applications_of_applicant(*, id_number: str, phone: str) -> QuerySet[Application]:
    """Applications whose ID number and mobile number both match, newest first."""
    number = normalise_id_number(id_number)
    mobile = normalise_mobile(phone)
    if len(number) != 18 or not mobile:
        return Application.objects.none()
    return (
        Application.objects.filter(id_number=number, phone=mobile)
        .select_related("campaign", "campaign__township", "offer__village")
        .order_by("-submitted_at", "-pk")
    )


def applicant_documents(application_ids: list[int]) -> QuerySet[Document]:
    """The current documents about these applications that are addressed to the applicant:
    subject the application, no person record (the registration form, eligibility results,
    admission ticket, results letters)."""
    return Document.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=application_ids,
        person__isnull=True,
        superseded_by__isnull=True,
    ).order_by("issued_at", "pk")


# Documents about a campaign addressed to the public, which its applicants see with their own.
PUBLIC_CAMPAIGN_KINDS = (
    kinds.RECRUITMENT_ANNOUNCEMENT,
    kinds.SCORE_RANKING_LIST,
    kinds.PUBLIC_NOTICE,
)


def campaign_public_documents(campaign_ids: list[int]) -> QuerySet[Document]:
    """The current public papers of these campaigns: announcement, score and ranking list,
    public notice of proposed hires."""
    return Document.objects.filter(
        kind__in=PUBLIC_CAMPAIGN_KINDS,
        content_type=ContentType.objects.get_for_model(Campaign),
        object_id__in=campaign_ids,
        superseded_by__isnull=True,
    ).order_by("issued_at", "pk")


def announcement_of(campaign: Campaign) -> Document | None:
    return (
        Document.objects.filter(
            kind=kinds.RECRUITMENT_ANNOUNCEMENT,
            content_type=ContentType.objects.get_for_model(Campaign),
            object_id=campaign.pk,
            superseded_by__isnull=True,
        )
        .order_by("-issued_at", "-pk")
        .first()
    )


def waivers_pending(user) -> QuerySet[Waiver]:
    return (
        scoped(Waiver.objects.filter(decision=WaiverDecision.PENDING), user)
        .select_related(
            "application__campaign__township", "application__offer__village", "requested_by"
        )
        .order_by("requested_at", "pk")
    )


def documents_named(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents with the name of the person each is about: its ``person``, or for the
    papers of an applicant who has no person record yet (registration form, eligibility
    result, admission ticket) the name on the application, as ``applicant_name``."""
    # order_by(): no joins for the application's default ordering inside the subquery
    applicant = Application.objects.filter(pk=OuterRef("object_id")).order_by().values("name")
    return documents.select_related("person").annotate(
        applicant_name=Case(
            When(
                content_type=ContentType.objects.get_for_model(Application),
                person__isnull=True,
                then=Subquery(applicant),
            ),
            default=None,
        )
    )
