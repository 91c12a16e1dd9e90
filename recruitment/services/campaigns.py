"""The life of a campaign: opening it, the announcement, the steps between the exam stages,
the public notice of proposed hires with its objections, the hires and the reserve list.

Who may do what:
- a township committee member of the campaign's township (``recruitment.run_campaign`` and
  the township in scope) opens, moves on, publicises, records and decides objections,
  confirms hires and cancels;
- only the head of the township's recruitment leading group (``Township.leading_group_head``)
  approves the announcement;
- the scheduled timer (``by=None``) may close registration after the deadline.

Each service is one transaction: lock the campaign row, check the user and the state, apply
the django-fsm transition, save, write the audit row, issue the paperwork of
``recruitment.paperwork``. A refusal raises ``PermissionDenied`` (wrong person) or
``ValidationError`` (wrong state or input) with a message saying what is wrong, and changes
nothing.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scoping import can_see
from audit.models import AuditEntry
from audit.services import audit_record, snapshot
from core.text import pinyin_key
from organisation.constants import PostStatus
from organisation.models import Post, Village
from paperwork.models import DocumentKind
from paperwork.selectors import document_current
from policy.selectors import NoPolicyInForce, policy_in_force
from recruitment import ranking
from recruitment.constants import (
    ApplicationState,
    CampaignKind,
    CampaignState,
    ObjectionDecision,
    WaiverDecision,
)
from recruitment.models import (
    OPEN_CAMPAIGN_STATES,
    Application,
    Campaign,
    CampaignPost,
    Objection,
)
from recruitment.paperwork import issue_for
from workdays.calendar import add_months, add_working_days

RUN_CAMPAIGN = "recruitment.run_campaign"
ONE_DAY = datetime.timedelta(days=1)

CAMPAIGN_AUDIT_FIELDS = [
    "state",
    "approved_by",
    "announced_at",
    "notice_starts_on",
    "notice_ends_on",
    "concluded_at",
    "cancelled_reason",
]
APPLICATION_AUDIT_FIELDS = [
    "state",
    "person",
    "notice_starts_on",
    "notice_ends_on",
    "reserve_until",
    "outcome_note",
]
OBJECTION_AUDIT_FIELDS = ["decision", "decided_by", "decided_at", "finding"]

# States an application may still be in when the exams are finished.
RESOLVED_AFTER_EXAMS = {
    ApplicationState.INELIGIBLE,
    ApplicationState.ABSENT,
    ApplicationState.RANKED,
    ApplicationState.NOT_HIRED,
    ApplicationState.WITHDRAWN,
}
# Standing in a village's ranking: not rejected, not withdrawn.
STANDING_STATES = {
    ApplicationState.RANKED,
    ApplicationState.PROPOSED,
    ApplicationState.HIRED,
}


# Checks ---------------------------------------------------------------------------------------


def _lock(campaign: Campaign) -> Campaign:
    """The campaign row as it is now, locked until the end of the transaction."""
    return (
        Campaign.objects.select_related("township__county", "policy")
        .select_for_update(of=("self",))
        .get(pk=campaign.pk)
    )


def _require_runner(by, township) -> None:
    """Only a committee member of ``township`` (``recruitment.run_campaign`` with the
    township in scope) runs its campaigns."""
    if (
        by is None
        or not getattr(by, "is_authenticated", False)
        or not by.is_active
        or not by.has_perm(RUN_CAMPAIGN)
        or not can_see(by, township)
    ):
        raise PermissionDenied(
            _("Only committee members of %(township)s may run its recruitment campaigns.")
            % {"township": township}
        )


def _require_state(campaign: Campaign, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if campaign.state not in allowed:
        raise ValidationError(
            _(
                "%(action)s is possible only while the campaign is “%(allowed)s”; "
                "“%(campaign)s” is “%(state)s”. Nothing was changed."
            )
            % {
                "action": action,
                "allowed": "”, “".join(str(CampaignState(s).label) for s in allowed),
                "campaign": campaign.title,
                "state": campaign.get_state_display(),
            }
        )


def _today() -> datetime.date:
    return timezone.localdate()


def _local_date(value: datetime.datetime) -> datetime.date:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localdate(value)


# Audit ----------------------------------------------------------------------------------------


def _audit_transition(obj, *, by, before: dict, name: str, fields: list[str], reason: str = ""):
    audit_record(
        obj=obj,
        action=AuditEntry.Action.TRANSITION,
        by=by,
        before=before,
        after=snapshot(obj, fields),
        transition=name,
        reason=reason,
    )


@contextmanager
def _transition(obj: Campaign | Application, name: str, *, by, reason: str = ""):
    """Around the call of transition ``name`` on ``obj``: snapshot the audited fields, let the
    block change the record, then save it and record the transition before and after."""
    fields = CAMPAIGN_AUDIT_FIELDS if isinstance(obj, Campaign) else APPLICATION_AUDIT_FIELDS
    before = snapshot(obj, fields)
    yield
    obj.save()
    _audit_transition(obj, by=by, before=before, name=name, fields=fields, reason=reason)


def _campaign_before(campaign: Campaign) -> dict:
    return snapshot(campaign, CAMPAIGN_AUDIT_FIELDS)


# Vacant posts ---------------------------------------------------------------------------------


def vacant_posts(township) -> QuerySet[Post]:
    """The township's posts a campaign may offer: active, without a holder, not offered in
    another open campaign, and not held by a contract waiting for signature."""
    from contracts.services import POST_HOLDING_STATES

    offered = CampaignPost.posts.through.objects.filter(
        campaignpost__campaign__state__in=OPEN_CAMPAIGN_STATES
    ).values("post_id")
    return (
        Post.objects.filter(
            village__township=township, status=PostStatus.ACTIVE, holder__isnull=True
        )
        .exclude(pk__in=offered)
        .exclude(contracts__state__in=POST_HOLDING_STATES)
        .select_related("village")
        .order_by("village__name", "number")
    )


def vacant_posts_by_village(township) -> dict[Village, list[Post]]:
    """``vacant_posts`` grouped by village, villages in pinyin order."""
    grouped: dict[Village, list[Post]] = defaultdict(list)
    for post in vacant_posts(township):
        grouped[post.village].append(post)
    return dict(sorted(grouped.items(), key=lambda item: pinyin_key(item[0].name)))


# Opening and announcing ------------------------------------------------------------------------


def _check_timetable(
    *,
    registration_start: datetime.date,
    registration_end: datetime.date,
    written_exam_at: datetime.datetime,
    interview_at: datetime.datetime | None,
    errors: dict,
) -> None:
    today = _today()
    if registration_end < registration_start:
        errors["registration_end"] = _(
            "The registration deadline (%(end)s) is before registration opens (%(start)s)."
        ) % {"end": registration_end, "start": registration_start}
    elif registration_end < today:
        errors["registration_end"] = _(
            "The registration deadline (%(end)s) has already passed."
        ) % {"end": registration_end}
    written_on = _local_date(written_exam_at)
    if written_on <= registration_end:
        errors["written_exam_at"] = _(
            "The written exam (%(exam)s) must come after the registration deadline (%(end)s), "
            "so that applications can be reviewed first."
        ) % {"exam": written_on, "end": registration_end}
    if interview_at is None:
        errors["interview_at"] = _("Give the date of the interview.")
    elif interview_at < written_exam_at:
        errors["interview_at"] = _(
            "The interview (%(interview)s) cannot come before the written exam (%(exam)s)."
        ) % {"interview": _local_date(interview_at), "exam": written_on}


def campaign_create(
    *,
    township,
    title: str,
    kind: str,
    offers: list[tuple[Village, int]],
    registration_start: datetime.date,
    registration_end: datetime.date,
    written_exam_at: datetime.datetime,
    interview_at: datetime.datetime | None,
    venue: str,
    contact: str,
    interview_panel_size: int,
    by,
) -> Campaign:
    """Open a draft campaign of ``township`` offering ``seats`` posts in each village of
    ``offers``.

    The rules (maximum age, minimum education, exam weights and pass lines, shortlist ratio,
    dropping extreme interview marks, notice working days, reserve months) are copied from
    the county policy in force today, so a later policy change leaves a running campaign
    alone. Each offer is linked to that many concrete vacant posts of the village
    (``vacant_posts``), which no other open campaign may offer meanwhile.

    ``kind`` is ``refill`` (补聘) for posts a director has left; for now the committee chooses
    it, nothing checks how the posts became vacant.
    """
    with transaction.atomic():
        _require_runner(by, township)
        # Two members opening campaigns at once must not offer the same posts.
        list(Post.objects.select_for_update().filter(village__township=township).values("pk"))
        errors: dict[str, object] = {}
        title = (title or "").strip()
        venue = (venue or "").strip()
        contact = (contact or "").strip()
        if not title:
            errors["title"] = _("Give the campaign a title.")
        if kind not in CampaignKind.values:
            errors["kind"] = _("Choose the kind of campaign.")
        if not venue:
            errors["venue"] = _("Say where the exams take place.")
        if not contact:
            errors["contact"] = _("Give the office and telephone number for enquiries.")
        if (
            not isinstance(interview_panel_size, int)
            or not 3 <= interview_panel_size <= 15
            or interview_panel_size % 2 == 0
        ):
            errors["interview_panel_size"] = _(
                "The interview panel has an odd number of members from 3 to 15, so that it "
                "cannot split evenly; %(size)s is not possible."
            ) % {"size": interview_panel_size}
        _check_timetable(
            registration_start=registration_start,
            registration_end=registration_end,
            written_exam_at=written_exam_at,
            interview_at=interview_at,
            errors=errors,
        )

        vacant = vacant_posts_by_village(township)
        vacant_by_id = {village.pk: posts for village, posts in vacant.items()}
        offer_errors: list[str] = []
        chosen: list[tuple[Village, int, list[Post]]] = []
        seen: set[int] = set()
        for village, seats in offers:
            if village.township_id != township.pk:
                offer_errors.append(
                    _("%(village)s is not a village of %(township)s.")
                    % {"village": village, "township": township}
                )
                continue
            if village.pk in seen:
                offer_errors.append(_("%(village)s is listed twice.") % {"village": village.name})
                continue
            seen.add(village.pk)
            if not isinstance(seats, int) or seats < 1:
                offer_errors.append(
                    _("%(village)s: offer at least one post (%(seats)s given).")
                    % {"village": village.name, "seats": seats}
                )
                continue
            posts = vacant_by_id.get(village.pk, [])
            if seats > len(posts):
                offer_errors.append(
                    ngettext(
                        "%(village)s has %(vacant)s vacant post that no other open campaign "
                        "offers; %(seats)s cannot be offered.",
                        "%(village)s has %(vacant)s vacant posts that no other open campaign "
                        "offers; %(seats)s cannot be offered.",
                        len(posts),
                    )
                    % {"village": village.name, "vacant": len(posts), "seats": seats}
                )
                continue
            chosen.append((village, seats, posts[:seats]))
        if not offers:
            offer_errors.append(_("Offer at least one post in one village."))
        if offer_errors:
            errors["offers"] = offer_errors

        policy = None
        try:
            policy = policy_in_force(county=township.county, on=_today())
        except NoPolicyInForce as exc:
            errors["policy"] = str(exc)
        if errors:
            raise ValidationError(errors)
        assert policy is not None

        campaign = Campaign(
            township=township,
            title=title,
            kind=kind,
            policy=policy,
            registration_start=registration_start,
            registration_end=registration_end,
            written_exam_at=written_exam_at,
            interview_at=interview_at,
            venue=venue,
            contact=contact,
            max_age=policy.first_hire_max_age,
            min_education=policy.min_education,
            written_weight=policy.written_weight,
            interview_weight=policy.interview_weight,
            written_pass_line=policy.written_pass_line,
            composite_pass_line=policy.composite_pass_line,
            shortlist_ratio=policy.interview_shortlist_ratio,
            interview_drop_extremes=policy.interview_drop_extremes,
            interview_panel_size=interview_panel_size,
            notice_working_days=policy.public_notice_working_days,
            reserve_months=policy.reserve_list_months,
            created_by=by,
        )
        campaign.save()
        offered = []
        for village, seats, posts in chosen:
            offer = CampaignPost.objects.create(campaign=campaign, village=village, seats=seats)
            offer.posts.set(posts)
            offered.append({"village": village.pk, "seats": seats, "posts": [p.pk for p in posts]})
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.CREATE,
            by=by,
            after={**snapshot(campaign), "offers": offered},
        )
        return campaign


def campaign_announce(*, campaign: Campaign, by) -> Campaign:
    """The head of the township's recruitment leading group approves the announcement:
    registration opens and the recruitment announcement is issued."""
    with transaction.atomic():
        campaign = _lock(campaign)
        township = campaign.township
        head_id = township.leading_group_head_id
        if head_id is None:
            raise PermissionDenied(
                _(
                    "%(township)s has no head of the recruitment leading group on record; an "
                    "administrator records one on the township before an announcement can be "
                    "approved."
                )
                % {"township": township}
            )
        if by is None or getattr(by, "pk", None) != head_id or not by.is_active:
            head = township.leading_group_head
            raise PermissionDenied(
                _(
                    "Only the head of the recruitment leading group of %(township)s "
                    "(%(head)s) may approve the announcement."
                )
                % {"township": township, "head": head.display_name if head else ""}
            )
        _require_state(campaign, [CampaignState.DRAFT], _("Approving the announcement"))
        if campaign.registration_end < _today():
            raise ValidationError(
                _(
                    "The registration deadline (%(end)s) has passed; cancel this campaign and "
                    "open a new one with new dates."
                )
                % {"end": campaign.registration_end}
            )
        if not campaign.offers.exists():
            raise ValidationError(_("The campaign offers no post."))
        with _transition(campaign, "announce", by=by):
            campaign.announce(by=by)
        issue_for(campaign, "announce", by=by)
        return campaign


# The steps between the exam stages ---------------------------------------------------------


def campaign_close_registration(*, campaign: Campaign, by=None) -> Campaign:
    """Close registration once the deadline has passed. ``by`` is None when the scheduled
    timer closes it."""
    with transaction.atomic():
        campaign = _lock(campaign)
        if by is not None:
            _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.ANNOUNCED], _("Closing registration"))
        if not campaign.registration_over():
            raise ValidationError(
                _("Registration is open until %(end)s (inclusive); it closes after that day.")
                % {"end": campaign.registration_end}
            )
        with _transition(
            campaign,
            "close_registration",
            by=by,
            reason="" if by is not None else _("Closed by the scheduler after the deadline."),
        ):
            campaign.close_registration()
        return campaign


def campaign_finish_review(*, campaign: Campaign, by) -> Campaign:
    """Every application has an eligibility result and no waiver waits for the county: the
    campaign is reviewed, and admission numbers and tickets are issued
    (``recruitment.services.exams.admission_assign``)."""
    from recruitment.services.exams import admission_assign

    with transaction.atomic():
        campaign = _lock(campaign)
        _require_runner(by, campaign.township)
        _require_state(
            campaign, [CampaignState.REGISTRATION_CLOSED], _("Finishing the eligibility review")
        )
        waiting = campaign.applications.filter(state=ApplicationState.SUBMITTED).count()
        if waiting:
            raise ValidationError(
                ngettext(
                    "%(count)s application has no eligibility result yet.",
                    "%(count)s applications have no eligibility result yet.",
                    waiting,
                )
                % {"count": waiting}
            )
        pending_waivers = (
            campaign.applications.filter(waivers__decision=WaiverDecision.PENDING)
            .distinct()
            .count()
        )
        if pending_waivers:
            raise ValidationError(
                ngettext(
                    "%(count)s waiver request waits for the county HR decision.",
                    "%(count)s waiver requests wait for the county HR decision.",
                    pending_waivers,
                )
                % {"count": pending_waivers}
            )
        with _transition(campaign, "finish_review", by=by):
            campaign.finish_review()
        admission_assign(campaign=campaign, by=by)
        return campaign


def campaign_finish_exams(*, campaign: Campaign, by) -> Campaign:
    """Every application is resolved (absent, ranked or rejected): the exams are over."""
    with transaction.atomic():
        campaign = _lock(campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.REVIEWED], _("Finishing the exams"))
        unresolved = campaign.applications.exclude(state__in=RESOLVED_AFTER_EXAMS)
        count = unresolved.count()
        if count:
            names = ", ".join(
                f"{number} {name}".strip()
                for number, name in unresolved.order_by("admission_number", "pk").values_list(
                    "admission_number", "name"
                )[:5]
            )
            raise ValidationError(
                ngettext(
                    "%(count)s applicant still waits for a written score, the shortlist, "
                    "interview marks or the ranking (%(listed)s).",
                    "%(count)s applicants still wait for a written score, the shortlist, "
                    "interview marks or the ranking (%(listed)s …).",
                    count,
                )
                % {"count": count, "listed": names}
            )
        with _transition(campaign, "finish_exams", by=by):
            campaign.finish_exams()
        return campaign


def campaign_confirm_ranking(*, campaign: Campaign, by) -> Campaign:
    """The committee confirms the composite scores and ranks; the score and ranking list is
    issued."""
    with transaction.atomic():
        campaign = _lock(campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.EXAMINED], _("Confirming the ranking"))
        # A tie at the cut-off can be decided only until the ranking is confirmed
        # (recruitment.services.exams.tie_break_record), so it must be decided now.
        grouped = _applications_by_offer(campaign)
        for offer in campaign.offers.select_related("village"):
            _offer_proposal(campaign, offer, grouped.get(offer.pk, []))
        with _transition(campaign, "confirm_ranking", by=by):
            campaign.confirm_ranking()
        issue_for(campaign, "confirm_ranking", by=by)
        return campaign


# Public notice and objections ------------------------------------------------------------------


def _candidate(application: Application) -> ranking.Candidate:
    return ranking.Candidate(
        id=application.pk,
        written=application.written_score,
        interview=application.interview_score,
        composite=application.composite_score,
        tie_break=application.tie_break_position,
    )


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
    order = ranking.rank_candidates(_candidate(a) for a in standing)
    proposal = ranking.proposals(order, seats=offer.seats, pass_line=campaign.composite_pass_line)
    if proposal.needs_decision and refuse_ties:
        by_id = {a.pk: a for a in standing}
        tied = "、".join(by_id[entry.candidate.id].name for entry in proposal.tie_pending)
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
        campaign = _lock(campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.RANKED], _("Publicising the proposed hires"))
        today = _today()
        starts_on, ends_on = _notice_period(today, campaign.notice_working_days)
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
            with _transition(application, "propose", by=by):
                application.propose(notice_starts_on=starts_on, notice_ends_on=ends_on)
        with _transition(campaign, "publicise", by=by):
            campaign.publicise(starts_on=starts_on, ends_on=ends_on)
        issue_for(campaign, "publicise", by=by)
        return campaign


def objection_window_end(application: Application) -> datetime.date | None:
    """The last day an objection to ``application`` may be received."""
    return application.notice_ends_on or application.campaign.notice_ends_on


def objection_record(
    *, application: Application, received_on: datetime.date, lodged_by: str, content: str, by
) -> Objection:
    """Record an objection to a proposed hire, received during the notice period."""
    with transaction.atomic():
        campaign = _lock(application.campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.PUBLICISED], _("Recording an objection"))
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.PROPOSED:
            raise ValidationError(
                _(
                    "%(name)s is not a proposed hire (“%(state)s”); objections are recorded "
                    "against the people in the public notice."
                )
                % {"name": application.name, "state": application.get_state_display()}
            )
        today = _today()
        window_end = objection_window_end(application) or campaign.notice_ends_on
        errors: dict[str, str] = {}
        if window_end is None or today > window_end:
            raise ValidationError(
                _("The public notice of %(name)s ended on %(end)s; objections are closed.")
                % {"name": application.name, "end": window_end}
            )
        if received_on > today:
            errors["received_on"] = _("The date received cannot be in the future.")
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
        campaign = _lock(application.campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.PUBLICISED], _("Deciding an objection"))
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.decision != ObjectionDecision.PENDING:
            raise ValidationError(
                _("This objection was already decided (%(decision)s).")
                % {"decision": objection.get_decision_display()}
            )
        finding = (finding or "").strip()
        if not finding:
            raise ValidationError({"finding": _("Write down what was found.")})
        before = snapshot(objection, OBJECTION_AUDIT_FIELDS)
        objection.decision = ObjectionDecision.UPHELD if upheld else ObjectionDecision.DISMISSED
        objection.decided_by = by
        objection.decided_at = timezone.now()
        objection.finding = finding
        objection.save()
        audit_record(
            obj=objection,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before=before,
            after=snapshot(objection, OBJECTION_AUDIT_FIELDS),
            transition="decide",
            reason=finding,
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
        with _transition(application, "reject", by=by, reason=finding):
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
            starts_on, ends_on = _notice_period(_today(), campaign.notice_working_days)
            for candidate in moving_up:
                with _transition(
                    candidate, "propose", by=by, reason=_("Moves up after an upheld objection.")
                ):
                    candidate.propose(notice_starts_on=starts_on, notice_ends_on=ends_on)
            if campaign.notice_ends_on is None or ends_on > campaign.notice_ends_on:
                before = _campaign_before(campaign)
                campaign.notice_ends_on = ends_on
                campaign.save()
                audit_record(
                    obj=campaign,
                    action=AuditEntry.Action.UPDATE,
                    by=by,
                    before=before,
                    after=_campaign_before(campaign),
                    reason=_("Supplementary public notice after an upheld objection."),
                )
        # The new version names who remains and who moved up; it supersedes the current one.
        issue_for(campaign, "publicise", by=by)
        return objection


# Hiring -----------------------------------------------------------------------------------------


def _person_for(application: Application, *, by):
    """Create the person record of a hire, or bring the existing one (same ID number) up to
    date with what the applicant gave; filed under the township and village of the offer."""
    from people.models import Person
    from people.services import person_create, person_update

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
    existing = Person.objects.filter(id_number=application.id_number.upper()).first()
    if existing is None:
        return person_create(by=by, reason=reason, id_number=application.id_number, **fields)
    return person_update(person=existing, by=by, reason=reason, **fields)


def _free_post(offer: CampaignPost, taken: set[int]) -> Post:
    from contracts.services import POST_HOLDING_STATES

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
    return document_current(kind=DocumentKind.NOT_HIRED_LETTER, subject=application) is not None


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
    from contracts.services import contract_draft

    with transaction.atomic():
        campaign = _lock(campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, [CampaignState.PUBLICISED], _("Confirming the hires"))
        today = _today()
        if campaign.notice_ends_on is None or today <= campaign.notice_ends_on:
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
        if start_date < today:
            raise ValidationError(
                {
                    "start_date": _("The contracts cannot start in the past (%(date)s).")
                    % {"date": start_date}
                }
            )

        applications = list(
            campaign.applications.select_for_update(of=("self",))
            .select_related("offer__village__township", "campaign__township")
            .order_by("offer__village__name", "rank", "pk")
        )
        taken_posts: set[int] = set()
        for application in [a for a in applications if a.state == ApplicationState.PROPOSED]:
            with _transition(application, "hire", by=by):
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

        reserve_until = add_months(today, campaign.reserve_months)
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
                with _transition(application, "keep_in_reserve", by=by):
                    application.keep_in_reserve(until=reserve_until)
                _issue_reserve_letter(application, by=by)
            elif state in (ApplicationState.SCORED, ApplicationState.RANKED):
                with _transition(application, "reject", by=by):
                    application.reject(note=_("Not among those hired."))
                issue_for(application, "reject", by=by)
            elif state in (ApplicationState.NOT_HIRED, ApplicationState.ABSENT) and not (
                _has_letter(application)
            ):
                # Absent candidates end the campaign absent; they get the same letter.
                issue_for(application, "reject", by=by)

        with _transition(campaign, "conclude", by=by):
            campaign.conclude()
        return campaign


def campaign_cancel(*, campaign: Campaign, reason: str, by) -> Campaign:
    """Stop a campaign before it concludes, with the reason on record."""
    with transaction.atomic():
        campaign = _lock(campaign)
        _require_runner(by, campaign.township)
        _require_state(campaign, OPEN_CAMPAIGN_STATES, _("Cancelling"))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Say why the campaign is cancelled.")})
        with _transition(campaign, "cancel", by=by, reason=reason):
            campaign.cancel(reason=reason)
        return campaign
