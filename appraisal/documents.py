"""Paperwork of the annual appraisal and the rewards: the annual appraisal form (年度考核
登记表) when county HR confirms an appraisal, and, when a settlement list is settled, the
commendation, the long-service reward approval, the recommendation letter and the pension
statement for county finance. Declared in ``appraisal.paperwork``."""

from appraisal.constants import RATING_KEYS, RewardKind
from appraisal.kinds import (
    APPRAISAL_FORM,
    COMMENDATION,
    LONG_SERVICE_APPROVAL,
    PENSION_STATEMENT,
    RECOMMENDATION_LETTER,
)
from paperwork.models import Document
from paperwork.services import document_issue
from policy.documents import EDUCATION_CN

RATING_CN = {
    "ethics": "德",
    "ability": "能",
    "diligence": "勤",
    "performance": "绩",
    "integrity": "廉",
    "satisfaction": "群众满意度",
}
GRADE_CN = {
    "excellent": "优秀",
    "competent": "合格",
    "basically_competent": "基本合格",
    "incompetent": "不合格",
}


def appraisal_context(appraisal) -> dict:
    policy = appraisal.policy
    contract = appraisal.contract
    return {
        "appraisal": appraisal,
        "person": appraisal.person,
        "masked_id": appraisal.person.masked_id_number,
        "education": EDUCATION_CN.get(appraisal.person.education, ""),
        "township": appraisal.township,
        "village": contract.post.village,
        "policy": policy,
        "ratings": [
            (RATING_CN[key], appraisal.ratings.get(key, ""), policy.appraisal_weights.get(key, 0))
            for key in RATING_KEYS
        ],
        "grade": GRADE_CN.get(appraisal.grade, ""),
    }


def _issue(subject, *, kind, context, by, township, person, policy, transition, county_body):
    return document_issue(
        kind=kind,
        context=context,
        subject=subject,
        by=by,
        county=township.county,
        township=township,
        person=person,
        policy=policy,
        issuing_body=township.county.hr_office if county_body else township.issuing_body,
        transition=transition,
    )


def issue_appraisal_form(appraisal, *, by) -> Document:
    return _issue(
        appraisal,
        kind=APPRAISAL_FORM,
        context=appraisal_context(appraisal),
        by=by,
        township=appraisal.township,
        person=appraisal.person,
        policy=appraisal.policy,
        transition="confirm",
        county_body=True,
    )


def is_commendation(reward) -> bool:
    return reward.kind == RewardKind.COMMENDATION


def is_long_service(reward) -> bool:
    return reward.kind == RewardKind.LONG_SERVICE


def is_recommendation(reward) -> bool:
    return reward.kind == RewardKind.RECOMMENDATION


def reward_context(reward) -> dict:
    return {
        "reward": reward,
        "person": reward.person,
        "masked_id": reward.person.masked_id_number,
        "education": EDUCATION_CN.get(reward.person.education, ""),
        "township": reward.township,
        "county": reward.township.county,
        "village": reward.contract.post.village,
        "policy": reward.policy,
        "settlement": reward.settlement,
    }


def _reward_issue(reward, *, kind, by, county_body: bool) -> Document:
    return _issue(
        reward,
        kind=kind,
        context=reward_context(reward),
        by=by,
        township=reward.township,
        person=reward.person,
        policy=reward.policy,
        transition="settle",
        county_body=county_body,
    )


def issue_commendation(reward, *, by) -> Document:
    """The township's commendation of a director graded 优秀."""
    return _reward_issue(reward, kind=COMMENDATION, by=by, county_body=False)


def issue_long_service_approval(reward, *, by) -> Document:
    """The county's approval of the one-time long-service reward."""
    return _reward_issue(reward, kind=LONG_SERVICE_APPROVAL, by=by, county_body=True)


def issue_recommendation_letter(reward, *, by) -> Document:
    """The county's letter recommending the director for the public-institution exam."""
    return _reward_issue(reward, kind=RECOMMENDATION_LETTER, by=by, county_body=True)


def pension_context(settlement) -> dict:
    rows = list(
        settlement.rewards.filter(kind=RewardKind.PENSION)
        .select_related("person", "contract__post__village")
        .order_by("person__name_pinyin", "pk")
    )
    return {
        "settlement": settlement,
        "township": settlement.township,
        "county": settlement.township.county,
        "policy": settlement.policy,
        "rows": rows,
        "total": sum((r.amount for r in rows), 0),
    }


def issue_pension_statement(settlement, *, by) -> Document:
    return _issue(
        settlement,
        kind=PENSION_STATEMENT,
        context=pension_context(settlement),
        by=by,
        township=settlement.township,
        person=None,
        policy=settlement.policy,
        transition="settle",
        county_body=False,
    )
