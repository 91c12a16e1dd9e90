"""The vacancy flow: who must act on a vacant post, by when, and what happens when late.

One process per vacancy (``VacancyProcess``), started when the post falls vacant
(``contracts.signals.vacancy_opened``):

    start (code: the vacancy opened)
    → designate_acting (township committee; ``policy.due_acting_days`` working days)
    → refilled meanwhile? → end
    → refill (township committee; until the vacancy's refill deadline)
    → end

The flow follows the vacancy record and never writes it. The committee works on the vacancy's
page (``contracts.views_vacancies``), whose forms call the services of
``contracts.services.vacancies``; a task is done the moment its fact is recorded there,
whoever recorded it and from whichever page: designating the acting person completes
"designate the acting person", and the vacancy being filled (a new contract in force,
``contracts.services.posts.post_occupy``) or closed completes whatever task is still open
and ends the process. The link is the django-fsm ``post_transition`` signal of ``Vacancy``
(``vacancy_followed``), sent inside the service's transaction, so a step that fails leaves
the flow as it was.

A task not done by its time limit goes to the county's HR officers
(``workflows.services.task_escalate``), as the recruitment flow's tasks do; the refill task's
time limit is the vacancy's ``refill_due`` (the sweep's ``vacancies_overdue`` step marks the vacancy
itself and notifies the officers).
"""

import datetime

from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now
from django.utils.translation import gettext_lazy
from django.views import View as DjangoView
from django_fsm.signals import post_transition
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from accounts.backends import TOWNSHIP_COMMITTEE_PERMISSION
from contracts.constants import VacancyState
from contracts.models import Vacancy
from contracts.signals import vacancy_opened
from workflows import nodes
from workflows.deadlines import at_start_of, due_after_working_days
from workflows.models import VacancyProcess
from workflows.services import OPEN_STATUSES, TaskEvent, task_escalate, task_record

ENDED_STATES = (VacancyState.FILLED, VacancyState.CLOSED)


class VacancyTaskActivation(ViewActivation):
    """A human task of the vacancy flow: who took it, gave it back or completed it is on the
    vacancy's audit trail; ``settle`` completes it from code when its fact was recorded."""

    @Activation.status.super()
    def assign(self, user):
        super().assign.original(user)
        task_record(task=self.task, event=TaskEvent.ASSIGN, by=user)

    @Activation.status.super()
    def unassign(self, by=None):
        owner = self.task.owner
        super().unassign.original()
        task_record(task=self.task, event=TaskEvent.UNASSIGN, by=by or owner, owner=owner)

    @Activation.status.transition(
        source=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED], target=STATUS.DONE
    )
    def settle(self):
        """The task's fact is recorded (on the vacancy's page, or the vacancy was filled):
        the task is done and the flow goes on. Its time limit is cancelled with it."""
        self.task.started = self.task.started or now()
        self.task.finished = now()
        self.task.save()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class VacancyTask(nodes.View):
    """A task of the vacancy flow, worked on the vacancy's page."""

    activation_class = VacancyTaskActivation


class VacancyPageView(DjangoView):
    """A vacancy task's page is the vacancy's page, where its forms are."""

    def dispatch(self, request, *args, **kwargs):
        process = VacancyProcess.objects.get(pk=kwargs["process_pk"])
        return HttpResponseRedirect(reverse("vacancies:detail", args=[process.vacancy_id]))


def committee_permission(activation) -> str:
    return TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=activation.process.vacancy.township_id)


class VacancyFlow(flow.Flow):
    """Vacancy and refill"""

    process_class = VacancyProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Vacancy")
    process_description = gettext_lazy(
        "A vacant director post, from the day it fell vacant until a new contract is in force."
    )
    process_summary_template = "{{ process.vacancy }}"
    process_result_template = "{{ process.vacancy.get_state_display }}"

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=gettext_lazy("The post fell vacant"))
        .Next(this.designate_acting)
    )

    designate_acting = (
        VacancyTask(VacancyPageView.as_view())
        .Annotation(
            title=gettext_lazy("Designate the acting person"),
            summary_template="{{ process.vacancy }}",
        )
        .Permission(committee_permission)
        .OnTimeout(
            this.acting_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the acting designation"),
        )
        .Next(this.after_acting)
    )
    after_acting = (
        nodes.If(this.vacancy_ended)
        .Annotation(title=gettext_lazy("Filled or closed meanwhile?"))
        .Then(this.end)
        .Else(this.refill)
    )

    refill = (
        VacancyTask(VacancyPageView.as_view())
        .Annotation(
            title=gettext_lazy("Refill the post"),
            description=gettext_lazy(
                "Call the reserve list or open a refill campaign; the task is done when a new "
                "contract is in force."
            ),
            summary_template="{{ process.vacancy }}",
        )
        .Permission(committee_permission)
        .OnTimeout(
            this.refill_deadline,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Refill deadline"),
        )
        .Next(this.end)
    )

    escalate = nodes.Function(this.escalate_overdue_task).Annotation(
        title=gettext_lazy("Escalate to the county")
    )

    end = nodes.End().Annotation(title=gettext_lazy("Filled or closed"))

    # --- code steps ------------------------------------------------------------------------

    def start_process(self, activation, vacancy: Vacancy):
        activation.process.vacancy = vacancy
        return activation.process

    def vacancy_ended(self, activation) -> bool:
        """Read from the database, or from the flag the filling transition set before its
        record was saved (``vacancy_followed``)."""
        process = activation.process
        if (process.data or {}).get("ended"):
            return True
        state = Vacancy.objects.values_list("state", flat=True).get(pk=process.vacancy_id)
        return state in ENDED_STATES

    def escalate_overdue_task(self, activation):
        boundary = activation.task.previous.get()
        host = boundary.previous.get()
        task_escalate(task=host)

    # --- by when ---------------------------------------------------------------------------

    def acting_due(self, activation) -> datetime.datetime:
        days = activation.process.vacancy.policy.due_acting_days
        return due_after_working_days(timezone.localdate(), days)

    def refill_deadline(self, activation) -> datetime.datetime:
        """00:05 on the day after the vacancy's refill deadline (the deadline day counts)."""
        return at_start_of(activation.process.vacancy.refill_due + datetime.timedelta(days=1))

    # --- who sees --------------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        from accounts.scoping import can_see

        if not super().has_view_permission(user):
            return False
        if obj is None:
            return True
        vacancy = getattr(obj, "vacancy", None)
        return vacancy is not None and can_see(user, vacancy)


def _settle(task: Task) -> None:
    activation = task.flow_task.activation_class(task)
    activation.settle()
    activation.activate_next()


@receiver(vacancy_opened, dispatch_uid="workflows.flows_vacancy.start")
def start_vacancy_flow(sender, vacancy: Vacancy, **kwargs) -> None:
    """Every vacancy gets its process, in the transaction that opened it."""
    VacancyFlow.start.run(vacancy=vacancy)


@receiver(post_transition, sender=Vacancy, dispatch_uid="workflows.flows_vacancy.follow")
def vacancy_followed(sender, instance: Vacancy, name: str, **kwargs) -> None:
    """The vacancy's task whose fact was just recorded is done: designating the acting person
    completes that task; filling or closing the vacancy completes every open task and ends
    the process."""
    if name == "designate_acting":
        nodes_done = [VacancyFlow.designate_acting]
    elif name in ("fill", "close"):
        nodes_done = [VacancyFlow.designate_acting, VacancyFlow.refill]
    else:
        return
    process = VacancyProcess.objects.filter(vacancy_id=instance.pk).first()
    if process is None:
        return
    with VacancyFlow.lock(process.pk):
        if name in ("fill", "close"):
            process.data = {**(process.data or {}), "ended": True}
            process.save(update_fields=["data"])
        tasks = Task.objects.filter(
            process=process, flow_task__in=nodes_done, status__in=OPEN_STATUSES
        ).order_by("pk")
        for task in tasks:
            _settle(task)
