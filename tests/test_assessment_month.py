"""The monthly cycle's services: open, score, finish, publish (ranks, pay, bulletin and
slips through the background job), settle and correct; and every bad input refused with
nothing changed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.constants import MonthState
from assessment.jobs import month_documents
from assessment.kinds import MONTHLY_BULLETIN, PAY_SLIP
from assessment.models import AssessmentMonth, MonthCorrection, MonthlyScore
from assessment.pay import band_percent, competition_ranks, pay_after_deduction
from assessment.selectors import counted_scores, county_ranking, township_ranking
from assessment.services import (
    county_bulletin_issue,
    month_open,
    month_publish,
    month_reopen,
    month_settle,
    score_record,
)
from assessment.signals import month_published
from jobs.models import Job
from paperwork.models import Document
from tests.assessment_support import (
    make_scheme,
    office_user,
    scored_month,
    seat_directors,
    split_points,
)
from tests.builders import committee_member, county_officer

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)
BANDS = [
    {"min_score": 90, "deduction_percent": 0},
    {"min_score": 80, "deduction_percent": 5},
    {"min_score": 70, "deduction_percent": 10},
    {"min_score": 60, "deduction_percent": 20},
    {"min_score": 0, "deduction_percent": 40},
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize(
    ("total", "percent", "deduction", "pay"),
    [
        ("100", "0", "0.00", "1700.00"),
        ("90.00", "0", "0.00", "1700.00"),
        ("89.99", "5", "85.00", "1615.00"),
        ("80.00", "5", "85.00", "1615.00"),
        ("79.995", "5", "85.00", "1615.00"),  # rounds half-up to 80.00
        ("79.994", "10", "170.00", "1530.00"),
        ("70", "10", "170.00", "1530.00"),
        ("69.99", "20", "340.00", "1360.00"),
        ("60", "20", "340.00", "1360.00"),
        ("59.99", "40", "680.00", "1020.00"),
        ("0", "40", "680.00", "1020.00"),
    ],
)
def test_pay_at_every_band_boundary(total, percent, deduction, pay):
    got = pay_after_deduction(Decimal(total), base=Decimal("1700.00"), bands=BANDS)
    assert got == (Decimal(percent), Decimal(deduction), Decimal(pay))


def test_pay_to_the_fen_half_up():
    # 1234.57 × 5 % = 61.7285 → 61.73
    assert pay_after_deduction(Decimal(85), base=Decimal("1234.57"), bands=BANDS)[1:] == (
        Decimal("61.73"),
        Decimal("1172.84"),
    )
    assert band_percent(Decimal("89.995"), BANDS) == 0  # 90.00 after rounding


def test_competition_ranks():
    assert competition_ranks([Decimal(95), Decimal(90), Decimal(90), Decimal(80)]) == [1, 2, 2, 4]
    assert competition_ranks([Decimal(90)] * 3) == [1, 1, 1]


@pytest.fixture
def world(township, hr):
    make_scheme(township.county, 2026, by=hr)
    seat_directors(township, 4)
    return township


def test_open_creates_a_score_per_director_in_force(world):
    office = office_user(world)
    month = month_open(township=world, year=2026, month=10, by=office)
    assert month.scores.count() == 4
    assert {s.base_pay for s in month.scores.all()} == {month.policy.monthly_pay}
    assert {s.scheme_id for s in month.scores.all()} == {month.scheme_id}
    with pytest.raises(ValidationError, match="已开启"):
        month_open(township=world, year=2026, month=10, by=office)
    with pytest.raises(ValidationError):
        month_open(township=world, year=2026, month=12, by=office)  # not begun
    with pytest.raises(PermissionDenied):
        month_open(township=world, year=2026, month=9, by=committee_member(world))


def test_a_contract_in_force_before_its_term_is_scored_from_its_first_month(world):
    """The services put a contract in force when it is filed and inducted (a renewal: signed
    and filed), which may be before its term starts; its director is not scored, nor paid,
    for the month before."""
    from contracts.models import Contract
    from tests.builders import contract_in_force

    early = contract_in_force(
        world, start=datetime.date(2026, 11, 1), birth=datetime.date(1990, 5, 5), name="周新"
    )
    Contract.objects.filter(pk=early.pk).update(activated_on=datetime.date(2026, 10, 20))
    office = office_user(world)
    october = month_open(township=world, year=2026, month=10, by=office)
    assert early.person_id not in set(october.scores.values_list("person_id", flat=True))
    november = month_open(township=world, year=2026, month=11, by=office)
    assert november.scores.filter(contract=early).count() == 1


def test_publish_ranks_pays_and_issues_bulletin_and_slips(world):
    month = scored_month(world, ["90", "89.99", "90", "79.995"])
    sent = []
    month_published.connect(lambda **kw: sent.append(kw["month"].pk), weak=False, dispatch_uid="t")
    try:
        with pytest.MonkeyPatch.context():
            month = month_publish(month=month, by=committee_member(world))
    finally:
        month_published.disconnect(dispatch_uid="t")
    month = AssessmentMonth.objects.get(pk=month.pk)
    assert month.state == MonthState.PUBLISHED
    rows = [(s.total, s.rank, s.pay) for s in township_ranking(month)]
    assert rows == [
        (Decimal("90.00"), 1, Decimal("1700.00")),
        (Decimal("90.00"), 1, Decimal("1700.00")),
        (Decimal("89.99"), 3, Decimal("1615.00")),
        (Decimal("80.00"), 4, Decimal("1615.00")),
    ]
    assert Document.objects.filter(kind=MONTHLY_BULLETIN).count() == 1
    assert Document.objects.filter(kind=PAY_SLIP).count() == 4
    assert Job.objects.get().state == "done"
    counted = counted_scores([s.person_id for s in month.scores.all()], 2026)
    assert sum(len(v) for v in counted.values()) == 4
    assert len(county_ranking(world.county, 2026, 10)) == 4


def test_job_run_twice_issues_no_second_document(world):
    month = month_publish(month=scored_month(world, ["95", "85", "75", "65"]),
                          by=committee_member(world))  # fmt: skip
    job = Job.objects.get()
    before = Document.objects.count()
    month_documents(job, lambda done, total: None)
    month_documents(job, lambda done, total: None)
    assert Document.objects.count() == before
    assert month.scores.filter(slip_revision=1).count() == 4


def test_published_twice_is_refused(world):
    committee = committee_member(world)
    month = month_publish(month=scored_month(world, ["95", "85", "75", "65"]), by=committee)
    with pytest.raises(ValidationError, match="不能重复发布"):
        month_publish(month=month, by=committee)
    assert Document.objects.filter(kind=MONTHLY_BULLETIN).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"0": "40.01"}, "0至40之间"),
        ({"0": "-1"}, "0至40之间"),
        ({"3": "6"}, "0至5之间"),
        ({"0": "abc"}, "不是数字"),
        ({"0": ""}, "请填写"),
    ],
)
def test_bad_scores_refused_with_nothing_changed(world, change, message):
    office = office_user(world)
    month = month_open(township=world, year=2026, month=10, by=office)
    score = month.scores.get(pk=month.scores.values_list("pk", flat=True)[0])
    items = list(month.scheme.items.all())
    points = split_points(month.scheme, "80")
    for index, value in change.items():
        points[str(items[int(index)].pk)] = value
    with pytest.raises(ValidationError, match=message):
        score_record(score=score, points=points, by=office)
    score.refresh_from_db()
    assert score.total is None and score.points == {}


def test_total_over_the_maximum_refused(world):
    office = office_user(world)
    month = month_open(township=world, year=2026, month=10, by=office)
    score = month.scores.get(pk=month.scores.values_list("pk", flat=True)[0])
    points = split_points(month.scheme, "100")
    bonus = next(i for i in month.scheme.items.all() if i.kind == "bonus")
    points[str(bonus.pk)] = "3"
    with pytest.raises(ValidationError, match="合计得分"):
        score_record(score=score, points=points, by=office)
    score.refresh_from_db()
    assert score.total is None


def test_settle_locks_and_reopen_needs_a_reason_then_supersedes(world):
    committee = committee_member(world)
    office = office_user(world)
    month = month_publish(month=scored_month(world, ["95", "85", "75", "65"], office=office),
                          by=committee)  # fmt: skip
    month = month_settle(month=month, by=committee)
    score = month.scores.get(pk=month.scores.values_list("pk", flat=True)[0])
    with pytest.raises(ValidationError, match="不能再修改"):
        score_record(score=score, points=split_points(month.scheme, "50"), by=office)
    with pytest.raises(ValidationError, match="更正理由"):
        month_reopen(month=month, reason="  ", by=committee)
    assert AssessmentMonth.objects.get(pk=month.pk).state == MonthState.SETTLED
    assert not MonthCorrection.objects.exists()
    month = month_reopen(month=month, reason="核实后更正随访得分", by=committee)
    assert month.state == MonthState.OPEN and month.revision == 2
    score_record(score=score, points=split_points(month.scheme, "50"), by=office)
    from assessment.services import month_finish_scoring

    month_finish_scoring(month=month, by=office)
    month_publish(month=month, by=committee)
    assert Document.objects.filter(kind=PAY_SLIP).count() == 8
    current = Document.objects.filter(kind=PAY_SLIP, superseded_by__isnull=True)
    assert current.count() == 4
    assert Document.objects.filter(kind=MONTHLY_BULLETIN, superseded_by__isnull=True).count() == 1
    assert MonthlyScore.objects.get(pk=score.pk).pay == Decimal("1020.00")


def test_county_bulletin(world, hr):
    month_publish(month=scored_month(world, ["95", "85", "75", "65"]), by=committee_member(world))
    document = county_bulletin_issue(county=world.county, year=2026, month=10, by=hr)
    assert document.kind == "county_monthly_bulletin"
    with pytest.raises(ValidationError):
        county_bulletin_issue(county=world.county, year=2026, month=9, by=hr)
    with pytest.raises(PermissionDenied):
        county_bulletin_issue(
            county=world.county,
            year=2026,
            month=10,
            by=county_officer(
                __import__("tests.factories", fromlist=["CountyFactory"]).CountyFactory(name="别县")
            ),
        )
