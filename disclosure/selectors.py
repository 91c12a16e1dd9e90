"""What the public pages of a disclosing township show (民主监督, seed 003), read from the
apps below: the monthly bulletins of published months (assessment), the annual results of
years whose every appraisal is confirmed (appraisal), and the campaigns past their draft with
their proposed or hired candidates (recruitment).

Names, villages and scores only: every function returns plain rows of those fields, so a
template cannot reach a person's ID or phone number through a model instance. Each function
costs a fixed number of queries whatever the number of rows.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet

from appraisal.constants import AppraisalState
from appraisal.models import AnnualAppraisal
from assessment import kinds as assessment_kinds
from assessment.constants import COUNTED_STATES
from assessment.models import AssessmentMonth, MonthlyScore
from organisation.models import Township
from paperwork.models import Document
from recruitment import kinds as recruitment_kinds
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign, CampaignPost

# The only documents the public pages serve: each prints names and scores, and at most a
# masked ID number (the public notice); none carries a full ID number (tested).
DISCLOSED_KINDS = (
    assessment_kinds.MONTHLY_BULLETIN,
    recruitment_kinds.RECRUITMENT_ANNOUNCEMENT,
    recruitment_kinds.PUBLIC_NOTICE,
)
# A campaign is public from its announcement; a draft never, a cancelled one no longer.
HIDDEN_CAMPAIGN_STATES = (CampaignState.DRAFT, CampaignState.CANCELLED)
# Candidates named on the public page: proposed during the notice, hired once concluded.
NAMED_STATES = (ApplicationState.PROPOSED, ApplicationState.HIRED)


def disclosing_townships() -> QuerySet[Township]:
    """The townships that disclose publicly, by county then the pinyin of the name."""
    return (
        Township.objects.filter(discloses_publicly=True)
        .select_related("county")
        .order_by("county__name", "name_pinyin", "pk")
    )


def disclosing_township_or_none(pk: int) -> Township | None:
    return disclosing_townships().filter(pk=pk).first()


def published_months(township: Township) -> QuerySet[AssessmentMonth]:
    """The township's months whose bulletin is published (or settled), newest first."""
    return AssessmentMonth.objects.filter(township=township, state__in=COUNTED_STATES).order_by(
        "-year", "-month", "pk"
    )


def published_month_or_none(township: Township, year: int, month: int) -> AssessmentMonth | None:
    return published_months(township).filter(year=year, month=month).first()


def month_ranking(month: AssessmentMonth) -> QuerySet:
    """The month's ranking as published: rank, name, village and score, one query a page."""
    return (
        MonthlyScore.objects.filter(month=month)
        .order_by("rank", "-total", "person__name_pinyin", "pk")
        .values_list("rank", "person__name", "village__name", "total")
    )


def final_years(township: Township) -> QuerySet:
    """The years whose every annual appraisal of the township is confirmed, newest first:
    ``{"year", "directors"}`` rows."""
    return (
        AnnualAppraisal.objects.filter(township=township)
        .values("year")
        .annotate(
            directors=Count("pk"),
            confirmed=Count("pk", filter=Q(state=AppraisalState.CONFIRMED)),
        )
        .filter(directors=F("confirmed"))
        .order_by("-year")
    )


def year_is_final(township: Township, year: int) -> bool:
    return final_years(township).filter(year=year).exists()


def year_results(township: Township, year: int) -> QuerySet:
    """The year's confirmed results: name, village, annual score and grade, best first."""
    return (
        AnnualAppraisal.objects.filter(township=township, year=year, state=AppraisalState.CONFIRMED)
        .order_by("-score", "person__name_pinyin", "pk")
        .values_list("person__name", "contract__post__village__name", "score", "grade")
    )


def public_campaigns(township: Township) -> QuerySet[Campaign]:
    """The township's campaigns the public may read, newest first."""
    return (
        Campaign.objects.filter(township=township)
        .exclude(state__in=HIDDEN_CAMPAIGN_STATES)
        .order_by("-registration_start", "-pk")
    )


def public_campaign_or_none(township: Township, pk: int) -> Campaign | None:
    return public_campaigns(township).filter(pk=pk).first()


def campaign_offers(campaign: Campaign) -> QuerySet:
    """The villages and seats the campaign offers: ``(village, seats)``."""
    return (
        CampaignPost.objects.filter(campaign=campaign)
        .order_by("village__name_pinyin", "pk")
        .values_list("village__name", "seats")
    )


def campaign_named(campaign: Campaign) -> QuerySet:
    """The candidates proposed for hire (during the notice) or hired (after it): name,
    village and composite score, by village then rank."""
    if campaign.state not in (CampaignState.PUBLICISED, CampaignState.CONCLUDED):
        return Application.objects.none().values_list("name")
    return (
        Application.objects.filter(campaign=campaign, state__in=NAMED_STATES)
        .order_by("offer__village__name_pinyin", "rank", "pk")
        .values_list("name", "offer__village__name", "composite_score", "rank")
    )


def disclosed_documents(township: Township) -> QuerySet[Document]:
    """The current documents of the disclosed kinds about the township's public records:
    bulletins of published months and papers of public campaigns. Never a document about a
    person."""
    month_type = ContentType.objects.get_for_model(AssessmentMonth)
    campaign_type = ContentType.objects.get_for_model(Campaign)
    return Document.objects.filter(
        Q(
            kind=assessment_kinds.MONTHLY_BULLETIN,
            content_type=month_type,
            object_id__in=published_months(township).values("pk"),
        )
        | Q(
            kind__in=[recruitment_kinds.RECRUITMENT_ANNOUNCEMENT, recruitment_kinds.PUBLIC_NOTICE],
            content_type=campaign_type,
            object_id__in=public_campaigns(township).values("pk"),
        ),
        township=township,
        person__isnull=True,
        superseded_by__isnull=True,
    ).order_by("-issued_at", "-pk")


def documents_of(township: Township, subjects) -> dict[int, list[Document]]:
    """The disclosed documents about ``subjects`` (months, or campaigns: one model), oldest
    first, keyed by the subject's id: one query for a page of them."""
    subjects = list(subjects)
    if not subjects:
        return {}
    content_type = ContentType.objects.get_for_model(type(subjects[0]))
    found: dict[int, list[Document]] = {}
    for document in (
        disclosed_documents(township)
        .filter(content_type=content_type, object_id__in=[s.pk for s in subjects])
        .only("pk", "kind", "title", "object_id", "issued_at")
        .order_by("issued_at", "pk")
    ):
        found.setdefault(document.object_id, []).append(document)
    return found
