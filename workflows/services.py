"""Changes to the recruitment flow's tasks and processes that are not steps of the campaign
itself, each on the campaign's audit trail in the office's language, naming the step and the
people:

- ``task_record``: a task taken, given back or completed (called by the human tasks'
  activation, ``workflows.nodes.TaskActivation``, whichever page or code drives it);
- ``task_escalate`` / ``task_return_to_township``: an overdue task handed to the county and
  back;
- ``tasks_release_unheld``: the tasks of a user who no longer holds their permission (moved
  to another township, another role, deactivated) go back to the pool they came from;
- ``process_cancel``: an administrator stops a campaign and its process.
"""

import datetime
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.backends import COUNTY_HR_PERMISSION
from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record
from recruitment.constants import CampaignState
from recruitment.models import Campaign
from recruitment.services.campaigns import campaign_cancel
from workflows.models import CampaignProcess
from workflows.task_notices import tell_of_task

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class TaskEvent(StrEnum):
    """What happened to a human task; the audit entry's ``transition``."""

    ASSIGN = "task_assign"
    UNASSIGN = "task_unassign"
    COMPLETE = "task_complete"
    RELEASE = "task_release"
    ESCALATE = "escalate"
    RETURN = "return_to_township"
    PROCESS_CANCEL = "process_cancel"


def person(user) -> str:
    """How the audit trail names a person: their name, never their username alone."""
    if user is None:
        return _("the system")
    return user.display_name


def local_time(moment: datetime.datetime) -> str:
    """``HH:MM`` today, else the date and time, in the project's time zone."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _fresh(task: Task) -> Task:
    """The task as stored, locked: a task view's activation holds an unsaved status."""
    return Task.objects.select_for_update().get(pk=task.pk)


def campaign_of(task: Task):
    return (
        CampaignProcess.objects.select_related("campaign__township")
        .get(pk=task.process_id)
        .campaign
    )


def subject_of(task: Task):
    """The business record of the task's process (a campaign, a contract, …): its audit
    trail records the task's people, and its township and county scope the task. Each process
    model names it in its ``subject`` property."""
    process_class = task.process.flow_class.process_class
    return process_class._default_manager.get(pk=task.process_id).subject


def _record(task: Task, *, transition: str, by, reason: str) -> AuditEntry:
    return audit_record(
        obj=subject_of(task),
        action=AuditEntry.Action.UPDATE,
        by=by,
        reason=reason,
        transition=transition,
    )


def _office_language():
    """Audit entries keep the words they were written with: the office's language."""
    return translation.override(settings.LANGUAGE_CODE)


def task_record(*, task: Task, event: TaskEvent, by, owner=None) -> AuditEntry:
    """One audit entry on the campaign: ``by`` took (``ASSIGN``), gave back (``UNASSIGN``,
    the task of ``owner``) or completed (``COMPLETE``) the human task ``task``."""
    with _office_language():
        values = {"task": task.flow_task.task_title, "person": person(by)}
        if event == TaskEvent.ASSIGN:
            reason = _("%(person)s took the task “%(task)s”.") % values
        elif event == TaskEvent.UNASSIGN:
            if owner is not None and by is not None and owner.pk != by.pk:
                values["owner"] = person(owner)
                reason = _("%(person)s gave the task “%(task)s” of %(owner)s back to the pool.") % (
                    values
                )
            else:
                reason = _("%(person)s gave the task “%(task)s” back to the pool.") % values
        elif event == TaskEvent.COMPLETE:
            subject = subject_of(task)
            if isinstance(subject, Campaign) and subject.state == CampaignState.CANCELLED:
                reason = (
                    _("%(person)s closed the task “%(task)s”: the campaign was cancelled.") % values
                )
            else:
                reason = _("%(person)s completed the task “%(task)s”.") % values
        else:
            raise ValueError(f"not a task event: {event}")
        return _record(task, transition=event, by=by, reason=reason)


def task_escalate(*, task: Task, by=None) -> Task:
    """Hand an overdue task to the HR officers of the county of the task's record (a campaign,
    a contract, a vacancy, …); a task already in their queue is left as it is.

    The task leaves its assignee and waits in the queue of the county's HR officers
    (permission ``workflows.county_hr@<county>``); the township permission it had is kept in
    ``task.data`` so that an officer can hand it back. Recorded on the record's audit trail.
    """
    with transaction.atomic():
        task = _fresh(task)
        township = subject_of(task).township
        county_queue = COUNTY_HR_PERMISSION.format(county_id=township.county_id)
        if task.status not in OPEN_STATUSES or task.owner_permission == county_queue:
            return task  # done, or already in the county's queue
        owner = task.owner
        task.data = {
            **(task.data or {}),
            "escalated": True,
            "escalated_from_owner": task.owner_id,
            "escalated_from_permission": task.owner_permission,
        }
        task.owner = None
        task.status = STATUS.NEW
        task.owner_permission = county_queue
        task.save()
        with _office_language():
            values = {"task": task.flow_task.task_title, "owner": person(owner)}
            if owner is not None:
                reason = (
                    _(
                        "The task “%(task)s” of %(owner)s is overdue and was escalated to the "
                        "county's HR officers."
                    )
                    % values
                )
            else:
                reason = (
                    _(
                        "The task “%(task)s” is overdue and was escalated to the county's HR "
                        "officers."
                    )
                    % values
                )
            _record(task, transition=TaskEvent.ESCALATE, by=by, reason=reason)
        tell_of_task(task, event="escalated")
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
        if subject_of(task).township.county_id != by.county_id:
            raise PermissionDenied(_("This campaign is not in your county."))
        task.owner_permission = data.get("escalated_from_permission") or task.owner_permission
        task.owner_id = data.get("escalated_from_owner")
        task.status = STATUS.ASSIGNED if task.owner_id else STATUS.NEW
        task.data = {**data, "escalated": False, "returned_by": by.pk}
        task.save()
        with _office_language():
            values = {"task": task.flow_task.task_title, "person": person(by), "note": note}
            reason = (
                _("%(person)s handed the task “%(task)s” back to the township: %(note)s") % values
            )
            _record(task, transition=TaskEvent.RETURN, by=by, reason=reason)
        tell_of_task(task, event="returned")
        return task


def tasks_held_by(queryset, user):
    """``queryset`` of tasks narrowed to those ``user`` still holds the permission of: a task
    stays in an owner's inbox only while the owner could take it from the pool."""
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(owner_permission__isnull=True)
        | Q(owner_permission="")
        | Q(owner_permission__in=user.get_all_permissions())
    )


def tasks_release_unheld(*, user: User, by) -> list[Task]:
    """Return ``user``'s open tasks whose permission they no longer hold to the pool they
    came from: a committee member moved to another township (or given another role, or
    deactivated) no longer holds the old township's tasks; its committee takes them from the
    queue. One audit entry on each task's campaign. Call it after changing a user's role,
    scope or active flag."""
    with transaction.atomic():
        # A fresh copy: the backend caches permissions on the user object.
        account = User.objects.get(pk=user.pk)
        tasks = list(
            Task.objects.select_for_update()
            .filter(owner=account, status=STATUS.ASSIGNED, flow_task_type="HUMAN")
            .exclude(owner_permission__isnull=True)
            .exclude(owner_permission="")
            .order_by("pk")
        )
        released = []
        for task in tasks:
            if account.is_active and account.has_perm(task.owner_permission):
                continue
            campaign = campaign_of(task)
            task.owner = None
            task.status = STATUS.NEW
            task.save(update_fields=["owner", "status"])
            with _office_language():
                values = {
                    "task": task.flow_task.task_title,
                    "person": person(account),
                    "township": campaign.township.name,
                }
                reason = (
                    _(
                        "%(person)s is no longer on the recruitment committee of %(township)s: "
                        "the task “%(task)s” is back in the township's pool."
                    )
                    % values
                )
            _record(task, transition=TaskEvent.RELEASE, by=by, reason=reason)
            tell_of_task(task, event="released")
            released.append(task)
        return released


def process_cancel(*, process: CampaignProcess, reason: str, by) -> CampaignProcess:
    """An administrator stops a campaign and its process: the campaign is cancelled with the
    reason (``campaign_cancel``) unless it already is, every open task of the process is
    cancelled and the process ends as cancelled. One audit entry on the campaign lists the
    tasks that were open and who held them."""
    reason = (reason or "").strip()
    flow = process.flow_class.instance
    if not flow.has_manage_permission(by):
        raise PermissionDenied(_("Only an administrator may cancel a campaign's process."))
    with transaction.atomic():
        process = CampaignProcess.objects.select_for_update().get(pk=process.pk)
        if process.status in (PROCESS.DONE, PROCESS.CANCELED):
            raise PermissionDenied(_("This process has already ended."))
        campaign = process.campaign
        if campaign.state != CampaignState.CANCELLED:
            campaign_cancel(campaign=campaign, reason=reason, by=by)
        open_tasks = list(
            process.task_set.filter(flow_task_type="HUMAN", status__in=OPEN_STATUSES)
            .select_related("owner")
            .order_by("pk")
        )
        try:
            flow.cancel(process)
        except FlowRuntimeError as exc:
            # A task in the middle of its work (or failed) cannot be cancelled: nothing is.
            raise ValidationError(
                _(
                    "A step of this process cannot be cancelled at the moment (it is being "
                    "worked on, or it failed). Nothing was changed; try again later."
                )
            ) from exc
        with _office_language():
            listed = "、".join(
                f"“{task.flow_task.task_title}”（{person(task.owner)}）"
                if task.owner
                else f"“{task.flow_task.task_title}”"
                for task in open_tasks
            )
            values = {"person": person(by), "tasks": listed or "—", "reason": reason}
            text = (
                _(
                    "%(person)s cancelled the campaign's process; open tasks cancelled: %(tasks)s. "
                    "Reason: %(reason)s"
                )
                % values
            )
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.UPDATE,
            by=by,
            reason=text,
            transition=TaskEvent.PROCESS_CANCEL,
        )
        process.refresh_from_db()
        return process
