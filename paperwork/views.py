"""Pages of issued documents: the public verify pages, and the staff list and download.

The verify page needs no sign-in and shows what the paper itself shows, minus any personal
data: kind, title, date, issuing body, SHA-256, whether a newer version supersedes it, and
for a document about a person the masked ID number only. ``/verify/`` has a box where anyone
types the code printed on a paper and is taken to that page. Staff pages go through
``paperwork.selectors``: a document out of the user's scope answers 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.forms import NormalisedForm
from core.identity import normalise_id_number
from core.normalise import search_term
from core.pagination import paginate
from paperwork import kinds
from paperwork.selectors import document_by_code, document_visible_or_404, documents_visible_to
from people.models import IdentityAccess, Person
from people.search import name_condition
from people.services import identity_access_record
from recruitment.models import Application
from recruitment.selectors import documents_named

VIEW_DOCUMENT = "paperwork.view_document"
VIEW_FULL_IDENTITY = "people.view_full_identity"
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


class VerifyCodeForm(NormalisedForm):
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


# Up to this many matching people (and applicants), their documents are looked up by key
MATCHES_LOOKED_UP = 500


def _search(documents, term: str):
    """Documents about a person found by name, pinyin or whole ID number
    (``people.search``), or about an applicant found by name or whole ID number.

    The people and the applicants are found first (two queries; PostgreSQL answers the
    people from the trigram index), then their documents by the indexes on ``person`` and on
    ``(content_type, object_id)``, without reading every document of the county. A term
    that matches more than ``MATCHES_LOOKED_UP`` of either (a single common character) is
    answered by subqueries instead, which read the county's documents."""
    condition = name_condition(term)
    if condition is None:
        return documents
    applicants = Q(name__contains=term)
    number = normalise_id_number(term)
    if len(number) == 18:
        applicants |= Q(id_number=number)
    people = Person.objects.filter(condition).order_by().values_list("pk", flat=True)
    applications = Application.objects.filter(applicants).order_by().values_list("pk", flat=True)
    found_people = list(people[: MATCHES_LOOKED_UP + 1])
    found_applications = list(applications[: MATCHES_LOOKED_UP + 1])
    few = max(len(found_people), len(found_applications)) <= MATCHES_LOOKED_UP
    return documents.filter(
        Q(person__in=found_people if few else people)
        | Q(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=found_applications if few else applications,
        )
    )


@login_required
@permission_required(VIEW_DOCUMENT, raise_exception=True)
def document_list(request: HttpRequest) -> HttpResponse:
    # Newest first within the user's scope: the indexes document_county_issued,
    # document_township_issued and document_person_issued give the page.
    documents = documents_visible_to(request.user).select_related("superseded_by", "person")
    kind = request.GET.get("kind", "")
    if kind in kinds.codes():
        documents = documents.filter(kind=kind)
    else:
        kind = ""
    term = search_term(request.GET.get("q"))
    documents = documents_named(_search(documents, term))
    page = paginate(request, documents, searching=bool(term))
    return render(
        request,
        "paperwork/pages/document_list.html",
        {
            "page_obj": page,
            "kinds": kinds.kind_choices(),
            "kind": kind,
            "q": term,
            "can_view_people": request.user.has_perm("people.view_person"),
        },
    )


def may_download_full_id(user, document) -> bool:
    """A document that prints a full ID number (``Kind.carries_full_id``: the contract) is
    for those who may see full numbers and for its own person (a director's own account)."""
    if user.has_perm(VIEW_FULL_IDENTITY):
        return True
    return document.person_id is not None and getattr(user, "person_id", None) == document.person_id


@login_required
@permission_required(VIEW_DOCUMENT, raise_exception=True)
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF of a document in the user's scope, as a file to save (``?open=1``: to show in
    the browser, with the same checks and log). One that prints a full ID number needs
    ``people.view_full_identity`` or being its person, and each download is logged as an
    ``IdentityAccess`` (its person, the ID number, the document's code)."""
    document = document_visible_or_404(request.user, pk=pk)
    if kinds.get(document.kind).carries_full_id:
        if not may_download_full_id(request.user, document):
            raise PermissionDenied(
                gettext(
                    "This document carries the full ID number: only its own person and those "
                    "allowed to see full ID numbers may download it."
                )
            )
        if document.person is not None:
            with transaction.atomic():
                identity_access_record(
                    person=document.person,
                    field=IdentityAccess.Field.ID_NUMBER,
                    by=request.user,
                    reason=gettext("Downloaded the document %(code)s, which prints it in full")
                    % {"code": document.verification_code},
                )
    # ?open=1 shows the PDF in the browser (the director's portal opens documents so);
    # otherwise it is saved as a file.
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=request.GET.get("open") != "1",
        filename=f"{document.title}-{document.verification_code}.pdf",
        content_type="application/pdf",
    )
    return response
