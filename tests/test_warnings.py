"""Early warnings and yellow cards (issue 8, item 8): the score rules at their boundaries, the
notice and notifications of a warning, idempotence (the sweep twice, the signal after it),
acknowledgement and closing, and the yellow card with exactly one target."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessment.constants import MonthState
from assessment.models import AssessmentMonth
from assessment.signals import month_published
from audit.models import AuditEntry
from contracts.sweep import sweep
from earlywarnings.constants import WarningRule, WarningState
from earlywarnings.kinds import WARNING_NOTICE, YELLOW_CARD_DECISION
from earlywarnings.models import Warning, YellowCard
from earlywarnings.rules import bottom_of, early_warnings, warnings_for_month
from earlywarnings.services import (
    warning_acknowledge,
    warning_close,
    yellowcard_decide,
)
from notifications.models import Category, Notification
from paperwork.models import Document
from tests.builders import committee_member, county_officer
from tests.endings_support import active_contract, director_of
from tests.test_endings import pdf_text
from tests.warnings_support import published_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

TODAY = datetime.date(2026, 11, 29)
NAMES = ["王晓燕", "李春梅", "张丽", "刘芳", "陈静", "杨红"]


@pytest.fixture
def agreements_due_at_year_end(policy):
    """The year's agreements are due on 31 December: none is late in a test of other rules."""
    policy.agreement_due_month, policy.agreement_due_day = 12, 31
    policy.save()


@pytest.fixture
def directors(township):
    return [active_contract(township, name=name) for name in NAMES]


def month_of(township, directors, year, month, totals, **kwargs):
    return published_month(
        township, year, month, dict(zip(directors, totals, strict=True)), **kwargs
    )


# --- below the pass line -------------------------------------------------------------------


def test_a_score_below_the_pass_line_opens_a_warning_and_exactly_at_it_does_not(
    township, directors, policy
):
    assert policy.warning_pass_line == Decimal("60")
    month = month_of(township, directors, 2026, 10, ["59.99", "60.00", "60", "88", "90", "95"])
    opened = warnings_for_month(month=month, on=TODAY)
    low = [w for w in opened if w.rule == WarningRule.LOW_SCORE]
    assert [w.person_id for w in low] == [directors[0].person_id]
    warning = low[0]
    assert warning.period == "2026-10"
    assert warning.score == Decimal("59.99")
    assert warning.pass_line == Decimal("60")
    assert warning.state == WarningState.OPEN
    assert "59.99" in warning.facts and "60" in warning.facts


def test_the_pass_line_comes_from_the_policy(township, directors, policy):
    policy.warning_pass_line = Decimal("70")
    policy.save()
    month = month_of(township, directors, 2026, 10, ["69.99", "70", "80", "88", "90", "95"])
    opened = warnings_for_month(month=month, on=TODAY)
    assert {w.person_id for w in opened if w.rule == WarningRule.LOW_SCORE} == {
        directors[0].person_id
    }


def test_a_month_not_published_opens_nothing(township, directors):
    month = month_of(
        township, directors, 2026, 10, ["10", "20", "30", "40", "50", "55"], state=MonthState.SCORED
    )
    assert warnings_for_month(month=month, on=TODAY) == []


def test_the_warning_issues_its_notice_and_tells_the_director_and_the_committee(
    township, directors
):
    committee = committee_member(township)
    month = month_of(township, directors, 2026, 10, ["55.5", "80", "80", "88", "90", "95"])
    (warning,) = warnings_for_month(month=month, on=TODAY)
    notice = Document.objects.get(kind=WARNING_NOTICE, object_id=warning.pk)
    text = pdf_text(notice)
    assert "预警通知书" in text
    assert "王晓燕" in text and "55.50" in text and "2026年10月" in text
    assert warning.person.id_number not in text  # masked
    director = director_of(directors[0])
    assert Notification.objects.filter(user=director, key=f"warning-opened-{warning.pk}").exists()
    assert Notification.objects.filter(user=committee, category=Category.WARNINGS).count() == 1
    assert AuditEntry.objects.filter(object_id=warning.pk, transition="open").exists()


# --- the bottom of the township --------------------------------------------------------------


def test_bottom_n_includes_everyone_tied_at_the_boundary(township, directors, policy):
    policy.warning_bottom_count = 2
    policy.save()
    month = month_of(township, directors, 2026, 8, ["95", "90", "80", "65", "65", "61"])
    bottom = bottom_of(month, 2)
    assert set(bottom) == {directors[3].person_id, directors[4].person_id, directors[5].person_id}


def test_a_month_with_n_or_fewer_directors_has_no_bottom(township, directors):
    month = month_of(township, directors[:3], 2026, 8, ["95", "90", "80"])
    assert bottom_of(month, 3) == {}


def three_months(township, directors, totals_by_month, start=(2026, 7)):
    year, month = start
    rows = []
    for totals in totals_by_month:
        rows.append(month_of(township, directors, year, month, totals))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def test_bottom_three_for_three_months_running_opens_one_warning(township, directors, policy):
    assert (policy.warning_bottom_count, policy.warning_bottom_months) == (3, 3)
    months = three_months(
        township,
        directors,
        [
            ["95", "90", "85", "70", "68", "66"],  # bottom 3: 刘芳, 陈静, 杨红
            ["95", "90", "70", "70", "68", "66"],  # tie at the boundary: 张丽 too
            ["95", "66", "85", "70", "68", "67"],  # 李春梅 at the bottom, 刘芳 not
        ],
    )
    for month in months[:2]:
        assert warnings_for_month(month=month, on=TODAY) == []
    opened = warnings_for_month(month=months[2], on=TODAY)
    bottom = [w for w in opened if w.rule == WarningRule.BOTTOM_RANKED]
    assert {w.person_id for w in bottom} == {directors[4].person_id, directors[5].person_id}
    warning = next(w for w in bottom if w.person_id == directors[5].person_id)
    assert warning.period == "2026-09"
    assert [m[:2] for m in warning.months] == [[2026, 7], [2026, 8], [2026, 9]]
    assert warning.bottom_count == 3
    assert "3" in warning.facts


def test_a_tie_at_the_boundary_in_every_month_is_warned(township, directors, policy):
    # The third lowest score is 70, shared by three directors: four are at the bottom.
    months = three_months(township, directors, [["95", "90", "70", "70", "70", "60"]] * 3)
    opened = warnings_for_month(month=months[2], on=TODAY)
    bottom = {w.person_id for w in opened if w.rule == WarningRule.BOTTOM_RANKED}
    assert bottom == {d.person_id for d in directors[2:]}  # four, not three


def test_the_months_must_run_without_a_gap_and_all_be_published(township, directors):
    totals = ["95", "90", "85", "70", "68", "66"]
    month_of(township, directors, 2026, 6, totals)
    month_of(township, directors, 2026, 7, totals, state=MonthState.SCORED)
    last = month_of(township, directors, 2026, 8, totals)
    assert [w for w in warnings_for_month(month=last, on=TODAY) if w.rule == "bottom_ranked"] == []


def test_a_run_across_the_new_year_counts(township, directors):
    months = three_months(
        township, directors, [["95", "90", "85", "70", "68", "66"]] * 3, start=(2025, 11)
    )
    opened = warnings_for_month(month=months[2], on=TODAY)
    assert {w.period for w in opened if w.rule == WarningRule.BOTTOM_RANKED} == {"2026-01"}


def test_a_longer_run_is_warned_again_after_k_more_months(township, directors):
    months = three_months(township, directors, [["95", "90", "85", "70", "68", "66"]] * 6)
    periods = []
    for month in months:
        periods += [w.period for w in warnings_for_month(month=month, on=TODAY)]
    per_person = Warning.objects.filter(
        person_id=directors[5].person_id, rule=WarningRule.BOTTOM_RANKED
    )
    assert sorted(per_person.values_list("period", flat=True)) == ["2026-09", "2026-12"]


# --- idempotence -------------------------------------------------------------------------------


@pytest.mark.usefixtures("agreements_due_at_year_end")
def test_the_rules_and_the_sweep_twice_open_nothing_new(township, directors):
    months = three_months(township, directors, [["50", "90", "85", "70", "68", "66"]] * 3)
    first = early_warnings(today=TODAY)
    assert first == 3 + 3  # three low scores, three at the bottom
    assert early_warnings(today=TODAY) == 0
    assert sweep(today=TODAY)["early_warnings"] == 0
    assert warnings_for_month(month=months[2], on=TODAY) == []
    assert Warning.objects.count() == 6
    assert Document.objects.filter(kind=WARNING_NOTICE).count() == 6


def test_publishing_a_month_runs_the_rules(township, directors):
    month = month_of(township, directors, 2026, 10, ["59", "80", "80", "88", "90", "95"])
    month_published.send(sender=AssessmentMonth, month=month, by=None)
    assert Warning.objects.filter(rule=WarningRule.LOW_SCORE).count() == 1
    month_published.send(sender=AssessmentMonth, month=month, by=None)
    assert Warning.objects.count() == 1


def test_the_database_refuses_a_second_warning_of_a_rule_and_period(township, directors):
    month = month_of(township, directors, 2026, 10, ["59", "80", "80", "88", "90", "95"])
    (warning,) = warnings_for_month(month=month, on=TODAY)
    warning.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        Warning.objects.bulk_create([warning])


# --- acknowledge and close ---------------------------------------------------------------------


@pytest.fixture
def warning(township, directors):
    month = month_of(township, directors, 2026, 10, ["59", "80", "80", "88", "90", "95"])
    return warnings_for_month(month=month, on=TODAY)[0]


def test_the_director_acknowledges_then_the_committee_closes(township, directors, warning):
    director = director_of(directors[0])
    warning = warning_acknowledge(
        warning=warning, response="我将加强随访，下月改正。", by=director, on=TODAY
    )
    assert warning.state == WarningState.ACKNOWLEDGED
    assert warning.acknowledged_by == director
    committee = committee_member(township)
    warning = warning_close(warning=warning, note="已约谈，限期整改。", by=committee, on=TODAY)
    assert warning.state == WarningState.CLOSED
    assert AuditEntry.objects.filter(object_id=warning.pk, transition="close").exists()


def test_another_director_may_not_acknowledge(directors, warning):
    with pytest.raises(PermissionDenied):
        warning_acknowledge(warning=warning, response="好", by=director_of(directors[1]), on=TODAY)


def test_a_response_is_required_and_nothing_changes_without_it(directors, warning):
    with pytest.raises(ValidationError) as refused:
        warning_acknowledge(warning=warning, response="  ", by=director_of(directors[0]), on=TODAY)
    assert "response" in refused.value.message_dict
    warning.refresh_from_db()
    assert warning.state == WarningState.OPEN


def test_an_open_warning_is_not_closed_before_it_is_acknowledged(township, warning):
    with pytest.raises(ValidationError):
        warning_close(warning=warning, note="结", by=committee_member(township), on=TODAY)


def test_another_townships_committee_may_not_close(other_township, directors, warning):
    warning_acknowledge(warning=warning, response="好", by=director_of(directors[0]), on=TODAY)
    with pytest.raises(PermissionDenied):
        warning_close(warning=warning, note="结", by=committee_member(other_township), on=TODAY)


# --- yellow cards ------------------------------------------------------------------------------


def test_county_hr_gives_a_township_a_yellow_card(county, township):
    hr = county_officer(county)
    committee = committee_member(township)
    card = yellowcard_decide(
        county=county, township=township, reason="年度目标考核未达标。", by=hr, on=TODAY
    )
    assert card.concerns == township and card.person is None
    document = Document.objects.get(kind=YELLOW_CARD_DECISION, object_id=card.pk)
    text = pdf_text(document)
    assert "关于给予黄牌警告的决定" in text and "关索街道" in text and "年度目标考核未达标" in text
    assert AuditEntry.objects.filter(object_id=card.pk, transition="decide").exists()
    assert Notification.objects.filter(user=committee, key=f"yellowcard-{card.pk}").exists()


def test_county_hr_gives_a_director_a_yellow_card(county, township, directors):
    hr = county_officer(county)
    card = yellowcard_decide(
        county=county, person=directors[0].person, reason="连续三个月排名末位。", by=hr, on=TODAY
    )
    assert card.concerns == township and card.contract == directors[0]
    assert Notification.objects.filter(user=director_of(directors[0])).exists()


@pytest.mark.parametrize("targets", ["none", "both"])
def test_a_yellow_card_needs_exactly_one_target(county, township, directors, targets):
    hr = county_officer(county)
    kwargs = {} if targets == "none" else {"township": township, "person": directors[0].person}
    with pytest.raises(ValidationError) as refused:
        yellowcard_decide(county=county, reason="理由", by=hr, on=TODAY, **kwargs)
    assert "exactly one" in str(refused.value)
    assert YellowCard.objects.count() == 0
    assert Document.objects.filter(kind=YELLOW_CARD_DECISION).count() == 0


def test_the_database_refuses_a_yellow_card_to_both(county, township, directors, policy):
    with pytest.raises(IntegrityError), transaction.atomic():
        YellowCard.objects.create(
            county=county,
            township=township,
            person=directors[0].person,
            concerns=township,
            policy=policy,
            reason="x",
            decided_on=TODAY,
        )


def test_a_yellow_card_needs_a_reason(county, township):
    with pytest.raises(ValidationError) as refused:
        yellowcard_decide(
            county=county, township=township, reason=" ", by=county_officer(county), on=TODAY
        )
    assert "reason" in refused.value.message_dict


def test_only_county_hr_decides_a_yellow_card(county, township):
    with pytest.raises(PermissionDenied):
        yellowcard_decide(
            county=county, township=township, reason="理由", by=committee_member(township), on=TODAY
        )
    assert YellowCard.objects.count() == 0


# --- a missed refresher ------------------------------------------------------------------------


def refresher(county, hr, *, starts_on, days=3, year=None):
    from training.constants import CourseKind
    from training.models import Course

    return Course.objects.create(
        county=county,
        kind=CourseKind.REFRESHER,
        year=year or starts_on.year,
        title="村级人口主任知识更新培训",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        days=days,
        hours=days * 8,
        created_by=hr,
    )


def attended(course, contract, days, hr):
    from training.models import Attendance

    Attendance.objects.create(
        course=course, person_id=contract.person_id, days=days, hours=days * 8, recorded_by=hr
    )


def refresher_warnings():
    return Warning.objects.filter(rule=WarningRule.MISSED_REFRESHER)


@pytest.mark.usefixtures("agreements_due_at_year_end")
def test_a_director_who_missed_the_refresher_is_warned_once_the_course_has_ended(
    county, township, directors, policy
):
    hr = county_officer(county)
    course = refresher(county, hr, starts_on=datetime.date(2026, 6, 1))
    attended(course, directors[0], policy.refresher_min_days, hr)  # met
    attended(course, directors[1], policy.refresher_min_days - 1, hr)  # too few days
    late = active_contract(township, name="赵敏", start=datetime.date(2026, 7, 1))  # after it
    assert early_warnings(today=datetime.date(2026, 6, 3)) == 0  # the course is not over
    assert early_warnings(today=TODAY) == 5  # directors[1:] of six
    warned = set(refresher_warnings().values_list("person_id", flat=True))
    assert directors[0].person_id not in warned and late.person_id not in warned
    assert directors[1].person_id in warned
    warning = refresher_warnings().get(person_id=directors[1].person_id)
    assert warning.period == "2026"
    assert warning.details == {"days": "2.0", "min_days": policy.refresher_min_days}
    text = pdf_text(Document.objects.get(kind=WARNING_NOTICE, object_id=warning.pk))
    assert "2026年度参加县级知识更新培训2.0天" in text
    assert early_warnings(today=TODAY) == 0  # idempotent
    assert sweep(today=TODAY)["early_warnings"] == 0


@pytest.mark.usefixtures("agreements_due_at_year_end")
def test_a_refresher_year_without_a_course_counts_against_nobody(county, directors):
    assert early_warnings(today=datetime.date(2027, 1, 5)) == 0
    assert not refresher_warnings().exists()


@pytest.mark.usefixtures("agreements_due_at_year_end")
def test_the_year_closing_judges_the_refresher_even_if_a_course_ends_after_it(
    county, directors, policy
):
    hr = county_officer(county)
    course = refresher(county, hr, starts_on=datetime.date(2026, 12, 30), days=4, year=2026)
    for contract in directors[:-1]:
        attended(course, contract, policy.refresher_min_days, hr)
    assert early_warnings(today=datetime.date(2026, 12, 31)) == 0  # the course runs on
    assert early_warnings(today=datetime.date(2027, 1, 1)) == 1  # the year has closed
    assert list(refresher_warnings().values_list("person_id", "period")) == [
        (directors[-1].person_id, "2026")
    ]


# --- an unsigned agreement ---------------------------------------------------------------------


def agreement_warnings():
    return Warning.objects.filter(rule=WarningRule.UNSIGNED_AGREEMENT)


def test_an_agreement_unsigned_after_the_policy_date_opens_a_warning(directors, policy):
    due = datetime.date(2026, policy.agreement_due_month, policy.agreement_due_day)
    assert early_warnings(today=due) == 0  # the due day itself is not late
    assert early_warnings(today=due + datetime.timedelta(days=1)) == len(directors)
    warning = agreement_warnings().get(person_id=directors[0].person_id)
    assert (warning.period, warning.due_date) == ("2026", due)
    text = pdf_text(Document.objects.get(kind=WARNING_NOTICE, object_id=warning.pk))
    assert "2026年度目标管理责任书" in text
    assert early_warnings(today=due + datetime.timedelta(days=2)) == 0  # once a year


def test_the_agreement_date_comes_from_the_policy(directors, policy):
    policy.agreement_due_month, policy.agreement_due_day = 4, 30
    policy.save()
    assert early_warnings(today=datetime.date(2026, 4, 30)) == 0
    assert early_warnings(today=datetime.date(2026, 5, 1)) == len(directors)
