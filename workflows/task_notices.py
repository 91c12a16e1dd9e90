"""Telling people of the flows' tasks that wait for them: notifications in the category
"tasks assigned" (``notifications.models.Category.TASKS``), in the app and, as each chose, by
email.

- A human task created with an owner (a node's ``.Assign``, e.g. the contract's signing step
  for the member who drafted it): its owner.
- A human task created in a queue (a node's ``.Permission`` only): everyone who may take it
  (``accounts.backends.holders_of``: the township's committee or office, the county's HR
  officers). Whoever takes it first works it; the others see it gone from their queue.
- A task escalated to the county's queue (``workflows.services.task_escalate``): the
  county's HR officers.
- A task handed back to the township (``task_return_to_township``): the member who had it,
  or the township's committee when it had nobody.
- A task put back into its queue because its owner no longer holds its permission
  (``tasks_release_unheld``): the queue.

Taking a task oneself, or giving it back, tells nobody: the person acting knows. Each event
tells each person once (the notification's key names the task, the event and the owner).
"""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_resolver
from django.utils import translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.backends import holders_of
from notifications.models import Category
from notifications.services import notify

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def task_link(task: Task) -> str:
    """The task's page (which sends to the record's page where the flow works there)."""
    # A flow's URL namespace is known once the URL configuration is loaded (its viewset is
    # mounted there): a command or a timer may create a task before any URL was reversed.
    get_resolver().url_patterns  # noqa: B018
    try:
        return task.flow_task.reverse("index", args=[task.process_id, task.pk])
    except NoReverseMatch:
        return ""


def _what(task: Task) -> str:
    """The task's title and, when the flow gives one, what it is about."""
    title = str(task.flow_task.task_title or task.flow_task)
    brief = " ".join(str(task.brief or "").split())
    return f"{title}（{brief}）" if brief and brief != title else title


def tell_of_task(task: Task, *, event: str) -> int:
    """Tell whoever must act on the open human ``task`` now: its owner, or everyone who may
    take it from its queue. ``event`` (``new``, ``escalated``, ``returned``, ``released``)
    names what happened, in the key. Returns how many were told."""
    if task.flow_task_type != "HUMAN" or task.status not in OPEN:
        return 0
    if task.owner_id:
        users = [task.owner]
        key = f"task:{task.pk}:{event}:{task.owner_id}"
    else:
        users = list(holders_of(task.owner_permission))
        key = f"task:{task.pk}:{event}:queue"
    if not users:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        values = {"task": _what(task)}
        if event == "escalated":
            text = _("An overdue task was escalated to your county's queue: %(task)s.") % values
        elif task.owner_id:
            text = _("A task is assigned to you: %(task)s.") % values
        else:
            text = _("A task waits in your queue for one of you to take it: %(task)s.") % values
    return notify(users=users, key=key, text=text, url=task_link(task), category=Category.TASKS)


@receiver(post_save, sender=Task, dispatch_uid="workflows.task_notices.created")
def tell_of_new_task(sender, instance: Task, created: bool, raw: bool = False, **kwargs) -> None:
    """Every new human task of every flow, whichever activation created it."""
    if created and not raw:
        tell_of_task(instance, event="new")
