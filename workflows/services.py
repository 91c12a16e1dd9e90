"""Changes to the recruitment flow's tasks that are not steps of the campaign itself:
handing an overdue task to the county and back. Each is audited on the campaign."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.backends import COUNTY_HR_PERMISSION
from accounts.constants import Role
from audit.models import AuditEntry
from audit.services import audit_record
from workflows.models import CampaignProcess

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _task_state(task: Task) -> dict:
    return {
        "task": task.flow_task.name,
        "task_id": task.pk,
        "owner_id": task.owner_id,
        "owner_permission": task.owner_permission,
        "status": task.status,
    }


def _fresh(task: Task) -> Task:
    """The task as stored, locked: a task view's activation holds an unsaved status."""
    return Task.objects.select_for_update().get(pk=task.pk)


def campaign_of(task: Task):
    return (
        CampaignProcess.objects.select_related("campaign__township")
        .get(pk=task.process_id)
        .campaign
    )


def task_escalate(*, task: Task, by=None) -> Task:
    """Hand an overdue task to the HR officers of the campaign's county.

    The task leaves its assignee and waits in the queue of the county's HR officers
    (permission ``workflows.county_hr@<county>``); the township permission it had is kept in
    ``task.data`` so that an officer can hand it back. Recorded on the campaign's audit trail.
    """
    with transaction.atomic():
        task = _fresh(task)
        if task.status not in OPEN_STATUSES:
            return task
        campaign = campaign_of(task)
        before = _task_state(task)
        task.data = {
            **(task.data or {}),
            "escalated": True,
            "escalated_from_owner": task.owner_id,
            "escalated_from_permission": task.owner_permission,
        }
        task.owner = None
        task.status = STATUS.NEW
        task.owner_permission = COUNTY_HR_PERMISSION.format(county_id=campaign.township.county_id)
        task.save()
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before=before,
            after=_task_state(task),
            reason=_("Task “%(task)s” is overdue and was escalated to the county.")
            % {"task": task.flow_task.task_title},
            transition="escalate",
        )
        return task


def task_return_to_township(*, task: Task, note: str, by) -> Task:
    """A county HR officer hands an escalated task back to the township: to the member who
    had it, or to the township committee's queue."""
    if getattr(by, "role", None) != Role.COUNTY_HR:
        raise PermissionDenied(_("Only a county HR officer can hand a task back."))
    with transaction.atomic():
        task = _fresh(task)
        data = task.data or {}
        if task.status not in OPEN_STATUSES or not data.get("escalated"):
            raise PermissionDenied(_("This task was not escalated to the county."))
        campaign = campaign_of(task)
        if campaign.township.county_id != by.county_id:
            raise PermissionDenied(_("This campaign is not in your county."))
        before = _task_state(task)
        task.owner_permission = data.get("escalated_from_permission") or task.owner_permission
        task.owner_id = data.get("escalated_from_owner")
        task.status = STATUS.ASSIGNED if task.owner_id else STATUS.NEW
        task.data = {**data, "escalated": False, "returned_by": by.pk}
        task.save()
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before=before,
            after=_task_state(task),
            reason=note,
            transition="return_to_township",
        )
        return task
