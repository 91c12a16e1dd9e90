"""Dismissal cases (辞退): contracts.services.dismissal and contracts.detectors.

A case is opened with at least one of seed 001's grounds (or by detection from the records),
the director is heard, the committee decides, county HR files it. The contract stays in force
until a decision to dismiss; nothing is decided before the hearing; a ground and period is
never opened twice for a person."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from contracts.constants import CaseDecision, CaseState, ContractState
from contracts.detectors import consecutive_runs, dismissal_detectors, providers
from contracts.kinds import DISMISSAL_NOTICE
from contracts.models import BirthRecord, CaseGround, DismissalCase, DismissalGround, Vacancy
from contracts.services.dismissal import (
    Evidence,
    case_decide,
    case_file,
    case_hear,
    case_open,
)
from contracts.sweep import sweep
from notifications.models import Category, Notification
from organisation.models import Post
from paperwork.models import Document
from tests.builders import committee_member
from tests.endings_support import active_contract, director_of, seed_grounds
from tests.factories import make_pdf
from tests.test_endings import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

D = datetime.date


def ground(code: str) -> DismissalGround:
    return DismissalGround.objects.get(code=code)


@pytest.fixture(autouse=True)
def _grounds(db):
    seed_grounds()


@pytest.fixture
def contract(township):
    return active_contract(township, start=D(2024, 1, 1))


def open_case(contract, by, *, codes=("ledger_disorder",), period=2026, evidence=()):
    return case_open(
        contract=contract,
        grounds=[ground(c) for c in codes],
        period=period,
        summary="2026年5月督查发现本村计划生育台帐缺失三个月。",
        evidence=evidence,
        by=by,
        on=D(2026, 6, 1),
    )


class Years:
    """A provider of per-person per-year facts made in the test (the next issue's records)."""

    def __init__(self, facts: dict[int, set[int]]):
        self.facts = facts
        self.asked: list[int] = []

    def years(self, *, person_ids, until):
        self.asked.append(until)
        return {p: {y for y in self.facts.get(p, set()) if y <= until} for p in person_ids}


# --- opening --------------------------------------------------------------------------------


def test_a_case_without_a_ground_is_refused(contract, committee):
    with pytest.raises(ValidationError) as caught:
        open_case(contract, committee, codes=())
    assert "grounds" in caught.value.message_dict
    assert not DismissalCase.objects.exists()


def test_the_same_ground_and_period_is_not_opened_twice(contract, committee):
    open_case(contract, committee)
    with pytest.raises(ValidationError) as caught:
        open_case(contract, committee, codes=("ledger_disorder", "major_error"))
    message = caught.value.message_dict["grounds"][0]
    assert "计划生育台帐管理混乱的" in message and "2026" in message
    assert DismissalCase.objects.count() == 1
    # another period of the same ground is a new case
    open_case(contract, committee, period=2025)
    assert DismissalCase.objects.count() == 2


def test_the_database_refuses_the_same_ground_and_period_for_a_person(contract, committee):
    case = open_case(contract, committee)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseGround.objects.create(
            case=case, ground=ground("ledger_disorder"), person=contract.person, period=2026
        )


def test_opening_records_grounds_evidence_and_the_statement_date(contract, committee, policy):
    scan = SimpleUploadedFile("督查记录.pdf", make_pdf(), content_type="application/pdf")
    case = open_case(
        contract,
        committee,
        codes=("ledger_disorder", "false_information"),
        evidence=[Evidence(text="督查组记录"), Evidence(file=scan)],
    )
    assert case.state == CaseState.OPENED
    assert not case.detected and case.opened_by == committee
    assert [g.ground.code for g in case.grounds.all()] == ["false_information", "ledger_disorder"]
    assert {g.period for g in case.grounds.all()} == {2026}
    # 7 days from the day after 1 June 2026: 8 June (a Monday)
    assert policy.hearing_statement_days == 7
    assert case.statement_due == D(2026, 6, 8)
    evidence = list(case.evidence.all())
    assert [e.text for e in evidence] == ["督查组记录", ""]
    assert evidence[1].original_name == "督查记录.pdf"
    assert evidence[1].file.read().startswith(b"%PDF")
    assert (
        Notification.objects.filter(user=director_of(contract), category=Category.WARNINGS).count()
        == 1
    )


def test_evidence_that_is_not_a_scan_is_refused(contract, committee):
    fake = SimpleUploadedFile("证据.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        open_case(contract, committee, evidence=[Evidence(file=fake)])
    assert "evidence" in caught.value.message_dict
    assert not DismissalCase.objects.exists()


def test_only_the_townships_committee_opens_a_case(contract, township, foreign_committee, office):
    for user in (foreign_committee, office, director_of(contract)):
        with pytest.raises(PermissionDenied):
            open_case(contract, user)


# --- hearing and deciding ------------------------------------------------------------------


def test_a_decision_before_the_hearing_is_refused(contract, committee):
    case = open_case(contract, committee)
    with pytest.raises(ValidationError, match="not been heard"):
        case_decide(
            case=case,
            decision=CaseDecision.DISMISS,
            reasons="情节严重",
            by=committee,
            on=D(2026, 6, 2),
        )
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.state == CaseState.OPENED
    assert contract.state == ContractState.ACTIVE


def test_declined_is_recorded_only_after_the_statement_date(contract, committee):
    case = open_case(contract, committee)
    with pytest.raises(ValidationError) as caught:
        case_hear(case=case, statement="", declined=True, by=committee, on=D(2026, 6, 8))
    assert "declined" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        case_hear(case=case, statement="", declined=False, by=committee, on=D(2026, 6, 8))
    assert "statement" in caught.value.message_dict
    case_hear(case=case, statement="", declined=True, by=committee, on=D(2026, 6, 9))
    case.refresh_from_db()
    assert case.state == CaseState.HEARD and case.statement_declined


def test_a_decision_needs_reasons(contract, committee):
    case = open_case(contract, committee)
    case_hear(case=case, statement="台帐已补齐。", declined=False, by=committee, on=D(2026, 6, 3))
    with pytest.raises(ValidationError) as caught:
        case_decide(
            case=case, decision=CaseDecision.CLOSE, reasons=" ", by=committee, on=D(2026, 6, 4)
        )
    assert "reasons" in caught.value.message_dict


def test_closing_a_case_leaves_the_contract_in_force(contract, committee, hr):
    case = open_case(contract, committee)
    case_hear(case=case, statement="台帐已补齐。", declined=False, by=committee, on=D(2026, 6, 3))
    case_decide(
        case=case,
        decision=CaseDecision.CLOSE,
        reasons="已整改到位，不予辞退。",
        by=committee,
        on=D(2026, 6, 4),
    )
    case_file(case=case, by=hr, on=D(2026, 6, 5))
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.state == CaseState.FILED
    assert contract.state == ContractState.ACTIVE
    assert not Vacancy.objects.exists()
    assert not Document.objects.filter(kind=DISMISSAL_NOTICE).exists()


def test_only_county_hr_files_and_only_once_decided(contract, committee, hr):
    case = open_case(contract, committee)
    with pytest.raises(ValidationError):
        case_file(case=case, by=hr, on=D(2026, 6, 5))
    case_hear(case=case, statement="无异议", declined=False, by=committee, on=D(2026, 6, 3))
    case_decide(
        case=case, decision=CaseDecision.CLOSE, reasons="不予辞退", by=committee, on=D(2026, 6, 4)
    )
    with pytest.raises(PermissionDenied):
        case_file(case=case, by=committee, on=D(2026, 6, 5))


# --- detection ------------------------------------------------------------------------------


def test_consecutive_runs_do_not_overlap():
    assert consecutive_runs({2023, 2024, 2025, 2026}, 2) == [(2023, 2024), (2025, 2026)]
    assert consecutive_runs({2023, 2025}, 2) == []


def births(village, year, count, by):
    BirthRecord.objects.create(village=village, year=year, violations=count, recorded_by=by)


def test_a_case_from_birth_records_through_hearing_decision_and_filing(
    contract, township, committee, hr
):
    other_member = committee_member(township)
    village = contract.post.village
    births(village, 2025, 1, committee)
    assert sweep(today=D(2026, 3, 1))["dismissal_detectors"] == 0
    births(village, 2026, 1, committee)  # two consecutive years with a violation

    assert sweep(today=D(2026, 3, 2))["dismissal_detectors"] == 1
    case = DismissalCase.objects.get()
    assert case.detected and case.opened_by is None
    claim = case.grounds.get()
    assert claim.ground.code == "illegal_births" and claim.period == 2026
    assert "2025年、2026年" in claim.detail
    # the committee is told; the sweep again (the same day, a week later) opens nothing more
    warnings = Notification.objects.filter(category=Category.WARNINGS)
    assert warnings.filter(user__in=[committee, other_member]).count() == 2
    assert sweep(today=D(2026, 3, 2))["dismissal_detectors"] == 0
    assert sweep(today=D(2026, 3, 9))["dismissal_detectors"] == 0
    assert warnings.filter(user=committee).count() == 1

    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE  # nothing is dismissed automatically
    case_hear(
        case=case, statement="两例均为流入人口。", declined=False, by=committee, on=D(2026, 3, 5)
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    case_decide(
        case=case,
        decision=CaseDecision.DISMISS,
        reasons="连续两年出现违法生育，经核实属实。",
        by=committee,
        on=D(2026, 3, 10),
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.DISMISSED and contract.ended_on == D(2026, 3, 10)
    assert Post.objects.get(pk=contract.post_id).holder_id is None
    assert Vacancy.objects.get(post=contract.post).opened_on == D(2026, 3, 10)
    text = pdf_text(Document.objects.get(kind=DISMISSAL_NOTICE))
    assert "辞退通知书" in text and "连续两年出现违法生育或一年内出现两例违法生育的" in text
    assert contract.person.id_number not in text
    case_file(case=case, by=hr, on=D(2026, 3, 12))
    case.refresh_from_db()
    assert case.state == CaseState.FILED
    # the dismissed director is no longer looked at
    assert sweep(today=D(2026, 3, 13))["dismissal_detectors"] == 0


def test_two_births_in_one_year_open_a_case_and_the_policy_decides(contract, committee, policy):
    births(contract.post.village, 2024, 2, committee)
    assert dismissal_detectors(today=D(2026, 1, 5)) == 1
    assert CaseGround.objects.get().period == 2024
    policy.dismissal_illegal_births_in_year = 3
    policy.save()
    births(contract.post.village, 2025, 2, committee)
    assert dismissal_detectors(today=D(2026, 1, 6)) == 0


def test_births_before_the_director_took_the_post_do_not_count(township, committee):
    contract = active_contract(township, start=D(2026, 1, 1))
    births(contract.post.village, 2024, 3, committee)
    births(contract.post.village, 2025, 1, committee)
    assert dismissal_detectors(today=D(2026, 3, 1)) == 0


def test_lagging_and_missed_training_come_from_their_providers(contract, township, committee):
    other = active_contract(township, name="李四", start=D(2024, 1, 1))
    assert dismissal_detectors(today=D(2026, 3, 1)) == 0  # no records: nothing detected
    # 2023 is before they took the post: it does not count
    lagging = Years({contract.person_id: {2024, 2025}, other.person_id: {2023, 2024}})
    missed = Years({other.person_id: {2024, 2025}})
    with providers(lagging=lagging, missed_refresher=missed):
        assert dismissal_detectors(today=D(2026, 3, 1)) == 2
        assert dismissal_detectors(today=D(2026, 3, 1)) == 0
    assert lagging.asked[0] == 2025  # a year counts once it has ended
    mine = DismissalCase.objects.get(contract=contract).grounds.get()
    assert (mine.ground.code, mine.period) == ("lagging", 2025)
    theirs = DismissalCase.objects.get(contract=other).grounds.get()
    assert (theirs.ground.code, theirs.period) == ("missed_refresher", 2025)


def test_a_detected_ground_overlapping_an_opened_one_is_not_opened_again(contract, committee):
    with providers(lagging=Years({contract.person_id: {2024, 2025}})):
        assert dismissal_detectors(today=D(2026, 3, 1)) == 1
    # a year later 2025–2026 are two consecutive years too, but 2025 is in the case opened
    with providers(lagging=Years({contract.person_id: {2025, 2026}})):
        assert dismissal_detectors(today=D(2027, 3, 1)) == 0


def test_only_the_committee_is_notified_of_detection(contract, committee, office):
    births(contract.post.village, 2025, 2, committee)
    dismissal_detectors(today=D(2026, 1, 5))
    assert not Notification.objects.filter(user=office).exists()


def test_a_notice_that_cannot_be_issued_leaves_the_director_in_post(
    contract, committee, monkeypatch
):
    from contracts.services import dismissal
    from paperwork.services import DocumentIssueError

    case = open_case(contract, committee)
    case_hear(case=case, statement="无", declined=False, by=committee, on=D(2026, 6, 3))

    def fail(*args, **kwargs):
        raise DocumentIssueError("disk full")

    monkeypatch.setattr(dismissal, "issue_for", fail)
    with pytest.raises(DocumentIssueError):
        case_decide(
            case=case, decision=CaseDecision.DISMISS, reasons="属实", by=committee, on=D(2026, 6, 4)
        )
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.state == CaseState.HEARD
    assert contract.state == ContractState.ACTIVE
    assert Post.objects.get(pk=contract.post_id).holder_id == contract.person_id
    assert not Vacancy.objects.exists()


def test_text_that_cannot_be_stored_or_printed_is_refused_by_its_field(contract, committee):
    case = open_case(contract, committee)
    with pytest.raises(ValidationError) as caught:
        case_hear(
            case=case, statement="台帐\x07已补齐", declined=False, by=committee, on=D(2026, 6, 3)
        )
    assert "statement" in caught.value.message_dict
    case_hear(case=case, statement="台帐已补齐", declined=False, by=committee, on=D(2026, 6, 3))
    with pytest.raises(ValidationError) as caught:
        case_decide(
            case=case,
            decision=CaseDecision.DISMISS,
            reasons="情节严重\ue000",
            by=committee,
            on=D(2026, 6, 4),
        )
    assert "reasons" in caught.value.message_dict
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.state == CaseState.HEARD and contract.state == ContractState.ACTIVE
    # full-width digits and letters are made plain once, before they are stored
    case_decide(
        case=case,
        decision=CaseDecision.CLOSE,
        reasons="２０２６年已整改",
        by=committee,
        on=D(2026, 6, 4),
    )
    case.refresh_from_db()
    assert case.decision_reasons == "2026年已整改"
