"""Paperwork of the monthly cycle. The township's bulletin and the directors' slips are issued
by the background job ``assessment.month_documents`` (``assessment.jobs``) after a month is
published; a month published again after a correction issues versions that supersede the
earlier ones. The county bulletin is issued by county HR (``county_bulletin_issue``).

Titles never carry a person's name (they are public on the verification page); ID numbers
are never printed."""

from assessment.kinds import COUNTY_BULLETIN, MONTHLY_BULLETIN, PAY_SLIP
from assessment.models import AssessmentMonth, CountyMonth, MonthlyScore
from assessment.selectors import county_ranking, township_ranking
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue


def _items(score: MonthlyScore) -> list[dict]:
    points = score.points or {}
    return [
        {"item": item, "points": points.get(str(item.pk), "")} for item in score.scheme.items.all()
    ]


def bulletin_context(month: AssessmentMonth) -> dict:
    rows = township_ranking(month)
    return {
        "month": month,
        "township": month.township,
        "county": month.township.county,
        "rows": rows,
        "policy": month.policy,
        "scheme": month.scheme,
        "corrections": list(month.corrections.all()),
    }


def slip_context(score: MonthlyScore) -> dict:
    month = score.month
    return {
        "score": score,
        "month": month,
        "person": score.person,
        "township": month.township,
        "county": month.township.county,
        "village": score.village,
        "items": _items(score),
        "scored_count": month.scores.count(),
        "policy": month.policy,
        "scheme": score.scheme,
    }


def issue_bulletin(month: AssessmentMonth, *, by) -> Document:
    """The township's monthly bulletin; supersedes the bulletin of an earlier revision."""
    return document_issue(
        kind=MONTHLY_BULLETIN,
        context=bulletin_context(month),
        subject=month,
        by=by,
        county=month.township.county,
        township=month.township,
        policy=month.policy,
        issuing_body=month.township.issuing_body,
        transition="publish",
        supersedes=document_current(kind=MONTHLY_BULLETIN, subject=month),
    )


def issue_pay_slip(score: MonthlyScore, *, by) -> Document:
    """One director's score and pay slip; supersedes the slip of an earlier revision."""
    month = score.month
    return document_issue(
        kind=PAY_SLIP,
        context=slip_context(score),
        subject=score,
        by=by,
        county=month.township.county,
        township=month.township,
        person=score.person,
        policy=month.policy,
        issuing_body=month.township.issuing_body,
        transition="publish",
        supersedes=document_current(kind=PAY_SLIP, subject=score),
    )


def issue_county_bulletin(county_month: CountyMonth, *, by) -> Document:
    """The county's ranking across townships for the month (county HR)."""
    county = county_month.county
    rows = county_ranking(county, county_month.year, county_month.month)
    return document_issue(
        kind=COUNTY_BULLETIN,
        context={"county_month": county_month, "county": county, "rows": rows},
        subject=county_month,
        by=by,
        county=county,
        issuing_body=county.hr_office,
        transition="issue",
        supersedes=document_current(kind=COUNTY_BULLETIN, subject=county_month),
    )
