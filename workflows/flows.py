"""The recruitment campaign flow: who acts on a campaign, by when, and what happens when late.

One process per campaign (``CampaignProcess``). The flow only says who must act and by when;
every change to the campaign is made by a recruitment service called from a task view (or,
for closing registration, from the timer), so the campaign's state and its audit trail are the
same whether a step was taken in a task or elsewhere. The flow reads the campaign's state to
choose its path and never writes it.

    start (township committee member: the campaign form)
    → approve_announcement (the township's leading-group head)
    → registration_ends (timer: 00:05 on the day after the registration deadline)
    → close_registration (code)
    → review_applications → enter_written_scores → enter_interview_marks → confirm_ranking
      → handle_objections → confirm_hires (the committee member who opened the campaign)
    → end

Each human task has a time limit in working days from the policy version of the campaign
(``Policy.due_*_days``); when it passes, the task is handed to the county's HR officers
(``workflows.services.task_escalate``), who find it in their queue. After every step the flow
checks whether the campaign was cancelled meanwhile and then ends.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from accounts.backends import TOWNSHIP_COMMITTEE_PERMISSION, TOWNSHIP_HEAD_PERMISSION
from accounts.constants import Role
from accounts.scoping import can_see
from recruitment.constants import CampaignState
from recruitment.models import Campaign
from recruitment.services.campaigns import campaign_close_registration
from workflows import nodes, views
from workflows.deadlines import at_start_of, due_after_working_days
from workflows.models import CampaignProcess
from workflows.services import task_escalate


def committee_permission(activation) -> str:
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=activation.process.campaign.township_id)


def head_permission(activation) -> str:
    return TOWNSHIP_HEAD_PERMISSION.format(township_id=activation.process.campaign.township_id)


def campaign_state(activation) -> str:
    """The campaign's state as stored now: the process's cached campaign may predate the
    service that just changed it."""
    return Campaign.objects.values_list("state", flat=True).get(pk=activation.process.campaign_id)


def is_cancelled(activation) -> bool:
    return campaign_state(activation) == CampaignState.CANCELLED


def can_open_campaign(user) -> bool:
    """Township committee members with the right to run campaigns open them."""
    return bool(
        user.is_authenticated
        and getattr(user, "township_id", None)
        and user.has_perm("recruitment.run_campaign")
    )


def unless_cancelled(next_node, title):
    """A gateway after a step: on to ``next_node``, or to the end if the campaign was
    cancelled meanwhile."""
    return nodes.If(is_cancelled).Annotation(title=title).Then(this.cancelled).Else(next_node)


class CampaignFlow(flow.Flow):
    """Recruitment campaign"""

    process_class = CampaignProcess
    # Waits for the process row (no NOWAIT): of concurrent submissions of one task, the first
    # completes it and the others then find it done (``workflows.viewsets.in_scope`` says by
    # whom), instead of giving up after a few retries while the first is still at work.
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Recruitment campaign")
    process_description = _(
        "One open selection of a township, from the announcement to the confirmed hires."
    )
    process_summary_template = "{{ process.campaign.title }}"
    process_result_template = "{{ process.campaign.get_state_display }}"

    start = (
        nodes.Start(views.CampaignStartView.as_view())
        .Annotation(title=_("Open a recruitment campaign"))
        .Available(can_open_campaign)
        .Next(this.approve_announcement)
    )

    approve_announcement = (
        nodes.View(views.ApproveAnnouncementView.as_view())
        .Annotation(
            title=_("Approve the recruitment announcement"),
            description=_(
                "The head of the township's recruitment leading group approves the "
                "announcement, which opens registration, or stops the campaign."
            ),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(head_permission)
        .Assign(this.township_head)
        .OnTimeout(
            this.approval_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the approval"),
        )
        .Next(this.after_approval)
    )
    after_approval = unless_cancelled(this.registration_ends, _("Cancelled at the approval?"))

    registration_ends = (
        nodes.Timer(this.registration_closes_at)
        .Annotation(title=_("Registration deadline"))
        .Next(this.close_registration)
    )
    close_registration = (
        nodes.Function(this.close_registration_now)
        .Annotation(title=_("Close registration"))
        .Next(this.after_registration)
    )
    after_registration = unless_cancelled(
        this.review_applications, _("Cancelled during registration?")
    )

    review_applications = (
        nodes.View(views.ReviewApplicationsView.as_view())
        .Annotation(
            title=_("Review the applications"),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(committee_permission)
        .Assign(this.committee_member)
        .OnTimeout(
            this.review_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the review"),
        )
        .Next(this.after_review)
    )
    after_review = unless_cancelled(this.enter_written_scores, _("Cancelled during the review?"))

    enter_written_scores = (
        nodes.View(views.WrittenScoresView.as_view())
        .Annotation(
            title=_("Enter the written exam scores"),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(committee_permission)
        .Assign(this.committee_member)
        .OnTimeout(
            this.written_scores_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the written scores"),
        )
        .Next(this.after_written_scores)
    )
    after_written_scores = unless_cancelled(
        this.enter_interview_marks, _("Cancelled during the written exam?")
    )

    enter_interview_marks = (
        nodes.View(views.InterviewMarksView.as_view())
        .Annotation(
            title=_("Enter the interview marks"),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(committee_permission)
        .Assign(this.committee_member)
        .OnTimeout(
            this.interview_marks_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the interview marks"),
        )
        .Next(this.after_interview_marks)
    )
    after_interview_marks = unless_cancelled(
        this.confirm_ranking, _("Cancelled during the interview?")
    )

    confirm_ranking = (
        nodes.View(views.ConfirmRankingView.as_view())
        .Annotation(
            title=_("Confirm the ranking and publish the proposed hires"),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(committee_permission)
        .Assign(this.committee_member)
        .OnTimeout(
            this.ranking_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the ranking"),
        )
        .Next(this.after_ranking)
    )
    after_ranking = unless_cancelled(this.handle_objections, _("Cancelled at the ranking?"))

    handle_objections = (
        nodes.View(views.HandleObjectionsView.as_view())
        .Annotation(
            title=_("Handle objections during the public notice"),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(committee_permission)
        .Assign(this.committee_member)
        .OnTimeout(
            this.objections_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the objections"),
        )
        .Next(this.after_objections)
    )
    after_objections = unless_cancelled(
        this.confirm_hires, _("Cancelled during the public notice?")
    )

    confirm_hires = (
        nodes.View(views.ConfirmHiresView.as_view())
        .Annotation(
            title=_("Confirm the hires"),
            summary_template="{{ process.campaign.title }}",
        )
        .Permission(committee_permission)
        .Assign(this.committee_member)
        .OnTimeout(
            this.hires_due,
            this.escalate,
            interrupting=False,
            title=_("Time limit of the hires"),
        )
        .Next(this.after_hires)
    )
    after_hires = unless_cancelled(this.end, _("Cancelled at the hiring?"))

    # An overdue task goes to the county; this branch ends there, the task stays open.
    escalate = nodes.Function(this.escalate_overdue_task).Annotation(
        title=_("Escalate to the county")
    )

    end = nodes.End().Annotation(title=_("Concluded"))
    cancelled = nodes.End().Annotation(title=_("Cancelled"))

    # --- who ----------------------------------------------------------------------------

    def township_head(self, activation):
        """The head of the township's leading group, if one is recorded and still active;
        otherwise the task waits in the queue for whoever is made head."""
        head = activation.process.campaign.township.leading_group_head
        return head if head is not None and head.is_active else None

    def committee_member(self, activation):
        """The committee member who opened the campaign, while still on the committee of
        that township; otherwise the task waits in the township committee's queue."""
        task = (
            activation.process.task_set.filter(flow_task=CampaignFlow.start)
            .select_related("owner")
            .first()
        )
        user = task.owner if task is not None else None
        campaign = activation.process.campaign
        if (
            user is not None
            and user.is_active
            and user.role == Role.TOWNSHIP_COMMITTEE
            and user.township_id == campaign.township_id
        ):
            return user
        return None

    # --- by when ------------------------------------------------------------------------

    def _policy(self, activation):
        return activation.process.campaign.policy

    def approval_due(self, activation):
        days = self._policy(activation).due_announcement_approval_days
        return due_after_working_days(timezone.localdate(), days)

    def registration_closes_at(self, activation):
        """00:05 on the day after the registration deadline (the deadline day counts)."""
        end = activation.process.campaign.registration_end
        return at_start_of(end + datetime.timedelta(days=1))

    def review_due(self, activation):
        days = self._policy(activation).due_application_review_days
        return due_after_working_days(timezone.localdate(), days)

    def written_scores_due(self, activation):
        """Counted from the written exam, or from today when the exam is already past."""
        campaign = activation.process.campaign
        exam_day = timezone.localdate(campaign.written_exam_at)
        start = max(exam_day, timezone.localdate())
        return due_after_working_days(start, self._policy(activation).due_score_entry_days)

    def interview_marks_due(self, activation):
        """Counted from the interview, or from today when it is past or not yet dated."""
        campaign = activation.process.campaign
        start = timezone.localdate()
        if campaign.interview_at is not None:
            start = max(start, timezone.localdate(campaign.interview_at))
        return due_after_working_days(start, self._policy(activation).due_score_entry_days)

    def ranking_due(self, activation):
        days = self._policy(activation).due_ranking_confirmation_days
        return due_after_working_days(timezone.localdate(), days)

    def objections_due(self, activation):
        """Counted from the last day of the public notice.

        Read from the database: the process's copy of the campaign was loaded before the
        confirm-ranking step published the notice and set its dates."""
        notice_ends_on = Campaign.objects.values_list("notice_ends_on", flat=True).get(
            pk=activation.process.campaign_id
        )
        start = notice_ends_on or timezone.localdate()
        days = self._policy(activation).due_objection_handling_days
        return due_after_working_days(start, days)

    def hires_due(self, activation):
        days = self._policy(activation).due_hire_confirmation_days
        return due_after_working_days(timezone.localdate(), days)

    # --- code steps ---------------------------------------------------------------------

    def close_registration_now(self, activation):
        """Registration ends: no one acts, so the system closes it (``by=None``). A campaign
        cancelled meanwhile is left alone and the flow ends after this step."""
        if campaign_state(activation) == CampaignState.ANNOUNCED:
            campaign_close_registration(campaign=activation.process.campaign, by=None)

    def escalate_overdue_task(self, activation):
        """Hand the overdue task (the host of the timer that fired) to the county."""
        boundary = activation.task.previous.get()
        host = boundary.previous.get()
        task_escalate(task=host, by=None)

    # --- who sees -----------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        """The flow's pages need the model permission; a process (``obj``) is visible only
        within the user's scope, like its campaign."""
        if not super().has_view_permission(user):
            return False
        if obj is None:
            return True
        campaign = getattr(obj, "campaign", None)
        return campaign is not None and can_see(user, campaign)
