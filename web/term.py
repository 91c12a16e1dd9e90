"""Reads for the dashboards: the contract term's work waiting (``TermWork``).

A user's open tasks of every term flow (signing, filing, induction, acting designation,
refill, renewal decision, resignation answer, statement, case decision, case filing) with
their last day, the tasks they may take, the overdue tasks handed to the county (county HR),
and the term's figures with links to the lists: the deadlines of ``web.deadlines`` (contracts
ending within 90, 30 and 7 days, open and overdue vacancies, unsigned agreements, open
dismissal cases, rewards not settled), the resignations waiting for an answer and the early
warnings open.

Each read runs a fixed number of queries whatever the data size (one for the tasks of each
kind, one for their time limits, one per figure group) and every list is bounded.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.backends import COUNTY_HR_PERMISSION
from accounts.scoping import scoped
from contracts.constants import (
    ResignationState,
)
from contracts.models import Resignation
from earlywarnings.selectors import open_warnings_count
from policy.selectors import policy_in_force_or_none
from web.deadlines import Counts, deadline_counts, zeroes
from workflows.deadlines import TIME_LIMIT_STATUSES, is_overdue, last_day
from workflows.flows_contract import ContractFlow
from workflows.flows_endings import DismissalFlow, ResignationFlow
from workflows.flows_renewal import RenewalFlow
from workflows.flows_vacancy import VacancyFlow
from workflows.services import tasks_held_by

TASKS_SHOWN = 20
OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
TERM_FLOWS = (ContractFlow, VacancyFlow, RenewalFlow, ResignationFlow, DismissalFlow)
# Everything a row needs, read with the task in one query.
RECORDS = (
    "owner",
    "process__contractprocess__contract__person",
    "process__contractprocess__contract__post__village__township",
    "process__vacancyprocess__vacancy__post__village__township",
    "process__renewalprocess__review__contract__person",
    "process__renewalprocess__review__contract__post__village__township",
    "process__resignationprocess__resignation__contract__person",
    "process__resignationprocess__resignation__contract__post__village__township",
    "process__dismissalprocess__case__contract__person",
    "process__dismissalprocess__case__contract__post__village__township",
)


@dataclass
class TermTaskRow:
    """One open task of a term flow: what to do, about whom (or which post), where, its page
    and its time limit."""

    task: Task
    title: str
    subject: str
    place: str
    url: str
    due: datetime.datetime | None
    escalated: bool

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due)

    @property
    def last_day(self) -> datetime.date | None:
        return None if self.due is None else last_day(self.due)


@dataclass
class TermFigures:
    """The term's figures of the user's scope; None where the user may not open the list."""

    ending: list[tuple[int, int]] = field(default_factory=list)  # (days, contracts)
    vacancies_open: int | None = None
    vacancies_overdue: int | None = None
    cases_open: int | None = None
    agreements_unsigned: int | None = None  # this year's (web.deadlines)
    agreements_year: int | None = None
    rewards_unsettled: int | None = None  # appraised years whose rewards are not settled
    rewards_overdue: int | None = None
    resignations_waiting: int | None = None
    warnings_open: int | None = None  # early warnings open or acknowledged (earlywarnings)


@dataclass
class TermWork:
    mine: list[TermTaskRow] = field(default_factory=list)
    queue: list[TermTaskRow] = field(default_factory=list)
    escalated: list[TermTaskRow] = field(default_factory=list)
    figures: TermFigures | None = None
    can_see: bool = False
    can_work: bool = False  # holds term tasks: the township committee, county HR


def _term_tasks() -> QuerySet[Task]:
    flows = Q()
    for flow_class in TERM_FLOWS:
        flows |= Q(process__flow_class=flow_class)
    return (
        Task.objects.filter(flows, flow_task_type="HUMAN")
        .select_related(*RECORDS)
        .order_by("created", "pk")
    )


def _record_of(task: Task):
    """(subject, contract or None, the record's page) of the task's process."""
    process = task.process
    flow_class = process.flow_class
    if flow_class is ContractFlow:
        contract = process.contractprocess.contract
        url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        return contract.person.name, contract.post, url
    if flow_class is VacancyFlow:
        vacancy = process.vacancyprocess.vacancy
        return str(vacancy.post), None, reverse("vacancies:detail", args=[vacancy.pk])
    if flow_class is RenewalFlow:
        review = process.renewalprocess.review
        url = reverse("renewals:review", args=[review.pk])
        return review.contract.person.name, review.contract.post, url
    if flow_class is ResignationFlow:
        resignation = process.resignationprocess.resignation
        url = reverse("endings:resignation_detail", args=[resignation.pk])
        return resignation.contract.person.name, resignation.contract.post, url
    case = process.dismissalprocess.case
    url = reverse("endings:case_detail", args=[case.pk])
    return case.contract.person.name, case.contract.post, url


def _rows(tasks: list[Task]) -> list[TermTaskRow]:
    """Rows for ``tasks`` (loaded with their records), their time limits in one query."""
    due: dict[int, datetime.datetime] = {}
    if tasks:
        for previous, scheduled in (
            Task.objects.filter(previous__in=[t.pk for t in tasks], status__in=TIME_LIMIT_STATUSES)
            .order_by("-scheduled")
            .values_list("previous", "scheduled")
        ):
            due[previous] = scheduled
    rows = []
    for task in tasks:
        subject, post, url = _record_of(task)
        rows.append(
            TermTaskRow(
                task=task,
                title=str(task.flow_task.task_title),
                subject=subject,
                place=str(post.village) if post is not None else "",
                url=url,
                due=due.get(task.pk),
                escalated=bool((task.data or {}).get("escalated")),
            )
        )
    return rows


def is_county_hr(user) -> bool:
    return user.has_perm("contracts.file_contract")


def term_figures(user, total: Counts | None = None) -> TermFigures:
    """The figures of the lists ``user`` may open: the deadlines of the user's scope
    (``web.deadlines``; ``total`` when the dashboard has them already), the resignations
    waiting and the early warnings, one query per list."""
    if total is None:
        today = timezone.localdate()
        county = getattr(user, "county_id", None)
        policy = policy_in_force_or_none(county=county, on=today) if county else None
        total = sum(deadline_counts(user, today, policy).values(), start=zeroes(user))
    figures = TermFigures(
        ending=sorted((total.ending or {}).items(), reverse=True),
        vacancies_open=total.vacancies_open,
        vacancies_overdue=total.vacancies_overdue,
        cases_open=total.cases_open,
        agreements_unsigned=total.agreements_unsigned,
        agreements_year=timezone.localdate().year,
        rewards_unsettled=total.rewards_unsettled,
        rewards_overdue=total.rewards_overdue,
    )
    if user.has_perm("contracts.view_resignation"):
        figures.resignations_waiting = (
            scoped(Resignation.objects.all(), user).filter(state=ResignationState.REQUESTED).count()
        )
    figures.warnings_open = open_warnings_count(user)
    return figures


def term_work_for(user, total: Counts | None = None) -> TermWork:
    """The term's work of ``user``: my tasks, tasks I may take, (county HR) the overdue tasks
    handed to the county, and the figures (from the deadlines' ``total`` when given);
    nothing for a user who sees no contract."""
    if not user.has_perm("contracts.view_contract"):
        return TermWork()
    if not (user.has_perm("contracts.manage_term") or is_county_hr(user)):
        # The township office reads the term; its tasks are the committee's and the county's.
        return TermWork(figures=term_figures(user, total), can_see=True)
    tasks = _term_tasks()
    mine = list(tasks_held_by(tasks.filter(owner=user, status=STATUS.ASSIGNED), user)[:TASKS_SHOWN])
    queue = list(
        tasks.filter(
            status=STATUS.NEW,
            pk__in=Task.objects.user_queue(user).filter(status=STATUS.NEW).values("pk"),
        )[:TASKS_SHOWN]
    )
    escalated: list[Task] = []
    if is_county_hr(user):
        escalated = list(
            tasks.filter(
                status__in=OPEN_TASK_STATUSES,
                data__escalated=True,
                owner_permission=COUNTY_HR_PERMISSION.format(county_id=user.county_id),
            )[:TASKS_SHOWN]
        )
    rows = _rows([*mine, *queue, *escalated])
    return TermWork(
        mine=rows[: len(mine)],
        queue=rows[len(mine) : len(mine) + len(queue)],
        escalated=rows[len(mine) + len(queue) :],
        figures=term_figures(user, total),
        can_see=True,
        can_work=True,
    )
