"""Vacancies (空岗): the refill deadline, the acting person, the reserve list called in rank
order, the refill campaign and the escalation of an overdue vacancy to the county."""

import datetime
from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from contracts.constants import ContractState, OfferAnswer, VacancyCause, VacancyState
from contracts.kinds import ACTING_DESIGNATION, CONTRACT
from contracts.models import Contract, ReserveOffer, Vacancy
from contracts.services.posts import vacancy_open
from contracts.services.vacancies import (
    escalate_overdue_vacancies,
    vacancy_designate_acting,
    vacancy_escalate_overdue,
)
from contracts.sweep import sweep
from notifications.models import Category, Notification
from paperwork.models import Document
from people.models import Person
from recruitment.constants import ApplicationState, CampaignState
from recruitment.kinds import HIRING_NOTICE
from recruitment.services.reserve import (
    reserve_candidates,
    reserve_list,
    reserve_offer_answer,
    reserve_offer_make,
    vacancy_start_refill,
)
from tests.builders import at, committee_member, make_campaign, moment
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
    VillageFactory,
)
from tests.test_paperwork import pdf_text, stored_bytes
from tests.vacancy_support import reserve_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

D = datetime.date


@pytest.fixture
def rw(township, committee, head):
    return reserve_world(township, committee, head)


def person_of(township, name="李春梅", **fields) -> Person:
    return cast(Person, PersonFactory(name=name, township=township, **fields))


# The refill deadline ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vacant_since", "due"),
    [
        # 28 February 2027 (the month's end, clamped from the 31st) is a Sunday.
        (D(2026, 12, 31), D(2027, 3, 1)),
        # 31 July + 2 months: September has no 31st, so its last day (a Wednesday).
        (D(2026, 7, 31), D(2026, 9, 30)),
        # A plain date two months on (a Friday).
        (D(2026, 3, 13), D(2026, 5, 13)),
    ],
)
def test_refill_deadline_counts_calendar_months(township, committee, vacant_since, due):
    post = PostFactory(village=VillageFactory(township=township))
    with at(moment(vacant_since)):
        vacancy = vacancy_open(
            post=post, on=vacant_since, by=committee, cause=VacancyCause.NEW_POST
        )
    assert vacancy.refill_due == due
    assert vacancy.state == VacancyState.OPEN


def test_refill_months_come_from_the_policy(township, committee, policy):
    policy.vacancy_refill_months = 3
    policy.save()
    post = PostFactory(village=VillageFactory(township=township))
    vacancy = vacancy_open(post=post, on=D(2026, 3, 13), by=committee, cause=VacancyCause.NEW_POST)
    assert vacancy.refill_due == D(2026, 6, 15)  # 13 June is a Saturday


# The acting person ------------------------------------------------------------------------


def test_committee_designates_the_acting_person_with_the_document(rw, committee, township):
    acting = person_of(township)
    on = rw.vacancy.opened_on + datetime.timedelta(days=1)
    with at(moment(on)):
        vacancy = vacancy_designate_acting(vacancy=rw.vacancy, person=acting, on=on, by=committee)
    vacancy.refresh_from_db()
    assert vacancy.state == VacancyState.ACTING
    assert (vacancy.acting_person, vacancy.acting_from) == (acting, on)
    assert AuditEntry.objects.filter(transition="designate_acting", object_id=vacancy.pk).exists()
    document = Document.objects.get(kind=str(ACTING_DESIGNATION), object_id=vacancy.pk)
    assert document.person == acting
    text = pdf_text(stored_bytes(document))
    for expected in [
        "关于指定村级人口主任代行职责人员的通知",
        "李春梅同志",
        acting.masked_id_number,
        "代行新寨村村级人口主任职责",
        f"{on.year}年{on.month}月{on.day}日",
        "罗昇",  # the director whose contract ended hands over
    ]:
        assert expected in text, expected
    assert acting.id_number not in text


def test_acting_person_from_another_township_is_refused(rw, committee, other_township):
    stranger = person_of(other_township, name="杨光")
    with pytest.raises(ValidationError) as caught:
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=stranger, on=rw.vacancy.opened_on, by=committee
        )
    message = caught.value.message_dict["person"][0]
    assert "杨光" in message and "花江镇" in message and "关索街道" in message
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.state == VacancyState.OPEN and rw.vacancy.acting_person is None
    assert not Document.objects.filter(kind=str(ACTING_DESIGNATION)).exists()


def test_acting_person_message_is_chinese(rw, committee, other_township, settings):
    from django.utils import translation

    stranger = person_of(other_township, name="杨光")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=stranger, on=rw.vacancy.opened_on, by=committee
        )
    assert "代行职责人员须为空岗所在乡镇的人员" in caught.value.message_dict["person"][0]


def test_nobody_acts_for_two_vacancies(rw, committee, township):
    acting = person_of(township)
    with at(moment(rw.vacancy.opened_on)):
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=acting, on=rw.vacancy.opened_on, by=committee
        )
    other = PostFactory(village=VillageFactory(township=township, name="坡贡村"))
    second = vacancy_open(
        post=other, on=rw.vacancy.opened_on, by=committee, cause=VacancyCause.NEW_POST
    )
    with pytest.raises(ValidationError) as caught:
        vacancy_designate_acting(vacancy=second, person=acting, on=second.opened_on, by=committee)
    assert "新寨村" in caught.value.message_dict["person"][0]


def test_the_departed_director_does_not_act(rw, committee):
    with pytest.raises(ValidationError):
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=rw.contract.person, on=rw.vacancy.opened_on, by=committee
        )


def test_only_the_township_committee_designates(rw, township, other_township, hr):
    acting = person_of(township)
    for user in [committee_member(other_township), hr]:
        with pytest.raises(PermissionDenied):
            vacancy_designate_acting(
                vacancy=rw.vacancy, person=acting, on=rw.vacancy.opened_on, by=user
            )
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    with pytest.raises(PermissionDenied):
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=acting, on=rw.vacancy.opened_on, by=office
        )


def test_a_new_acting_person_supersedes_the_designation(rw, committee, township):
    first, second = person_of(township), person_of(township, name="周兰")
    on = rw.vacancy.opened_on
    with at(moment(on)):
        vacancy_designate_acting(vacancy=rw.vacancy, person=first, on=on, by=committee)
        vacancy_designate_acting(vacancy=rw.vacancy, person=second, on=on, by=committee)
    documents = Document.objects.filter(kind=str(ACTING_DESIGNATION)).order_by("pk")
    assert documents.count() == 2 and documents[1].supersedes == documents[0]
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.acting_person == second


# The reserve list -------------------------------------------------------------------------


def test_reserve_list_in_rank_order(rw):
    assert [a.name for a in reserve_candidates(rw.vacancy)] == ["王芳", "张伟", "黄丽"]
    listing = reserve_list(rw.vacancy)
    concluded = rw.campaign.concluded_at
    assert listing.campaign == rw.campaign
    assert listing.valid_until == D(concluded.year + 1, concluded.month, concluded.day)


def test_reserve_call_decline_then_accept_drafts_the_contract(rw, committee):
    on = rw.vacancy.opened_on + datetime.timedelta(days=2)
    with at(moment(on)):
        first = reserve_offer_make(vacancy=rw.vacancy, by=committee)
        assert first.application.name == "王芳"
        with pytest.raises(ValidationError):  # one offer at a time
            reserve_offer_make(vacancy=rw.vacancy, by=committee)
        reserve_offer_answer(offer=first, accepted=False, on=on, note="已在外地工作", by=committee)
        second = reserve_offer_make(vacancy=rw.vacancy, by=committee)
        assert second.application.name == "张伟"
        reserve_offer_answer(offer=second, accepted=True, on=on, note="", by=committee)

    first.refresh_from_db()
    assert (first.answer, first.answer_note) == (OfferAnswer.DECLINED, "已在外地工作")
    assert first.application.state == ApplicationState.RESERVE
    zhang = second.application
    zhang.refresh_from_db()
    assert zhang.state == ApplicationState.HIRED
    person = Person.objects.get(id_number=zhang.id_number)
    assert zhang.person == person and person.village == rw.vacancy.post.village
    contract = Contract.objects.get(application=zhang)
    assert contract.state == ContractState.DRAFTED
    assert contract.post == rw.vacancy.post and contract.start_date == on + datetime.timedelta(1)
    assert Document.objects.filter(kind=str(HIRING_NOTICE), object_id=zhang.pk).exists()
    assert Document.objects.filter(kind=str(CONTRACT), object_id=contract.pk).exists()
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.state == VacancyState.REFILLING
    # The post is held by the drafted contract: nobody else is offered it.
    with at(moment(on)), pytest.raises(ValidationError):
        reserve_offer_make(vacancy=rw.vacancy, by=committee)


def test_expired_reserve_list_is_refused(rw, committee):
    listing = reserve_list(rw.vacancy)
    assert listing.valid_until is not None
    after = listing.valid_until + datetime.timedelta(days=1)
    with at(moment(after)), pytest.raises(ValidationError) as caught:
        reserve_offer_make(vacancy=rw.vacancy, by=committee)
    assert "expired" in caught.value.messages[0]
    assert not ReserveOffer.objects.exists()
    # On its last day it is still valid.
    with at(moment(listing.valid_until)):
        assert reserve_offer_make(vacancy=rw.vacancy, by=committee).application.name == "王芳"


def test_accepting_is_atomic(rw, committee, monkeypatch):
    from recruitment.services import reserve as vacancies

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    on = rw.vacancy.opened_on
    with at(moment(on)):
        offer = reserve_offer_make(vacancy=rw.vacancy, by=committee)
    monkeypatch.setattr(vacancies, "issue_for", broken)
    with at(moment(on)), pytest.raises(RuntimeError):
        reserve_offer_answer(offer=offer, accepted=True, on=on, note="", by=committee)
    offer.refresh_from_db()
    assert offer.answer == OfferAnswer.PENDING
    assert offer.application.state == ApplicationState.RESERVE
    assert not Contract.objects.filter(application=offer.application).exists()


def test_all_asked_says_to_open_a_campaign(rw, committee):
    on = rw.vacancy.opened_on
    with at(moment(on)):
        for _ in range(3):
            offer = reserve_offer_make(vacancy=rw.vacancy, by=committee)
            reserve_offer_answer(offer=offer, accepted=False, on=on, note="", by=committee)
        with pytest.raises(ValidationError) as caught:
            reserve_offer_make(vacancy=rw.vacancy, by=committee)
    assert "refill campaign" in caught.value.messages[0]


# The refill campaign ----------------------------------------------------------------------


def test_refill_campaign_is_linked(rw, committee, township, head):
    campaign = make_campaign(township, by=committee, villages=("新寨村",), head=head)
    vacancy = vacancy_start_refill(vacancy=rw.vacancy, campaign=campaign, by=committee)
    assert vacancy.state == VacancyState.REFILLING and vacancy.refill_campaign == campaign


def test_refill_campaign_must_offer_the_village(rw, committee, township, head):
    campaign = make_campaign(township, by=committee, villages=("坡贡村",), head=head)
    with pytest.raises(ValidationError) as caught:
        vacancy_start_refill(vacancy=rw.vacancy, campaign=campaign, by=committee)
    assert "新寨村" in caught.value.message_dict["campaign"][0]
    cancelled = make_campaign(
        township, by=committee, villages=("新寨村",), state=CampaignState.CANCELLED, head=head
    )
    with pytest.raises(ValidationError):
        vacancy_start_refill(vacancy=rw.vacancy, campaign=cancelled, by=committee)


# Overdue ----------------------------------------------------------------------------------


def test_overdue_vacancy_escalates_once_to_the_county(rw, hr, county):
    other_county_hr = cast(
        User, UserFactory(role=Role.COUNTY_HR, county=CountyFactory(name="镇宁县"))
    )
    due = rw.vacancy.refill_due
    assert escalate_overdue_vacancies(today=due) == 0  # the last day is not overdue
    with at(moment(due + datetime.timedelta(days=1))):
        result = sweep(today=due + datetime.timedelta(days=1))
    assert result["vacancies_overdue"] == 1
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.escalated_on == due + datetime.timedelta(days=1)
    notice = Notification.objects.get(user=hr, category=Category.DEADLINES)
    assert "新寨村" in notice.text and str(rw.vacancy.pk) in notice.url
    assert not Notification.objects.filter(user=other_county_hr).exists()
    # Twice on the same day, or a week later: nothing more.
    for later in [1, 8]:
        day = due + datetime.timedelta(days=later)
        assert sweep(today=day)["vacancies_overdue"] == 0
        assert vacancy_escalate_overdue(vacancy=rw.vacancy, today=day) is False
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.escalated_on == due + datetime.timedelta(days=1)
    assert Notification.objects.filter(user=hr, category=Category.DEADLINES).count() == 1
    assert (
        AuditEntry.objects.filter(object_id=rw.vacancy.pk, transition="mark_overdue").count() == 1
    )


def test_sweep_after_a_gap_catches_up_and_skips_filled(rw, hr, committee, township):
    filled_post = PostFactory(village=VillageFactory(township=township, name="坡贡村"))
    filled = vacancy_open(
        post=filled_post, on=rw.vacancy.opened_on, by=committee, cause=VacancyCause.NEW_POST
    )
    Vacancy.objects.filter(pk=filled.pk).update(state=VacancyState.FILLED)
    late = rw.vacancy.refill_due + datetime.timedelta(days=30)
    assert sweep(today=late)["vacancies_overdue"] == 1
    filled.refresh_from_db()
    assert filled.escalated_on is None


def test_designation_is_atomic(rw, committee, township, monkeypatch):
    from contracts.services import vacancies

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(vacancies, "issue_for", broken)
    with at(moment(rw.vacancy.opened_on)), pytest.raises(RuntimeError):
        vacancy_designate_acting(
            vacancy=rw.vacancy, person=person_of(township), on=rw.vacancy.opened_on, by=committee
        )
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.state == VacancyState.OPEN and rw.vacancy.acting_person is None
    assert not AuditEntry.objects.filter(transition="designate_acting").exists()
