"""Task views of the recruitment flow, thin by design.

Each view shows what the person needs to decide, validates a small form, calls the one
recruitment service of the step and then completes the task with
``request.activation.execute()``. A refusal by a service (wrong state, wrong role, a
condition not met, a concurrent change) is shown on the form and completes nothing; so is a
failure (a document that cannot be issued, a full disk, a database error): viewflow runs a
task POST inside one transaction, and the service runs in its own savepoint.

The flow's own wrapper has already checked that the user owns the task (403 otherwise); the
viewset (``workflows.viewsets``) has already checked sign-in, the campaign's scope and that
the task is of this view's step, and turns a task completed meanwhile into a message.
"""

import datetime
import logging
from typing import Any

import django_fsm
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.models import Task
from viewflow.workflow.nodes import TimerBoundary
from viewflow.workflow.status import PROCESS, STATUS

from accounts.constants import Role
from paperwork.services import DocumentIssueError
from recruitment.constants import ApplicationState, CampaignState
from recruitment.forms_campaign import CampaignForm
from recruitment.models import Objection
from recruitment.selectors_exam import campaign_standings
from recruitment.services.campaigns import announcement_decide, campaign_create
from recruitment.services.hiring import campaign_confirm_hires
from recruitment.services.interview import campaign_finish_exams
from recruitment.services.notice import notice_close, notice_open_problems, ranking_publish
from recruitment.services.review import campaign_finish_review
from recruitment.services.written_exam import shortlist_draw
from workflows import forms
from workflows.deadlines import TIME_LIMIT_STATUSES, deadline_text
from workflows.models import CampaignProcess
from workflows.services import person, process_cancel, task_return_to_township

logger = logging.getLogger(__name__)

SERVICE_ERRORS = (
    django_fsm.TransitionNotAllowed,
    django_fsm.ConcurrentTransition,
    PermissionDenied,
    ValidationError,
)
# What may go wrong while a step is completed, besides a refusal: shown as a message, never
# a 500 (around the service here, keeping the form; around the whole page in
# ``workflows.viewsets.in_scope``).
TASK_FAILURES = (DocumentIssueError, OSError, DatabaseError)


def failure_message() -> str:
    return _(
        "The step could not be completed because of a technical problem (a document that "
        "could not be issued, the disk or the database). Nothing was changed; try again, and "
        "tell the system administrator if it happens again."
    )


def error_messages(exc: Exception, campaign=None) -> list[str]:
    """What to tell the user about a service's refusal, in their language."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, django_fsm.ConcurrentTransition):
        return [_("Someone else changed this campaign meanwhile. Reload the page and try again.")]
    if isinstance(exc, django_fsm.TransitionNotAllowed):
        state = campaign.get_state_display() if campaign is not None else ""
        return [
            _("This step is not possible while the campaign is “%(state)s”.") % {"state": state}
        ]
    text = str(exc)
    return [text or _("You may not take this step.")]


def page_url(name: str, *args) -> str:
    """The URL of a recruitment page the task links to (review, exam, objections)."""
    return reverse(name, args=args)


def task_due(task) -> datetime.datetime | None:
    """When the task becomes (or became) overdue: the time of its timeout, armed or fired."""
    timer = task.leading.filter(status__in=TIME_LIMIT_STATUSES).order_by("scheduled").first()
    return timer.scheduled if timer is not None else None


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def task_state(task) -> str:
    """How a task stands, in words: a time limit that was not needed is "met", not
    "cancelled"; a task in someone's hands names them."""
    status = task.status
    if isinstance(task.flow_task, TimerBoundary):
        if status == STATUS.SCHEDULED:
            # The time limit of a task: its last day, as every page says it.
            return deadline_text(task.scheduled)
        if status == STATUS.CANCELED:
            return _("Met: the step was done in time")
        if status == STATUS.DONE:
            return _("Passed: the task went to the county")
    if status == STATUS.SCHEDULED:
        return _("Waits until %(time)s") % {"time": _when(task.scheduled)}
    if status == STATUS.NEW and task.flow_task_type == "HUMAN":
        return _("Waits to be taken")
    if status == STATUS.ASSIGNED and task.owner_id:
        return _("With %(person)s") % {"person": person(task.owner)}
    if status == STATUS.DONE and task.flow_task_type in ("HUMAN", "HUMAN_START") and task.owner_id:
        return _("Done by %(person)s") % {"person": person(task.owner)}
    return str(task.get_status_display())


def campaign_page(process) -> str:
    return page_url("recruitment:campaign_detail", process.campaign_id)


def next_url_for(request, process) -> str:
    """After a step: the user's next task in this campaign, else the campaign's page."""
    task = Task._default_manager.next_user_task(process, request.user)
    if task is not None:
        return task.flow_task.reverse("index", args=[task.process_id, task.pk])
    return campaign_page(process)


class CampaignTaskView(generic.FormView):
    """One human task of a campaign: context, a form, the services of the step."""

    form_class: type = forms.FinishForm
    template_name = "workflows/task.html"
    success_text: Any = gettext_lazy("The step is done.")

    @property
    def activation(self) -> Any:
        # Set by viewflow's task view wrapper.
        return self.request.activation  # type: ignore[attr-defined]

    @property
    def campaign(self):
        return self.activation.process.campaign

    # What to do -------------------------------------------------------------------------

    def can_finish(self) -> bool:
        """Whether the finishing button is offered; the service still decides."""
        return True

    def blockers(self) -> list[str]:
        """Why the step cannot be finished yet, one sentence each."""
        return []

    def perform(self, form) -> None:
        """Call the services of the step; they raise to refuse."""

    def run_services(self, form) -> list[str]:
        """Run ``perform`` in a savepoint; the refusal or failure messages, if any."""
        try:
            with transaction.atomic():
                self.perform(form)
        except SERVICE_ERRORS as exc:
            self.campaign.refresh_from_db()
            return error_messages(exc, self.campaign)
        except TASK_FAILURES:
            logger.exception("The step %s of %s failed", self.activation.flow_task, self.campaign)
            self.campaign.refresh_from_db()
            return [failure_message()]
        return []

    def get_success_url(self) -> str:
        return next_url_for(self.request, self.activation.process)

    # Request handling --------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "return_to_township":
            return self.return_to_township()
        if self.campaign.state == CampaignState.CANCELLED:
            # Nothing left to do: the task closes and the flow ends.
            self.activation.execute()
            messages.info(request, _("The campaign was cancelled; its process has ended."))
            return HttpResponseRedirect(next_url_for(request, self.activation.process))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        problems = self.run_services(form)
        if problems:
            for problem in problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        self.activation.execute()
        messages.success(self.request, self.success_text)
        return HttpResponseRedirect(self.get_success_url())

    def return_to_township(self):
        note = (self.request.POST.get("note") or "").strip()
        if not note:
            messages.error(self.request, _("Say why the task goes back to the township."))
            return HttpResponseRedirect(self.request.path)
        task_return_to_township(task=self.activation.task, note=note, by=self.request.user)
        messages.success(self.request, _("The task is back with the township."))
        match: Any = self.request.resolver_match
        return HttpResponseRedirect(match.flow_viewset.reverse("index"))

    def get_context_data(self, **kwargs):
        task = self.activation.task
        campaign = self.campaign
        data = task.data or {}
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            campaign=campaign,
            process=self.activation.process,
            task=task,
            flow_task=self.activation.flow_task,
            due=task_due(task),
            escalated=bool(data.get("escalated")),
            can_return=bool(data.get("escalated")) and getattr(user, "role", "") == Role.COUNTY_HR,
            cancelled=campaign.state == CampaignState.CANCELLED,
            can_finish=self.can_finish(),
            blockers=self.blockers(),
            campaign_url=page_url("recruitment:campaign_detail", campaign.pk),
        )
        return context


def _applications(campaign, *states):
    """The campaign's applications by village in pinyin order, then by rank (once ranked)
    and order of registration."""
    queryset = campaign.applications.select_related("offer__village").order_by(
        "offer__village__name_pinyin", "offer", "rank", "id"
    )
    return queryset.filter(state__in=states) if states else queryset


def _link_each(applications, name: str) -> list[tuple[object, str]]:
    return [(application, page_url(name, application.pk)) for application in applications]


# --- the start -------------------------------------------------------------------------------


class CampaignStartView(generic.FormView):
    """Open a campaign: the campaign form of the recruitment app, then ``campaign_create``.

    The new process gets the campaign; the leading-group head's approval task follows.
    """

    template_name = "workflows/start.html"

    def get_form_class(self):
        return CampaignForm

    @property
    def township(self):
        return getattr(self.request.user, "township", None)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["township"] = self.township
        return kwargs

    def get_initial(self):
        """Opened from a vacancy's page (``?village=<id>``): one post of that village offered."""
        initial = super().get_initial()
        village = self.request.GET.get("village", "")
        if village.isdigit():
            initial[f"seats_{village}"] = 1
        return initial

    def form_valid(self, form):
        activation: Any = self.request.activation  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                campaign = campaign_create(
                    township=self.township,
                    by=self.request.user,
                    **form.service_kwargs(),
                )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        except SERVICE_ERRORS as exc:
            for problem in error_messages(exc):
                form.add_error(None, problem)
            return self.form_invalid(form)
        activation.process.campaign = campaign
        activation.execute()
        messages.success(
            self.request,
            _("The campaign “%(title)s” is opened and waits for the leading-group head.")
            % {"title": campaign.title},
        )
        return HttpResponseRedirect(next_url_for(self.request, activation.process))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["township"] = self.township
        return context


# --- the steps -------------------------------------------------------------------------------


class ApproveAnnouncementView(CampaignTaskView):
    """The leading-group head approves the announcement or stops the campaign with a reason
    (``announcement_decide``)."""

    form_class = forms.ApprovalForm
    template_name = "workflows/approve_announcement.html"

    def perform(self, form) -> None:
        approve = form.cleaned_data["decision"] == forms.ApprovalForm.APPROVE
        announcement_decide(
            campaign=self.campaign,
            approve=approve,
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        if approve:
            self.success_text = _("The announcement is approved and registration is open.")
        else:
            self.success_text = _("The campaign is cancelled.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        context["offers"] = campaign.offers.select_related("village").order_by(
            "village__name_pinyin", "pk"
        )
        context["is_head"] = campaign.township.leading_group_head_id == self.request.user.pk
        return context


class ReviewApplicationsView(CampaignTaskView):
    """Every application gets an eligibility result on the review pages; finishing the step
    (``campaign_finish_review``) assigns admission numbers and issues the tickets."""

    template_name = "workflows/review_applications.html"
    success_text = gettext_lazy("The review is finished; admission tickets are issued.")

    def blockers(self) -> list[str]:
        pending = self.campaign.applications.filter(state=ApplicationState.SUBMITTED).count()
        if pending:
            return [
                _("%(n)s application(s) still wait for an eligibility result.") % {"n": pending}
            ]
        return []

    def can_finish(self) -> bool:
        return not self.blockers()

    def perform(self, form) -> None:
        campaign_finish_review(campaign=self.campaign, by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        context["rows"] = _link_each(
            _applications(campaign),
            "recruitment:review_application",
        )
        context["review_list_url"] = page_url("recruitment:review_list", campaign.pk)
        return context


class WrittenScoresView(CampaignTaskView):
    """Written scores and absences are entered on the exam pages; finishing draws the
    interview shortlist (``shortlist_draw``)."""

    template_name = "workflows/written_scores.html"
    success_text = gettext_lazy("The interview shortlist is drawn.")

    def blockers(self) -> list[str]:
        waiting = self.campaign.applications.filter(state=ApplicationState.ELIGIBLE).count()
        if waiting:
            return [
                _("%(n)s eligible applicant(s) have neither a written score nor an absence.")
                % {"n": waiting}
            ]
        return []

    def can_finish(self) -> bool:
        return not self.blockers()

    def perform(self, form) -> None:
        shortlist_draw(campaign=self.campaign, by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        context["rows"] = _applications(
            campaign,
            ApplicationState.ELIGIBLE,
            ApplicationState.SCORED,
            ApplicationState.ABSENT,
        )
        context["entry_url"] = page_url("recruitment:exam_scores", campaign.pk)
        context["import_url"] = page_url("recruitment:exam_import", campaign.pk)
        context["admission_url"] = page_url("recruitment:exam_home", campaign.pk)
        return context


class InterviewMarksView(CampaignTaskView):
    """Interview marks (or absences) of the shortlisted are entered on the exam pages;
    finishing computes composites and ranks and closes the exams (``campaign_finish_exams``)."""

    template_name = "workflows/interview_marks.html"
    success_text = gettext_lazy("The exams are finished and the ranking is computed.")

    def _interviewed(self):
        return (
            self.campaign.applications.filter(
                Q(state=ApplicationState.SHORTLISTED)
                | Q(state=ApplicationState.ABSENT, written_rank__isnull=False)
            )
            .select_related("offer__village")
            .annotate(marks=Count("interview_marks"))
            .order_by("offer__village__name_pinyin", "offer", "written_rank", "id")
        )

    def blockers(self) -> list[str]:
        panel = self.campaign.interview_panel_size
        missing = sum(
            1
            for application in self._interviewed()
            if application.state == ApplicationState.SHORTLISTED and application.marks < panel
        )
        if missing:
            return [
                _(
                    "%(n)s shortlisted applicant(s) have fewer than %(panel)s interview marks "
                    "and are not marked absent."
                )
                % {"n": missing, "panel": panel}
            ]
        return []

    def can_finish(self) -> bool:
        return not self.blockers()

    def perform(self, form) -> None:
        campaign_finish_exams(campaign=self.campaign, by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (
                application,
                page_url("recruitment:exam_interview_marks", application.pk),
            )
            for application in self._interviewed()
        ]
        context["marks_url"] = page_url("recruitment:exam_interviews", self.campaign.pk)
        return context


class ConfirmRankingView(CampaignTaskView):
    """The committee confirms the ranking and publishes the proposed hires
    (``ranking_publish``: the score and ranking list, then the public notice, which
    issues the public notice and starts the notice period)."""

    template_name = "workflows/confirm_ranking.html"
    success_text = gettext_lazy(
        "The ranking is confirmed and the proposed hires are published for the notice period."
    )

    def standings(self):
        if not hasattr(self, "_standings"):
            self._standings = campaign_standings(self.campaign)
        return self._standings

    def blockers(self) -> list[str]:
        return [
            _("%(village)s: candidates share the rank at the last post; record the decision.")
            % {"village": standing.offer.village.name}
            for standing in self.standings()
            if standing.needs_decision
        ]

    def can_finish(self) -> bool:
        return not self.blockers()

    def perform(self, form) -> None:
        ranking_publish(campaign=self.campaign, by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["standings"] = [
            (standing, page_url("recruitment:exam_tie_break", standing.offer.pk))
            for standing in self.standings()
        ]
        context["ranking_url"] = page_url("recruitment:exam_ranking", self.campaign.pk)
        return context


class HandleObjectionsView(CampaignTaskView):
    """Open during the public notice: objections are recorded and decided on the campaign
    pages. The step can be finished once the notice period is over and none is pending."""

    template_name = "workflows/handle_objections.html"
    form_class = forms.NoticeCloseForm
    success_text = gettext_lazy("The notice period is over and every objection is decided.")

    def blockers(self) -> list[str]:
        return notice_open_problems(self.campaign)

    def can_finish(self) -> bool:
        return not self.blockers()

    def perform(self, form) -> None:
        notice_close(campaign=self.campaign, by=self.request.user)

    def _objections(self):
        return Objection.objects.filter(application__campaign=self.campaign)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        context["proposed"] = _applications(campaign, ApplicationState.PROPOSED)
        context["objections"] = [
            (objection, page_url("recruitment:objection_decide", objection.pk))
            for objection in self._objections().select_related("application__offer__village")
        ]
        context["record_url"] = page_url("recruitment:objection_record", campaign.pk)
        return context


class ConfirmHiresView(CampaignTaskView):
    """After the notice period the committee confirms the hires (``campaign_confirm_hires``):
    hiring notices, person records, draft contracts, reserve list and letters."""

    template_name = "workflows/confirm_hires.html"
    form_class = forms.HiresForm
    success_text = gettext_lazy(
        "The hires are confirmed: hiring notices, draft contracts and letters are issued."
    )

    def earliest_start(self) -> datetime.date:
        ends = self.campaign.notice_ends_on or timezone.localdate()
        return ends + datetime.timedelta(days=1)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["earliest"] = self.earliest_start()
        return kwargs

    def get_initial(self):
        return {"start_date": max(self.earliest_start(), timezone.localdate())}

    def perform(self, form) -> None:
        campaign_confirm_hires(
            campaign=self.campaign,
            start_date=form.cleaned_data["start_date"],
            by=self.request.user,
        )

    def get_success_url(self) -> str:
        """The campaign's page, with the hiring notices, contracts and letters just issued."""
        return campaign_page(self.activation.process)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposed"] = _applications(self.campaign, ApplicationState.PROPOSED)
        return context


# --- stopping a process ------------------------------------------------------------------------


class ProcessCancelView(generic.FormView):
    """An administrator stops a campaign and its process (``process_cancel``), with a reason
    and a ticked confirmation. Township committees stop a campaign on the approval task;
    after that, only an administrator can."""

    form_class = forms.ProcessCancelForm
    template_name = "workflows/process_cancel.html"
    flow_class: Any = None
    viewset: Any = None

    def dispatch(self, request, *args, **kwargs):
        self.process = get_object_or_404(
            CampaignProcess.objects.select_related("campaign__township"),
            pk=kwargs["process_pk"],
        )
        flow = self.process.flow_class.instance
        if not flow.has_manage_permission(request.user, obj=self.process):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def ended(self) -> bool:
        return self.process.status in (PROCESS.DONE, PROCESS.CANCELED)

    def form_valid(self, form):
        if self.ended:
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                process_cancel(
                    process=self.process,
                    reason=form.cleaned_data["reason"],
                    by=self.request.user,
                )
        except SERVICE_ERRORS as exc:
            self.process.campaign.refresh_from_db()
            for problem in error_messages(exc, self.process.campaign):
                form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The campaign “%(title)s” and its process are cancelled.")
            % {"title": self.process.campaign.title},
        )
        return HttpResponseRedirect(campaign_page(self.process))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            process=self.process,
            campaign=self.process.campaign,
            ended=self.ended,
            open_tasks=self.process.task_set.filter(
                flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
            )
            .select_related("owner")
            .order_by("created"),
            campaign_url=campaign_page(self.process),
        )
        return context


# --- a task's own page ---------------------------------------------------------------------


class TaskDetailView(flow_views.DetailTaskView):
    """Any task of the flow: its step, campaign, person, times, state, and what the user may
    do with it (work on it, take it, give it back)."""

    template_name = "workflows/task_detail.html"

    # The actions of a human task by viewflow's transition name, in the interface language.
    ACTIONS = {
        "start": ("execute", gettext_lazy("Work on the task")),
        "assign": ("assign", gettext_lazy("Take the task")),
        "unassign": ("unassign", gettext_lazy("Give it back to the pool")),
    }

    def get_actions(self):
        activation = self.request.activation  # type: ignore[attr-defined]
        task = activation.task
        actions = []
        for transition in activation.get_available_transitions(self.request.user):
            if transition.slug not in self.ACTIONS:
                continue
            url_name, label = self.ACTIONS[transition.slug]
            try:
                url = task.flow_task.reverse(url_name, args=[task.process_id, task.pk])
            except NoReverseMatch:
                continue
            actions.append((label, url))
        return actions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activation = self.request.activation  # type: ignore[attr-defined]
        task, process = activation.task, activation.process
        match: Any = self.request.resolver_match
        context.update(
            task=task,
            process=process,
            campaign=process.campaign,
            campaign_url=campaign_page(process),
            process_url=match.flow_viewset.reverse("process_detail", args=[process.pk]),
            state=task_state(task),
            due=task_due(task) if task.flow_task_type == "HUMAN" else None,
            actions=self.get_actions(),
        )
        return context
