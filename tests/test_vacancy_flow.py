"""The vacancy flow: started when the post falls vacant; the acting designation and the
refill are the township committee's tasks with their time limits, escalated to the county
when late; the process ends when the vacancy is filled."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.backends import COUNTY_HR_PERMISSION, TOWNSHIP_COMMITTEE_PERMISSION
from audit.models import AuditEntry
from contracts.constants import VacancyState
from contracts.models import Contract
from contracts.services.posts import post_occupy
from contracts.services.vacancies import vacancy_designate_acting
from recruitment.services.reserve import reserve_offer_answer, reserve_offer_make
from tests.builders import at, moment
from tests.factories import PersonFactory
from tests.vacancy_support import activate, reserve_world
from tests.workflow_support import fire_timers
from workdays.calendar import add_working_days
from workflows.flows_vacancy import VacancyFlow
from workflows.models import VacancyProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def rw(township, committee, head):
    return reserve_world(township, committee, head)


def open_task(process, node):
    return Task.objects.filter(
        process=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    ).first()


def test_the_vacancy_starts_its_process_with_the_acting_task(rw, township):
    process = VacancyProcess.objects.get(vacancy=rw.vacancy)
    task = open_task(process, VacancyFlow.designate_acting)
    assert task is not None
    assert task.owner_permission == TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=township.pk)
    timer = task.leading.get(status=STATUS.SCHEDULED)
    last_day = add_working_days(rw.vacancy.opened_on, rw.vacancy.policy.due_acting_days)
    assert timezone.localtime(timer.scheduled).date() == last_day + datetime.timedelta(days=1)


def test_designating_completes_the_task_then_refill_until_the_deadline(rw, committee, township):
    process = VacancyProcess.objects.get(vacancy=rw.vacancy)
    on = rw.vacancy.opened_on
    with at(moment(on)):
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=PersonFactory(township=township), on=on, by=committee
        )
    assert open_task(process, VacancyFlow.designate_acting) is None
    refill = open_task(process, VacancyFlow.refill)
    assert refill is not None
    timer = refill.leading.get(status=STATUS.SCHEDULED)
    assert timezone.localtime(timer.scheduled).date() == rw.vacancy.refill_due + datetime.timedelta(
        days=1
    )


def test_late_tasks_go_to_the_county(rw, committee, township):
    process = VacancyProcess.objects.get(vacancy=rw.vacancy)
    task = open_task(process, VacancyFlow.designate_acting)
    fire_timers(task.leading.get().scheduled + datetime.timedelta(minutes=1))
    task.refresh_from_db()
    assert task.owner_permission == COUNTY_HR_PERMISSION.format(county_id=township.county_id)
    assert task.status == STATUS.NEW and task.data["escalated"]
    assert AuditEntry.objects.filter(object_id=rw.vacancy.pk, transition="escalate").exists()
    # Still the committee designates (on the vacancy's page): the task is done all the same.
    on = rw.vacancy.opened_on + datetime.timedelta(days=10)
    with at(moment(on)):
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=PersonFactory(township=township), on=on, by=committee
        )
    refill = open_task(process, VacancyFlow.refill)
    fire_timers(moment(rw.vacancy.refill_due + datetime.timedelta(days=1), 1))
    refill.refresh_from_db()
    assert refill.owner_permission == COUNTY_HR_PERMISSION.format(county_id=township.county_id)


def test_the_process_ends_when_the_vacancy_is_filled(rw, committee, township):
    process = VacancyProcess.objects.get(vacancy=rw.vacancy)
    on = rw.vacancy.opened_on
    with at(moment(on)):
        offer = reserve_offer_make(vacancy=rw.vacancy, by=committee)
        reserve_offer_answer(offer=offer, accepted=True, on=on, note="", by=committee)
    contract = activate(Contract.objects.get(application=offer.application))
    # The signing service's activation puts the new director in post.
    from organisation.models import Post

    Post.objects.filter(pk=contract.post_id).update(holder=None)
    post_occupy(contract=contract, on=contract.start_date, by=committee)
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.state == VacancyState.FILLED and rw.vacancy.filled_by == contract
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert not Task.objects.filter(
        process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED]
    ).exists()


def test_the_task_waits_in_its_own_townships_queue_only(rw, committee, foreign_committee, hr):
    process = VacancyProcess.objects.get(vacancy=rw.vacancy)
    task = open_task(process, VacancyFlow.designate_acting)

    def queue(user):
        return set(
            Task.objects.user_queue(user, flow_class=VacancyFlow).values_list("pk", flat=True)
        )

    assert task.pk in queue(committee)
    assert task.pk not in queue(foreign_committee) and task.pk not in queue(hr)
    fire_timers(task.leading.get().scheduled + datetime.timedelta(minutes=1))
    assert task.pk in queue(hr) and task.pk not in queue(committee)
