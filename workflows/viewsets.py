"""The recruitment flow in the staff site: its pages, scoped to what the user may see.

``CampaignFlowViewset`` is viewflow's ``FlowAppViewset`` (dashboard, inbox, queue, archive,
process and task pages, the flow's task URLs) with three changes:

- every page needs sign-in (a login redirect, not viewflow's 403) and a page about one
  process answers 404 when the campaign is outside the user's scope, as elsewhere in the
  product (``accounts.scoping``);
- the lists that viewflow does not scope (all tasks, all processes) show only the user's
  campaigns, and the dashboard is the product's own: my tasks, tasks I may take, campaigns;
- the section has a menu entry for users with ``workflows.view_campaignprocess``.

Inbox and archive are per user already; the queue is scoped by the township- and
county-scoped task permissions of ``accounts.backends``.
"""

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver
from django.views import generic
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import (
    DashboardProcessListView,
    DashboardTaskListView,
    FlowChartView,
)
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.scoping import scoped
from recruitment.models import Campaign
from workflows.models import CampaignProcess

VIEW_PERMISSION = "workflows.view_campaignprocess"


def visible_campaigns(user):
    return scoped(Campaign.objects.all(), user)


def in_scope(view):
    """Sign-in first; then a process (and task) outside the user's scope is not found."""

    if getattr(view, "in_scope", False):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            if not visible_campaigns(request.user).filter(workflow_process__pk=process_pk).exists():
                raise Http404
            task_pk = kwargs.get("task_pk")
            if (
                task_pk is not None
                and not Task.objects.filter(pk=task_pk, process_id=process_pk).exists()
            ):
                raise Http404
        return view(request, *args, **kwargs)

    wrapped.in_scope = True  # type: ignore[attr-defined]
    return wrapped


def wrap_patterns(patterns) -> list:
    wrapped: list = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern.url_patterns[:] = wrap_patterns(pattern.url_patterns)
            wrapped.append(pattern)
        elif isinstance(pattern, URLPattern):
            wrapped.append(
                URLPattern(
                    pattern.pattern, in_scope(pattern.callback), pattern.default_args, pattern.name
                )
            )
        else:
            wrapped.append(pattern)
    return wrapped


class ScopedTaskListView(DashboardTaskListView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(process__campaignprocess__campaign__in=visible_campaigns(self.request.user))
        )


class ScopedProcessListView(DashboardProcessListView):
    def get_queryset(self):
        # order_by: the Count annotation drops Meta.ordering (UnorderedObjectListWarning).
        return (
            super()
            .get_queryset()
            .filter(campaign__in=visible_campaigns(self.request.user))
            .order_by("-created")
        )


class ScopedChartView(FlowChartView):
    """The chart of one process is a page about that process: ``in_scope`` checks it."""


class CampaignDashboardView(generic.TemplateView):
    """The section's first page: my open tasks, tasks I may take, and the campaigns I see
    with the step each one is at."""

    template_name = "workflows/dashboard.html"
    flow_class: Any = None
    viewset: Any = None

    def get_context_data(self, **kwargs):
        user = self.request.user
        flow_class = self.flow_class
        tasks = Task.objects.filter(process__flow_class=flow_class).select_related("process")
        inbox = tasks.filter(owner=user, status=STATUS.ASSIGNED).order_by("created")
        queue = tasks.user_queue(user, flow_class=flow_class).filter(status=STATUS.NEW)
        queue = queue.filter(
            process__campaignprocess__campaign__in=visible_campaigns(user)
        ).order_by("created")
        processes = (
            CampaignProcess.objects.filter(campaign__in=visible_campaigns(user))
            .select_related("campaign__township")
            .order_by("-created")[:50]
        )
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


def _task_row(task) -> tuple:
    url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
    return task, task.process.coerced.campaign, url


class CampaignFlowViewset(FlowAppViewset):
    """The recruitment flow's section of the staff site, mounted at ``campaigns/``."""

    base_template_name = "base.html"
    dashboard_view_class = CampaignDashboardView
    task_list_view_class = ScopedTaskListView
    process_list_view_class = ScopedProcessListView
    chart_view_class = ScopedChartView

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

    # The navigation of web.templatetags.cunpin.staff_menu
    def menu_visible(self, user) -> bool:
        return user.is_authenticated and user.has_perm(VIEW_PERMISSION)

    def menu_url(self) -> str | None:
        return self.reverse("index")
