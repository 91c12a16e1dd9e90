"""Opening a campaign, approving its announcement, closing registration and cancelling.

Who may do what:
- a township committee member of the campaign's township (``recruitment.run_campaign`` and
  the township in scope) opens and cancels a campaign;
- only the head of the township's recruitment leading group (``Township.leading_group_head``)
  approves the announcement (``announcement_decide``: approve, or stop the campaign);
- the scheduled timer (``by=None``) closes registration after the deadline.

Each service is one transaction (see ``recruitment.services.common``); a refusal raises
``PermissionDenied`` (wrong person) or ``ValidationError`` (wrong state or input) with a
message saying what is wrong, and changes nothing.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.services import POST_HOLDING_STATES
from core.text import pinyin_key
from organisation.constants import PostStatus
from organisation.models import Post, Village
from paperwork.table import issue_for
from policy.selectors import NoPolicyInForce, policy_in_force
from recruitment.constants import CampaignKind, CampaignState
from recruitment.models import OPEN_CAMPAIGN_STATES, Campaign, CampaignPost
from recruitment.services.common import (
    campaign_lock,
    local_date,
    require_campaign_state,
    require_runner,
    today,
)

RUN_CAMPAIGN = "recruitment.run_campaign"


# Vacant posts ---------------------------------------------------------------------------------


def vacant_posts(township) -> QuerySet[Post]:
    """The township's posts a campaign may offer: active, without a holder, not offered in
    another open campaign, and not held by a contract waiting for signature."""
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
        .order_by("village__name_pinyin", "village", "number")
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
    if registration_end < registration_start:
        errors["registration_end"] = _(
            "The registration deadline (%(end)s) is before registration opens (%(start)s)."
        ) % {"end": registration_end, "start": registration_start}
    elif registration_end < today():
        errors["registration_end"] = _(
            "The registration deadline (%(end)s) has already passed."
        ) % {"end": registration_end}
    written_on = local_date(written_exam_at)
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
        ) % {"interview": local_date(interview_at), "exam": written_on}


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
        require_runner(by, township)
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
            policy = policy_in_force(county=township.county, on=today())
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
        campaign = campaign_lock(campaign)
        _require_head(by, campaign)
        require_campaign_state(campaign, [CampaignState.DRAFT], _("Approving the announcement"))
        if campaign.registration_end < today():
            raise ValidationError(
                _(
                    "The registration deadline (%(end)s) has passed; cancel this campaign and "
                    "open a new one with new dates."
                )
                % {"end": campaign.registration_end}
            )
        if not campaign.offers.exists():
            raise ValidationError(_("The campaign offers no post."))
        with audited_transition(campaign, "announce", by=by):
            campaign.announce(by=by)
        issue_for(campaign, "announce", by=by)
        return campaign


def _require_head(by, campaign: Campaign) -> None:
    """Only the head of the township's leading group, on record and active, decides the
    announcement."""
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


def announcement_decide(*, campaign: Campaign, approve: bool, reason: str = "", by) -> Campaign:
    """The leading-group head decides the announcement: approving it opens registration
    (``campaign_announce``); not approving it stops the campaign with the reason, which is
    required (``campaign_cancel``). The one step of the flow's approval task."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        _require_head(by, campaign)
        if approve:
            return campaign_announce(campaign=campaign, by=by)
        require_campaign_state(campaign, [CampaignState.DRAFT], _("Deciding the announcement"))
        return _cancel(campaign, reason=reason, by=by)


# Registration ---------------------------------------------------------------------------------


def campaign_close_registration(*, campaign: Campaign, by=None) -> Campaign:
    """Close registration once the deadline has passed. ``by`` is None when the scheduled
    timer closes it."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        if by is not None:
            require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.ANNOUNCED], _("Closing registration"))
        if not campaign.registration_over():
            raise ValidationError(
                _("Registration is open until %(end)s (inclusive); it closes after that day.")
                % {"end": campaign.registration_end}
            )
        with audited_transition(
            campaign,
            "close_registration",
            by=by,
            reason="" if by is not None else _("Closed by the scheduler after the deadline."),
        ):
            campaign.close_registration()
        return campaign


# Cancelling -----------------------------------------------------------------------------------


def campaign_cancel(*, campaign: Campaign, reason: str, by) -> Campaign:
    """Stop a campaign before it concludes, with the reason on record."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        return _cancel(campaign, reason=reason, by=by)


def _cancel(campaign: Campaign, *, reason: str, by) -> Campaign:
    require_campaign_state(campaign, OPEN_CAMPAIGN_STATES, _("Cancelling"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the campaign is cancelled.")})
    with audited_transition(campaign, "cancel", by=by, reason=reason):
        campaign.cancel(reason=reason)
    return campaign
