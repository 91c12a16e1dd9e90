"""Refilling a vacant post from recruitment (空岗补聘): the reserve list (备选名单) of the
campaign that filled the post, called in rank order, its candidates hired through the same
steps as a campaign's hires (``recruitment.services.hiring``), and the refill campaign linked
to the vacancy. One transaction each, with the vacancy's checks of
``contracts.services.vacancies`` (the township committee, an open vacancy).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.constants import OfferAnswer, VacancyState
from contracts.models import Contract, ReserveOffer, Vacancy
from contracts.services.drafting import POST_HOLDING_STATES, contract_draft
from contracts.services.vacancies import (
    cn_date,
    lock_vacancy,
    require_committee,
    require_open,
    today,
)
from core.services import lock, require_state
from paperwork.table import issue_for
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign
from recruitment.services.hiring import _person_for
from workdays.calendar import add_months

ONE_DAY = datetime.timedelta(days=1)


# The reserve list -------------------------------------------------------------------------


@dataclass
class ReserveList:
    """The reserve list (备选名单) that may be called to refill a vacancy: the reserve
    candidates of the campaign that filled the post, for the same village, in rank order."""

    campaign: Campaign | None
    concluded_on: datetime.date | None
    valid_until: datetime.date | None
    candidates: list[Application] = field(default_factory=list)
    offers: dict[int, ReserveOffer] = field(default_factory=dict)  # application id → offer

    def is_valid(self, today: datetime.date) -> bool:
        return self.valid_until is not None and today <= self.valid_until

    def next_candidate(self) -> Application | None:
        return next((a for a in self.candidates if a.pk not in self.offers), None)

    @property
    def pending(self) -> ReserveOffer | None:
        return next((o for o in self.offers.values() if o.answer == OfferAnswer.PENDING), None)


def _filling_application(vacancy: Vacancy) -> Application | None:
    contract = vacancy.ended_contract
    if contract is None or contract.application_id is None:
        return None
    return contract.application


def reserve_candidates(vacancy: Vacancy) -> list[Application]:
    """The reserve candidates of the campaign that filled the post, for the same village, in
    rank order: those still on the reserve list and those already asked for this vacancy."""
    return reserve_list(vacancy).candidates


def reserve_list(vacancy: Vacancy) -> ReserveList:
    """The vacancy's reserve list with its validity: ``policy.reserve_list_months`` (the
    vacancy's policy version) calendar months from the day the campaign concluded."""
    application = _filling_application(vacancy)
    if application is None:
        return ReserveList(None, None, None)
    campaign = application.campaign
    concluded_on = (
        timezone.localdate(campaign.concluded_at) if campaign.concluded_at is not None else None
    )
    valid_until = (
        add_months(concluded_on, vacancy.policy.reserve_list_months) if concluded_on else None
    )
    offers = {
        offer.application_id: offer
        for offer in vacancy.offers.select_related("offered_by", "recorded_by")
    }
    candidates = list(
        Application.objects.filter(
            Q(campaign=campaign, offer_id=application.offer_id, state=ApplicationState.RESERVE)
            | Q(pk__in=list(offers))
        ).order_by("rank", "pk")
    )
    return ReserveList(campaign, concluded_on, valid_until, candidates, offers)


def _require_post_free(vacancy: Vacancy) -> None:
    if Contract.objects.filter(post_id=vacancy.post_id, state__in=POST_HOLDING_STATES).exists():
        raise ValidationError(
            _(
                "The post already has a contract waiting for signature; no other candidate can "
                "be offered it."
            )
        )


@transaction.atomic
def reserve_offer_make(*, vacancy: Vacancy, by) -> ReserveOffer:
    """Offer the post to the next reserve candidate in rank order not yet asked."""
    vacancy = lock_vacancy(vacancy)
    require_committee(by, vacancy)
    require_open(vacancy, _("Calling the reserve list"))
    on = today()
    listing = reserve_list(vacancy)
    if listing.campaign is None:
        raise ValidationError(
            _(
                "This post was not filled by a recruitment campaign of the system; it has no "
                "reserve list. Open a refill campaign."
            )
        )
    if not listing.is_valid(on):
        raise ValidationError(
            _(
                "The reserve list of %(campaign)s expired on %(day)s (valid %(months)s months "
                "after the campaign concluded); open a refill campaign instead."
            )
            % {
                "campaign": listing.campaign.title,
                "day": cn_date(listing.valid_until) if listing.valid_until else "—",
                "months": vacancy.policy.reserve_list_months,
            }
        )
    if listing.pending is not None:
        raise ValidationError(
            _("%(name)s has not answered the offer yet; record the answer first.")
            % {"name": listing.pending.application.name}
        )
    _require_post_free(vacancy)
    candidate = listing.next_candidate()
    if candidate is None:
        raise ValidationError(
            _("Every candidate on the reserve list has been asked; open a refill campaign.")
        )
    offer = ReserveOffer(vacancy=vacancy, application=candidate, offered_on=on, offered_by=by)
    offer.save()
    audit_record(
        obj=offer,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="offer",
        after=snapshot(offer),
    )
    return offer


@transaction.atomic
def reserve_offer_answer(
    *,
    offer: ReserveOffer,
    accepted: bool,
    on: datetime.date,
    note: str = "",
    by,
    start_date: datetime.date | None = None,
) -> ReserveOffer:
    """Record the candidate's answer. On acceptance the candidate is hired through the same
    steps as a campaign's hires (``recruitment.services.hiring``): the person record is
    created or brought up to date, the application is hired, the contract is drafted for the
    vacant post from ``start_date`` (the day after the answer by default) and the hiring
    notice and the contract are issued; the vacancy is then being refilled."""
    offer = lock(offer)
    vacancy = lock_vacancy(offer.vacancy)
    require_committee(by, vacancy)
    if offer.answer != OfferAnswer.PENDING:
        raise ValidationError(
            _("The answer of %(name)s is already recorded.") % {"name": offer.application.name}
        )
    require_open(vacancy, _("Recording the answer to an offer"))
    if on < offer.offered_on:
        raise ValidationError(
            {
                "on": _("The answer cannot come before the offer (%(day)s).")
                % {"day": cn_date(offer.offered_on)}
            }
        )
    if on > today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    note = (note or "").strip()
    before = snapshot(offer)
    offer.answer = OfferAnswer.ACCEPTED if accepted else OfferAnswer.DECLINED
    offer.answered_on = on
    offer.answer_note = note[:200]
    offer.recorded_by = by
    offer.save()
    audit_record(
        obj=offer,
        action=AuditEntry.Action.UPDATE,
        by=by,
        transition="answer",
        before=before,
        after=snapshot(offer),
    )
    if not accepted:
        return offer

    _require_post_free(vacancy)
    start_date = start_date or on + ONE_DAY
    if start_date < today():
        raise ValidationError(
            {
                "start_date": _("The contract cannot start in the past (%(day)s).")
                % {"day": cn_date(start_date)}
            }
        )
    application = lock(offer.application, related=("campaign__township", "offer__village"))
    with audited_transition(application, "hire_from_reserve", by=by):
        person = _person_for(application, by=by)
        application.person = person
        application.hire_from_reserve()
    contract = contract_draft(
        application=application, person=person, post=vacancy.post, start_date=start_date, by=by
    )
    issue_for(application, "hire", by=by)
    issue_for(contract, "draft", by=by)
    if vacancy.state in (VacancyState.OPEN, VacancyState.ACTING):
        with audited_transition(vacancy, "start_refill", by=by):
            vacancy.start_refill()
    return offer


# The refill campaign ----------------------------------------------------------------------


@transaction.atomic
def vacancy_start_refill(*, vacancy: Vacancy, campaign: Campaign, by) -> Vacancy:
    """Link the refill campaign (a campaign of the same township offering the vacant post's
    village) to the vacancy."""
    vacancy = lock_vacancy(vacancy)
    require_committee(by, vacancy)
    require_state(
        vacancy, [VacancyState.OPEN, VacancyState.ACTING], action=_("Linking a refill campaign")
    )
    village = vacancy.post.village
    if campaign.township_id != vacancy.township_id:
        raise ValidationError(
            {
                "campaign": _("The refill campaign must be a campaign of %(township)s.")
                % {"township": vacancy.township.name}
            }
        )
    if campaign.state in (CampaignState.CANCELLED, CampaignState.CONCLUDED):
        raise ValidationError(
            {"campaign": _("%(campaign)s is no longer running.") % {"campaign": campaign.title}}
        )
    if not campaign.offers.filter(village=village).exists():
        raise ValidationError(
            {
                "campaign": _("%(campaign)s does not offer a post in %(village)s.")
                % {"campaign": campaign.title, "village": village.name}
            }
        )
    with audited_transition(vacancy, "start_refill", by=by):
        vacancy.start_refill(campaign=campaign)
    return vacancy
