"""The resignation and dismissal flows in the staff site (``ResignationFlow``,
``DismissalFlow``): one page per human step, the task's link, which sends the user to the
record's page where the step's form is (``contracts.views_endings``).

Each task URL needs sign-in, answers 404 when the record is outside the user's scope or the
task is not of that process and step, and otherwise redirects to the record's page. viewflow's
own lists and task pages are not mounted: the records' pages and lists show the steps, their
time limits and who has them, in the product's words and scope."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import URLPattern, URLResolver
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.models import Task

from accounts.scoping import can_see
from workflows.flows_endings import record_url


def task_page(node):
    def view(request, process_pk: int, task_pk: int, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        task = (
            Task.objects.select_related("process")
            .filter(pk=task_pk, process_id=process_pk, flow_task=node)
            .first()
        )
        if task is None:
            raise Http404
        process = task.process.flow_class.process_class.objects.get(pk=process_pk)
        record = getattr(process, "resignation", None) or getattr(process, "case", None)
        if record is None:
            raise Http404
        if not request.user.has_perm(f"contracts.view_{record._meta.model_name}"):
            raise PermissionDenied
        if not can_see(request.user, record):
            raise Http404
        return HttpResponseRedirect(record_url(process))

    return view


def task_link_patterns(patterns, page, node=None) -> list:
    """A flow's URL patterns reduced to each human task's link, served by ``page(node)``
    (the flows of the term's endings, the month and the appraisal use it)."""
    kept: list = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = getattr(pattern, "extra", {}).get("node", node)
            pattern.url_patterns[:] = task_link_patterns(pattern.url_patterns, page, inner)
            if pattern.url_patterns:
                kept.append(pattern)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name == "index"
            and getattr(node, "task_type", "") == "HUMAN"
        ):
            kept.append(URLPattern(pattern.pattern, page(node), pattern.default_args, "index"))
    return kept


class TaskLinksViewset(FlowAppViewset):
    """A flow whose human tasks are done on a record's page: its tasks' links only, each
    served by ``task_page(node)`` (sign-in, step, scope, then a redirect to the record)."""

    base_template_name = "base.html"
    task_page = staticmethod(task_page)

    def has_view_permission(self, user, obj=None) -> bool:
        return True  # each URL checks sign-in and scope itself

    def _get_urls(self):
        flow_patterns, _, _ = self._flow_class.instance.urls
        self._flow_class.parent = self
        self._flow_class.app_name = None
        return task_link_patterns(flow_patterns, type(self).task_page)

    def menu_visible(self, user) -> bool:
        return False


class EndingsFlowViewset(TaskLinksViewset):
    """A flow of the end of a contract: its human tasks' links only."""
