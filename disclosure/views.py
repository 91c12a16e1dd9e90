"""The public pages of the townships that disclose (民主监督): no sign-in, names and scores
only. A township that does not disclose answers 404 like one that does not exist, and so does
every record of it; so do numbers no record can have (a month 13, a year 99999, an id beyond
the database's integers). Page numbers that are not numbers or out of range give the first or
last page (``core.pagination``). Every page is rate-limited per client address and sent with
the applicant pages' headers: not for search engines, no referrer to other sites.

Townships are named by their id: the index lists every disclosing township, so the id hides
nothing, and a township switched off answers exactly as an unknown id does.
"""

from typing import TypeVar

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.pagination import paginate
from disclosure import selectors
from organisation.models import Township
from policy.constants import Grade
from recruitment.ratelimit import rate_limited

R = TypeVar("R", bound=HttpResponseBase)

MAX_ID = 2**63 - 1  # beyond it a look-up would overflow the database's integer
FIRST_YEAR, LAST_YEAR = 2000, 2100
SECTION_ROWS = 12  # rows of each section on the township's page


def _public(response: R) -> R:
    """The headers of the applicant pages (``recruitment.public_views._public``)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _id_or_404(value: int) -> int:
    if value > MAX_ID:
        raise Http404
    return value


def _township_or_404(pk: int) -> Township:
    township = selectors.disclosing_township_or_none(_id_or_404(pk))
    if township is None:
        raise Http404
    return township


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@require_safe
@rate_limited("public_page")
def index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.disclosing_townships())
    return _public(render(request, "disclosure/index.html", {"page_obj": page}))


@require_safe
@rate_limited("public_page")
def township(request: HttpRequest, pk: int) -> HttpResponse:
    """The township's page: its published months, final years and public campaigns, each
    section paged on its own (``?months=``, ``?years=``, ``?campaigns=``)."""
    place = _township_or_404(pk)
    months = paginate(
        request, selectors.published_months(place), per_page=SECTION_ROWS, param="months"
    )
    years = paginate(request, selectors.final_years(place), per_page=SECTION_ROWS, param="years")
    campaigns = paginate(
        request, selectors.public_campaigns(place), per_page=SECTION_ROWS, param="campaigns"
    )
    month_documents = selectors.documents_of(place, months.object_list)
    context = {
        "township": place,
        "months": months,
        "month_rows": [(m, month_documents.get(m.pk, [])) for m in months.object_list],
        "years": years,
        "campaigns": campaigns,
    }
    return _public(render(request, "disclosure/township.html", context))


@require_safe
@rate_limited("public_page")
def month(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """A published month's ranking: rank, name, village and score, and the bulletin."""
    place = _township_or_404(pk)
    if not 1 <= month <= 12:
        raise Http404
    found = selectors.published_month_or_none(place, _year_or_404(year), month)
    if found is None:
        raise Http404
    context = {
        "township": place,
        "month": found,
        "page_obj": paginate(request, selectors.month_ranking(found)),
        "documents": selectors.documents_of(place, [found]).get(found.pk, []),
    }
    return _public(render(request, "disclosure/month.html", context))


@require_safe
@rate_limited("public_page")
def year(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A final year's results: name, village, annual score and grade."""
    place = _township_or_404(pk)
    if not selectors.year_is_final(place, _year_or_404(year)):
        raise Http404
    grades = dict(Grade.choices)
    page = paginate(request, selectors.year_results(place, year))
    rows = [
        (name, village, score, grades.get(grade, "—"))
        for name, village, score, grade in page.object_list
    ]
    context = {"township": place, "year": year, "page_obj": page, "rows": rows}
    return _public(render(request, "disclosure/year.html", context))


@require_safe
@rate_limited("public_page")
def campaign(request: HttpRequest, pk: int, campaign: int) -> HttpResponse:
    """A campaign: its timetable and villages, its public papers and, once publicised, the
    candidates proposed for hire (or hired) with their composite scores."""
    place = _township_or_404(pk)
    found = selectors.public_campaign_or_none(place, _id_or_404(campaign))
    if found is None:
        raise Http404
    context = {
        "township": place,
        "campaign": found,
        "offers": list(selectors.campaign_offers(found)),
        "page_obj": paginate(request, selectors.campaign_named(found)),
        "documents": selectors.documents_of(place, [found]).get(found.pk, []),
    }
    return _public(render(request, "disclosure/campaign.html", context))


@require_safe
@rate_limited("public_download")
def document(request: HttpRequest, pk: int, document: int) -> FileResponse:
    """A disclosed document of the township (``selectors.DISCLOSED_KINDS``, current, about
    a published month or a public campaign); anything else is not found."""
    place = _township_or_404(pk)
    found = selectors.disclosed_documents(place).filter(pk=_id_or_404(document)).first()
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{found.title}-{found.verification_code}.pdf",
        content_type="application/pdf",
    )
    return _public(response)
