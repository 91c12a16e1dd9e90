"""The personnel archive's pages, mounted in the people section (``people.urls``):
``/people/<pk>/archive/`` and the POST that issues its extract.

Who reads an archive is who reads the person (``people.views.can_view_people`` and the
person's scope): county HR and the administrator every person of the county, township staff
their township's, a village committee its village's, a director their own. Only county HR,
who keep the archive, issue its extract (``people.issue_archive_extract``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import get_scoped_or_404
from archive.selectors import person_archive
from archive.services import ISSUE_EXTRACT, archive_extract_issue
from paperwork.services import DocumentIssueError
from people.models import Person
from people.views import can_view_people


def _person(request: HttpRequest, pk: int) -> Person:
    return get_scoped_or_404(
        Person.objects.select_related("township__county", "village"), request.user, pk=pk
    )


@login_required
def person_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every event and document of one person, and their current archive extract."""
    if not can_view_people(request.user):
        raise PermissionDenied
    person = _person(request, pk)
    archive = person_archive(person, viewer=request.user)
    return render(
        request,
        "archive/person_archive.html",
        {
            "person": person,
            "archive": archive,
            "current_extract": archive.current_extract,
            "can_issue": request.user.has_perm(ISSUE_EXTRACT),
        },
    )


def _seen(raw: str | None) -> int | None:
    """The extract the page showed as current (its id), or None when it showed none."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError(_("The page was out of date; nothing was issued."))
    return int(raw)


@login_required
@require_POST
def archive_extract_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the person's archive extract, then show the archive with it. Sent twice at
    once, the second request is refused with a message (``archive_extract_issue``)."""
    if not request.user.has_perm(ISSUE_EXTRACT):
        raise PermissionDenied
    person = _person(request, pk)
    try:
        document = archive_extract_issue(
            person=person, by=request.user, seen=_seen(request.POST.get("seen"))
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except DocumentIssueError as exc:
        messages.error(
            request, _("The archive extract could not be issued: %(why)s") % {"why": exc}
        )
    else:
        messages.success(
            request,
            _("The archive extract of %(name)s has been issued (verification code %(code)s).")
            % {"name": person.name, "code": document.verification_code},
        )
    return redirect(reverse("people:archive", args=[person.pk]))
