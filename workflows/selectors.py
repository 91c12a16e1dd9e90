"""Reads of the recruitment flow: a user's tasks, scoped like their campaigns, and where a
campaign's step is done.

A task stays in its owner's inbox only while the owner still holds the task's permission
(``workflows.services.tasks_held_by``): a committee member moved to another township no
longer sees, nor works, the old township's tasks, even before they are returned to its pool.
"""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.scoping import scoped
from recruitment.models import Campaign
from workflows.models import CampaignProcess
from workflows.services import OPEN_STATUSES, tasks_held_by

HUMAN = "HUMAN"


def visible_campaigns(user):
    return scoped(Campaign.objects.all(), user)


def _tasks(flow_class, user):
    return (
        Task.objects.filter(
            process__flow_class=flow_class,
            process__campaignprocess__campaign__in=visible_campaigns(user),
        )
        .select_related("owner", "process__campaignprocess__campaign__township")
        .order_by("-created", "-pk")
    )


def inbox(flow_class, user):
    """The human tasks ``user`` has taken and still holds."""
    tasks = _tasks(flow_class, user).filter(
        owner=user, status=STATUS.ASSIGNED, flow_task_type=HUMAN
    )
    return tasks_held_by(tasks, user)


def queue(flow_class, user):
    """The human tasks waiting to be taken that ``user`` may take."""
    return (
        _tasks(flow_class, user)
        .filter(pk__in=Task.objects.user_queue(user, flow_class=flow_class).values("pk"))
        .filter(status=STATUS.NEW, flow_task_type=HUMAN)
    )


def archive(flow_class, user):
    """The human tasks ``user`` completed."""
    return _tasks(flow_class, user).filter(owner=user, flow_task_type=HUMAN, finished__isnull=False)


def campaign_tasks(flow_class, user):
    """Every person's task of the campaigns ``user`` sees."""
    return _tasks(flow_class, user).filter(flow_task_type__in=[HUMAN, "HUMAN_START"])


def processes(user):
    return (
        CampaignProcess.objects.filter(campaign__in=visible_campaigns(user))
        .select_related("campaign__township")
        .order_by("-created", "-pk")
    )


def open_task_url(campaign, node) -> str | None:
    """The page of the campaign's open task at ``node`` (a node of ``CampaignFlow``), or
    None when that step is not open: the exam pages link to the task that finishes them."""
    task = (
        Task.objects.filter(
            process__campaignprocess__campaign=campaign,
            flow_task=node,
            status__in=OPEN_STATUSES,
        )
        .order_by("-pk")
        .first()
    )
    if task is None:
        return None
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])
