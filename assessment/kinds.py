"""The documents of the monthly cycle (月通报、月考核): the township's monthly bulletin with its
ranking, each director's score and pay slip, and the county's ranking across townships."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

MONTHLY_BULLETIN = Kind(
    "monthly_bulletin",
    printed_title="村级人口主任月度考核通报",
    label=_("Monthly bulletin"),
    template="paperwork/assessment/monthly_bulletin.html",
    version=1,
)

PAY_SLIP = Kind(
    "monthly_pay_slip",
    printed_title="村级人口主任月度考核得分及报酬通知单",
    label=_("Monthly score and pay slip"),
    template="paperwork/assessment/pay_slip.html",
    version=1,
    tells_person=True,
)

COUNTY_BULLETIN = Kind(
    "county_monthly_bulletin",
    printed_title="全县村级人口主任月度考核排序通报",
    label=_("County monthly ranking"),
    template="paperwork/assessment/county_bulletin.html",
    version=1,
)

register(MONTHLY_BULLETIN, PAY_SLIP, COUNTY_BULLETIN)
