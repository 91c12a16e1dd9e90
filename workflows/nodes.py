"""viewflow's nodes without the management pages that would undo a business fact, with the
people's side of a task on the campaign's audit trail.

A finished step of a campaign is a change the recruitment services made and audited (an
announcement published, admission tickets issued); undoing or reviving the task would not
undo it, and cancelling a single task leaves the flow stuck or its timeout armed. These
subclasses keep the pages people use (task detail, execute, assign, unassign) and drop undo,
cancel and revive, on the time limits (``OnTimeout``) too. A process is stopped by
cancelling its campaign, which the flow follows to its end, or as a whole by an
administrator (``workflows.views.ProcessCancelView``).

A human task (``View``) records on the campaign's audit trail who took it, who gave it back
and who completed it (``workflows.services.task_record``), whichever page or code drives it.
Its owner may work it only while they still hold the task's permission: a committee member
moved to another township no longer executes the old township's tasks.
"""

from django.utils.translation import gettext_lazy as _
from viewflow.utils import is_owner
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.nodes.view import ViewActivation

from workflows import services
from workflows.views import TaskDetailView


def holds(user, task) -> bool:
    """Whether ``user`` still has the permission the task asks of whoever works it."""
    return not task.owner_permission or user.has_perm(task.owner_permission)


class TaskActivation(ViewActivation):
    """A human task whose assignment, release and completion are audited on the campaign."""

    @Activation.status.super()
    def assign(self, user):
        super().assign.original(user)
        services.task_record(task=self.task, event=services.TaskEvent.ASSIGN, by=user)

    @Activation.status.super()
    def unassign(self, by=None):
        owner = self.task.owner
        super().unassign.original()
        services.task_record(
            task=self.task, event=services.TaskEvent.UNASSIGN, by=by or owner, owner=owner
        )

    @Activation.status.super()
    def complete(self):
        super().complete.original()
        services.task_record(task=self.task, event=services.TaskEvent.COMPLETE, by=self.task.owner)


class AssignTaskView(flow_views.AssignTaskView):
    """Take a task from the pool, then work it (its execute page)."""

    template_name = "workflows/task_assign.html"

    def get_success_message(self, cleaned_data):
        title = self.request.activation.flow_task.task_title
        return _("You took the task “%(task)s”.") % {"task": title}

    def get_success_url(self):
        task = self.request.activation.task
        return task.flow_task.reverse("index", args=[task.process_id, task.pk])


class UnassignTaskView(flow_views.UnassignTaskView):
    """Give the task back to the pool; the audit row names who did it."""

    template_name = "workflows/task_unassign.html"

    def form_valid(self, form):
        self.request.activation.unassign(by=self.request.user)
        # SuccessMessageMixin's message and the redirect, without the parent's second
        # unassign.
        return super(flow_views.UnassignTaskView, self).form_valid(form)

    def get_success_message(self, cleaned_data):
        title = self.request.activation.flow_task.task_title
        return _("The task “%(task)s” is back in the pool.") % {"task": title}

    def get_success_url(self):
        return self.request.resolver_match.flow_viewset.reverse("index")


class Start(flow.Start):
    detail_view_class = TaskDetailView
    undo_view_class = None


class View(flow.View):
    activation_class = TaskActivation
    detail_view_class = TaskDetailView
    assign_view_class = AssignTaskView
    unassign_view_class = UnassignTaskView
    undo_view_class = None
    cancel_view_class = None
    revive_view_class = None

    def OnTimeout(self, delay, then, interrupting=True, title=None):
        """viewflow's timer boundary without its cancel page (an administrator who cancelled
        it would silently switch off the escalation to the county), with the product's task
        page."""
        super().OnTimeout(delay, then, interrupting=interrupting, title=title)
        _kind, boundary = self._boundary_specs[-1]
        boundary.cancel_view_class = None
        boundary.detail_view_class = TaskDetailView
        return self

    def can_execute(self, user, task):
        return is_owner(task.owner, user) and holds(user, task)


class Function(flow.Function):
    detail_view_class = TaskDetailView
    undo_view_class = None
    cancel_view_class = None
    revive_view_class = None


class If(flow.If):
    """An exclusive gateway whose chart labels are words of the interface language."""

    detail_view_class = TaskDetailView
    undo_view_class = None
    cancel_view_class = None
    revive_view_class = None

    def _outgoing(self):
        yield Edge(src=self, dst=self._on_true, edge_class="cond_true", label=_("yes"))
        yield Edge(src=self, dst=self._on_false, edge_class="cond_false", label=_("no"))


class Timer(flow.Timer):
    detail_view_class = TaskDetailView
    cancel_view_class = None
    revive_view_class = None


class End(flow.End):
    detail_view_class = TaskDetailView
    undo_view_class = None
    revive_view_class = None
