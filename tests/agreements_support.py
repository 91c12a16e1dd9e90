"""Agreements for tests and the permission matrix: the county's template for a year, and a
side's director's agreement (``tests.matrix_support.World``), drafted through the services."""

import datetime

from django.utils import timezone

from accounts.constants import Role
from agreements.models import AgreementTemplate, TargetAgreement
from agreements.services import Line, agreements_draft_for_township, template_create, template_for

LINES = [
    Line("政策外多孩生育", "例", "0", "每发生1例扣10分"),
    Line("出生人口信息准确率", "%", "95", "每低1个百分点扣2分"),
    Line("已婚育龄妇女月访", "次", "12", "少1次扣1分"),
]


def county_template(world, year: int | None = None) -> AgreementTemplate:
    year = year or timezone.localdate().year
    return template_for(county=world.county, year=year) or template_create(
        county=world.county,
        year=year,
        title=f"{year}年度村级人口主任计划生育工作目标管理责任书",
        lines=LINES,
        by=world.users[Role.COUNTY_HR],
    )


def side_agreement(world, side: str, year: int | None = None) -> TargetAgreement:
    """The side's director's agreement for the year (drafted, printed for signing)."""
    year = year or timezone.localdate().year
    county_template(world, year)
    term = world.term(side)
    found = TargetAgreement.objects.filter(person=term.contract.person, year=year).first()
    if found is not None:
        return found
    township = world.side(side).township
    by = world.users[Role.ADMINISTRATOR]
    agreements_draft_for_township(
        township=township,
        year=year,
        by=by,
        on=datetime.date(year, 1, 5) if datetime.date(year, 1, 5) <= timezone.localdate() else None,
    )
    return TargetAgreement.objects.get(person=term.contract.person, year=year)
