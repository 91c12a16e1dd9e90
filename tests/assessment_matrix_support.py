"""The monthly assessment's records of the permission matrix's world
(``tests.matrix_support``): the side's township has October 2026 open with a score for the
side's director (``World.term``'s contract), and the month's process has a task at each
human step."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from tests.assessment_support import ITEMS
from tests.factories import UserFactory


def side_month(world, side: str):
    from assessment.selectors import scheme_in_use
    from assessment.services import month_open, scheme_save
    from workflows.flows_month import MonthFlow
    from workflows.models import MonthProcess

    months = world.__dict__.setdefault("_assessment_months", {})
    if side not in months:
        county_hr = world.users[Role.COUNTY_HR]
        if scheme_in_use(county=world.county, year=2026) is None:
            scheme_save(county=world.county, year=2026, title="2026年考核办法", items=ITEMS,
                        by=county_hr)  # fmt: skip
        records = world.side(side)
        world.term(side)  # the director's contract in force
        office = world.users[Role.TOWNSHIP_OFFICE]
        if side != "own":
            office = UserFactory(
                role=Role.TOWNSHIP_OFFICE,
                county=world.county,
                township=records.township,
                username="month_foreign_office",
            )
        month = month_open(township=records.township, year=2026, month=10, by=office)
        process = MonthProcess.objects.get(month=month)
        for node in (MonthFlow.publish, MonthFlow.settle):
            Task.objects.create(
                process=process, flow_task=node, flow_task_type="HUMAN", status=STATUS.NEW
            )
        months[side] = month
    return months[side]


def month_task_url(name: str):
    from django.urls import reverse

    def build(world, side: str) -> str:
        from workflows.flows_month import MonthFlow

        month = side_month(world, side)
        node = getattr(MonthFlow, name.split(":")[1])
        task = Task.objects.get(process__monthprocess__month=month, flow_task=node)
        return reverse(name, args=[task.process_id, task.pk])

    return build


def month_url(name: str, *extra):
    from django.urls import reverse

    def build(world, side: str) -> str:
        month = side_month(world, side)
        return reverse(name, args=[month.pk, *extra])

    return build


def score_url(world, side: str) -> str:
    from django.urls import reverse

    month = side_month(world, side)
    return reverse("assessment:score", args=[month.pk, month.scores.get().pk])
