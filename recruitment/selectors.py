"""Reading recruitment records: open campaigns, applications to review, an applicant's own
applications and documents, pending waivers, and whom a list of documents is about."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from accounts.scoping import scoped
from core.identity import normalise_id_number, normalise_mobile
from paperwork.models import Document
from recruitment import kinds
from recruitment.constants import ApplicationState, CampaignState, WaiverDecision
from recruitment.models import Application, Campaign, Waiver


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
