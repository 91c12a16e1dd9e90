"""Early warnings and a yellow card in the demo county, made by the real rules and services.

The score rules (``earlywarnings.rules``) run over every published month of the county in
order, as publishing each of them would have run them, so the warnings follow from the demo's
scores (the monthly assessment's demo: 24 months of two townships); with no published month
there is no warning. The refresher rule runs over the training demo's years that have ended,
and the agreement rule over this year's agreements (the agreements demo's overdue one).
Then county HR (``county_hr``) gives one yellow card to a township: one
with a warning if there is one, else the first township. Loaded by ``manage.py load_demo``
after the other blocks of issue 8; idempotent: the rules open nothing twice, and the yellow
card is given once (none when the county already has one).
"""

from dataclasses import dataclass

from django.utils import timezone, translation

from accounts.constants import Role
from accounts.models import User
from assessment.constants import COUNTED_STATES
from assessment.models import AssessmentMonth
from demo import data
from earlywarnings.models import Warning, YellowCard
from earlywarnings.rules import (
    missed_refresher_findings,
    open_findings,
    unsigned_agreement_findings,
    warnings_for_month,
)
from earlywarnings.services import yellowcard_decide
from organisation.models import County

HR_ACCOUNT = "county_hr"  # demo.data.ACCOUNTS
YELLOW_CARD_REASON = (
    "该乡镇村级人口主任月度考核连续多月有人低于预警线或排名末位，"
    "乡镇计生办督促整改不力，影响全县人口计生工作目标任务的完成。"
)


@dataclass
class WarningsResult:
    warnings: int = 0
    yellow_cards: int = 0


def demo_warnings_load() -> WarningsResult:
    result = WarningsResult()
    county = County.objects.filter(name=data.COUNTY["name"]).first()
    if county is None:
        return result
    today = timezone.localdate()
    with translation.override("zh-hans"):
        months = AssessmentMonth.objects.filter(
            township__county=county, state__in=COUNTED_STATES
        ).order_by("year", "month", "township_id")
        for month in months.select_related("policy", "township"):
            result.warnings += len(warnings_for_month(month=month, on=today))
        # The refresher years that have ended (the training demo's director who missed them).
        result.warnings += len(open_findings(missed_refresher_findings(today=today), on=today))
        # This year's agreements not signed after the policy's date (the agreements demo).
        result.warnings += len(open_findings(unsigned_agreement_findings(today=today), on=today))
        officers = User.objects.filter(role=Role.COUNTY_HR, county=county, is_active=True)
        hr = officers.filter(username=HR_ACCOUNT).first() or officers.order_by("pk").first()
        if hr is None or YellowCard.objects.filter(county=county).exists():
            return result
        warned = (
            Warning.objects.filter(township__county=county)
            .order_by("township__name_pinyin")
            .values_list("township", flat=True)
            .first()
        )
        township = (
            county.townships.filter(pk=warned).first()
            if warned
            else county.townships.order_by("name_pinyin").first()
        )
        if township is None:
            return result
        yellowcard_decide(
            county=county, township=township, reason=YELLOW_CARD_REASON, by=hr, on=today
        )
        result.yellow_cards = 1
    return result
