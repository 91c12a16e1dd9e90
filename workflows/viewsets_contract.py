"""The contract flow in the staff site, mounted at ``contract-tasks/``: the task pages of its
nodes and one list of the contract tasks the user has or may take.

Every page needs sign-in; a page about a process answers 404 when its contract is outside the
user's scope, and a task page when the task is not of that process and of the step the URL
names (as ``workflows.viewsets.in_scope`` does for campaigns). A task completed or locked by a
concurrent submission answers with a message, never 500. viewflow's own lists, process pages
and charts are not mounted: a contract's page (``contracts:detail``) shows its open tasks.
"""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.scoping import scoped
from contracts.models import Contract
from workflows.deadlines import TIME_LIMIT_STATUSES
from workflows.models import ContractProcess
from workflows.services import local_time, person, tasks_held_by
from workflows.views import TASK_FAILURES, failure_message, task_state
from workflows.viewsets import wrap_patterns

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "workflows.view_contractprocess"


def visible_contracts(user):
    return scoped(Contract.objects.all(), user)


def _contract_url(task_pk: int) -> str:
    contract_id = ContractProcess.objects.values_list("contract_id", flat=True).get(
        process_ptr__task__pk=task_pk
    )
    return reverse("contracts:detail", args=[contract_id])


def _ended(request, task_pk: int):
    task = Task.objects.select_related("owner").get(pk=task_pk)
    if task.status == STATUS.DONE:
        messages.info(
            request,
            _("“%(task)s” was already completed by %(person)s at %(time)s.")
            % {
                "task": task.flow_task.task_title,
                "person": person(task.owner),
                "time": local_time(task.finished or task.created),
            },
        )
    elif task.status == STATUS.CANCELED:
        messages.info(request, _("“%(task)s” was cancelled.") % {"task": task.flow_task.task_title})
    else:
        return None
    return HttpResponseRedirect(_contract_url(task_pk))


def in_scope(view, node=None):
    if getattr(view, "in_scope", False):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        process_pk = kwargs.get("process_pk")
        if (
            process_pk is not None
            and not visible_contracts(request.user).filter(workflow_process__pk=process_pk).exists()
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
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            ended = _ended(request, task_pk)
            if ended is None:
                raise
            return ended
        except FlowLockFailed:
            ended = _ended(request, task_pk)
            if ended is not None:
                return ended
            messages.warning(
                request, _("Someone is completing this task at this moment; try again shortly.")
            )
            return HttpResponseRedirect(_contract_url(task_pk))
        except TASK_FAILURES:
            if request.method != "POST":
                raise
            logger.exception("Task %s could not be completed", task_pk)
            messages.error(request, failure_message())
            return HttpResponseRedirect(request.path)

    wrapped.in_scope = True  # type: ignore[attr-defined]
    return wrapped


def contract_tasks(flow_class, user):
    """The open human tasks of the contracts ``user`` sees that they hold or may take."""
    tasks = (
        Task.objects.filter(
            process__flow_class=flow_class,
            process__contractprocess__contract__in=visible_contracts(user),
            flow_task_type="HUMAN",
        )
        .select_related(
            "owner",
            "process__contractprocess__contract__person",
            "process__contractprocess__contract__township",
        )
        .order_by("created", "pk")
    )
    mine = tasks_held_by(tasks.filter(owner=user, status=STATUS.ASSIGNED), user)
    pool = tasks.filter(status=STATUS.NEW).filter(
        pk__in=Task.objects.user_queue(user, flow_class=flow_class).values("pk")
    )
    return mine, pool


class ContractFlowViewset(FlowAppViewset):
    """The contract flow's task pages and its task list, a section of the staff site."""

    base_template_name = "base.html"
    menu_template_name = None  # the site menu is the only menu
    # Only the nodes' pages and the list below: the contract's page shows its process.
    inbox_path = None
    queue_path = None
    archive_path = None
    tasks_assign_path = None
    tasks_unassign_path = None
    process_list_path = None
    process_detail_path = None
    process_cancel_path = None
    task_list_path = None
    chart_path = None
    flow_chart_path = None

    def has_view_permission(self, user, obj=None) -> bool:
        if not user.is_authenticated:
            return True
        return super().has_view_permission(user, obj=obj)

    @property
    def index_path(self):
        return path("", login_required(self.task_list), name="index")

    def task_list(self, request):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        flow_class = self._flow_class
        mine, pool = contract_tasks(flow_class, request.user)

        shown = {"mine": list(mine[:200]), "pool": list(pool[:200])}
        # Each task's time limit (its timer), one query for both lists.
        due = dict(
            Task.objects.filter(
                previous__in=[t.pk for tasks in shown.values() for t in tasks],
                status__in=TIME_LIMIT_STATUSES,
            )
            .order_by("-scheduled")  # the earliest wins, as on the dashboard
            .values_list("previous", "scheduled")
        )

        def rows(tasks):
            return [
                (
                    task,
                    task.process.contractprocess.contract,
                    task.flow_task.reverse("index", args=[task.process_id, task.pk]),
                    task_state(task),
                    due.get(task.pk),
                )
                for task in tasks
            ]

        return render(
            request,
            "workflows/contract_tasks.html",
            {"mine": rows(shown["mine"]), "pool": rows(shown["pool"])},
        )

    def _get_urls(self):
        return wrap_patterns(super()._get_urls(), wrap=in_scope)

    def get_context_data(self, request):
        return {}

    def menu_visible(self, user) -> bool:
        return user.is_authenticated and user.has_perm(VIEW_PERMISSION)

    def menu_url(self) -> str | None:
        return self.reverse("index")
