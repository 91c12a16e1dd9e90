"""Renewal (续聘) and the daily sweep's renewal, reminder and expiry steps, over a term
simulated with time-machine."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from pypdf import PdfReader
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.models import AuditEntry
from contracts.constants import (
    ContractOrigin,
    ContractState,
    InductionSource,
    RenewalMode,
    RenewalState,
    VacancyState,
)
from contracts.kinds import CONTRACT, RENEWAL_NOTICE
from contracts.models import Contract, RenewalReview, Vacancy
from contracts.services.renewal import renewal_decide, renewal_review_open
from contracts.services.signing import contract_file, contract_sign
from contracts.signals import contract_drafted
from contracts.sweep import sweep
from contracts.term_records import register_term_records
from notifications.models import Notification
from organisation.models import Post
from paperwork.models import Document
from paperwork.selectors import document_current
from tests.builders import committee_member
from tests.renewal_support import active_contract
from tests.test_paperwork import pdf_text, stored_bytes
from tests.workflow_support import fire_timers
from workdays.calendar import add_working_days
from workflows.flows_renewal import RenewalFlow, renewal_task_escalate
from workflows.models import RenewalProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

START = datetime.date(2024, 1, 1)
END = datetime.date(2026, 12, 31)
DAY = datetime.timedelta(days=1)


def days_before_end(n: int) -> datetime.date:
    return END - datetime.timedelta(days=n)


def run_sweep(day: datetime.date) -> dict[str, int]:
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 1, 0), tick=False):
        return sweep(today=day)


@pytest.fixture
def contract(township):
    return active_contract(township, start=START, with_user=True)


@pytest.fixture
def people(township, committee, hr):
    return {"committee": committee, "hr": hr}


def open_review(contract) -> RenewalReview:
    run_sweep(days_before_end(90))
    return RenewalReview.objects.get(contract=contract)


# --- opening the review --------------------------------------------------------------------


def test_the_sweep_opens_the_review_90_days_before_the_end_with_the_facts(contract, people):
    assert run_sweep(days_before_end(91))["renewal_reviews"] == 0
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE

    assert run_sweep(days_before_end(90))["renewal_reviews"] == 1
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRING
    review = contract.renewal_review
    assert review.opened_on == days_before_end(90)
    assert review.mode == RenewalMode.RESELECTION
    assert review.facts == {
        "end_date": "2026-12-31",
        "age_on_end": 46,
        "renewal_max_age": 60,
        "over_age": False,
        "appraisal_grades": None,
        "training_compliance": None,
    }
    # The flow waits for the township committee's decision.
    process = RenewalProcess.objects.get(review=review)
    task = process.task_set.get(flow_task=RenewalFlow.decide)
    assert task.status == STATUS.NEW
    assert task.owner_permission == f"workflows.township_committee@{contract.township_id}"


def test_the_facts_take_the_records_of_the_term_when_a_provider_has_them(contract, people):
    class Records:
        def appraisal_grades(self, contract):
            return [{"year": 2024, "grade": "合格"}, {"year": 2025, "grade": "优秀"}]

        def training_compliance(self, contract):
            return [{"year": 2025, "attended": True, "note": "知识更新培训3天"}]

    previous = register_term_records(Records())
    try:
        review = open_review(contract)
    finally:
        register_term_records(previous)
    assert review.facts["appraisal_grades"][1] == {"year": 2025, "grade": "优秀"}
    assert review.facts["training_compliance"][0]["attended"] is True


def test_a_review_for_a_contract_not_near_its_end_is_refused_and_nothing_changes(contract):
    audit = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        renewal_review_open(contract=contract, today=days_before_end(91), by=None)
    assert "not near its end" in str(refused.value)
    assert "90 days before the end date" in str(refused.value)
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    assert not RenewalReview.objects.exists()
    assert AuditEntry.objects.count() == audit


def test_the_refusal_reads_in_chinese(contract, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        renewal_review_open(contract=contract, today=datetime.date(2025, 6, 1), by=None)
    assert "2026年12月31日" in str(refused.value)
    assert "尚未临近届满" in str(refused.value)


def test_a_review_opens_once(contract):
    open_review(contract)
    with pytest.raises(ValidationError):
        renewal_review_open(contract=contract, today=days_before_end(80), by=None)
    assert RenewalReview.objects.count() == 1


# --- the decision ----------------------------------------------------------------------------


def test_renewing_issues_the_notice_and_drafts_the_next_contract(contract, people):
    review = open_review(contract)
    drafted = []

    def receiver(sender, contract, **kwargs):
        drafted.append(contract)

    contract_drafted.connect(receiver)
    try:
        renewal_decide(
            review=review,
            renew=True,
            reasons="聘期内考核合格，经重新选聘继续聘用。",
            reselected=True,
            by=people["committee"],
            on=days_before_end(60),
        )
    finally:
        contract_drafted.disconnect(receiver)
    review.refresh_from_db()
    assert review.state == RenewalState.RENEW
    assert review.reselected is True
    new = review.new_contract
    assert new is not None
    assert drafted == [new]
    assert new.state == ContractState.DRAFTED
    assert new.origin == ContractOrigin.RENEWAL
    assert new.renews == contract
    assert new.start_date == datetime.date(2027, 1, 1)
    assert new.end_date == datetime.date(2029, 12, 31)
    assert new.term_years == 3
    assert new.induction_source == InductionSource.NOT_REQUIRED
    assert new.has_induction()
    document = Document.objects.get(kind=RENEWAL_NOTICE)
    text = pdf_text(stored_bytes(document))
    assert "村级人口主任续聘通知书" in text
    assert "2027年1月1日起至2029年12月31日止" in text
    assert "按照选聘条件和选聘程序重新选聘" in text
    assert contract.person.id_number not in text  # masked
    # The old contract stays in force until the new one is filed.
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRING
    # The director is told.
    assert Notification.objects.filter(user__person=contract.person, key__contains="decided")


def test_the_renewal_takes_term_and_pay_from_the_policy_in_force_on_its_start(
    contract, people, policy
):
    from tests.factories import PolicyFactory

    PolicyFactory(
        county=policy.county,
        effective_from=datetime.date(2027, 1, 1),
        term_years=3,
        monthly_pay=1900,
    )
    review = open_review(contract)
    renewal_decide(
        review=review,
        renew=True,
        reasons="续聘",
        reselected=True,
        by=people["committee"],
        on=days_before_end(60),
    )
    review.refresh_from_db()
    assert review.new_contract is not None
    assert review.new_contract.monthly_pay == 1900


def test_re_selection_mode_needs_the_committee_to_record_the_re_selection(contract, people):
    review = open_review(contract)
    with pytest.raises(ValidationError) as refused:
        renewal_decide(
            review=review,
            renew=True,
            reasons="续聘",
            by=people["committee"],
            on=days_before_end(60),
        )
    assert "reselected" in refused.value.error_dict
    assert not Contract.objects.filter(origin=ContractOrigin.RENEWAL).exists()


def test_committee_review_mode_renews_without_re_selection(contract, people, policy):
    policy.renewal_mode = RenewalMode.COMMITTEE_REVIEW
    policy.save()
    review = open_review(contract)
    renewal_decide(
        review=review,
        renew=True,
        reasons="考核合格",
        by=people["committee"],
        on=days_before_end(60),
    )
    review.refresh_from_db()
    assert review.state == RenewalState.RENEW
    assert review.reselected is False
    text = pdf_text(stored_bytes(Document.objects.get(kind=RENEWAL_NOTICE)))
    assert "村级人口主任选聘工作领导小组审核" in text
    assert "重新选聘" not in text


def test_renewing_someone_over_the_renewal_age_is_refused(township, people):
    # Born 1965-06-01: 61 on 31 December 2026, over the renewal age of 60.
    contract = active_contract(township, start=START, birth=datetime.date(1965, 6, 1))
    review = open_review(contract)
    assert review.facts["over_age"] is True
    with pytest.raises(ValidationError) as refused:
        renewal_decide(
            review=review,
            renew=True,
            reasons="续聘",
            reselected=True,
            by=people["committee"],
            on=days_before_end(60),
        )
    assert "over the renewal age of 60" in str(refused.value)
    review.refresh_from_db()
    assert review.state == RenewalState.OPEN
    assert not Contract.objects.filter(origin=ContractOrigin.RENEWAL).exists()
    assert not Document.objects.filter(kind=RENEWAL_NOTICE).exists()


def test_sixty_on_the_end_date_is_not_over_the_renewal_age(township, people):
    contract = active_contract(township, start=START, birth=datetime.date(1966, 6, 1))
    review = open_review(contract)
    assert review.facts["age_on_end"] == 60
    renewal_decide(
        review=review,
        renew=True,
        reasons="续聘",
        reselected=True,
        by=people["committee"],
        on=days_before_end(60),
    )


def test_only_the_townships_committee_decides(contract, people, other_township):
    review = open_review(contract)
    for user in (committee_member(other_township), people["hr"]):
        with pytest.raises(PermissionDenied):
            renewal_decide(
                review=review, renew=False, reasons="不续聘", by=user, on=days_before_end(60)
            )
    review.refresh_from_db()
    assert review.state == RenewalState.OPEN


def test_a_decision_needs_reasons(contract, people):
    review = open_review(contract)
    with pytest.raises(ValidationError) as refused:
        renewal_decide(
            review=review, renew=False, reasons="  ", by=people["committee"], on=days_before_end(60)
        )
    assert "reasons" in refused.value.error_dict


def test_the_renewal_contract_coming_into_force_ends_the_old_one_as_renewed(contract, people):
    review = open_review(contract)
    renewal_decide(
        review=review,
        renew=True,
        reasons="续聘",
        reselected=True,
        by=people["committee"],
        on=days_before_end(60),
    )
    review.refresh_from_db()
    new = review.new_contract
    assert new is not None
    day = timezone.localdate(new.created_at)
    new = contract_sign(
        contract=new, signatory="李组长", township_on=day, director_on=day, by=people["committee"]
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRING  # in force until the new one is
    signed = document_current(kind=CONTRACT, subject=new)
    assert signed is not None
    with signed.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "经乡镇续聘审核决定续聘为村级人口主任" in re.sub(r"\s+", "", text)

    new = contract_file(contract=new, by=people["hr"])  # no induction for a renewal

    assert new.state == ContractState.ACTIVE
    contract.refresh_from_db()
    assert contract.state == ContractState.RENEWED
    assert contract.ended_on == END
    assert contract.post.holder == contract.person


# --- expiry -------------------------------------------------------------------------------


def test_not_renewed_the_contract_expires_and_the_post_falls_vacant(contract, people):
    review = open_review(contract)
    renewal_decide(
        review=review,
        renew=False,
        reasons="本人不愿续聘",
        by=people["committee"],
        on=days_before_end(60),
    )
    assert run_sweep(END)["contracts_expire"] == 0  # its last day: still in force
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRING

    assert run_sweep(END + DAY)["contracts_expire"] == 1
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRED
    assert contract.ended_on == END
    assert Post.objects.get(pk=contract.post_id).holder_id is None
    vacancy = Vacancy.objects.get(post=contract.post)
    assert vacancy.opened_on == END + DAY
    assert vacancy.state == VacancyState.OPEN


def test_a_contract_whose_renewal_is_not_yet_in_force_is_not_expired_but_reported(contract, people):
    review = open_review(contract)
    renewal_decide(
        review=review,
        renew=True,
        reasons="续聘",
        reselected=True,
        by=people["committee"],
        on=days_before_end(60),
    )
    assert run_sweep(END + DAY)["contracts_expire"] == 0
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRING
    assert Post.objects.get(pk=contract.post_id).holder_id == contract.person_id
    late = Notification.objects.filter(key=f"contract:{contract.pk}:renewal-late")
    director = contract.person.user
    told = {people["committee"].pk, people["hr"].pk, director.pk}
    assert set(late.values_list("user", flat=True)) == told
    run_sweep(END + 2 * DAY)
    assert late.count() == 3  # once each


def test_a_term_through_the_sweep_from_active_to_expiry(contract, people):
    """Every day from 100 days before the end to 3 days after: the review opens on day 90,
    nothing is decided, and the contract expires the day after its end."""
    day = days_before_end(100)
    while day <= END + 3 * DAY:
        run_sweep(day)
        day += DAY
    contract.refresh_from_db()
    assert contract.state == ContractState.EXPIRED
    assert contract.renewal_review.opened_on == days_before_end(90)
    assert Vacancy.objects.get(post=contract.post).opened_on == END + DAY


# --- reminders -------------------------------------------------------------------------------


def reminder_days(user) -> dict[str, datetime.date]:
    return {
        n.key.rsplit(":", 1)[1]: n.created_at.date()
        for n in Notification.objects.filter(user=user, key__contains=":expiry:")
    }


def test_reminders_at_90_30_and_7_days_each_once(contract, people):
    director = contract.person.user
    day = days_before_end(95)
    while day <= END:
        run_sweep(day)
        run_sweep(day)  # twice a day changes nothing
        day += DAY
    for user in (people["committee"], people["hr"], director):
        assert reminder_days(user) == {
            "90": days_before_end(90),
            "30": days_before_end(30),
            "7": days_before_end(7),
        }
    text = Notification.objects.filter(user=director, key__endswith=":expiry:7").get().text
    assert "7 days from today" in text


def test_after_a_gap_only_the_nearest_threshold_passed_is_sent(contract, people):
    run_sweep(days_before_end(95))
    counts = run_sweep(days_before_end(20))  # the sweep did not run for 75 days
    assert counts["renewal_reviews"] == 1  # the missed review is opened
    assert reminder_days(people["committee"]) == {"30": days_before_end(20)}
    run_sweep(days_before_end(19))
    assert set(reminder_days(people["committee"])) == {"30"}


def test_the_sweep_twice_on_a_day_changes_nothing(township, people):
    ending = active_contract(township, start=START)  # ends 2026-12-31
    ended = active_contract(township, start=datetime.date(2023, 10, 1))  # ended 2026-09-30
    day = days_before_end(90)
    first = run_sweep(day)
    assert first["renewal_reviews"] == 1 and first["contracts_expire"] == 1
    audit = list(AuditEntry.objects.values_list("pk", flat=True))
    notes = list(Notification.objects.values_list("pk", flat=True))
    second = run_sweep(day)
    assert second == {name: 0 for name in second}
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == audit
    assert list(Notification.objects.values_list("pk", flat=True)) == notes
    ending.refresh_from_db()
    ended.refresh_from_db()
    assert (ending.state, ended.state) == (ContractState.EXPIRING, ContractState.EXPIRED)


def test_the_command_prints_what_each_step_did_in_chinese(contract, people, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the office's language, as configured
    out = io.StringIO()
    call_command("sweep", "--date", days_before_end(90).isoformat(), stdout=out)
    text = out.getvalue()
    assert "2026年10月2日" in text
    assert "启动续聘审核：1" in text
    assert "发送到期提醒：3" in text
    assert "到期终止合同：0" in text


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep", "--date", "2026-13-01")


# --- the flow's time limit -------------------------------------------------------------------


def test_a_review_opened_late_is_due_by_the_last_day_of_the_term(contract):
    """Opened 20 days before the end (after a gap, or a contract imported late), the decision
    is due on the term's last day, not 30 working days later when the contract has expired."""
    with time_machine.travel(datetime.datetime(2026, 12, 11, 1, 0, tzinfo=datetime.UTC)):
        review = open_review_on(contract, days_before_end(20))
    task = Task.objects.get(process__renewalprocess__review=review, flow_task=RenewalFlow.decide)
    timer = Task.objects.get(previous=task, flow_task_type="TIMER")
    assert timezone.localdate(timer.scheduled) == END + DAY


def open_review_on(contract, day: datetime.date) -> RenewalReview:
    run_sweep(day)
    return RenewalReview.objects.get(contract=contract)


def test_an_overdue_decision_goes_to_the_county(contract, people):
    """The decision is due in 30 working days; the timer fired after it (``manage.py
    workflow_timers``) hands the task to the county's HR officers, who are told."""
    opened = days_before_end(90)
    with time_machine.travel(datetime.datetime(2026, 10, 2, 1, 0, tzinfo=datetime.UTC)):
        review = open_review(contract)
    task = Task.objects.get(process__renewalprocess__review=review, flow_task=RenewalFlow.decide)
    timer = Task.objects.get(previous=task, flow_task_type="TIMER")
    assert timer.scheduled is not None
    due_day = timezone.localdate(timer.scheduled)
    assert due_day == add_working_days(opened, 30) + DAY
    fire_timers(timer.scheduled - datetime.timedelta(hours=1))
    task.refresh_from_db()
    assert task.data.get("escalated") is None
    fire_timers(timer.scheduled + datetime.timedelta(minutes=1))
    task.refresh_from_db()
    assert task.owner_permission == f"workflows.county_hr@{contract.township.county_id}"
    assert task.data["escalated"] is True
    assert Notification.objects.filter(user=people["hr"], key=f"renewal:{review.pk}:overdue")
    assert AuditEntry.objects.filter(transition="escalate", object_id=review.pk).exists()
    renewal_task_escalate(task=task)  # a second time changes nothing
    assert AuditEntry.objects.filter(transition="escalate", object_id=review.pk).count() == 1
    # The committee still decides, and the decision completes the task.
    from workflows.views_renewal import complete_task

    renewal_decide(
        review=review,
        renew=False,
        reasons="不续聘",
        by=people["committee"],
        on=days_before_end(40),
    )
    complete_task(task, people["committee"])
    task.refresh_from_db()
    assert task.status == STATUS.DONE


def test_the_sweep_bench_runs_on_a_small_county():
    from bench import term
    from bench.__main__ import format_figure

    figures = list(term.run(contracts=400, database=False))
    assert [(name, unit) for name, _value, unit in figures] == [("term.sweep_400_s", "s")]
    assert figures[0][1] > 0
    assert format_figure(*figures[0]).startswith("term.sweep_400_s: ")
    # The catch-up day opened every review within 90 days (the one of the contract that
    # expired on the measured day too), the measured day the next ones.
    assert (
        RenewalReview.objects.count()
        == Contract.objects.filter(
            state__in=[ContractState.EXPIRING, ContractState.EXPIRED]
        ).count()
    )
    assert Contract.objects.filter(state=ContractState.EXPIRED).count() == 1


def test_a_decision_that_fails_while_printing_leaves_nothing_behind(contract, people, monkeypatch):
    review = open_review(contract)
    audit = AuditEntry.objects.count()

    def broken(review, transition, *, by):
        raise OSError("disk full")

    monkeypatch.setattr("contracts.services.renewal.issue_for", broken)
    with pytest.raises(OSError):
        renewal_decide(
            review=review,
            renew=True,
            reasons="续聘",
            reselected=True,
            by=people["committee"],
            on=days_before_end(60),
        )
    review.refresh_from_db()
    assert review.state == RenewalState.OPEN
    assert review.new_contract is None
    assert not Contract.objects.filter(origin=ContractOrigin.RENEWAL).exists()
    assert AuditEntry.objects.count() == audit
    assert not Notification.objects.filter(key__contains="decided").exists()
