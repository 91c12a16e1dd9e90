"""Target-responsibility agreements in the demo county (目标管理责任书, seed 001 and 003), made by
the real services on dates counted from today:

- county HR (``county_hr``) sets the county's template for last year and this year, the
  targets of seed 001's duties with their default values;
- last year, every director then in post signed their agreement in January (each township's
  office or committee drafts and records them; the administrator for a township without a
  demo account);
- this year, the same, with one village's value adjusted before signing; all signed except
  the agreement of 坡贡镇's director (the one with an open dismissal case), drafted but still
  unsigned after the policy's date: it shows as overdue, and the sweep's step has told the
  township's committee.

Loaded by ``manage.py load_demo`` after the contract term; idempotent: once the county has a
template, nothing is done (one query).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.constants import Role
from accounts.models import User
from agreements.models import AgreementTemplate
from agreements.services import (
    Line,
    agreement_set_values,
    agreement_sign,
    agreements_draft_for_township,
    directors_in_post,
    template_create,
)
from agreements.sweep_steps import agreements_overdue
from demo import data
from organisation.models import County, Township

UNSIGNED_TOWNSHIP = "坡贡镇"
ADJUSTED_TOWNSHIP = "花江镇"
# Who signed for the village committees (村两委), in turn.
VILLAGE_SIGNATORIES = ("黄德明", "班兴旺", "罗应华", "韦国富", "杨正才", "陆明贵")

LINES = [
    Line("政策外多孩生育", "例", "0", "每发生1例扣10分，实行一票否决"),
    Line("出生政策符合率", "%", "95", "每低1个百分点扣2分"),
    Line("已婚育龄妇女生殖健康检查率", "%", "90", "每低1个百分点扣1分"),
    Line("孕情及产后月访率", "%", "100", "每少访1人次扣0.5分"),
    Line("人口计生信息准确率", "%", "98", "抽查发现错漏每例扣1分"),
    Line("流动人口信息及时更新率", "%", "95", "每低1个百分点扣1分"),
    Line("育龄群众满意率", "%", "90", "入户评议，每低1个百分点扣1分"),
]


def _actor(township: Township, users: dict) -> User:
    """The township's office or committee account of the demo, else the administrator."""
    for role in (Role.TOWNSHIP_OFFICE, Role.TOWNSHIP_COMMITTEE):
        for user in users.get(role, []):
            if user.township_id == township.pk:
                return user
    return users[Role.ADMINISTRATOR][0]


def _year(year: int, county: County, users: dict, today: datetime.date) -> int:
    drafted = 0
    for township in Township.objects.filter(county=county).order_by("name_pinyin", "pk"):
        contracts = list(directors_in_post(township, year))
        if not contracts:
            continue
        # Drafted in early January, or when the last of the directors took up the post.
        on = max([datetime.date(year, 1, 6), *(c.start_date for c in contracts)])
        on = min(on, today)
        by = _actor(township, users)
        agreements = agreements_draft_for_township(township=township, year=year, by=by, on=on)
        drafted += len(agreements)
        for number, agreement in enumerate(agreements):
            if year == today.year and township.name == UNSIGNED_TOWNSHIP:
                continue
            if year == today.year and township.name == ADJUSTED_TOWNSHIP and number == 0:
                # This village's births are fewer: the township asks a higher share.
                values = [line["value"] for line in agreement.targets]
                values[1] = "97"
                agreement = agreement_set_values(agreement=agreement, values=values, by=by)
            signed = min(on + datetime.timedelta(days=4), today)
            agreement_sign(
                agreement=agreement,
                township_signatory=by.display_name,
                township_on=signed,
                village_signatory=VILLAGE_SIGNATORIES[agreement.pk % len(VILLAGE_SIGNATORIES)],
                village_on=signed,
                director_on=min(signed + datetime.timedelta(days=1), today),
                by=by,
            )
    return drafted


def demo_agreements_load() -> int:
    """Build the agreements of last year and this year; returns how many were drafted (0 when
    the county already has a template or lacks what they need)."""
    county = County.objects.filter(name=data.COUNTY["name"]).first()
    if county is None or AgreementTemplate.objects.filter(county=county).exists():
        return 0
    users: dict = {}
    for user in User.objects.filter(county=county, is_active=True).order_by("pk"):
        users.setdefault(user.role, []).append(user)
    if not users.get(Role.COUNTY_HR) or not users.get(Role.ADMINISTRATOR):
        return 0
    today = timezone.localdate()
    hr = users[Role.COUNTY_HR][0]
    drafted = 0
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for year in (today.year - 1, today.year):
            template_create(
                county=county,
                year=year,
                title=f"{county.name}{year}年度村级人口主任计划生育工作目标管理责任书",
                lines=LINES,
                by=hr,
            )
            drafted += _year(year, county, users, today)
        agreements_overdue(today=today)
    return drafted
