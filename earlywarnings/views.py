"""Pages of the early warnings and yellow cards (mounted at /warnings/, namespace
``earlywarnings``).

- The warnings the user sees (a township's, the county's, a director's own), filtered by rule
  and state, open ones first; the rules explained.
- One warning: the facts, the notice, the acknowledgement (the director, or the township
  committee on their behalf) and the closing (the township committee).
- The yellow cards (county HR, the township committee) and the county's form deciding one.

Every page checks sign-in and permission; records go through ``accounts.scoping`` (another
township's record answers 404, a director sees only their own). Each form calls one service;
its refusal is shown on the form and nothing is changed.
"""

import logging
from typing import Any

import django_fsm
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404, scoped
from contracts.constants import IN_FORCE_STATES
from contracts.forms_endings import add_service_errors
from contracts.models import Contract
from earlywarnings import forms
from earlywarnings.constants import ACTIVE_STATES, WarningState
from earlywarnings.models import Warning, YellowCard
from earlywarnings.selectors import rules_in_words
from earlywarnings.services import (
    MANAGE_TERM,
    can_acknowledge,
    warning_acknowledge,
    warning_close,
    yellowcard_decide,
)
from organisation.models import Township
from paperwork.models import Document
from paperwork.services import DocumentIssueError
from policy.selectors import policy_in_force_or_none

logger = logging.getLogger(__name__)

VIEW_WARNING = "earlywarnings.view_warning"
VIEW_YELLOW_CARD = "earlywarnings.view_yellowcard"
ISSUE_YELLOW_CARD = "earlywarnings.issue_yellowcard"
LIST_LIMIT = 300


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def section_links(user) -> list[tuple[str, str]]:
    links = []
    if user.has_perm(VIEW_WARNING):
        links.append((_("Early warnings"), "earlywarnings:list"))
    if user.has_perm(VIEW_YELLOW_CARD):
        links.append((_("Yellow cards"), "earlywarnings:yellowcard_list"))
    if user.has_perm(ISSUE_YELLOW_CARD):
        links.append((_("Give a yellow card"), "earlywarnings:yellowcard_new"))
    return links


def page(request, template: str, context: dict | None = None, status: int = 200):
    context = {**(context or {}), "section_links": section_links(request.user)}
    return render(request, template, context, status=status)


def _run(form, call) -> bool:
    """Call the service in a savepoint; its refusal goes on the form. True when done."""
    try:
        with transaction.atomic():
            call()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not take this step."))
    except django_fsm.ConcurrentTransition:
        form.add_error(
            None, _("Someone else changed this record meanwhile. Reload the page and try again.")
        )
    except IntegrityError:
        form.add_error(
            None, _("Someone else recorded the same meanwhile. Reload the page and check.")
        )
    except (DocumentIssueError, OSError, DatabaseError):
        logger.exception("A step of a warning or a yellow card failed")
        form.add_error(
            None,
            _(
                "The step could not be completed because of a technical problem (a document "
                "that could not be issued, the disk or the database). Nothing was changed; "
                "try again, and tell the system administrator if it happens again."
            ),
        )
    else:
        return True
    return False


def _documents(obj) -> list[Document]:
    return list(
        Document.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).order_by("issued_at")
    )


def _user_policy(user):
    county = getattr(user, "county", None)
    if county is None:
        return None
    return policy_in_force_or_none(county=county, on=timezone.localdate())


# --- warnings ----------------------------------------------------------------------------------


@login_required
@require_safe
def warning_list(request: HttpRequest) -> HttpResponse:
    """The warnings the user sees, open ones first, filtered by rule and state."""
    _require(request.user, VIEW_WARNING)
    form = forms.WarningFilterForm(request.GET or None)
    warnings = scoped(
        Warning.objects.select_related("person", "township", "contract__post__village"),
        request.user,
    )
    if form.is_valid():
        if form.cleaned_data["rule"]:
            warnings = warnings.filter(rule=form.cleaned_data["rule"])
        if form.cleaned_data["state"]:
            warnings = warnings.filter(state=form.cleaned_data["state"])
    warnings = warnings.annotate(
        waiting=Case(
            When(state__in=ACTIVE_STATES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "-opened_on", "-pk")
    return page(
        request,
        "earlywarnings/warning_list.html",
        {
            "form": form,
            "warnings": warnings[:LIST_LIMIT],
            "rules": rules_in_words(_user_policy(request.user)),
            "is_director": getattr(request.user, "role", "") == Role.DIRECTOR,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One warning: the facts, the notice, the acknowledgement and the closing."""
    _require(request.user, VIEW_WARNING)
    warning = get_scoped_or_404(
        Warning.objects.select_related(
            "person", "township__county", "contract__post__village", "policy", "month"
        ),
        request.user,
        pk=pk,
    )
    user = request.user
    today = timezone.localdate()
    acknowledge = close = None
    if warning.state == WarningState.OPEN and can_acknowledge(user, warning):
        acknowledge = forms.AcknowledgeForm(
            request.POST if request.POST.get("step") == "acknowledge" else None
        )
        if acknowledge.is_bound and acknowledge.is_valid():
            response = acknowledge.cleaned_data["response"]

            def call_acknowledge():
                warning_acknowledge(warning=warning, response=response, by=user, on=today)

            if _run(acknowledge, call_acknowledge):
                messages.success(request, _("The acknowledgement is recorded."))
                return redirect("earlywarnings:detail", warning.pk)
    if warning.state == WarningState.ACKNOWLEDGED and user.has_perm(MANAGE_TERM, warning):
        close = forms.CloseForm(request.POST if request.POST.get("step") == "close" else None)
        if close.is_bound and close.is_valid():
            note = close.cleaned_data["note"]

            def call_close():
                warning_close(warning=warning, note=note, by=user, on=today)

            if _run(close, call_close):
                messages.success(request, _("The warning is closed."))
                return redirect("earlywarnings:detail", warning.pk)
    if request.method == "POST" and not (
        (acknowledge is not None and acknowledge.is_bound) or (close is not None and close.is_bound)
    ):
        raise PermissionDenied
    return page(
        request,
        "earlywarnings/warning_detail.html",
        {
            "warning": warning,
            "acknowledge": acknowledge,
            "close": close,
            "documents": _documents(warning),
            "rules": rules_in_words(warning.policy),
        },
    )


# --- yellow cards ------------------------------------------------------------------------------


@login_required
@require_safe
def yellowcard_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW_YELLOW_CARD)
    cards = scoped(
        YellowCard.objects.select_related("township", "person", "concerns", "decided_by"),
        request.user,
    ).order_by("-decided_on", "-pk")
    return page(
        request,
        "earlywarnings/yellowcard_list.html",
        {"cards": cards[:LIST_LIMIT], "can_issue": request.user.has_perm(ISSUE_YELLOW_CARD)},
    )


@login_required
@require_safe
def yellowcard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, VIEW_YELLOW_CARD)
    card = get_scoped_or_404(
        YellowCard.objects.select_related(
            "township", "person", "concerns", "decided_by", "contract__post__village"
        ),
        request.user,
        pk=pk,
    )
    return page(
        request,
        "earlywarnings/yellowcard_detail.html",
        {"card": card, "documents": _documents(card)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def yellowcard_new(request: HttpRequest) -> HttpResponse:
    """County HR decides a yellow card for a township or a director of the county."""
    _require(request.user, ISSUE_YELLOW_CARD)
    user: Any = request.user
    county = user.county
    if county is None:
        raise PermissionDenied
    townships = scoped(Township.objects.filter(county=county), user).order_by("name_pinyin")
    contracts = (
        scoped(Contract.objects.filter(township__county=county), user)
        .filter(state__in=IN_FORCE_STATES)
        .select_related("person", "township", "post__village")
        .order_by("township__name_pinyin", "post__village__name_pinyin", "person__name")
    )
    form = forms.YellowCardForm(request.POST or None, townships=townships, contracts=contracts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder: dict = {}
        chosen = data["contract"] if data["target"] == "director" else None

        def call():
            holder["card"] = yellowcard_decide(
                county=county,
                township=data["township"] if data["target"] == "township" else None,
                person=chosen.person if chosen is not None else None,
                reason=data["reason"],
                by=user,
                on=timezone.localdate(),
            )

        if _run(form, call):
            messages.success(
                request,
                _("The yellow card to %(target)s is recorded and its decision issued.")
                % {"target": holder["card"].target_name},
            )
            return redirect("earlywarnings:yellowcard_detail", holder["card"].pk)
    return page(request, "earlywarnings/yellowcard_new.html", {"form": form})
