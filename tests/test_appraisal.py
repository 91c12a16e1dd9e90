"""The annual appraisal (appraisal.scoring, appraisal.services.appraisals): the score from
the monthly mean and the ratings by the policy's weights, two decimals half-up; the months
served; the grade thresholds; the cap on 优秀; the states and who may act."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import scoring
from appraisal.constants import AppraisalState
from appraisal.kinds import APPRAISAL_FORM
from appraisal.models import AnnualAppraisal
from appraisal.services.appraisals import appraisal_confirm, appraisal_rate, appraisals_open
from assessment.constants import MonthState
from paperwork.selectors import document_current
from policy.constants import Grade
from tests.appraisal_support import scheme, score, scores
from tests.builders import contract_in_force
from tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)
ALL_80 = dict.fromkeys(
    ("ethics", "ability", "diligence", "performance", "integrity", "satisfaction"), "80"
)


@pytest.fixture
def director(township):
    return contract_in_force(
        township, start=datetime.date(2023, 3, 1), birth=datetime.date(1990, 5, 1), name="张丽"
    )


def opened(township, committee, year=2025):
    scheme(township.county, year)
    return {
        a.person_id: a
        for a in appraisals_open(township=township, year=year, by=committee, today=TODAY)
    }


def test_score_is_hand_computed_with_half_up_rounding(township, committee, hr, director):
    # 11 months of 88 and one of 90.01: mean 1058.01 / 12 = 88.1675 → 88.17.
    scores(director, 2025, ["88"] * 11 + ["90.01"])
    appraisal = opened(township, committee)[director.person_id]
    ratings = {
        "ethics": "90",
        "ability": "85",
        "diligence": "88",
        "performance": "92.5",
        "integrity": "95",
        "satisfaction": "87.35",
    }
    appraisal = appraisal_rate(
        appraisal=appraisal, ratings=ratings, bonus="0.5", bonus_reason="信息上报及时", by=committee
    )
    # 15%×90 + 15%×85 + 15%×88 + 25%×92.5 + 10%×95 + 20%×87.35 = 89.545 → 89.55
    assert appraisal.monthly_mean == Decimal("88.17")
    assert appraisal.appraisal_score == Decimal("89.55")
    # 30%×88.17 + 70%×89.55 + 0.5 = 26.451 + 62.685 + 0.5 = 89.636 → 89.64
    assert appraisal.score == Decimal("89.64")
    assert appraisal.grade == Grade.COMPETENT
    assert appraisal.state == AppraisalState.RATED


def test_the_last_rounding_is_half_up_not_to_even(township, committee, director):
    scores(director, 2025, ["85.15"] * 12)
    appraisal = opened(township, committee)[director.person_id]
    appraisal = appraisal_rate(appraisal=appraisal, ratings=ALL_80, by=committee)
    # 30%×85.15 + 70%×80 = 25.545 + 56 = 81.545 → 81.55 (to even would give 81.54)
    assert appraisal.score == Decimal("81.55")


def test_a_director_hired_in_november_is_appraised_on_the_months_served(township, committee):
    late = contract_in_force(
        township, start=datetime.date(2024, 11, 15), birth=datetime.date(1992, 1, 2), name="李想"
    )
    score(late, 2024, 11, "90")
    score(late, 2024, 12, "80")
    appraisal = opened(township, committee, 2024)[late.person_id]
    assert (appraisal.months_served, appraisal.months_counted) == (2, 2)
    assert appraisal.partial_year
    appraisal = appraisal_rate(appraisal=appraisal, ratings=ALL_80, by=committee)
    assert appraisal.monthly_mean == Decimal("85.00")
    # 30%×85 + 70%×80 = 81.50
    assert appraisal.score == Decimal("81.50")


def test_months_not_published_do_not_count(township, committee, director):
    scores(director, 2025, ["90"] * 11)
    score(director, 2025, 12, "10", state=MonthState.SCORED)
    appraisal = opened(township, committee)[director.person_id]
    assert appraisal.months_counted == 11
    assert appraisal.monthly_mean == Decimal("90.00")


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90.00", Grade.EXCELLENT),
        ("89.99", Grade.COMPETENT),
        ("75.00", Grade.COMPETENT),
        ("74.99", Grade.BASICALLY_COMPETENT),
        ("60.00", Grade.BASICALLY_COMPETENT),
        ("59.99", Grade.INCOMPETENT),
        ("0", Grade.INCOMPETENT),
    ],
)
def test_grade_thresholds_include_the_number(policy, value, grade):
    assert scoring.grade_for(Decimal(value), policy.grade_thresholds) == grade


def test_grade_thresholds_are_the_policy_s(county, policy):
    stricter = PolicyFactory(
        county=county,
        effective_from=datetime.date(2020, 1, 1),
        grade_thresholds={"excellent": 95, "competent": 80, "basically_competent": 65},
    )
    assert scoring.grade_for(Decimal("94.99"), stricter.grade_thresholds) == Grade.COMPETENT


def test_a_year_without_a_scoring_scheme_is_refused(township, committee, director):
    with pytest.raises(ValidationError, match="2025"):
        appraisals_open(township=township, year=2025, by=committee, today=TODAY)
    assert not AnnualAppraisal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ratings": {**ALL_80, "ethics": "100.5"}}, "ethics"),
        ({"ratings": {**ALL_80, "ability": "80.123"}}, "ability"),
        ({"ratings": {**ALL_80, "satisfaction": ""}}, "satisfaction"),
        ({"bonus": "5.01", "bonus_reason": "x"}, "bonus"),
        ({"bonus": "1"}, "bonus_reason"),
        ({"deduction": "10.01", "deduction_reason": "x"}, "deduction"),
        ({"deduction": "2"}, "deduction_reason"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_changes(township, committee, director, changes, field):
    scores(director, 2025, ["88"] * 12)
    appraisal = opened(township, committee)[director.person_id]
    kwargs = {"ratings": ALL_80, **changes}
    with pytest.raises(ValidationError) as refused:
        appraisal_rate(appraisal=appraisal, by=committee, **kwargs)
    assert field in refused.value.message_dict
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.DRAFTED and appraisal.score is None


def test_confirming_issues_the_form_and_only_county_hr_confirms(township, committee, hr, director):
    scores(director, 2025, ["88"] * 12)
    appraisal = appraisal_rate(
        appraisal=opened(township, committee)[director.person_id], ratings=ALL_80, by=committee
    )
    with pytest.raises(PermissionDenied):
        appraisal_confirm(appraisal=appraisal, by=committee)
    appraisal = appraisal_confirm(appraisal=appraisal, by=hr)
    assert appraisal.state == AppraisalState.CONFIRMED
    assert document_current(kind=APPRAISAL_FORM, subject=appraisal) is not None
    with pytest.raises(ValidationError):
        appraisal_rate(appraisal=appraisal, ratings=ALL_80, by=committee)


def test_the_form_says_a_partial_year(township, committee, hr):
    from pypdf import PdfReader

    late = contract_in_force(
        township, start=datetime.date(2024, 11, 15), birth=datetime.date(1992, 1, 2), name="李想"
    )
    score(late, 2024, 11, "90")
    score(late, 2024, 12, "80")
    appraisal = appraisal_rate(
        appraisal=opened(township, committee, 2024)[late.person_id], ratings=ALL_80, by=committee
    )
    appraisal_confirm(appraisal=appraisal, by=hr)
    document = document_current(kind=APPRAISAL_FORM, subject=appraisal)
    assert document is not None
    with document.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "不满12个月" in text.replace(" ", "") and "81.50" in text


def test_the_cap_on_excellent_refuses_one_more(county, township, committee, hr):
    PolicyFactory(county=county, effective_from=datetime.date(2020, 1, 1), excellent_share_max=20)
    contracts = [
        contract_in_force(
            township, start=datetime.date(2023, 1, 1), birth=datetime.date(1990, 1, i + 1), name=n
        )
        for i, n in enumerate(["甲一", "乙二", "丙三", "丁四", "戊五"])
    ]
    for c in contracts:
        scores(c, 2025, ["95"] * 12)
    appraisals = opened(township, committee)
    best = dict.fromkeys(ALL_80, "95")
    first, second = (
        appraisal_rate(appraisal=appraisals[c.person_id], ratings=best, by=committee)
        for c in contracts[:2]
    )
    assert first.grade == second.grade == Grade.EXCELLENT
    appraisal_confirm(appraisal=first, by=hr)
    with pytest.raises(ValidationError) as refused:
        appraisal_confirm(appraisal=second, by=hr)
    message = refused.value.messages[0]
    assert "20%" in message and "1" in message and "乙二" in message
    second.refresh_from_db()
    assert second.state == AppraisalState.RATED


def test_only_the_township_committee_rates(township, other_township, director):
    from tests.builders import committee_member

    scheme(township.county, 2025)
    stranger = committee_member(other_township)
    with pytest.raises(PermissionDenied):
        appraisals_open(township=township, year=2025, by=stranger, today=TODAY)


def test_the_current_year_cannot_be_opened(township, committee, director):
    scheme(township.county, 2026)
    with pytest.raises(ValidationError):
        appraisals_open(township=township, year=2026, by=committee, today=TODAY)


def test_full_years_and_months_served_are_pure_arithmetic():
    d = datetime.date
    assert scoring.months_served([(d(2024, 11, 15), d(2027, 11, 14))], 2024) == 2
    assert scoring.full_years([(d(2021, 3, 1), d(2024, 2, 29))], d(2024, 2, 28)) == 2
    assert scoring.full_years([(d(2021, 3, 1), d(2024, 2, 29))], d(2024, 2, 29)) == 3
