"""The documents of the monthly cycle in the paperwork table (``paperwork.table``). The
bulletin and the slips of a published month are issued by the background job
``assessment.month_documents`` (``assessment.jobs``), which calls ``issue_for`` for the month
and for each score; the county bulletin by ``assessment.services.county_bulletin_issue``."""

from assessment.documents import issue_bulletin, issue_county_bulletin, issue_pay_slip
from assessment.kinds import COUNTY_BULLETIN, MONTHLY_BULLETIN, PAY_SLIP
from assessment.models import AssessmentMonth, CountyMonth, MonthlyScore
from paperwork.table import PaperworkEntry, declare

declare(
    PaperworkEntry(
        AssessmentMonth,
        "publish",
        MONTHLY_BULLETIN,
        issue_bulletin,
        "the township's directors and villages, and the county HR office",
    ),
    PaperworkEntry(MonthlyScore, "publish", PAY_SLIP, issue_pay_slip, "the director"),
    PaperworkEntry(
        CountyMonth, "issue", COUNTY_BULLETIN, issue_county_bulletin, "the county's townships"
    ),
)
