"""Reading documents.

Who sees which document: the usual scoping (``Document.scope_paths``: county, township, the
person's village, the person themself), plus county-wide documents. A document with neither a
township nor a person (the policy sheet, later the county bulletins) is addressed to everyone
in its county, so every signed-in user of the county may read it.
"""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.constants import Scope
from accounts.scoping import scope_filter
from paperwork.models import Document


def documents_visible_to(user) -> QuerySet[Document]:
    """The documents ``user`` may list and download."""
    documents = Document.objects.all()
    condition = scope_filter(Document, user)
    if condition is None:
        return documents
    if (
        user.is_authenticated
        and user.is_active
        and getattr(user, "county_id", None)
        and user.scope != Scope.COUNTY  # the scope already covers the county's documents
    ):
        # Written out only when it adds something: SQLite cannot tell that two bound
        # parameters are equal, and "county = %s OR (county = %s AND …)" costs it the index
        # order of the list (a sort of every document of the county).
        condition |= Q(county_id=user.county_id, township__isnull=True, person__isnull=True)
    return documents.filter(condition)


def document_visible_or_404(user, **lookup) -> Document:
    """One document ``user`` may see, or 404 whether it is missing or out of scope."""
    try:
        return documents_visible_to(user).get(**lookup)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def document_current(*, kind: str, subject: Model) -> Document | None:
    """The document of ``kind`` about ``subject`` that no other supersedes, if any."""
    return (
        Document.objects.filter(
            kind=kind,
            content_type=ContentType.objects.get_for_model(type(subject)),
            object_id=subject.pk,
            superseded_by__isnull=True,
        )
        .order_by("-issued_at", "-id")
        .first()
    )


def documents_current(*, kind: str, subjects: Sequence[Model]) -> dict[int, Document]:
    """``document_current`` for many subjects of one model, in one query: the current
    document of ``kind`` by subject id (subjects without one are left out)."""
    if not subjects:
        return {}
    found: dict[int, Document] = {}
    for document in Document.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(type(subjects[0])),
        object_id__in=[subject.pk for subject in subjects],
        superseded_by__isnull=True,
    ).order_by("-issued_at", "-id"):
        found.setdefault(document.object_id, document)  # the newest, as document_current
    return found


def document_by_code(code: str) -> Document | None:
    """The document with verification code ``code`` as typed by a person: case, spaces and
    hyphens do not matter, and the letters O, I and L read as 0, 1 and 1 (Crockford)."""
    normal = code.upper().replace("-", "").replace(" ", "")
    normal = normal.translate(str.maketrans("OIL", "011"))
    if not normal.isalnum() or len(normal) > 16:
        return None
    return (
        Document.objects.select_related("superseded_by", "supersedes", "person")
        .filter(verification_code=normal)
        .first()
    )
