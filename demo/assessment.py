"""The demo's monthly assessment (``manage.py load_demo``): two townships, 永宁镇 and 龙潭街道,
run 24 months, November 2024 to October 2026, scored, published (bulletins and slips) and
settled; November 2026 is open for scoring with no scores yet. County HR's scoring schemes
for 2024, 2025 and 2026 come first.

The seated directors of the two townships are given the contract the county would have
imported for them (in force from 1 November 2024, the start of the demo's history) first,
by ``demo_assessment_seat`` before the training and agreements that concern them; then each
month is run through the services as the township's office and committee would, on a day
early in the following month (``time_machine``), so every record and document carries a
plausible date. Scores are drawn from a fixed seed: each director has a steady level and
months vary around it, with an occasional bonus or deduction.

Loading it costs about a minute (some 600 PDFs); it runs once: a second run finds the months
and does nothing.
"""

import datetime
import random
from decimal import Decimal

import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import translation

from accounts.models import User
from accounts.services import user_create
from assessment.models import AssessmentMonth
from assessment.services import (
    month_finish_scoring,
    month_open,
    month_publish,
    month_settle,
    scheme_save,
    score_record,
)
from contracts.constants import IN_FORCE_STATES, ContractOrigin, ContractState, InductionSource
from contracts.models import Contract
from contracts.services.drafting import contract_end_date
from demo import data
from demo.services import REASON, _email
from organisation.constants import PostStatus
from organisation.models import Post, Township
from policy.selectors import policy_in_force

SEED = 20261129
TOWNSHIPS = (("永宁镇", "yongning"), ("龙潭街道", "longtan"))
FIRST = (2024, 11)
MONTHS = 24  # November 2024 to October 2026; the 25th (November 2026) is left open

SCHEME_ITEMS = [
    {"name": "人口信息采集与上报", "kind": "scored", "nature": "quality",
     "basis": "quantitative", "max_points": "30",
     "guidance": "信息准确、上报及时，每错漏一条扣1分"},
    {"name": "入户随访与咨询服务", "kind": "scored", "nature": "level",
     "basis": "quantitative", "max_points": "30",
     "guidance": "按月访计划完成随访，每少一户扣1分"},
    {"name": "流动人口管理服务", "kind": "scored", "nature": "quality",
     "basis": "quantitative", "max_points": "15"},
    {"name": "宣传教育与群众活动", "kind": "scored", "nature": "level",
     "basis": "qualitative", "max_points": "10"},
    {"name": "台帐资料管理", "kind": "scored", "nature": "level",
     "basis": "qualitative", "max_points": "15",
     "guidance": "台帐规范、完整，抽查不合格一项扣2分"},
    {"name": "创新工作及表扬加分", "kind": "bonus", "nature": "quality",
     "basis": "qualitative", "max_points": "5"},
    {"name": "违规违纪及投诉减分", "kind": "deduction", "nature": "quality",
     "basis": "qualitative", "max_points": "10"},
]  # fmt: skip


def _months():
    year, month = FIRST
    for _ in range(MONTHS):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _moment(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    """A moment early in the month after (year, month), Asia/Shanghai."""
    following = datetime.date(year + (month == 12), month % 12 + 1, day)
    return datetime.datetime.combine(following, datetime.time(hour), tzinfo=datetime.UTC)


def _seat_contracts(township: Township, start: datetime.date, by) -> int:
    """Give each seated director of ``township`` without a contract in force the record the
    county's import would have made."""
    policy = policy_in_force(county=township.county, on=start)
    have = set(
        Contract.objects.filter(township=township, state__in=IN_FORCE_STATES).values_list(
            "post_id", flat=True
        )
    )
    created = 0
    for post in Post.objects.filter(
        village__township=township, status=PostStatus.ACTIVE, holder__isnull=False
    ).select_related("holder"):
        if post.pk in have:
            continue
        Contract.objects.create(
            person=post.holder,
            post=post,
            township=township,
            policy=policy,
            state=ContractState.ACTIVE,
            term_years=policy.term_years,
            start_date=start,
            end_date=contract_end_date(start, policy.term_years),
            monthly_pay=policy.monthly_pay,
            origin=ContractOrigin.IMPORT,
            induction_source=InductionSource.IMPORTED,
            induction_on=start,
            filed_on=start,
            activated_on=start,
            created_by=by,
        )
        created += 1
    return created


def _points(scheme, rng: random.Random, level: float) -> dict[str, str]:
    """Points per item around the director's level (a share of each scored item's most)."""
    points = {}
    for item in scheme.items.all():
        most = float(item.max_points)
        if item.kind == "scored":
            share = min(1.0, max(0.45, rng.gauss(level, 0.05)))
            value = Decimal(str(round(most * share * 2) / 2))  # half points, as offices give
        elif item.kind == "bonus":
            value = Decimal(rng.choice([0, 0, 0, 0, 0, 0, 1, 2]))
        else:
            value = Decimal(rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 2, 5]))
        points[str(item.pk)] = str(min(value, item.max_points))
    return points


def _scored_director_account(county) -> User | None:
    """The account of a scored director (``data.SCORED_DIRECTOR_ACCOUNT``): made once, with
    the password the demo prints."""
    account = data.SCORED_DIRECTOR_ACCOUNT
    user = User.objects.filter(username=account.username).first()
    if user is not None:
        return user
    contract = (
        Contract.objects.filter(
            township__county=county,
            township__name=account.township,
            post__village__name=account.village,
            person__name=account.person,
            state__in=IN_FORCE_STATES,
        )
        .select_related("township", "post__village", "person")
        .first()
    )
    if contract is None:
        return None
    user = User(
        username=account.username,
        email=_email(account),
        first_name=account.first_name,
        last_name=account.last_name,
        role=account.role,
        county=county,
        township=contract.township,
        village=contract.post.village,
        person=contract.person,
        password=make_password(account.password),
    )
    user_create(user=user, by=None, reason=REASON)
    return user


def demo_scored_director_account() -> User | None:
    """The scored director's account, if the demo made it."""
    return User.objects.filter(username=data.SCORED_DIRECTOR_ACCOUNT.username).first()


def demo_assessment_seat() -> int:
    """Give the seated directors of the two townships their contracts (in force from the
    start of the demo's history), before the training, agreements and months that concern
    them, and one of them his account; the number of contracts created."""
    county_hr = User.objects.filter(username="county_hr").select_related("county").first()
    if county_hr is None or county_hr.county is None:
        return 0
    townships = Township.objects.filter(
        county=county_hr.county, name__in=[name for name, _slug in TOWNSHIPS]
    )
    start = datetime.date(*FIRST, 1)
    seated = datetime.datetime(2024, 10, 30, 2, tzinfo=datetime.UTC)
    created = 0
    with time_machine.travel(seated), transaction.atomic():
        for township in townships:
            created += _seat_contracts(township, start, county_hr)
    _scored_director_account(county_hr.county)
    return created


def demo_assessment_load() -> int:
    """Load the demo's schemes and months; the number of months created (0 when they are
    there already or the county lacks what they need)."""
    county_hr = User.objects.filter(username="county_hr").select_related("county").first()
    if county_hr is None or county_hr.county is None:
        return 0
    county = county_hr.county
    townships = []
    for name, slug in TOWNSHIPS:
        township = Township.objects.filter(county=county, name=name).first()
        office = User.objects.filter(username=f"{slug}_office").first()
        committee = User.objects.filter(username=f"{slug}_committee").first()
        if township is None or office is None or committee is None:
            return 0
        townships.append((township, office, committee))
    if AssessmentMonth.objects.filter(township__in=[t for t, _o, _c in townships]).exists():
        return 0
    rng = random.Random(SEED)
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for year, when in ((2024, (2024, 10, 20)), (2025, (2024, 12, 20)), (2026, (2025, 12, 20))):
            at = datetime.datetime(*when, 2, tzinfo=datetime.UTC)
            with time_machine.travel(at, tick=False), transaction.atomic():
                scheme_save(
                    county=county,
                    year=year,
                    title=f"关岭自治县{year}年村级人口主任月度考核办法",
                    items=SCHEME_ITEMS,
                    note="质量与水平并重、日常与年终并举、定性与定量并用、加分与减分并算。",
                    by=county_hr,
                )
        levels: dict[int, float] = {}
        for year, month in _months():
            for township, office, committee in townships:
                # One transaction a township's month: SQLite commits (each a disk sync) cost
                # more than the month's PDFs.
                opened = _moment(year, month, 2)
                with transaction.atomic(), time_machine.travel(opened, tick=False):
                    record = month_open(township=township, year=year, month=month, by=office)
                    for score in record.scores.all():
                        level = levels.setdefault(score.person_id, rng.uniform(0.78, 0.97))
                        score_record(
                            score=score, points=_points(record.scheme, rng, level), by=office
                        )
                    month_finish_scoring(month=record, by=office)
                    with time_machine.travel(_moment(year, month, 5), tick=False):
                        month_publish(month=record, by=committee)
                    with time_machine.travel(_moment(year, month, 10), tick=False):
                        month_settle(month=record, by=committee)
                created += 1
        # The current month, open for scoring with no scores yet.
        with time_machine.travel(datetime.datetime(2026, 11, 27, 2, tzinfo=datetime.UTC)):
            for township, office, _committee in townships:
                month_open(township=township, year=2026, month=11, by=office)
                created += 1
    return created
