"""The appraisal and settlement flows in the staff site: their human tasks' links only, each
sending the user to the township's appraisal page of the year (``appraisal.views``), after
sign-in, scope (404) and the task belonging to that process and step."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from viewflow.workflow.models import Task

from accounts.constants import Role
from accounts.scoping import can_see
from workflows.flows_appraisal import record_url
from workflows.viewsets_endings import TaskLinksViewset


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
        record = getattr(process, "appraisal", None) or getattr(process, "settlement", None)
        if record is None:
            raise Http404
        # The township's appraisal page is a staff page: a director reads theirs on /my-term/.
        if (
            not request.user.has_perm("appraisal.view_annualappraisal")
            or getattr(request.user, "role", "") == Role.DIRECTOR
        ):
            raise PermissionDenied
        if not can_see(request.user, record):
            raise Http404
        return HttpResponseRedirect(record_url(process))

    return view


class AppraisalFlowViewset(TaskLinksViewset):
    """The appraisal or settlement flow: its human tasks' links only."""

    task_page = staticmethod(task_page)
