"""Pages of issued documents: the public verify pages, and the staff list and download.

The verify page needs no sign-in and shows what the paper itself shows, minus any personal
data: kind, title, date, issuing body, SHA-256, whether a newer version supersedes it, and
for a document about a person the masked ID number only. ``/verify/`` has a box where anyone
types the code printed on a paper and is taken to that page. Staff pages go through
``paperwork.selectors``: a document out of the user's scope answers 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from paperwork.models import DocumentKind
from paperwork.selectors import document_by_code, document_visible_or_404, documents_visible_to

VIEW_DOCUMENT = "paperwork.view_document"
PAGE_SIZE = 50
CODE_MAX_LENGTH = 32  # generous: people type spaces and hyphens between the characters


def _public(response: HttpResponse) -> HttpResponse:
    """The headers of the public verify pages.

    A verify URL carries a document's code, so it is not for search engines or caches, and it
    must not leak to other sites as a referrer: ``same-origin`` sends no referrer to another
    site. (``no-referrer`` would do that too, but then Chromium sends ``Origin: null`` with the
    page's forms, the language switch among them, and Django's CSRF check refuses them.)
    """
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_(
            "The code printed at the foot of the document. Case, spaces and hyphens do not matter."
        ),
        error_messages={
            "required": _("Type the verification code printed at the foot of the document."),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )

    def clean_code(self) -> str:
        """The code without the spaces and hyphens people type; ``verify`` reads the rest
        (case, O for 0, I and L for 1) as ``document_by_code`` does."""
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not code.isascii() or not code.isalnum():
            raise forms.ValidationError(
                _("A verification code has only letters and digits. Check it and type it again.")
            )
        return code.upper()


@require_safe
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """The box for a code: ``?code=`` goes to that code's verify page."""
    if "code" in request.GET:
        form = VerifyCodeForm(request.GET)
        if form.is_valid():
            return _public(redirect("verify", code=form.cleaned_data["code"]))
        status = 400
    else:
        form = VerifyCodeForm()
        status = 200
    return _public(
        render(request, "paperwork/pages/verify_lookup.html", {"form": form}, status=status)
    )


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = document_by_code(code)
    if document is None:
        response = render(
            request,
            "paperwork/pages/verify_unknown.html",
            {
                "code": code[:CODE_MAX_LENGTH],
                "form": VerifyCodeForm(initial={"code": code[:CODE_MAX_LENGTH]}),
            },
            status=404,
        )
    else:
        response = render(
            request,
            "paperwork/pages/verify.html",
            {"document": document, "successor": document.successor},
        )
    # The page is about one paper in someone's hands.
    return _public(response)


@login_required
@permission_required(VIEW_DOCUMENT, raise_exception=True)
def document_list(request: HttpRequest) -> HttpResponse:
    documents = documents_visible_to(request.user).select_related(
        "superseded_by", "township", "county"
    )
    kind = request.GET.get("kind", "")
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "paperwork/pages/document_list.html",
        {"page": page, "kinds": DocumentKind.choices, "kind": kind},
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
