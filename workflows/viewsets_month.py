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
from viewflow.workflow.models import Task

from accounts.scoping import can_see
from workflows.flows_month import month_url
from workflows.models import MonthProcess
from workflows.viewsets_endings import TaskLinksViewset


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


class MonthFlowViewset(TaskLinksViewset):
    """The month flow: its human tasks' links only."""

    task_page = staticmethod(task_page)
