"""Resignation and termination (辞职、解聘): contracts.services.endings.

The notice period counts from the day after the request; an end inside it needs the
agreement of both parties; each end issues the termination certificate and vacates the post
in the same transaction; a future end is carried out by the sweep, once."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from accounts.constants import Role
from contracts.constants import ContractState, EndReason, ResignationState, VacancyState
from contracts.kinds import TERMINATION_CERTIFICATE
from contracts.models import Contract, Resignation, Vacancy
from contracts.services.endings import (
    contract_terminate,
    resignation_accept,
    resignation_request,
    resignations_due,
)
from contracts.sweep import sweep
from organisation.models import Post
from paperwork.models import Document
from tests.endings_support import active_contract, director_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

D = datetime.date


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def certificates(contract: Contract):
    return Document.objects.filter(kind=TERMINATION_CERTIFICATE, object_id=contract.pk)


@pytest.fixture
def contract(township):
    return active_contract(township)


def request(contract, *, on, by=None, wished=None) -> Resignation:
    with time_machine.travel(datetime.datetime(on.year, on.month, on.day, 9), tick=False):
        return resignation_request(
            contract=contract,
            by=by or director_of(contract),
            reason="家中老人需要照顾",
            wished_end_date=wished,
            on=on,
        )


# --- the request ---------------------------------------------------------------------------


def test_the_notice_counts_from_the_day_after_the_request(contract):
    # 30 days from 3 March 2026: the period starts on 3 March and ends on 1 April, a Wednesday.
    resignation = request(contract, on=D(2026, 3, 2))
    assert resignation.notice_ends_on == D(2026, 4, 1)
    assert resignation.state == ResignationState.REQUESTED
    # the contract stays in force meanwhile
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE


def test_a_notice_ending_on_a_rest_day_ends_on_the_next_working_day(contract):
    # 30 days after 2026-03-07 is Monday 6 April, 清明 holiday observed on 6 April 2026 →
    # the next working day.
    resignation = request(contract, on=D(2026, 3, 7))
    assert resignation.notice_ends_on == D(2026, 4, 7)


def test_the_notice_period_is_the_policys(contract, policy):
    policy.contract_notice_days = 10
    policy.save()
    resignation = request(contract, on=D(2026, 3, 2))
    assert resignation.notice_ends_on == D(2026, 3, 12)


def test_a_committee_member_records_the_request_for_the_director(contract, committee):
    resignation = request(contract, on=D(2026, 3, 2), by=committee)
    assert resignation.requested_by == committee


def test_another_director_or_township_cannot_request(contract, township, foreign_committee):
    other = active_contract(township, name="李四")
    with pytest.raises(PermissionDenied):
        request(contract, on=D(2026, 3, 2), by=director_of(other))
    with pytest.raises(PermissionDenied):
        request(contract, on=D(2026, 3, 2), by=foreign_committee)
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    with pytest.raises(PermissionDenied):
        request(contract, on=D(2026, 3, 2), by=office)
    assert not Resignation.objects.exists()


def test_a_second_request_while_one_waits_is_refused(contract):
    request(contract, on=D(2026, 3, 2))
    with pytest.raises(ValidationError, match="already waiting"):
        request(contract, on=D(2026, 3, 3))


def test_a_wished_day_before_the_request_is_refused(contract):
    with pytest.raises(ValidationError) as caught:
        request(contract, on=D(2026, 3, 2), wished=D(2026, 3, 1))
    assert "wished_end_date" in caught.value.message_dict


# --- the answer ----------------------------------------------------------------------------


def test_an_end_inside_the_notice_without_agreement_is_refused(contract, committee):
    resignation = request(contract, on=D(2026, 3, 2))
    with pytest.raises(ValidationError) as caught:
        resignation_accept(
            resignation=resignation,
            end_date=D(2026, 3, 31),
            agreed_earlier=False,
            by=committee,
            on=D(2026, 3, 5),
        )
    assert "end_date" in caught.value.message_dict
    assert "notice period" in caught.value.message_dict["end_date"][0]
    resignation.refresh_from_db()
    assert resignation.state == ResignationState.REQUESTED
    assert not certificates(contract).exists()


def test_an_earlier_end_agreed_by_both_ends_the_contract_now(contract, committee):
    resignation = request(contract, on=D(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9), tick=False):
        resignation_accept(
            resignation=resignation,
            end_date=D(2026, 3, 10),
            agreed_earlier=True,
            by=committee,
            on=D(2026, 3, 10),
        )
    resignation.refresh_from_db()
    contract.refresh_from_db()
    assert resignation.state == ResignationState.ACCEPTED
    assert resignation.agreed_earlier
    assert contract.state == ContractState.TERMINATED
    assert contract.end_reason == EndReason.RESIGNATION
    assert contract.ended_on == D(2026, 3, 10)
    assert Post.objects.get(pk=contract.post_id).holder_id is None
    vacancy = Vacancy.objects.get(post=contract.post)
    assert vacancy.state == VacancyState.OPEN
    assert vacancy.opened_on == D(2026, 3, 10)
    text = pdf_text(certificates(contract).get())
    assert "解除聘用合同证明书" in text
    assert "2026年3月10日" in text
    assert "经双方协商一致" in text
    assert contract.person.id_number not in text


def test_an_end_after_the_notice_is_carried_out_by_the_sweep_once(contract, committee):
    resignation = request(contract, on=D(2026, 3, 2))
    resignation_accept(
        resignation=resignation,
        end_date=D(2026, 4, 30),
        agreed_earlier=False,
        by=committee,
        on=D(2026, 3, 5),
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    assert certificates(contract).count() == 1
    assert resignations_due(today=D(2026, 4, 29)) == 0
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    # a gap: the sweep runs again only on 3 May and catches up
    assert sweep(today=D(2026, 5, 3))["resignations_due"] == 1
    contract.refresh_from_db()
    assert contract.state == ContractState.TERMINATED
    assert contract.ended_on == D(2026, 4, 30)
    assert Vacancy.objects.get(post=contract.post).opened_on == D(2026, 4, 30)
    assert sweep(today=D(2026, 5, 3))["resignations_due"] == 0
    assert Vacancy.objects.filter(post=contract.post).count() == 1


def test_only_the_townships_committee_accepts(contract, foreign_committee):
    resignation = request(contract, on=D(2026, 3, 2))
    for user in (director_of(contract), foreign_committee):
        with pytest.raises(PermissionDenied):
            resignation_accept(
                resignation=resignation,
                end_date=D(2026, 4, 30),
                agreed_earlier=False,
                by=user,
                on=D(2026, 3, 5),
            )


def test_an_end_after_the_contracts_end_is_refused(contract, committee):
    resignation = request(contract, on=D(2026, 3, 2))
    with pytest.raises(ValidationError) as caught:
        resignation_accept(
            resignation=resignation,
            end_date=D(2028, 1, 1),
            agreed_earlier=False,
            by=committee,
            on=D(2026, 3, 5),
        )
    assert "end_date" in caught.value.message_dict


# --- termination by a township decision ----------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False)
def test_termination_for_health_issues_the_certificate_and_vacates_the_post(contract, committee):
    contract_terminate(
        contract=contract,
        reason=EndReason.HEALTH,
        on=D(2026, 6, 1),
        note="本人因病长期住院，经乡镇研究解除聘用。",
        by=committee,
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.TERMINATED
    assert contract.end_reason == EndReason.HEALTH
    assert Post.objects.get(pk=contract.post_id).holder_id is None
    assert Vacancy.objects.filter(post=contract.post, opened_on=D(2026, 6, 1)).exists()
    text = pdf_text(certificates(contract).get())
    assert "身体原因" in text
    assert "2026年6月1日" in text


@time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False)
@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        (EndReason.DISMISSAL, "理由", "reason"),
        (EndReason.RESIGNATION, "理由", "reason"),
        (EndReason.HEALTH, "  ", "note"),
        (EndReason.OVER_AGE, "超过续聘年龄", "reason"),  # 38 years old
    ],
)
def test_a_termination_without_its_grounds_is_refused(contract, committee, reason, note, field):
    with pytest.raises(ValidationError) as caught:
        contract_terminate(
            contract=contract, reason=reason, on=D(2026, 6, 1), note=note, by=committee
        )
    assert field in caught.value.message_dict
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    assert not Vacancy.objects.exists()
    assert not certificates(contract).exists()


@time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False)
def test_termination_at_the_renewal_age(township, committee):
    contract = active_contract(township, birth=D(1966, 5, 1))
    contract_terminate(
        contract=contract,
        reason=EndReason.OVER_AGE,
        on=D(2026, 6, 1),
        note="年满60周岁",
        by=committee,
    )
    contract.refresh_from_db()
    assert contract.end_reason == EndReason.OVER_AGE


@time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False)
def test_a_termination_in_the_future_or_by_others_is_refused(contract, committee, township):
    with pytest.raises(ValidationError):
        contract_terminate(
            contract=contract, reason=EndReason.HEALTH, on=D(2026, 6, 2), note="因病", by=committee
        )
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    with pytest.raises(PermissionDenied):
        contract_terminate(
            contract=contract, reason=EndReason.HEALTH, on=D(2026, 6, 1), note="因病", by=office
        )


@time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False)
def test_an_ended_contract_cannot_end_again(contract, committee):
    contract_terminate(
        contract=contract, reason=EndReason.HEALTH, on=D(2026, 6, 1), note="因病", by=committee
    )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        contract_terminate(
            contract=contract,
            reason=EndReason.CHANGE_OF_POST,
            on=D(2026, 6, 1),
            note="调任",
            by=committee,
        )
    with pytest.raises(ValidationError):
        request(contract, on=D(2026, 6, 1))


# --- one transaction each ------------------------------------------------------------------


def test_a_certificate_that_cannot_be_issued_leaves_nothing_half_done(
    contract, committee, monkeypatch
):
    from contracts.services import endings
    from paperwork.services import DocumentIssueError

    resignation = request(contract, on=D(2026, 3, 2))

    def fail(*args, **kwargs):
        raise DocumentIssueError("disk full")

    monkeypatch.setattr(endings, "issue_for", fail)
    with pytest.raises(DocumentIssueError):
        resignation_accept(
            resignation=resignation,
            end_date=D(2026, 3, 5),
            agreed_earlier=True,
            by=committee,
            on=D(2026, 3, 5),
        )
    resignation.refresh_from_db()
    contract.refresh_from_db()
    assert resignation.state == ResignationState.REQUESTED
    assert contract.state == ContractState.ACTIVE
    assert Post.objects.get(pk=contract.post_id).holder_id == contract.person_id
    assert not Vacancy.objects.exists()


@time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False)
def test_the_certificate_is_issued_again_from_the_records(contract, township, committee):
    from contracts.endings_documents import issue_termination_certificate

    contract_terminate(
        contract=contract, reason=EndReason.HEALTH, on=D(2026, 6, 1), note="因病", by=committee
    )
    first = certificates(contract).get()
    contract.refresh_from_db()
    again = issue_termination_certificate(contract, by=committee)
    assert again.supersedes == first and again.kind == TERMINATION_CERTIFICATE
    assert "身体原因" in pdf_text(again)

    resigned = active_contract(township, name="李四")
    resignation = request(resigned, on=D(2026, 3, 2))
    resignation_accept(
        resignation=resignation,
        end_date=D(2026, 4, 30),
        agreed_earlier=False,
        by=committee,
        on=D(2026, 3, 5),
    )
    text = pdf_text(issue_termination_certificate(resigned, by=committee))
    assert "2026年4月30日" in text and "2026年4月1日届满" in text


def test_the_committee_is_told_of_a_request_and_the_director_of_the_answer(contract, committee):
    from notifications.models import Category, Notification

    resignation = request(contract, on=D(2026, 3, 2))
    told = Notification.objects.get(user=committee, category=Category.OTHER)
    assert "王晓燕" in told.text and str(resignation.pk) in told.url
    resignation_accept(
        resignation=resignation,
        end_date=D(2026, 4, 30),
        agreed_earlier=False,
        by=committee,
        on=D(2026, 3, 5),
    )
    assert (
        Notification.objects.filter(user=director_of(contract), category=Category.OTHER).count()
        == 1
    )
