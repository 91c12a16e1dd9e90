"""Paperwork about the policy: the policy sheet, every number of one version in plain Chinese."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from core.education import Education
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from policy.constants import Grade, RenewalMode
from policy.kinds import POLICY_SHEET
from policy.models import Policy

EDUCATION_CN: dict[str, str] = {
    Education.PRIMARY: "小学",
    Education.JUNIOR_HIGH: "初中",
    Education.HIGH_SCHOOL: "高中",
    Education.SECONDARY_VOCATIONAL: "中专",
    Education.JUNIOR_COLLEGE: "大专",
    Education.BACHELOR: "本科",
    Education.POSTGRADUATE: "研究生",
}

GRADE_CN = {"excellent": "优秀", "competent": "合格", "basically_competent": "基本合格"}


@dataclass(frozen=True)
class Line:
    """One row of a two-column table: what, and how much."""

    label: str
    value: str


def _number(value) -> str:
    """2 → "2", 60.00 → "60", 59.5 → "59.5"."""
    if isinstance(value, Decimal | float):
        value = Decimal(str(value)).normalize()
        return f"{value:f}"
    return str(value)


def _money(value) -> str:
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{int(amount)}元" if amount == amount.to_integral_value() else f"{amount}元"


def quota_lines(policy: Policy) -> list[Line]:
    """One line per population tier, such as 2000人以下（含2000人）: 1名."""
    lines = []
    for tier in policy.quota_tiers:
        low, high = tier["min"], tier["max"]
        if high is None:
            span = f"{low}人以上（含{low}人）"
        elif low == 0:
            span = f"{high}人以下（含{high}人）"
        else:
            span = f"{low}人至{high}人"
        lines.append(Line(span, f"{tier['posts']}名"))
    return lines


def deduction_lines(policy: Policy) -> list[Line]:
    """Each monthly score band with its deduction, as a share and in yuan."""
    bands = sorted(policy.pay_deduction_bands, key=lambda b: b["min_score"], reverse=True)
    lines = []
    upper = None
    for band in bands:
        low = _number(band["min_score"])
        span = f"{low}分以上（含{low}分）" if upper is None else f"{low}分（含）至{upper}分（不含）"
        percent = Decimal(str(band["deduction_percent"]))
        if percent == 0:
            value = "不扣减"
        else:
            amount = policy.monthly_pay * percent / 100
            paid = policy.monthly_pay - amount
            value = f"扣减{_number(percent)}%，即{_money(amount)}，实发{_money(paid)}"
        lines.append(Line(span, value))
        upper = low
    return lines


def grade_lines(policy: Policy) -> list[Line]:
    thresholds = policy.grade_thresholds
    lines = []
    upper = None
    for key in ("excellent", "competent", "basically_competent"):
        low = _number(thresholds[key])
        span = f"{low}分以上（含{low}分）" if upper is None else f"{low}分（含）至{upper}分（不含）"
        lines.append(Line(span, GRADE_CN[key]))
        upper = low
    lines.append(Line(f"{upper}分以下（不含{upper}分）", "不合格"))
    return lines


RATING_CN = {
    "ethics": "德",
    "ability": "能",
    "diligence": "勤",
    "performance": "绩",
    "integrity": "廉",
    "satisfaction": "群众满意度",
}
GRADE_ORDER_CN: dict[str, str] = {
    Grade.EXCELLENT: "优秀",
    Grade.COMPETENT: "合格",
    Grade.BASICALLY_COMPETENT: "基本合格",
    Grade.INCOMPETENT: "不合格",
}


def _grade_span(grade: str, *, worse: bool) -> str:
    """基本合格或不合格 (this grade or worse), 合格以上 (this grade or better)."""
    grades = Grade.at_or_below(grade) if worse else Grade.at_or_above(grade)
    names = [GRADE_ORDER_CN[g] for g in grades]
    if len(names) == 1:
        return names[0]
    return "或".join(names) if worse else f"{names[-1]}以上"


# How the sheet, printed in Chinese whatever the reader's language, names the renewal mode.
RENEWAL_MODE_CN: dict[str, str] = {
    RenewalMode.RESELECTION: "按原条件和程序重新选聘",
    RenewalMode.COMMITTEE_REVIEW: "由乡镇选聘工作领导小组审核决定",
}


def policy_sheet_context(*, policy: Policy) -> dict:
    return {
        "policy": policy,
        "county": policy.county,
        "quota_lines": quota_lines(policy),
        "deduction_lines": deduction_lines(policy),
        "grade_lines": grade_lines(policy),
        "min_education": EDUCATION_CN.get(policy.min_education, policy.min_education),
        "written_pass_line": _number(policy.written_pass_line),
        "composite_pass_line": _number(policy.composite_pass_line),
        "renewal_mode": RENEWAL_MODE_CN[policy.renewal_mode],
        "warning_pass_line": _number(policy.warning_pass_line),
        "annual_bonus_max": _number(policy.annual_bonus_max),
        "annual_deduction_max": _number(policy.annual_deduction_max),
        "weight_text": "、".join(
            f"{RATING_CN[key]}{value}%" for key, value in policy.appraisal_weights.items()
        ),
        "lagging_grade": _grade_span(policy.lagging_grade, worse=True),
        "long_service_min_grade": _grade_span(policy.long_service_min_grade, worse=False),
    }


@transaction.atomic
def policy_sheet_issue(*, policy: Policy, by) -> Document:
    """Issue the policy sheet of ``policy``: every number of that version, explained for a
    newcomer. It supersedes the previous sheet of the same version, which stays on record."""
    return document_issue(
        kind=POLICY_SHEET,
        title=f"{policy.county.short_name or policy.county.name}村级人口主任管理政策要点",
        context=policy_sheet_context(policy=policy),
        subject=policy,
        by=by,
        county=policy.county,
        policy=policy,
        issuing_body=policy.county.hr_office,
        supersedes=document_current(kind=POLICY_SHEET, subject=policy),
    )
