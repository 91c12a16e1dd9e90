"""Pages of issued documents: the public verify page, and the staff list and download.

The verify page needs no sign-in and shows what the paper itself shows, minus any personal
data: kind, title, date, issuing body, SHA-256, whether a newer version supersedes it, and
for a document about a person the masked ID number only. Staff pages go through
``paperwork.selectors``: a document out of the user's scope answers 404.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from paperwork import kinds
from paperwork.selectors import document_by_code, document_visible_or_404, documents_visible_to

VIEW_DOCUMENT = "paperwork.view_document"
PAGE_SIZE = 50


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = document_by_code(code)
    if document is None:
        response = render(
            request, "paperwork/pages/verify_unknown.html", {"code": code[:32]}, status=404
        )
    else:
        response = render(
            request,
            "paperwork/pages/verify.html",
            {"document": document, "successor": document.successor},
        )
    # The page is about one paper in someone's hands: not for search engines or caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@permission_required(VIEW_DOCUMENT, raise_exception=True)
def document_list(request: HttpRequest) -> HttpResponse:
    documents = documents_visible_to(request.user).select_related(
        "superseded_by", "township", "county"
    )
    kind = request.GET.get("kind", "")
    if kind in kinds.codes():
        documents = documents.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "paperwork/pages/document_list.html",
        {"page": page, "kinds": kinds.kind_choices(), "kind": kind},
    )


@login_required
@permission_required(VIEW_DOCUMENT, raise_exception=True)
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = document_visible_or_404(request.user, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title}-{document.verification_code}.pdf",
        content_type="application/pdf",
    )
