"""Confirming the hires after the public notice: person records, hiring notices, drafted
contracts, the reserve list and the letters to everyone not hired.

``campaign_confirm_hires`` is the step that ends the hires task of the flow and concludes the
campaign.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audited_transition
from contracts.services import POST_HOLDING_STATES, contract_draft
from organisation.constants import PostStatus
from organisation.models import Post
from paperwork.selectors import document_current
from paperwork.table import issue_for
from people.models import Person
from people.services import person_create, person_update
from recruitment import kinds
from recruitment.constants import ApplicationState, CampaignState, ObjectionDecision
from recruitment.models import Application, Campaign, CampaignPost, Objection
from recruitment.services.common import (
    campaign_lock,
    require_campaign_state,
    require_runner,
    today,
)
from workdays.calendar import add_months


def _person_for(application: Application, *, by):
    """Create the person record of a hire, or bring the existing one (same ID number) up to
    date with what the applicant gave; filed under the township and village of the offer."""
    village = application.offer.village
    fields = {
        "name": application.name,
        "phone": application.phone,
        "education": application.education,
        "school": application.school,
        "graduation_year": application.graduation_year,
        "household_registration": application.household_registration,
        "township": village.township,
        "village": village,
    }
    reason = _("Hired in %(campaign)s.") % {"campaign": application.campaign.title}
    number = application.id_number.upper()
    existing = Person.objects.filter(id_number=number).first()
    if existing is None:
        try:
            with transaction.atomic():
                return person_create(by=by, reason=reason, id_number=number, **fields)
        except IntegrityError:
            # Another campaign hiring the same person created the record a moment ago
            # (Person.id_number is unique): bring that record up to date instead, as if the
            # two had run one after the other.
            existing = Person.objects.get(id_number=number)
    return person_update(person=existing, by=by, reason=reason, **fields)


def _free_post(offer: CampaignPost, taken: set[int]) -> Post:
    post = (
        offer.posts.filter(status=PostStatus.ACTIVE, holder__isnull=True)
        .exclude(pk__in=taken)
        .exclude(contracts__state__in=POST_HOLDING_STATES)
        .select_related("village__township")
        .order_by("number")
        .first()
    )
    if post is None:
        raise ValidationError(
            _(
                "%(village)s has no vacant post left among those the campaign offered; a "
                "contract cannot be drafted."
            )
            % {"village": offer.village.name}
        )
    return post


def _has_letter(application: Application) -> bool:
    return document_current(kind=kinds.NOT_HIRED_LETTER, subject=application) is not None


def _issue_reserve_letter(application: Application, *, by) -> None:
    issue_for(application, "keep_in_reserve", by=by)


def campaign_confirm_hires(*, campaign: Campaign, start_date: datetime.date, by) -> Campaign:
    """After the notice period, with every objection decided, hire the proposed candidates.

    For each proposed candidate: the person record is created or updated (matched by ID
    number), the application is hired, a contract is drafted for one of the posts the
    campaign offered in that village (``contracts.services.contract_draft``: term and pay
    from the policy, the end date the day before the anniversary), and the hiring notice and
    the contract are issued. The post becomes occupied only when the contract is signed.

    Ranked candidates not proposed and at or above the composite pass line join the reserve
    list until ``reserve_months`` calendar months from today (clamped to the month end).
    Everyone else who was scored but is not hired is rejected; every candidate not hired
    receives the result letter (those rejected earlier too, unless they already have one).
    Then the campaign is concluded.
    """
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.PUBLICISED], _("Confirming the hires"))
        on = today()
        if campaign.notice_ends_on is None or on <= campaign.notice_ends_on:
            raise ValidationError(
                _(
                    "The public notice runs until %(end)s (inclusive); hires can be confirmed "
                    "from the next day."
                )
                % {"end": campaign.notice_ends_on}
            )
        pending = Objection.objects.filter(
            application__campaign=campaign, decision=ObjectionDecision.PENDING
        ).count()
        if pending:
            raise ValidationError(
                ngettext(
                    "%(count)s objection has not been decided yet.",
                    "%(count)s objections have not been decided yet.",
                    pending,
                )
                % {"count": pending}
            )
        if start_date < on:
            raise ValidationError(
                {
                    "start_date": _("The contracts cannot start in the past (%(date)s).")
                    % {"date": start_date}
                }
            )

        applications = list(
            campaign.applications.select_for_update(of=("self",))
            .select_related("offer__village__township", "campaign__township")
            .order_by("offer__village__name_pinyin", "offer", "rank", "pk")
        )
        taken_posts: set[int] = set()
        for application in [a for a in applications if a.state == ApplicationState.PROPOSED]:
            with audited_transition(application, "hire", by=by):
                person = _person_for(application, by=by)
                post = _free_post(application.offer, taken_posts)
                taken_posts.add(post.pk)
                application.person = person
                application.hire()
            contract = contract_draft(
                application=application, person=person, post=post, start_date=start_date, by=by
            )
            issue_for(application, "hire", by=by)
            issue_for(contract, "draft", by=by)

        reserve_until = add_months(on, campaign.reserve_months)
        line = campaign.composite_pass_line
        for application in applications:
            state = application.state
            if state == ApplicationState.HIRED:
                continue
            if (
                state == ApplicationState.RANKED
                and application.composite_score is not None
                and application.composite_score >= line
            ):
                with audited_transition(application, "keep_in_reserve", by=by):
                    application.keep_in_reserve(until=reserve_until)
                _issue_reserve_letter(application, by=by)
            elif state in (ApplicationState.SCORED, ApplicationState.RANKED):
                with audited_transition(application, "reject", by=by):
                    application.reject(note=_("Not among those hired."))
                issue_for(application, "reject", by=by)
            elif state in (ApplicationState.NOT_HIRED, ApplicationState.ABSENT) and not (
                _has_letter(application)
            ):
                # Absent candidates end the campaign absent; they get the same letter.
                issue_for(application, "reject", by=by)

        with audited_transition(campaign, "conclude", by=by):
            campaign.conclude()
        return campaign
