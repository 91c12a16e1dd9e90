"""A director's whole term, simulated day by day through the real services (issue 8, "Tests").

One township, four directors hired together for 2027–2029 (contracts drafted, signed, filed
with the county; induction recorded from a county induction course), then three years of:

- the county refresher and four township sessions (伍德明 skips the refreshers of 2027 and
  2028), the year's target-responsibility agreements drafted and signed;
- twelve monthly cycles (open, score, finish, publish, settle), with totals chosen at the pay
  bands' edges (89.99, 90.00, 79.995 → 80.00, 79.99, 69.99, 60.00, 59.99) and ties (ranks 1, 2,
  2, 4), every slip's pay checked against the hand-computed amount;
- in January the year's appraisal rated and confirmed (the annual score checked by hand), in
  February the rewards settled: commendations for 优秀, the pension statement (100 yuan per
  full year), and after the third year the long-service reward (a second one refused);
- the daily sweep, run on the first of each month: after 2028 ends its detector opens a
  dismissal case against 伍德明 (two years without a refresher), who stays in post and is
  scored until the committee decides; 90 days before the term ends it opens the renewal
  reviews, which show the term's appraisal grades and training compliance, and the committee
  renews 王晓燕, whose renewal contract is signed and filed in December (December is still
  scored on the term's contract).

Each step's document is checked as the current one of its kind for its subject. Everything runs
through the services with the PDF renderer in place: 90–110 s on SQLite or PostgreSQL, over
half of it rendering the 300-odd documents.
"""

import datetime
import io
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from accounts.constants import Role
from agreements.constants import AgreementState
from agreements.kinds import TARGET_AGREEMENT
from agreements.models import TargetAgreement
from agreements.services import agreement_sign, agreements_draft_for_township, template_create
from appraisal.constants import AppraisalState, RewardKind, SettlementState
from appraisal.kinds import APPRAISAL_FORM, COMMENDATION, LONG_SERVICE_APPROVAL, PENSION_STATEMENT
from appraisal.models import AnnualAppraisal, Reward
from appraisal.services.appraisals import appraisal_confirm, appraisal_rate, appraisals_open
from appraisal.services.rewards import reward_grant, settlement_propose, settlement_settle
from assessment.constants import MonthState
from assessment.kinds import MONTHLY_BULLETIN, PAY_SLIP
from assessment.models import MonthlyScore
from assessment.services import (
    month_finish_scoring,
    month_open,
    month_publish,
    month_settle,
    scores_record,
)
from contracts.constants import CaseDecision, CaseState, ContractState, RenewalState
from contracts.kinds import CONTRACT, COUNTY_FILING_FORM, INDUCTION_CERTIFICATE, RENEWAL_NOTICE
from contracts.models import Contract, DismissalCase, RenewalReview
from contracts.services.dismissal import case_decide, case_hear
from contracts.services.drafting import contract_draft
from contracts.services.renewal import renewal_decide
from contracts.services.signing import contract_file, contract_sign
from contracts.sweep import sweep
from paperwork.selectors import document_current
from policy.constants import Grade
from tests.agreements_support import LINES
from tests.assessment_support import make_scheme, split_points
from tests.builders import committee_member
from tests.endings_support import seed_grounds
from tests.factories import (
    PersonFactory,
    PostFactory,
    UserFactory,
    VillageFactory,
    make_id_number,
)
from training.constants import CourseKind
from training.kinds import TRAINING_ATTENDANCE_RECORD
from training.selectors import compliance
from training.services import attendance_record_many, course_create

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date
YEARS = (2027, 2028, 2029)
HIRED = "王晓燕"  # hired, appraised three times, rewarded and renewed
MISSER = "伍德明"  # misses the refreshers of 2027 and 2028
DIRECTORS = {HIRED: "解放村", MISSER: "新寨村", "陈静": "石板村", "李娜": "坡贡村"}

# The month's totals and what each must give, by hand: rank (competition ranks: equal
# totals share one, the next counts everyone above) and pay after the deduction of the
# total's band (≥90 → 0 %, ≥80 → 5 %, ≥70 → 10 %, ≥60 → 20 %, below → 40 % of 1700 yuan;
# 以上 includes the number; the total is rounded to two decimals half-up first).
PATTERNS = [
    {  # 90.00 is in the top band, 89.99 is not; two at 90.00 share rank 2, the next is 4th
        HIRED: ("95.50", 1, "1700.00"),
        MISSER: ("90.00", 2, "1700.00"),
        "陈静": ("90.00", 2, "1700.00"),
        "李娜": ("89.99", 4, "1615.00"),
    },
    {  # 79.995 rounds to 80.00, in the 80 band and tied with 李娜's 80.00; 79.99 is below
        HIRED: ("92.00", 1, "1700.00"),
        MISSER: ("79.995", 2, "1615.00"),
        "陈静": ("79.99", 4, "1530.00"),
        "李娜": ("80.00", 2, "1615.00"),
    },
    {  # 70.00 keeps 10 %, 69.99 and 60.00 lose 20 %
        HIRED: ("88.00", 1, "1615.00"),
        MISSER: ("70.00", 2, "1530.00"),
        "陈静": ("69.99", 3, "1360.00"),
        "李娜": ("60.00", 4, "1360.00"),
    },
    {  # 59.99 loses 40 %; a full 100 ranks first
        HIRED: ("91.00", 2, "1700.00"),
        MISSER: ("85.00", 3, "1615.00"),
        "陈静": ("59.99", 4, "1020.00"),
        "李娜": ("100.00", 1, "1700.00"),
    },
]

# Year-end ratings (德、能、勤、绩、廉、群众满意度) of 王晓燕; the others get 85 throughout.
RATINGS = {
    2027: {"ethics": "92", "ability": "92", "diligence": "92", "performance": "92",
           "integrity": "92", "satisfaction": "92.40"},
    2028: dict.fromkeys(("ethics", "ability", "diligence", "performance", "integrity",
                         "satisfaction"), "80"),
    2029: dict.fromkeys(("ethics", "ability", "diligence", "performance", "integrity",
                         "satisfaction"), "95"),
}  # fmt: skip
OTHERS_RATINGS = dict.fromkeys(RATINGS[2029], "85")

# 王晓燕's annual scores by hand. Her twelve totals are the four patterns' three times over:
# mean (95.50 + 92.00 + 88.00 + 91.00) / 4 = 91.625 → 91.63 (half-up; half-even would give
# 91.62).
# 2027: ratings 92 × (15 + 15 + 15 + 25 + 10) % + 92.40 × 20 % = 73.60 + 18.48 = 92.08;
#       30 % × 91.63 + 70 % × 92.08 = 27.489 + 64.456 = 91.945 → 91.95 (half-even: 91.94), 优秀.
# 2028: 27.489 + 70 % × 80.00 = 83.489 → 83.49, 合格.
# 2029: 27.489 + 70 % × 95.00 = 93.989 → 93.99, 优秀.
EXPECTED = {
    2027: (Decimal("92.08"), Decimal("91.95"), Grade.EXCELLENT),
    2028: (Decimal("80.00"), Decimal("83.49"), Grade.COMPETENT),
    2029: (Decimal("95.00"), Decimal("93.99"), Grade.EXCELLENT),
}
MONTHLY_MEAN = Decimal("91.63")


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


class Township:
    """The township's people: the county HR officer, the committee member, the office staff
    and the directors' contracts of the term, by name."""

    def __init__(self, county, township, hr) -> None:
        self.county = county
        self.township = township
        self.hr = hr
        self.committee = committee_member(township, first_name="强", last_name="李")
        self.office = UserFactory(
            role=Role.TOWNSHIP_OFFICE, county=county, township=township, first_name="芳"
        )
        self.contracts: dict[str, Contract] = {}

    def person(self, name: str):
        return self.contracts[name].person

    def persons(self, names=None):
        return [self.person(n) for n in (names or DIRECTORS)]

    def refresh(self) -> None:
        for name, contract in self.contracts.items():
            self.contracts[name] = Contract.objects.get(pk=contract.pk)


def current(kind, subject):
    document = document_current(kind=kind, subject=subject)
    assert document is not None, f"no current {kind} of {subject!r}"
    return document


# The hire ----------------------------------------------------------------------------------


def hire(t: Township) -> None:
    """Draft the four contracts for 2027–2029, sign them, file them with the county, and
    record induction from the county's induction course: they come into force."""
    with at(D(2026, 12, 1)):
        for n, (name, village) in enumerate(DIRECTORS.items()):
            village = VillageFactory(township=t.township, name=village)
            person = PersonFactory(
                name=name,
                id_number=make_id_number(D(1986 + n, 3, 10 + n)),
                township=t.township,
                village=village,
            )
            t.contracts[name] = contract_draft(
                application=None,
                person=person,
                post=PostFactory(village=village),
                start_date=D(2027, 1, 1),
                by=t.committee,
            )
        induction = course_create(
            county=t.county,
            township=None,
            kind=CourseKind.INDUCTION,
            title="2026年村级人口主任初任培训",
            starts_on=D(2026, 12, 14),
            ends_on=D(2026, 12, 16),
            days="3",
            hours="18",
            by=t.hr,
        )
    with at(D(2026, 12, 10)):
        for name, contract in t.contracts.items():
            t.contracts[name] = contract_sign(
                contract=contract,
                signatory="李强",
                township_on=D(2026, 12, 10),
                director_on=D(2026, 12, 10),
                by=t.committee,
            )
    with at(D(2026, 12, 11)):
        for name, contract in t.contracts.items():
            t.contracts[name] = contract_file(
                contract=contract, by=t.hr, filing_number=f"关人口备〔2026〕{contract.pk}号"
            )
    t.refresh()
    # Filed, but not in force before the induction training.
    assert {c.state for c in t.contracts.values()} == {ContractState.SIGNED}
    with at(D(2026, 12, 17)):
        attendance_record_many(course=induction, persons=t.persons(), by=t.hr)
    t.refresh()
    for contract in t.contracts.values():
        assert contract.state == ContractState.ACTIVE
        assert contract.induction_on == D(2026, 12, 16)
        assert (contract.start_date, contract.end_date) == (D(2027, 1, 1), D(2029, 12, 31))
        assert current(CONTRACT, contract).transition == "sign"
        current(COUNTY_FILING_FORM, contract)
        current(INDUCTION_CERTIFICATE, contract)
    current(TRAINING_ATTENDANCE_RECORD, induction)


# Each year ---------------------------------------------------------------------------------


def year_begins(t: Township, year: int) -> None:
    """County HR sets the year's scoring scheme and agreement template; the office drafts
    every director's target-responsibility agreement and the three parties sign it."""
    with at(D(year, 1, 3)):
        make_scheme(t.county, year, by=t.hr)
        template_create(
            county=t.county,
            year=year,
            title=f"{year}年度村级人口主任计划生育工作目标管理责任书",
            lines=LINES,
            by=t.hr,
        )
    with at(D(year, 1, 5)):
        drafted = agreements_draft_for_township(township=t.township, year=year, by=t.office)
    assert {a.person.name for a in drafted} == set(DIRECTORS)
    with at(D(year, 1, 8)):
        for agreement in drafted:
            agreement_sign(
                agreement=agreement,
                township_signatory="李强",
                township_on=D(year, 1, 8),
                village_signatory="村委会主任",
                village_on=D(year, 1, 8),
                director_on=D(year, 1, 8),
                by=t.office,
            )
    for agreement in TargetAgreement.objects.filter(township=t.township, year=year):
        assert agreement.state == AgreementState.SIGNED
        assert current(TARGET_AGREEMENT, agreement).transition == "sign"


def refresher(t: Township, year: int) -> None:
    """The county refresher (3 days in June); 伍德明 stays away in 2027 and 2028."""
    with at(D(year, 5, 20)):
        course = course_create(
            county=t.county,
            township=None,
            kind=CourseKind.REFRESHER,
            title=f"{year}年村级人口主任知识更新培训",
            starts_on=D(year, 6, 2),
            ends_on=D(year, 6, 4),
            days="3",
            hours="18",
            by=t.hr,
        )
    names = [n for n in DIRECTORS if not (n == MISSER and year < 2029)]
    with at(D(year, 6, 5)):
        attendance_record_many(course=course, persons=t.persons(names), by=t.hr)
    current(TRAINING_ATTENDANCE_RECORD, course)


def township_session(t: Township, year: int, month: int) -> None:
    """One of the township's four one-day sessions of the year, attended by everyone."""
    day = D(year, month, 12)
    with at(day):
        course = course_create(
            county=t.county,
            township=t.township,
            kind=CourseKind.TOWNSHIP_SESSION,
            title=f"{year}年{month}月村级人口主任业务培训",
            starts_on=day,
            ends_on=day,
            days="1",
            hours="6",
            by=t.office,
        )
        attendance_record_many(course=course, persons=t.persons(), by=t.office)
    current(TRAINING_ATTENDANCE_RECORD, course)


SESSION_MONTHS = (3, 5, 8, 11)


def month_cycle(t: Township, year: int, month: int) -> None:
    """The township's month on the 25th: opened, every director scored, scoring finished,
    published (ranks, pay, bulletin and slips) and settled; each slip checked by hand."""
    pattern = PATTERNS[(month - 1) % len(PATTERNS)]
    with at(D(year, month, 25)):
        record = month_open(township=t.township, year=year, month=month, by=t.office)
        scores = {s.person.name: s for s in record.scores.select_related("person")}
        assert set(scores) == set(DIRECTORS)  # 伍德明 too, while his case is open
        # Each month is scored on the term's contract, even once the renewal is in force.
        assert {s.contract_id for s in scores.values()} == {c.pk for c in t.contracts.values()}
        rows = {
            score.pk: (split_points(record.scheme, pattern[name][0]), "")
            for name, score in scores.items()
        }
        assert scores_record(month=record, rows=rows, by=t.office) == len(rows)
        record = month_finish_scoring(month=record, by=t.office)
        record = month_publish(month=record, by=t.committee)
        record = month_settle(month=record, by=t.committee)
    assert record.state == MonthState.SETTLED
    current(MONTHLY_BULLETIN, record)
    for name, score in scores.items():
        score.refresh_from_db()
        total, rank, pay = pattern[name]
        assert score.total == Decimal(total).quantize(Decimal("0.01"), "ROUND_HALF_UP"), name
        assert (score.rank, score.pay) == (rank, Decimal(pay)), (year, month, name)
        assert score.deduction is not None
        assert score.base_pay - score.deduction == score.pay
        assert current(PAY_SLIP, score).transition == "publish"


def pdf_text(document) -> str:
    with document.file.open("rb") as f:
        pages = PdfReader(io.BytesIO(f.read())).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def slip_says(t: Township, year: int, month: int, name: str, *phrases: str) -> None:
    """The printed slip says what the score row holds."""
    score = MonthlyScore.objects.get(month__year=year, month__month=month, person=t.person(name))
    text = pdf_text(current(PAY_SLIP, score))
    for phrase in phrases:
        assert phrase in text, (phrase, text)


def appraise(t: Township, year: int) -> None:
    """In January the committee opens and rates the year's appraisals and county HR
    confirms them; 王晓燕's annual score is checked against the hand computation."""
    with at(D(year + 1, 1, 10)):
        opened = appraisals_open(
            township=t.township, year=year, by=t.committee, today=D(year + 1, 1, 10)
        )
    assert {a.person.name for a in opened} == set(DIRECTORS)
    with at(D(year + 1, 1, 15)):
        for appraisal in opened:
            ratings = RATINGS[year] if appraisal.person.name == HIRED else OTHERS_RATINGS
            appraisal_rate(appraisal=appraisal, ratings=ratings, by=t.committee)
    with at(D(year + 1, 1, 20)):
        for appraisal in opened:
            appraisal_confirm(appraisal=AnnualAppraisal.objects.get(pk=appraisal.pk), by=t.hr)
    mine = AnnualAppraisal.objects.get(person=t.person(HIRED), year=year)
    part, score, grade = EXPECTED[year]
    assert mine.state == AppraisalState.CONFIRMED
    assert (mine.months_counted, mine.monthly_mean) == (12, MONTHLY_MEAN)
    assert (mine.appraisal_score, mine.score, mine.grade) == (part, score, grade)
    for appraisal in AnnualAppraisal.objects.filter(township=t.township, year=year):
        assert appraisal.grade in (Grade.EXCELLENT, Grade.COMPETENT)
        current(APPRAISAL_FORM, appraisal)


def settle_rewards(t: Township, year: int) -> None:
    """In February the rewards of the year are proposed and settled: a commendation for 优秀,
    the pension contribution of the year's full year, and after the third year the
    long-service reward, once."""
    with at(D(year + 1, 2, 10)):
        settlement = settlement_propose(township=t.township, year=year, by=t.committee)
    rewards = {(r.person.name, r.kind): r for r in settlement.rewards.select_related("person")}
    hired = t.person(HIRED)
    excellent = EXPECTED[year][2] == Grade.EXCELLENT
    assert ((HIRED, RewardKind.COMMENDATION) in rewards) == excellent
    pension = rewards[(HIRED, RewardKind.PENSION)]
    # 100 yuan for the one full year of service completed in the year.
    assert (pension.amount, pension.full_years) == (Decimal("100.00"), year - 2026)
    if year == 2029:
        long_service = rewards[(HIRED, RewardKind.LONG_SERVICE)]
        assert long_service.amount == Decimal("3000.00")
        with (
            at(D(year + 1, 2, 12)),
            translation.override("zh-hans"),
            pytest.raises(ValidationError, match="每人限一次"),
        ):
            reward_grant(settlement=settlement, person=hired, kind=RewardKind.LONG_SERVICE, by=t.hr)
    else:
        assert (HIRED, RewardKind.LONG_SERVICE) not in rewards
    with at(D(year + 1, 2, 20)):
        settlement = settlement_settle(settlement=settlement, on=D(year + 1, 2, 20), by=t.hr)
    assert settlement.state == SettlementState.SETTLED
    assert settlement.settled_on == D(year + 1, 2, 20)  # seed 003: by February
    current(PENSION_STATEMENT, settlement)
    if excellent:
        current(COMMENDATION, rewards[(HIRED, RewardKind.COMMENDATION)])
    if year == 2029:
        current(LONG_SERVICE_APPROVAL, rewards[(HIRED, RewardKind.LONG_SERVICE)])
        assert Reward.objects.filter(person=hired, kind=RewardKind.LONG_SERVICE).count() == 1


def sweep_on(day: datetime.date) -> dict[str, int]:
    with at(day, hour=2):
        return sweep(today=day)


def misser_case(t: Township):
    return DismissalCase.objects.filter(contract__person=t.person(MISSER)).first()


# The story ---------------------------------------------------------------------------------


def check_case(t: Township, year: int, month: int) -> None:
    """The dismissal detector, run by the sweep on the 1st: nothing while one year without
    the refresher is behind 伍德明; once 2028 has ended, a case on that ground, and his
    contract untouched."""
    case = misser_case(t)
    if (year, month) < (2029, 1):
        assert case is None
    elif (year, month) == (2029, 1):
        assert case is not None and case.state == CaseState.OPENED
        assert set(case.grounds.values_list("ground__detector", flat=True)) == {"missed_refresher"}
        assert case.contract.state == ContractState.ACTIVE
        misser = t.person(MISSER).pk
        assert compliance([misser], 2028)[misser].refresher_met is False


def hear_and_close(t: Township) -> None:
    """After three more months in post and scored (``month_cycle`` finds him each month),
    伍德明 is heard and the committee closes the case: he stays in post."""
    case = misser_case(t)
    assert case.state == CaseState.OPENED
    assert Contract.objects.get(pk=case.contract_id).state == ContractState.ACTIVE
    with at(D(2029, 3, 28)):
        case = case_hear(
            case=case,
            statement="因照顾病重家属未能参训，今年保证参加。",
            declined=False,
            by=t.committee,
            on=D(2029, 3, 28),
        )
        case = case_decide(
            case=case,
            decision=CaseDecision.CLOSE,
            reasons="本人说明情况属实，责令参加2029年知识更新培训。",
            by=t.committee,
            on=D(2029, 3, 28),
        )
    assert case.state == CaseState.DECIDED
    assert Contract.objects.get(pk=case.contract_id).state == ContractState.ACTIVE


def test_a_three_year_term_from_hire_to_renewal(county, township, hr):
    seed_grounds()
    t = Township(county, township, hr)
    hire(t)

    for year in YEARS:
        for month in range(1, 13):
            sweep_on(D(year, month, 1))
            check_case(t, year, month)
            if month == 1:
                if year > YEARS[0]:
                    appraise(t, year - 1)
                year_begins(t, year)
            if month == 2 and year > YEARS[0]:
                settle_rewards(t, year - 1)
            if month in SESSION_MONTHS:
                township_session(t, year, month)
            if month == 6:
                refresher(t, year)
            if (year, month) == (2029, 10):
                # 1 October is 91 days before the end: the review opens the next day.
                assert not RenewalReview.objects.exists()
                sweep_on(D(2029, 10, 2))
                renew(t)
            if (year, month) == (2029, 12):
                sign_renewal(t)
            month_cycle(t, year, month)
            if (year, month) == (2027, 2):
                # 79.995 is printed as the rounded total, tied second, with 5 % deducted.
                slip_says(t, 2027, 2, MISSER, "本月得分：80.00分", "排第2名", "应发报酬1615元")
                slip_says(t, 2027, 2, "陈静", "本月得分：79.99分", "排第4名", "应发报酬1530元")
            if (year, month) == (2029, 3):
                hear_and_close(t)

    for year in YEARS:
        rows = compliance([p.pk for p in t.persons()], year)
        assert rows[t.person(HIRED).pk].met
        assert rows[t.person(MISSER).pk].refresher_met is (year == 2029)
        assert rows[t.person(MISSER).pk].township_sessions == 4

    appraise(t, 2029)
    settle_rewards(t, 2029)
    assert AnnualAppraisal.objects.filter(township=township).count() == 12
    assert Reward.objects.filter(kind=RewardKind.LONG_SERVICE).count() == 4


def renew(t: Township) -> None:
    """The sweep has opened the renewal reviews 90 days before the end: each shows the term's
    appraisal grades and training compliance; the committee renews 王晓燕."""
    review = RenewalReview.objects.get(contract=t.contracts[HIRED])
    assert review.opened_on == D(2029, 10, 2)
    assert Contract.objects.get(pk=review.contract_id).state == ContractState.EXPIRING
    facts = review.facts
    assert facts["appraisal_grades"] == [
        {"year": 2027, "grade": str(Grade.EXCELLENT.label)},
        {"year": 2028, "grade": str(Grade.COMPETENT.label)},
    ]
    assert [(r["year"], r["attended"]) for r in facts["training_compliance"]] == [
        (2027, True),
        (2028, True),
        (2029, True),
    ]
    missed = RenewalReview.objects.get(contract=t.contracts[MISSER]).facts
    assert [(r["year"], r["attended"]) for r in missed["training_compliance"]] == [
        (2027, False),
        (2028, False),
        (2029, True),
    ]
    with at(D(2029, 10, 20)):
        review = renewal_decide(
            review=review,
            renew=True,
            reasons="三年考核均合格以上，培训达标，经重新选聘续聘。",
            by=t.committee,
            on=D(2029, 10, 20),
            reselected=True,
        )
    assert review.state == RenewalState.RENEW
    current(RENEWAL_NOTICE, review)
    new = review.new_contract
    assert new is not None
    assert (new.start_date, new.end_date) == (
        D(2030, 1, 1),
        D(2032, 12, 31),
    )


def sign_renewal(t: Township) -> None:
    """The renewal contract is signed and filed in December, before the term ends (no
    induction again): it comes into force and the old contract ends as renewed on its end
    date."""
    review = RenewalReview.objects.get(contract=t.contracts[HIRED])
    new = review.new_contract
    with at(D(2029, 12, 18)):
        new = contract_sign(
            contract=new,
            signatory="李强",
            township_on=D(2029, 12, 18),
            director_on=D(2029, 12, 18),
            by=t.committee,
        )
        new = contract_file(contract=new, by=t.hr)
    new.refresh_from_db()
    assert new.state == ContractState.ACTIVE
    old = Contract.objects.get(pk=t.contracts[HIRED].pk)
    assert (old.state, old.ended_on) == (ContractState.RENEWED, D(2029, 12, 31))
    current(CONTRACT, new)
