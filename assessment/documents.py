"""Paperwork of the monthly cycle. The township's bulletin and the directors' slips are issued
by the background job ``assessment.month_documents`` (``assessment.jobs``) after a month is
published; a month published again after a correction issues versions that supersede the
earlier ones. The county bulletin is issued by county HR (``county_bulletin_issue``).

Titles never carry a person's name (they are public on the verification page); ID numbers
are never printed."""

from assessment.kinds import COUNTY_BULLETIN, MONTHLY_BULLETIN, PAY_SLIP
from assessment.models import AssessmentMonth, CountyMonth, MonthlyScore, ScoringItem
from assessment.selectors import county_ranking, township_ranking
from paperwork.models import Document
from paperwork.selectors import document_current, documents_current
from paperwork.services import BatchItem, document_issue


def _items(score: MonthlyScore, scheme_items: list | None = None) -> list[dict]:
    points = score.points or {}
    if scheme_items is None:
        scheme_items = list(score.scheme.items.all())
    return [{"item": item, "points": points.get(str(item.pk), "")} for item in scheme_items]


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


def slip_context(
    score: MonthlyScore, *, scored_count: int | None = None, scheme_items: list | None = None
) -> dict:
    """What the slip template prints. A batch passes what every slip of the month shares,
    read once: the number of directors scored and the items of each scheme
    (``pay_slip_items``)."""
    month = score.month
    return {
        "score": score,
        "month": month,
        "person": score.person,
        "township": month.township,
        "county": month.township.county,
        "village": score.village,
        "items": _items(score, scheme_items),
        "scored_count": month.scores.count() if scored_count is None else scored_count,
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


def pay_slip_item(score: MonthlyScore) -> BatchItem:
    """One director's slip as an item of a batch (``paperwork.services.documents_issue``, the
    month's documents job): what ``issue_pay_slip`` issues, with kind ``PAY_SLIP``, the
    month's county and policy and the transition "publish" given to the batch."""
    return pay_slip_items([score])[0]


def pay_slip_items(scores: list[MonthlyScore]) -> list[BatchItem]:
    """``pay_slip_item`` for the scores of one month (each with ``person``, ``village``,
    ``scheme`` and ``month`` loaded), in a number of queries that does not grow with them:
    the month's count of scores, each scheme's items and the current slips, read once."""
    if not scores:
        return []
    month = scores[0].month
    assert all(score.month_id == month.pk for score in scores), "one month a batch"
    scored_count = month.scores.count()
    scheme_items: dict[int, list] = {}
    for item in ScoringItem.objects.filter(
        scheme_id__in={score.scheme_id for score in scores}
    ).order_by("scheme_id", "order", "pk"):
        scheme_items.setdefault(item.scheme_id, []).append(item)
    current = documents_current(kind=PAY_SLIP, subjects=scores)
    return [
        BatchItem(
            subject=score,
            context=slip_context(
                score, scored_count=scored_count, scheme_items=scheme_items.get(score.scheme_id, [])
            ),
            issuing_body=month.township.issuing_body,
            township=month.township,
            person=score.person,
            supersedes=current.get(score.pk),
        )
        for score in scores
    ]


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
