"""Person pages: scoped list and its Excel export, record, full-number reveal, create and
edit.

Every queryset goes through ``accounts.scoping``: a record outside the user's scope answers
404. ID and phone numbers are shown masked; the full value is only ever on the response to
the reveal POST, which needs ``people.view_full_identity`` and logs the access.
"""

from operator import attrgetter, methodcaller

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.constants import Scope
from accounts.scoping import get_scoped_or_404, scoped
from audit.services import audit_trail
from core.exports import Column, ListExport
from core.pagination import paginate
from organisation.constants import PostStatus
from organisation.models import Post
from paperwork.models import Document
from people.forms import PersonForm, RevealForm
from people.models import IdentityAccess, Person
from people.selectors import PersonFilters, people_listed
from people.services import person_create, person_reveal, person_update
from web.exports import export_response, url_with


def can_view_people(user) -> bool:
    """Staff with ``people.view_person``, and directors (whose scope is their own record)."""
    return user.has_perm("people.view_person") or (
        user.is_authenticated and user.role and user.scope == Scope.SELF
    )


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _people(user):
    return scoped(Person.objects.select_related("township", "village"), user)


PEOPLE_EXPORT = ListExport(
    name=gettext_lazy("People"),
    columns=(
        Column(gettext_lazy("Name"), attrgetter("name")),
        Column(gettext_lazy("ID number"), attrgetter("id_number"), identity="id_number"),
        Column(gettext_lazy("Sex"), methodcaller("get_sex_display")),
        Column(gettext_lazy("Birth date"), attrgetter("birth_date")),
        Column(gettext_lazy("Mobile phone"), attrgetter("phone"), identity="phone"),
        Column(gettext_lazy("Education"), methodcaller("get_education_display")),
        Column(gettext_lazy("School"), attrgetter("school")),
        Column(gettext_lazy("Graduation year"), attrgetter("graduation_year")),
        Column(gettext_lazy("Household registration"), attrgetter("household_registration")),
        Column(gettext_lazy("Township"), attrgetter("township.name")),
        Column(gettext_lazy("Village"), lambda p: p.village.name if p.village else ""),
    ),
    person_of=attrgetter("pk"),
)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "people.view_person")
    filters = PersonFilters.from_query(request.GET)
    people = people_listed(request.user, filters)
    page = paginate(request, people, searching=bool(filters.q))
    return render(
        request,
        "people/person_list.html",
        {
            "page_obj": page,
            "people": page.object_list,
            "q": filters.q,
            "can_add": request.user.has_perm("people.change_person"),
            "export_url": url_with("people:export", filters),
        },
    )


@login_required
@require_safe
def person_export(request: HttpRequest) -> HttpResponse:
    """The people list as an .xlsx, with the list's search (``web.exports``)."""
    _require(request.user, "people.view_person")
    filters = PersonFilters.from_query(request.GET)
    return export_response(
        request,
        PEOPLE_EXPORT,
        people_listed(request.user, filters),
        filters=filters,
        back=url_with("people:list", filters),
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_people(request.user):
        raise PermissionDenied
    person = get_scoped_or_404(_people(request.user), request.user, pk=pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


def _detail_context(request: HttpRequest, person: Person, **extra) -> dict:
    user = request.user
    can_reveal = user.has_perm("people.view_full_identity")
    context = {
        "person": person,
        "posts": scoped(Post.objects.filter(holder=person), user)
        .exclude(status=PostStatus.ABOLISHED)
        .select_related("village__township"),
        "documents": scoped(Document.objects.filter(person=person), user),
        "history": audit_trail(person).select_related("content_type")[:50],
        "can_change": user.has_perm("people.change_person"),
        "can_reveal": can_reveal,
        "reveal_form": RevealForm() if can_reveal else None,
        "accesses": person.accesses.select_related("user")[:20] if can_reveal else None,
    }
    context.update(extra)
    return context


@login_required
@require_POST
def person_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one full number on this response only, after logging who asked and why."""
    _require(request.user, "people.view_full_identity")
    person = get_scoped_or_404(_people(request.user), request.user, pk=pk)
    form = RevealForm(request.POST)
    value = None
    if form.is_valid():
        try:
            value = person_reveal(
                person=person,
                field=form.cleaned_data["field"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    response = render(
        request,
        "people/person_reveal.html",
        {
            "person": person,
            "form": form,
            "value": value,
            "field_label": dict(IdentityAccess.Field.choices).get(str(form.data.get("field")), ""),
        },
        status=200 if value is not None else 400,
    )
    add_never_cache_headers(response)
    return response


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    _require(request.user, "people.change_person")
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(by=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": person.name})
            return redirect(reverse("people:detail", args=[person.pk]))
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "people.change_person")
    person = get_scoped_or_404(_people(request.user), request.user, pk=pk)
    form = PersonForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(
                person=person,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The record has been saved."))
            return redirect(reverse("people:detail", args=[person.pk]))
    return render(request, "people/person_form.html", {"form": form, "person": person})
