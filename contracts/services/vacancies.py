"""A vacant post (空岗) until it is refilled: the acting person, the reserve list of the
campaign that filled the post, the refill campaign, and the escalation of an overdue
vacancy to the county. One transaction each: lock, check, transition, save, audit row,
paperwork, notification.

The vacancy opens in ``contracts.services.posts`` (whenever a contract ends) and closes as
filled there too (``post_occupy``, when a new contract comes into force).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, audited_update, snapshot
from contracts.constants import OPEN_VACANCY_STATES, OfferAnswer, VacancyState
from contracts.models import Contract, ReserveOffer, Vacancy
from contracts.services.drafting import POST_HOLDING_STATES, contract_draft
from contracts.sweep import sweep_step
from contracts.vacancy_documents import issue_acting_designation
from core.services import lock, require_permission, require_state
from notifications.services import notify
from people.models import Person
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign
from recruitment.paperwork import issue_for
from recruitment.services.hiring import _person_for
from workdays.calendar import add_months

MANAGE_TERM = "contracts.manage_term"
ONE_DAY = datetime.timedelta(days=1)


def _today() -> datetime.date:
    return timezone.localdate()


def _cn(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _lock_vacancy(vacancy: Vacancy) -> Vacancy:
    return lock(vacancy, related=("township__county", "policy", "post__village"))


def _require_committee(by, vacancy: Vacancy) -> None:
    require_permission(
        by,
        MANAGE_TERM,
        vacancy.township,
        message=_("Only committee members of %(township)s may act on its vacant posts.")
        % {"township": vacancy.township},
    )


def _require_open(vacancy: Vacancy, action: str) -> None:
    require_state(vacancy, OPEN_VACANCY_STATES, action=action)


# The acting person ------------------------------------------------------------------------


@transaction.atomic
def vacancy_designate_acting(*, vacancy: Vacancy, person: Person, on: datetime.date, by) -> Vacancy:
    """Designate ``person`` to act for the vacant post from ``on`` (or replace the acting
    person) and issue the acting designation.

    The acting person is on the records of the vacancy's township and acts for one vacant
    post at a time; the director whose contract ended does not act for their own post.
    """
    vacancy = _lock_vacancy(vacancy)
    _require_committee(by, vacancy)
    _require_open(vacancy, _("Designating an acting person"))
    person = lock(person, related=("township",))
    if person.township_id != vacancy.township_id:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s is on the records of %(other)s, not of %(township)s: an acting "
                    "person must come from the township of the vacant post."
                )
                % {
                    "name": person.name,
                    "other": person.township.name if person.township_id else _("no township"),
                    "township": vacancy.township.name,
                }
            }
        )
    ended = vacancy.ended_contract
    if ended is not None and ended.person_id == person.pk:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s is the director whose contract ended; choose someone else to act "
                    "for the post."
                )
                % {"name": person.name}
            }
        )
    elsewhere = (
        Vacancy.objects.filter(acting_person=person, state__in=OPEN_VACANCY_STATES)
        .exclude(pk=vacancy.pk)
        .select_related("post__village")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s already acts for the vacant post of %(village)s; a person acts "
                    "for one vacant post at a time."
                )
                % {"name": person.name, "village": elsewhere.post.village.name}
            }
        )
    if vacancy.acting_person_id == person.pk:
        raise ValidationError(
            {"person": _("%(name)s already acts for this post.") % {"name": person.name}}
        )
    if on < vacancy.opened_on:
        raise ValidationError(
            {
                "on": _("The acting person cannot start before the post fell vacant (%(day)s).")
                % {"day": _cn(vacancy.opened_on)}
            }
        )
    if on > _today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    with audited_transition(vacancy, "designate_acting", by=by):
        vacancy.designate_acting(person=person, on=on)
    issue_acting_designation(vacancy, by=by)
    return vacancy


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
    vacancy = _lock_vacancy(vacancy)
    _require_committee(by, vacancy)
    _require_open(vacancy, _("Calling the reserve list"))
    today = _today()
    listing = reserve_list(vacancy)
    if listing.campaign is None:
        raise ValidationError(
            _(
                "This post was not filled by a recruitment campaign of the system; it has no "
                "reserve list. Open a refill campaign."
            )
        )
    if not listing.is_valid(today):
        raise ValidationError(
            _(
                "The reserve list of %(campaign)s expired on %(day)s (valid %(months)s months "
                "after the campaign concluded); open a refill campaign instead."
            )
            % {
                "campaign": listing.campaign.title,
                "day": _cn(listing.valid_until) if listing.valid_until else "—",
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
    offer = ReserveOffer(vacancy=vacancy, application=candidate, offered_on=today, offered_by=by)
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
    vacancy = _lock_vacancy(offer.vacancy)
    _require_committee(by, vacancy)
    if offer.answer != OfferAnswer.PENDING:
        raise ValidationError(
            _("The answer of %(name)s is already recorded.") % {"name": offer.application.name}
        )
    _require_open(vacancy, _("Recording the answer to an offer"))
    if on < offer.offered_on:
        raise ValidationError(
            {
                "on": _("The answer cannot come before the offer (%(day)s).")
                % {"day": _cn(offer.offered_on)}
            }
        )
    if on > _today():
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
    if start_date < _today():
        raise ValidationError(
            {
                "start_date": _("The contract cannot start in the past (%(day)s).")
                % {"day": _cn(start_date)}
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
    vacancy = _lock_vacancy(vacancy)
    _require_committee(by, vacancy)
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


# Overdue ----------------------------------------------------------------------------------


def county_hr_officers(county_id: int):
    return User.objects.filter(role=Role.COUNTY_HR, county_id=county_id, is_active=True)


def vacancy_escalate_overdue(*, vacancy: Vacancy, today: datetime.date) -> bool:
    """A vacancy still open after its refill deadline goes to the county: ``escalated_on``
    is set and the county's HR officers are notified. Once only; returns whether it did."""
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        if vacancy.escalated_on is not None or not vacancy.is_overdue(today):
            return False
        audited_update(vacancy, {"escalated_on": today}, by=None, transition="escalate")
        with translation.override("zh-hans"):
            text = _(
                "The post of %(village)s, %(township)s, has been vacant since %(since)s and was "
                "not refilled by %(due)s."
            ) % {
                "village": vacancy.post.village.name,
                "township": vacancy.township.name,
                "since": _cn(vacancy.opened_on),
                "due": _cn(vacancy.refill_due),
            }
        notify(
            users=county_hr_officers(vacancy.township.county_id),
            key=f"vacancy-overdue-{vacancy.pk}",
            text=text,
            url=reverse("vacancies:detail", args=[vacancy.pk]),
        )
        return True


@sweep_step("vacancies_overdue", 40)
def escalate_overdue_vacancies(*, today: datetime.date) -> int:
    """Every open vacancy past its refill deadline and not yet escalated."""
    overdue = Vacancy.objects.filter(
        state__in=OPEN_VACANCY_STATES, refill_due__lt=today, escalated_on__isnull=True
    ).order_by("pk")
    return sum(
        vacancy_escalate_overdue(vacancy=vacancy, today=today) for vacancy in overdue.iterator()
    )
