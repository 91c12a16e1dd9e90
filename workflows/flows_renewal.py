"""The renewal review flow (续聘): the township committee decides, by a time limit.

One process per renewal review (``RenewalProcess``), started when the sweep opens the review
(``contracts.signals.renewal_review_opened``):

    start (the review opened) → decide (township committee: renew or not, with reasons)
    → end

The decision is the service ``contracts.services.renewal.renewal_decide``, called by the task
view ``workflows.views_renewal.RenewalDecideView`` (the review's page) before it completes
the task. The task's time limit is the policy's ``due_renewal_decision_days`` working days;
when it passes the task is handed to the county's HR officers (their queue permission), who
are told, and the review's page says it is overdue. The committee still decides: only it
holds ``contracts.manage_term``.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.backends import TOWNSHIP_COMMITTEE_PERMISSION
from accounts.constants import Role
from accounts.models import User
from contracts.models import RenewalReview
from contracts.signals import renewal_review_opened
from notifications.models import Category
from notifications.services import notify
from workflows import views_renewal
from workflows.deadlines import at_start_of, due_after_working_days
from workflows.models import RenewalProcess
from workflows.services import task_escalate

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def committee_permission(activation) -> str:
    return TOWNSHIP_COMMITTEE_PERMISSION.format(
        township_id=activation.process.review.contract.township_id
    )


class RenewalFlow(flow.Flow):
    """Renewal review"""

    process_class = RenewalProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = gettext_lazy("Renewal review")
    process_description = gettext_lazy(
        "The township committee decides whether a director's contract is renewed."
    )
    process_summary_template = "{{ process.review }}"

    start = (
        flow.StartHandle(this.begin)
        .Annotation(title=gettext_lazy("Renewal review opened"))
        .Next(this.decide)
    )
    decide = (
        flow.View(views_renewal.RenewalDecideView.as_view())
        .Annotation(
            title=gettext_lazy("Decide the renewal"),
            summary_template="{{ process.review }}",
        )
        .Permission(committee_permission)
        .OnTimeout(
            this.decision_due,
            this.escalate,
            interrupting=False,
            title=gettext_lazy("Time limit of the renewal decision"),
        )
        .Next(this.end)
    )
    escalate = flow.Function(this.escalate_overdue_task).Annotation(
        title=gettext_lazy("Escalate to the county")
    )
    end = flow.End().Annotation(title=gettext_lazy("Decided"))

    def begin(self, activation, review):
        activation.process.review = review

    def decision_due(self, activation):
        """The policy's working days from today, but never after the term's last day: a
        decision taken later would come after the contract has expired."""
        review = activation.process.review
        days = review.policy.due_renewal_decision_days
        due = due_after_working_days(timezone.localdate(), days)
        term_over = at_start_of(review.contract.end_date + datetime.timedelta(days=1))
        return min(
            due, max(term_over, at_start_of(timezone.localdate() + datetime.timedelta(days=1)))
        )

    def escalate_overdue_task(self, activation):
        boundary = activation.task.previous.get()
        host = boundary.previous.get()
        renewal_task_escalate(task=host)


def renewal_task_escalate(*, task: Task) -> Task:
    """Hand the overdue decision to the county's HR officers (``task_escalate``: their
    queue and an entry on the review's audit trail), each of them told once."""
    with transaction.atomic():
        task = task_escalate(task=task)
        review = (
            RenewalProcess.objects.select_related(
                "review__contract__township", "review__contract__person"
            )
            .get(pk=task.process_id)
            .review
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                "The renewal decision on %(name)s is overdue and was escalated to the county's "
                "HR officers."
            ) % {"name": review.contract.person.name}
        notify(
            category=Category.DEADLINES,
            users=User.objects.filter(
                role=Role.COUNTY_HR, county_id=review.contract.township.county_id
            ),
            key=f"renewal:{review.pk}:overdue",
            text=text,
            url=views_renewal.review_link(review),
        )
        return task


@receiver(renewal_review_opened, dispatch_uid="workflows.flows_renewal.start")
def start_renewal_flow(sender, review: RenewalReview, **kwargs) -> None:
    RenewalFlow.start.run(review=review)
