"""The public notice of proposed hires (拟聘用人员公示) and its objections.

- ``ranking_publish``: the step that ends the ranking task of the flow: the committee confirms
  the ranking (the score and ranking list is issued) and publishes the proposed hires (the
  public notice is issued and its period starts the next day).
- ``objection_record`` / ``objection_decide``: objections received during the notice, each
  decided with a finding; an upheld one removes the candidate and the next in rank moves up
  with a notice period of their own.
- ``notice_close``: the step that ends the objections task: the notice period is over and
  every objection is decided.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, audited_update, snapshot
from core.text import join_list
from paperwork.table import issue_for
from recruitment import ranking
from recruitment.constants import ApplicationState, CampaignState, ObjectionDecision
from recruitment.models import Application, Campaign, CampaignPost, Objection
from recruitment.services import interview
from recruitment.services.common import (
    ONE_DAY,
    campaign_lock,
    candidate,
    require_campaign_state,
    require_runner,
    today,
)
from workdays.calendar import add_working_days

# Standing in a village's ranking: not rejected, not withdrawn.
STANDING_STATES = {
    ApplicationState.RANKED,
    ApplicationState.PROPOSED,
    ApplicationState.HIRED,
}


# Confirming the ranking and publishing the proposed hires ---------------------------------------


def ranking_publish(*, campaign: Campaign, by) -> Campaign:
    """Confirm the ranking (``campaign_confirm_ranking``) and publish the proposed hires
    (``campaign_publicise``), in one transaction: the one step of the flow's ranking task."""
    with transaction.atomic():
        campaign_confirm_ranking(campaign=campaign, by=by)
        return campaign_publicise(campaign=campaign, by=by)


def campaign_confirm_ranking(*, campaign: Campaign, by) -> Campaign:
    """The committee confirms the composite scores and ranks; the score and ranking list is
    issued."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.EXAMINED], _("Confirming the ranking"))
        # Someone called to the interview after the exams (a mended absence) is ranked now.
        interview.ranking_refresh(campaign, by)
        # A tie at the cut-off can be decided only until the ranking is confirmed
        # (recruitment.services.interview.tie_break_record), so it must be decided now.
        grouped = _applications_by_offer(campaign)
        for offer in campaign.offers.select_related("village"):
            _offer_proposal(campaign, offer, grouped.get(offer.pk, []))
        with audited_transition(campaign, "confirm_ranking", by=by):
            campaign.confirm_ranking()
        issue_for(campaign, "confirm_ranking", by=by)
        return campaign


# Public notice and objections ------------------------------------------------------------------


def _offer_proposal(
    campaign: Campaign,
    offer: CampaignPost,
    applications: list[Application],
    *,
    refuse_ties: bool = True,
) -> ranking.Proposal:
    """Who of ``offer``'s standing candidates (ranked, proposed or hired) fills its seats,
    by ``recruitment.ranking``: the top ``seats`` at or above the composite pass line, never
    more. With ``refuse_ties``, a tie at the cut-off without a recorded decision is refused;
    otherwise nobody of the tied group is proposed (``Proposal.tie_pending``)."""
    standing = [
        a for a in applications if a.state in STANDING_STATES and a.composite_score is not None
    ]
    order = ranking.rank_candidates(candidate(a) for a in standing)
    proposal = ranking.proposals(order, seats=offer.seats, pass_line=campaign.composite_pass_line)
    if proposal.needs_decision and refuse_ties:
        by_id = {a.pk: a for a in standing}
        tied = join_list(by_id[entry.candidate.id].name for entry in proposal.tie_pending)
        raise ValidationError(
            _(
                "%(village)s: %(names)s are tied at the last post offered (composite, written "
                "and interview scores equal). Record the committee's decision on the tie first."
            )
            % {"village": offer.village.name, "names": tied}
        )
    return proposal


def _notice_period(published_on: datetime.date, working_days: int):
    """A notice published on ``published_on`` runs from the next day (民法典 201) for
    ``working_days`` working days."""
    return published_on + ONE_DAY, add_working_days(published_on, working_days)


def _applications_by_offer(campaign: Campaign, *, lock: bool = False):
    applications = campaign.applications.select_related("offer__village")
    if lock:
        applications = applications.select_for_update(of=("self",))
    grouped: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        grouped[application.offer_id].append(application)
    return grouped


def campaign_publicise(*, campaign: Campaign, by) -> Campaign:
    """Propose the best ``seats`` candidates of each village at or above the composite pass
    line and publish the public notice of proposed hires.

    The notice is published today; its period starts tomorrow (民法典 201) and ends on the
    ``notice_working_days``-th working day after today on the Chinese working-day calendar
    (``workdays.calendar``). Ranked candidates not proposed stay ranked until the hires are
    confirmed, when they join the reserve list.
    """
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(
            campaign, [CampaignState.RANKED], _("Publicising the proposed hires")
        )
        on = today()
        starts_on, ends_on = _notice_period(on, campaign.notice_working_days)
        grouped = _applications_by_offer(campaign, lock=True)
        offers = list(campaign.offers.select_related("village"))
        chosen: list[Application] = []
        for offer in offers:
            applications = grouped.get(offer.pk, [])
            proposal = _offer_proposal(campaign, offer, applications)
            by_id = {a.pk: a for a in applications}
            chosen += [by_id[entry.candidate.id] for entry in proposal.proposed]
        if not chosen:
            raise ValidationError(
                _(
                    "Nobody reached the composite pass line (%(line)s) in any village, so "
                    "there is nobody to propose. Cancel the campaign and open a new one."
                )
                % {"line": campaign.composite_pass_line}
            )
        for application in chosen:
            with audited_transition(application, "propose", by=by):
                application.propose(notice_starts_on=starts_on, notice_ends_on=ends_on)
        with audited_transition(campaign, "publicise", by=by):
            campaign.publicise(starts_on=starts_on, ends_on=ends_on)
        issue_for(campaign, "publicise", by=by)
        return campaign


def objection_window_end(application: Application) -> datetime.date | None:
    """The last day an objection to ``application`` may be received (the end of its notice
    period); one received by then may be recorded later, until the hires are confirmed."""
    return application.notice_ends_on or application.campaign.notice_ends_on


def objection_record(
    *, application: Application, received_on: datetime.date, lodged_by: str, content: str, by
) -> Objection:
    """Record an objection to a proposed hire, received during its notice period.

    What counts is the day it was received (``received_on``), not the day it is recorded: an
    objection received on or before the last day of the notice may be recorded after it, as
    long as the hires are not confirmed (the campaign is still publicised; hires cannot be
    confirmed while an objection waits for a decision). One received after the last day, in
    the future, or before the notice was published is refused on ``received_on``."""
    with transaction.atomic():
        campaign = campaign_lock(application.campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.PUBLICISED], _("Recording an objection"))
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.PROPOSED:
            raise ValidationError(
                _(
                    "%(name)s is not a proposed hire (“%(state)s”); objections are recorded "
                    "against the people in the public notice."
                )
                % {"name": application.name, "state": application.get_state_display()}
            )
        on = today()
        window_end = objection_window_end(application) or campaign.notice_ends_on
        errors: dict[str, str] = {}
        if received_on > on:
            errors["received_on"] = _("The date received cannot be in the future.")
        elif window_end is None or received_on > window_end:
            errors["received_on"] = _(
                "The public notice of %(name)s ended on %(end)s; an objection received on "
                "%(received)s came too late."
            ) % {"name": application.name, "end": window_end, "received": received_on}
        starts = application.notice_starts_on or campaign.notice_starts_on
        if starts is not None and received_on < starts - ONE_DAY:
            errors["received_on"] = _(
                "The notice was published on %(date)s; an objection cannot be received before."
            ) % {"date": starts - ONE_DAY}
        content = (content or "").strip()
        if not content:
            errors["content"] = _("Write down what the objection says.")
        if errors:
            raise ValidationError(errors)
        objection = Objection.objects.create(
            application=application,
            received_on=received_on,
            lodged_by=(lodged_by or "").strip()[:100],
            content=content,
            recorded_by=by,
        )
        audit_record(
            obj=objection,
            action=AuditEntry.Action.CREATE,
            by=by,
            after=snapshot(objection),
        )
        return objection


def objection_decide(*, objection: Objection, upheld: bool, finding: str, by) -> Objection:
    """Decide an objection after looking into it.

    Upheld: the candidate is not hired (the finding is the reason, and the not-hired letter
    is issued), the best remaining candidate of that village at or above the composite pass
    line is proposed in their place, and a new version of the public notice supersedes the
    current one. The candidate who moves up gets a notice period of their own, counted from
    today like the first one; the campaign's notice end becomes the later of the two. When
    the next candidates are tied for the freed seat with no recorded decision (which can no
    longer be recorded once the ranking is confirmed), nobody moves up and they join the
    reserve list when hires are confirmed. The returned objection carries ``moved_up`` and
    ``tied_for_seat`` (lists of applications) for the page to report.
    Dismissed: only the decision and the finding are recorded.
    """
    with transaction.atomic():
        application = Application.objects.select_related("campaign").get(
            pk=objection.application_id
        )
        campaign = campaign_lock(application.campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.PUBLICISED], _("Deciding an objection"))
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.decision != ObjectionDecision.PENDING:
            raise ValidationError(
                _("This objection was already decided (%(decision)s).")
                % {"decision": objection.get_decision_display()}
            )
        finding = (finding or "").strip()
        if not finding:
            raise ValidationError({"finding": _("Write down what was found.")})
        audited_update(
            objection,
            {
                "decision": ObjectionDecision.UPHELD if upheld else ObjectionDecision.DISMISSED,
                "decided_by": by,
                "decided_at": timezone.now(),
                "finding": finding,
            },
            by=by,
            reason=finding,
            transition="decide",
        )
        objection.moved_up = []  # type: ignore[attr-defined]
        objection.tied_for_seat = []  # type: ignore[attr-defined]
        if not upheld:
            return objection

        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.PROPOSED:
            raise ValidationError(
                _("%(name)s is no longer a proposed hire (“%(state)s”).")
                % {"name": application.name, "state": application.get_state_display()}
            )
        with audited_transition(application, "reject", by=by, reason=finding):
            note = _("Objection upheld: %(finding)s") % {"finding": finding}
            application.reject(note=note)
        issue_for(application, "reject", by=by)

        offer = CampaignPost.objects.select_related("village").get(pk=application.offer_id)
        offer_applications = list(
            offer.applications.select_for_update().select_related("offer__village")
        )
        # A tie for the freed seat cannot be decided any more (the ranking is confirmed):
        # then nobody moves up, and the tied candidates join the reserve list at the end.
        proposal = _offer_proposal(campaign, offer, offer_applications, refuse_ties=False)
        by_id = {a.pk: a for a in offer_applications}
        objection.moved_up = [  # type: ignore[attr-defined]
            by_id[entry.candidate.id]
            for entry in proposal.proposed
            if by_id[entry.candidate.id].state == ApplicationState.RANKED
        ]
        objection.tied_for_seat = [  # type: ignore[attr-defined]
            by_id[entry.candidate.id] for entry in proposal.tie_pending
        ]
        moving_up = objection.moved_up  # type: ignore[attr-defined]
        if moving_up:
            starts_on, ends_on = _notice_period(today(), campaign.notice_working_days)
            for candidate in moving_up:
                with audited_transition(
                    candidate, "propose", by=by, reason=_("Moves up after an upheld objection.")
                ):
                    candidate.propose(notice_starts_on=starts_on, notice_ends_on=ends_on)
            if campaign.notice_ends_on is None or ends_on > campaign.notice_ends_on:
                audited_update(
                    campaign,
                    {"notice_ends_on": ends_on},
                    by=by,
                    reason=_("Supplementary public notice after an upheld objection."),
                )
        # The new version names who remains and who moved up; it supersedes the current one.
        issue_for(campaign, "publicise", by=by)
        return objection


def notice_close(*, campaign: Campaign, by) -> Campaign:
    """The public notice is over and every objection is decided: the committee closes the
    objections step, recorded on the campaign's audit trail with how many objections were
    decided. Hires can be confirmed next."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.PUBLICISED], _("Closing the notice"))
        problems = notice_open_problems(campaign)
        if problems:
            raise ValidationError(problems)
        objections = Objection.objects.filter(application__campaign=campaign)
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.UPDATE,
            by=by,
            transition="close_notice",
            after={
                "notice_ends_on": campaign.notice_ends_on,
                "objections_upheld": objections.filter(decision=ObjectionDecision.UPHELD).count(),
                "objections_dismissed": objections.filter(
                    decision=ObjectionDecision.DISMISSED
                ).count(),
            },
            reason=_("The public notice is over and every objection is decided."),
        )
        return campaign


def notice_open_problems(campaign: Campaign) -> list[str]:
    """Why the notice of ``campaign`` cannot be closed yet, one sentence each: the period is
    still running, or objections wait for a decision."""
    problems = []
    if campaign.notice_ends_on is None or today() <= campaign.notice_ends_on:
        problems.append(
            _("The public notice runs until %(date)s; objections may still come in.")
            % {"date": campaign.notice_ends_on or "—"}
        )
    pending = Objection.objects.filter(
        application__campaign=campaign, decision=ObjectionDecision.PENDING
    ).count()
    if pending:
        problems.append(
            ngettext(
                "%(count)s objection has not been decided yet.",
                "%(count)s objections have not been decided yet.",
                pending,
            )
            % {"count": pending}
        )
    return problems
