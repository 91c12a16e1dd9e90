"""Builders for the monthly assessment's tests: a county scheme, a township with directors in
post, the office and committee users, and a month scored with given totals."""

import datetime
from decimal import Decimal

from accounts.constants import Role
from assessment.models import AssessmentMonth
from assessment.services import month_finish_scoring, month_open, scheme_save, score_record
from tests.builders import committee_member, contract_in_force, county_officer
from tests.factories import UserFactory

# Scored items add up to 100 (the policy's default monthly maximum).
ITEMS = [
    {"name": "人口信息采集", "kind": "scored", "nature": "quality", "basis": "quantitative",
     "max_points": "40"},
    {"name": "入户随访服务", "kind": "scored", "nature": "level", "basis": "quantitative",
     "max_points": "40"},
    {"name": "台帐管理", "kind": "scored", "nature": "level", "basis": "qualitative",
     "max_points": "20"},
    {"name": "创新工作加分", "kind": "bonus", "nature": "quality", "basis": "qualitative",
     "max_points": "5"},
    {"name": "违规减分", "kind": "deduction", "nature": "quality", "basis": "qualitative",
     "max_points": "10"},
]  # fmt: skip

NAMES = ["张丽", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵敏", "黄磊"]


def office_user(township, **fields):
    return UserFactory(
        role=Role.TOWNSHIP_OFFICE, county=township.county, township=township, **fields
    )


def make_scheme(county, year: int, by=None, items=None):
    by = by or county_officer(county)
    return scheme_save(county=county, year=year, title=f"{year}年村级人口主任月度考核办法",
                       items=items or ITEMS, by=by)  # fmt: skip


def seat_directors(township, n: int, start=datetime.date(2024, 1, 1)):
    return [
        contract_in_force(
            township,
            start=start,
            birth=datetime.date(1985, 1, 1) + datetime.timedelta(days=37 * i),
            name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)),
        )
        for i in range(n)
    ]


def split_points(scheme, total) -> dict[str, str]:
    """Points per item giving ``total`` (0–100) with the scored items only."""
    total = Decimal(str(total))
    points = {}
    left = total
    for item in scheme.items.all():
        if item.kind != "scored":
            points[str(item.pk)] = "0"
            continue
        value = min(left, item.max_points)
        points[str(item.pk)] = str(value)
        left -= value
    return points


def scored_month(township, totals, *, year=2026, month=10, office=None) -> AssessmentMonth:
    """A month of ``township`` opened and scored with ``totals`` (in the directors' pinyin
    order), scoring finished."""
    office = office or office_user(township)
    record = month_open(township=township, year=year, month=month, by=office)
    scores = list(record.scores.order_by("person__name_pinyin", "person_id"))
    for score, total in zip(scores, totals, strict=True):
        score_record(score=score, points=split_points(record.scheme, total), by=office)
    return month_finish_scoring(month=record, by=office)


def committee(township):
    return committee_member(township)
