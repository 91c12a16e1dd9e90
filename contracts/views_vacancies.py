"""Staff pages of vacancies (空岗): the list of a township or a county, and a vacancy's page
with its acting person, reserve list, refill campaign and documents.

Who sees what: ``contracts.view_vacancy`` opens the pages (township committee and office for
their township, county HR for every township of the county), every query through
``accounts.scoping`` (another township's vacancy answers 404). The forms need
``contracts.manage_term`` (the township committee); each calls one service of
``contracts.services.vacancies``, which checks the township again.
"""

import datetime
from dataclasses import dataclass
from operator import attrgetter, methodcaller

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_fsm import ConcurrentTransition
from viewflow.workflow.models import Task

from accounts.scoping import can_see, get_scoped_or_404, scoped
from contracts.constants import OPEN_VACANCY_STATES, VacancyState
from contracts.forms_vacancies import ActingForm
from contracts.models import Contract, ReserveOffer, Vacancy
from contracts.selectors import VacancyFilters, vacancies_listed, vacancy_row
from contracts.services.vacancies import vacancy_designate_acting
from core.exports import Column, ListExport
from core.pagination import paginate
from organisation.models import Township
from paperwork.selectors import documents_visible_to
from recruitment.forms_reserve import AnswerForm, RefillCampaignForm
from recruitment.selectors import documents_named
from recruitment.services.reserve import (
    reserve_list,
    reserve_offer_answer,
    reserve_offer_make,
    vacancy_start_refill,
)
from web.exports import export_response, url_with

VIEW_VACANCY = "contracts.view_vacancy"
MANAGE_TERM = "contracts.manage_term"
OPEN_TASK_STATUSES = ("NEW", "ASSIGNED", "STARTED")
RACE_ERRORS = (ConcurrentTransition, IntegrityError)


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _vacancies(user):
    return scoped(
        Vacancy.objects.select_related(
            "township", "post__village", "acting_person", "policy", "refill_campaign"
        ),
        user,
    )


def can_manage(user, vacancy: Vacancy) -> bool:
    return user.has_perm(MANAGE_TERM) and can_see(user, vacancy.township)


@login_required
def vacancy_list(request: HttpRequest) -> HttpResponse:
    """Open vacancies (``?show=overdue``: those past their refill deadline; ``?show=all``:
    filled and closed ones too), overdue first, then by refill deadline."""
    _require(request.user, VIEW_VACANCY)
    today = timezone.localdate()
    filters = VacancyFilters.from_query(request.GET)
    townships = scoped(Township.objects.all(), request.user).order_by("name_pinyin", "pk")
    page = paginate(request, vacancies_listed(request.user, filters, today=today))
    return render(
        request,
        "contracts/vacancies/list.html",
        {
            "page_obj": page,
            "rows": [vacancy_row(v, today) for v in page.object_list],
            "show": filters.show,
            "townships": townships if len(townships) > 1 else [],
            "township": str(filters.township or ""),
            "today": today,
            "export_url": url_with("vacancies:export", filters),
        },
    )


def _acting(vacancy: Vacancy) -> str:
    return vacancy.acting_person.name if vacancy.acting_person else ""


def _days_left(vacancy: Vacancy) -> int | None:
    """Days to the refill deadline (negative: overdue) of an open vacancy."""
    if vacancy.state not in OPEN_VACANCY_STATES:
        return None
    return (vacancy.refill_due - timezone.localdate()).days


VACANCIES_EXPORT = ListExport(
    name=gettext_lazy("Vacancies"),
    columns=(
        Column(gettext_lazy("Township"), attrgetter("township.name")),
        Column(gettext_lazy("Village"), attrgetter("post.village.name")),
        Column(gettext_lazy("Post number"), attrgetter("post.number")),
        Column(gettext_lazy("State"), methodcaller("get_state_display")),
        Column(gettext_lazy("Acting person"), _acting),
        Column(gettext_lazy("Vacant since"), attrgetter("opened_on")),
        Column(gettext_lazy("Refill deadline"), attrgetter("refill_due")),
        Column(gettext_lazy("Days left (negative: overdue)"), _days_left),
        Column(gettext_lazy("Escalated to the county on"), attrgetter("escalated_on")),
        Column(
            gettext_lazy("Refill campaign"),
            lambda v: v.refill_campaign.title if v.refill_campaign else "",
        ),
    ),
)


@login_required
@require_safe
def vacancy_export(request: HttpRequest) -> HttpResponse:
    """The vacancy list as an .xlsx, with its filters (``web.exports``)."""
    _require(request.user, VIEW_VACANCY)
    filters = VacancyFilters.from_query(request.GET)
    return export_response(
        request,
        VACANCIES_EXPORT,
        vacancies_listed(request.user, filters),
        filters=filters,
        back=url_with("vacancies:list", filters),
    )


@dataclass
class TaskLine:
    title: str
    state: str
    due: datetime.datetime | None
    escalated: bool


def _open_tasks(vacancy: Vacancy) -> list[TaskLine]:
    """The vacancy's open tasks in its flow (``workflows.flows_vacancy``), with their time
    limits."""
    from workflows.views import task_due, task_state

    tasks = (
        Task.objects.filter(
            process__vacancyprocess__vacancy=vacancy,
            status__in=OPEN_TASK_STATUSES,
            flow_task_type="HUMAN",
        )
        .select_related("owner")
        .order_by("pk")
    )
    return [
        TaskLine(
            title=str(task.flow_task.task_title),
            state=task_state(task),
            due=task_due(task),
            escalated=bool((task.data or {}).get("escalated")),
        )
        for task in tasks
    ]


def _campaign_start_url(user) -> str | None:
    try:
        from workflows.flows import CampaignFlow

        start = CampaignFlow.start
        return start.reverse("execute") if start.can_execute(user) else None
    except NoReverseMatch:
        return None


def _documents(user, vacancy: Vacancy, offers: list[ReserveOffer]):
    types = ContentType.objects.get_for_models(Vacancy, Contract)
    contracts = list(
        Contract.objects.filter(
            application_id__in=[o.application_id for o in offers], post_id=vacancy.post_id
        ).values_list("pk", flat=True)
    )
    condition = Q(content_type=types[Vacancy], object_id=vacancy.pk) | Q(
        content_type=types[Contract], object_id__in=contracts
    )
    return documents_named(documents_visible_to(user).filter(condition)).order_by(
        "-issued_at", "-pk"
    )


def _detail(
    request: HttpRequest,
    vacancy: Vacancy,
    *,
    acting_form=None,
    answer_form=None,
    refill_form=None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    listing = reserve_list(vacancy)
    offers = list(listing.offers.values())
    manage = can_manage(request.user, vacancy) and vacancy.state in OPEN_VACANCY_STATES
    pending = listing.pending
    context = {
        "vacancy": vacancy,
        "row": vacancy_row(vacancy, today),
        "listing": listing,
        "reserve_valid": listing.is_valid(today),
        "candidates": [(a, listing.offers.get(a.pk)) for a in listing.candidates],
        "next_candidate": listing.next_candidate(),
        "pending": pending,
        "manage": manage,
        "acting_form": acting_form or (ActingForm(vacancy=vacancy) if manage else None),
        "answer_form": answer_form or (AnswerForm() if manage and pending else None),
        "refill_form": refill_form
        or (
            RefillCampaignForm(vacancy=vacancy)
            if manage and vacancy.state != VacancyState.REFILLING
            else None
        ),
        "campaign_start_url": _campaign_start_url(request.user) if manage else None,
        "tasks": _open_tasks(vacancy),
        "documents": _documents(request.user, vacancy, offers),
        "today": today,
    }
    return render(request, "contracts/vacancies/detail.html", context, status=status)


def _get(request: HttpRequest, pk: int) -> Vacancy:
    return get_scoped_or_404(_vacancies(request.user), request.user, pk=pk)


@login_required
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, VIEW_VACANCY)
    return _detail(request, _get(request, pk))


def _manageable(request: HttpRequest, pk: int) -> Vacancy:
    _require(request.user, MANAGE_TERM)
    vacancy = _get(request, pk)
    if not can_manage(request.user, vacancy):
        raise PermissionDenied
    return vacancy


def _back(vacancy: Vacancy) -> HttpResponse:
    return redirect(reverse("vacancies:detail", args=[vacancy.pk]))


def _race(request: HttpRequest, vacancy: Vacancy) -> HttpResponse:
    messages.warning(
        request,
        _(
            "Someone else changed this vacancy at the same moment; nothing was saved. Check it "
            "and try again."
        ),
    )
    return _back(vacancy)


@login_required
def vacancy_acting(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _manageable(request, pk)
    if request.method != "POST":
        return _back(vacancy)
    form = ActingForm(request.POST, vacancy=vacancy)
    if form.is_valid():
        try:
            vacancy_designate_acting(
                vacancy=vacancy,
                person=form.cleaned_data["person"],
                on=form.cleaned_data["on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except RACE_ERRORS:
            return _race(request, vacancy)
        else:
            messages.success(
                request,
                _("%(name)s acts for the post; the acting designation has been issued.")
                % {"name": form.cleaned_data["person"].name},
            )
            return _back(vacancy)
    return _detail(request, vacancy, acting_form=form, status=400)


@login_required
def vacancy_offer(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _manageable(request, pk)
    if request.method != "POST":
        return _back(vacancy)
    try:
        offer = reserve_offer_make(vacancy=vacancy, by=request.user)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    except RACE_ERRORS:
        return _race(request, vacancy)
    else:
        messages.success(
            request,
            _("The post is offered to %(name)s; record the answer when it comes.")
            % {"name": offer.application.name},
        )
    return _back(vacancy)


@login_required
def offer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, MANAGE_TERM)
    offer = get_scoped_or_404(
        ReserveOffer.objects.select_related("vacancy", "application"), request.user, pk=pk
    )
    vacancy = _manageable(request, offer.vacancy_id)
    if request.method != "POST":
        return _back(vacancy)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            reserve_offer_answer(
                offer=offer,
                accepted=form.accepted,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_error(exc)
            else:
                # Not about what was typed (answered meanwhile, the vacancy filled): say so.
                for problem in exc.messages:
                    messages.error(request, problem)
                return _back(vacancy)
        except RACE_ERRORS:
            return _race(request, vacancy)
        else:
            name = offer.application.name
            if form.accepted:
                messages.success(
                    request,
                    _(
                        "%(name)s accepted: hired, with the hiring notice and the contract "
                        "drafted for signing."
                    )
                    % {"name": name},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s declined; the next candidate may be asked.") % {"name": name},
                )
            return _back(vacancy)
    return _detail(request, vacancy, answer_form=form, status=400)


@login_required
def vacancy_refill(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _manageable(request, pk)
    if request.method != "POST":
        return _back(vacancy)
    form = RefillCampaignForm(request.POST, vacancy=vacancy)
    if form.is_valid():
        try:
            vacancy_start_refill(
                vacancy=vacancy, campaign=form.cleaned_data["campaign"], by=request.user
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except RACE_ERRORS:
            return _race(request, vacancy)
        else:
            messages.success(request, _("The refill campaign is linked to the vacancy."))
            return _back(vacancy)
    return _detail(request, vacancy, refill_form=form, status=400)
