"""The recruitment flow in the staff site: its pages, scoped to what the user may see.

``CampaignFlowViewset`` is viewflow's ``FlowAppViewset`` (dashboard, inbox, queue, archive,
process and task pages, the flow's task URLs) with these changes:

- every page needs sign-in (a login redirect, not viewflow's 403); a page about one process
  answers 404 when the campaign is outside the user's scope, as elsewhere in the product
  (``accounts.scoping``), and a task page when its task is not of the process and of the step
  the URL names (``in_scope``);
- a task page never answers 500 for the task's own reasons: completed meanwhile (also by a
  concurrent submission), locked by another submission, or failed while completing;
- the lists, the process page and the task pages are the product's own, in the interface
  language with people's names: my tasks, tasks I may take (``workflows.selectors``), tasks
  I completed, every task and process of the campaigns I see;
- the section has a menu entry for users with ``workflows.view_campaignprocess``.
"""

import logging
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import FlowChartView
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from workflows import selectors
from workflows.models import CampaignProcess
from workflows.selectors import visible_campaigns
from workflows.services import local_time, person
from workflows.views import TASK_FAILURES, ProcessCancelView, failure_message, task_state

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "workflows.view_campaignprocess"


def in_scope(view, node=None):
    """Sign-in first; then a process outside the user's scope is not found, nor a task that
    is not of that process or not of the step (``node``) the URL names: a task id with
    another step's name in the URL would run that step's page on this task.

    A task page then never answers 500 for the task's own reasons: a task completed (or
    cancelled) meanwhile, by a concurrent submission too, says who completed it and when;
    a task busy under another submission's lock says so; a failure while completing it
    (a document that cannot be issued, a full disk, a database error) rolls the whole step
    back and says so.
    """

    if getattr(view, "in_scope", False):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process_pk = kwargs.get("process_pk")
        if (
            process_pk is not None
            and not visible_campaigns(request.user).filter(workflow_process__pk=process_pk).exists()
        ):
            raise Http404
        task_pk = kwargs.get("task_pk")
        if task_pk is None:
            return view(request, *args, **kwargs)
        if (
            node is None
            or not Task.objects.filter(pk=task_pk, process_id=process_pk, flow_task=node).exists()
        ):
            raise Http404
        return _task_page(view, request, *args, **kwargs)

    wrapped.in_scope = True  # type: ignore[attr-defined]
    return wrapped


def _task_page(view, request, *args, **kwargs):
    task_pk = kwargs["task_pk"]
    try:
        return view(request, *args, **kwargs)
    except PermissionDenied:
        ended = _ended_task_response(request, task_pk)
        if ended is None:
            raise
        return ended
    except FlowLockFailed:
        ended = _ended_task_response(request, task_pk)
        if ended is not None:
            return ended
        task = Task.objects.get(pk=task_pk)
        messages.warning(
            request,
            _("Someone is completing the task “%(task)s” at this moment; try again shortly.")
            % {"task": task.flow_task.task_title},
        )
        return HttpResponseRedirect(_campaign_url(task))
    except TASK_FAILURES:
        if request.method != "POST":
            raise
        # The step's transaction was rolled back: the task and the campaign are as they were.
        logger.exception("Task %s could not be completed", task_pk)
        messages.error(request, failure_message())
        return HttpResponseRedirect(request.path)


def _campaign_url(task) -> str:
    campaign_id = CampaignProcess.objects.values_list("campaign_id", flat=True).get(
        pk=task.process_id
    )
    return reverse("recruitment:campaign_detail", args=[campaign_id])


def _ended_task_response(request, task_pk: int):
    """A redirect to the campaign with who completed the task and when, if it has ended."""
    task = Task.objects.select_related("owner").get(pk=task_pk)
    if task.status == STATUS.DONE:
        values = {
            "task": task.flow_task.task_title,
            "person": person(task.owner),
            "time": local_time(task.finished or task.created),
        }
        messages.info(
            request, _("“%(task)s” was already completed by %(person)s at %(time)s.") % values
        )
    elif task.status == STATUS.CANCELED:
        messages.info(
            request,
            _("“%(task)s” was cancelled with the campaign's process.")
            % {"task": task.flow_task.task_title},
        )
    else:
        return None
    return HttpResponseRedirect(_campaign_url(task))


def wrap_patterns(patterns, node=None, wrap=None) -> list:
    """The flow's URL patterns with each view wrapped by ``wrap(callback, node)`` (by default
    ``in_scope``), ``node`` being the flow node whose URLs they are."""
    wrap = wrap or in_scope
    wrapped: list = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = getattr(pattern, "extra", {}).get("node", node)
            pattern.url_patterns[:] = wrap_patterns(pattern.url_patterns, inner, wrap)
            wrapped.append(pattern)
        elif isinstance(pattern, URLPattern):
            wrapped.append(
                URLPattern(
                    pattern.pattern,
                    wrap(pattern.callback, node),
                    pattern.default_args,
                    pattern.name,
                )
            )
        else:
            wrapped.append(pattern)
    return wrapped


class ScopedChartView(FlowChartView):
    """The chart of one process is a page about that process: ``in_scope`` checks it."""


def task_link(task) -> str:
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def _task_row(task) -> tuple:
    """(task, campaign, url): a task as the section's tables list it."""
    return task, task.process.campaignprocess.campaign, task_link(task)


class CampaignDashboardView(generic.TemplateView):
    """The section's first page: my open tasks, tasks I may take, and the campaigns I see
    with the step each one is at."""

    template_name = "workflows/dashboard.html"
    flow_class: Any = None
    viewset: Any = None

    def get_context_data(self, **kwargs):
        user = self.request.user
        flow_class = self.flow_class
        inbox = selectors.inbox(flow_class, user).order_by("created", "pk")
        queue = selectors.queue(flow_class, user).order_by("created", "pk")
        processes = list(selectors.processes(user)[:50])
        open_tasks = _open_tasks(processes)
        start_node = flow_class.start
        match: Any = self.request.resolver_match
        viewset = match.flow_viewset
        return super().get_context_data(
            inbox=[_task_row(task) for task in inbox],
            queue=[_task_row(task) for task in queue],
            processes=[
                (p, open_tasks.get(p.pk, []), viewset.reverse("process_detail", args=[p.pk]))
                for p in processes
            ],
            start_url=start_node.reverse("execute") if start_node.can_execute(user) else None,
            **kwargs,
        )


def _open_tasks(processes) -> dict[int, list]:
    """The open human tasks of each process, by process id."""
    open_tasks: dict[int, list] = {}
    for task in (
        Task.objects.filter(
            process__in=[p.pk for p in processes],
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .select_related("owner")
        .order_by("created")
    ):
        open_tasks.setdefault(task.process_id, []).append(task)
    return open_tasks


class TaskListPage(generic.ListView):
    """One list of tasks (``select``: a function of ``workflows.selectors``) as a table:
    the step, the campaign, who has it, when it was opened and finished, its state."""

    flow_class: Any = None
    viewset: Any = None
    template_name = "workflows/task_list.html"
    paginate_by = 50
    title: Any = ""
    empty: Any = ""
    select: Any = None

    def get_queryset(self):
        return type(self).select(self.flow_class, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            empty=self.empty,
            rows=[(*_task_row(task), task_state(task)) for task in context["object_list"]],
        )
        return context


class InboxPage(TaskListPage):
    title = gettext_lazy("My tasks")
    empty = gettext_lazy("You have no open tasks.")
    select = staticmethod(selectors.inbox)


class QueuePage(TaskListPage):
    title = gettext_lazy("Tasks I can take")
    empty = gettext_lazy("No tasks wait to be taken.")
    select = staticmethod(selectors.queue)


class ArchivePage(TaskListPage):
    title = gettext_lazy("Tasks I completed")
    empty = gettext_lazy("You have not completed any task yet.")
    select = staticmethod(selectors.archive)


class AllTasksPage(TaskListPage):
    title = gettext_lazy("Tasks of the campaigns")
    empty = gettext_lazy("No tasks yet.")
    select = staticmethod(selectors.campaign_tasks)


class ProcessListPage(generic.ListView):
    """The campaigns' processes the user sees, with the step each one waits for."""

    flow_class: Any = None
    viewset: Any = None
    template_name = "workflows/process_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.processes(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        processes = list(context["object_list"])
        open_tasks = _open_tasks(processes)
        viewset = self.request.resolver_match.flow_viewset  # type: ignore[union-attr]
        context["rows"] = [
            (p, open_tasks.get(p.pk, []), viewset.reverse("process_detail", args=[p.pk]))
            for p in processes
        ]
        return context


PROCESS_STATES = {
    PROCESS.NEW: gettext_lazy("Running"),
    PROCESS.DONE: gettext_lazy("Ended"),
    PROCESS.CANCELED: gettext_lazy("Cancelled"),
}


class ProcessDetailPage(generic.DetailView):
    """One campaign's process: every step with the person who took it, when it opened and
    finished, and how it stands; an administrator may cancel it from here."""

    flow_class: Any = None
    viewset: Any = None
    template_name = "workflows/process_detail.html"
    pk_url_kwarg = "process_pk"
    context_object_name = "process"

    def get_queryset(self):
        return selectors.processes(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.object
        user = self.request.user
        tasks = (
            process.task_set.exclude(flow_task_type="EXCLUSIVE_GATEWAY")
            .select_related("owner")
            .order_by("created", "pk")
        )
        ended = process.status in (PROCESS.DONE, PROCESS.CANCELED)
        flow = process.flow_class.instance
        context.update(
            campaign=process.campaign,
            campaign_url=reverse("recruitment:campaign_detail", args=[process.campaign_id]),
            rows=[(task, task_link(task), task_state(task)) for task in tasks],
            ended=ended,
            process_state=PROCESS_STATES.get(process.status, process.get_status_display()),
            cancel_url=(
                self.request.resolver_match.flow_viewset.reverse(  # type: ignore[union-attr]
                    "process_cancel", args=[process.pk]
                )
                if not ended and flow.has_manage_permission(user, obj=process)
                else None
            ),
        )
        return context


class CampaignFlowViewset(FlowAppViewset):
    """The recruitment flow's section of the staff site, mounted at ``campaigns/``."""

    base_template_name = "base.html"
    dashboard_view_class = CampaignDashboardView
    inbox_view_class = InboxPage
    queue_view_class = QueuePage
    archive_view_class = ArchivePage
    task_list_view_class = AllTasksPage
    process_list_view_class = ProcessListPage
    process_detail_view_class = ProcessDetailPage
    chart_view_class = ScopedChartView
    process_cancel_view_class = ProcessCancelView

    # Bulk assign/unassign by task ids: the single-task pages do the same with the scope
    # checks of ``in_scope``; the flow's own lists do not offer bulk actions.
    tasks_assign_path = None
    tasks_unassign_path = None

    def has_view_permission(self, user, obj=None) -> bool:
        # Anonymous visitors reach the views, which send them to the login page (viewflow's
        # middleware would answer 403); signed-in users need the flow's view permission.
        if not user.is_authenticated:
            return True
        return super().has_view_permission(user, obj=obj)

    def _get_urls(self):
        return wrap_patterns(super()._get_urls())

    def get_context_data(self, request):
        """The counts of the section's menu."""
        flow_class = self._flow_class
        return {
            "user_inbox": selectors.inbox(flow_class, request.user),
            "user_queue": selectors.queue(flow_class, request.user),
        }

    # The navigation of web.templatetags.cunpin.staff_menu
    def menu_visible(self, user) -> bool:
        return user.is_authenticated and user.has_perm(VIEW_PERMISSION)

    def menu_url(self) -> str | None:
        return self.reverse("index")
