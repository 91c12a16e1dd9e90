"""The monthly assessment flow in the staff site (``MonthFlow``): each human task's link,
which sends the user to the month's page where the step's button is
(``assessment.views``).

Each task URL needs sign-in, answers 404 when the month is outside the user's scope or the
task is not of that process and step, and otherwise redirects to the month's page. viewflow's
own lists and task pages are not mounted: the month's page shows the steps, their time limits
and who has them."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import URLPattern, URLResolver
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.models import Task

from accounts.scoping import can_see
from workflows.flows_month import month_url
from workflows.models import MonthProcess


def task_page(node):
    def view(request, process_pk: int, task_pk: int, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not Task.objects.filter(pk=task_pk, process_id=process_pk, flow_task=node).exists():
            raise Http404
        process = MonthProcess.objects.select_related("month").get(pk=process_pk)
        if not request.user.has_perm("assessment.view_assessmentmonth"):
            raise PermissionDenied
        if not can_see(request.user, process.month):
            raise Http404
        return HttpResponseRedirect(month_url(process))

    return view


def _task_patterns(patterns, node=None) -> list:
    kept: list = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = getattr(pattern, "extra", {}).get("node", node)
            pattern.url_patterns[:] = _task_patterns(pattern.url_patterns, inner)
            if pattern.url_patterns:
                kept.append(pattern)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name == "index"
            and getattr(node, "task_type", "") == "HUMAN"
        ):
            kept.append(URLPattern(pattern.pattern, task_page(node), pattern.default_args, "index"))
    return kept


class MonthFlowViewset(FlowAppViewset):
    """The month flow: its human tasks' links only."""

    base_template_name = "base.html"

    def has_view_permission(self, user, obj=None) -> bool:
        return True  # each URL checks sign-in and scope itself

    def _get_urls(self):
        flow_patterns, _, _ = self._flow_class.instance.urls
        self._flow_class.parent = self
        self._flow_class.app_name = None
        return _task_patterns(flow_patterns)

    def menu_visible(self, user) -> bool:
        return False
