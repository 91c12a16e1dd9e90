"""Staff and director pages of the contract term, mounted at /contracts/ (``contracts:``) and
/my-term/ (``my_term:``).

- the contract list of a township (its committee and office, its village's committee) or of
  the county (county HR): filter by state and "ending within N days", in pinyin order of the
  directors' names or by end date, paged; a fixed number of queries whatever the data;
- one contract's page: its state in words, term, days left, signing, filing, induction, its
  documents and the open tasks of its flow;
- the director's own record (我的聘期): their contract, acting designations, open dismissal
  cases and documents. Directors see only their own records; the contract pages send them
  there.

Every record goes through ``accounts.scoping``: a contract out of the user's scope is 404.
"""

from operator import attrgetter, methodcaller

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404
from appraisal import views as appraisal_views
from assessment import views as assessment_views
from contracts.constants import (
    IN_FORCE_STATES,
    OPEN_VACANCY_STATES,
    PENDING_STATES,
    CaseState,
    ContractState,
    ResignationState,
)
from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
from contracts.selectors import CONTRACT_ORDERS, ContractFilters, contracts_listed
from core.exports import Column, ListExport
from core.pagination import paginate
from paperwork.models import Document
from paperwork.selectors import documents_visible_to
from web.exports import export_response, url_with

VIEW_CONTRACT = "contracts.view_contract"
OPEN_CASE_STATES = [CaseState.OPENED, CaseState.HEARD, CaseState.DECIDED]


def _require_staff(user) -> None:
    if not user.has_perm(VIEW_CONTRACT):
        raise PermissionDenied(_("You may not see contracts."))


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """The contracts the user sees: a township's, or the county's for county HR."""
    user = request.user
    if getattr(user, "role", "") == Role.DIRECTOR:
        return redirect("my_term:index")
    _require_staff(user)
    filters = ContractFilters.from_query(request.GET)
    today = timezone.localdate()
    page = paginate(request, contracts_listed(user, filters, today=today))
    rows = [(contract, contract.days_left(today)) for contract in page.object_list]
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "states": ContractState.choices,
            "state": filters.state,
            "within": filters.within or "",
            "orders": [(key, label) for key, (label, _fields) in CONTRACT_ORDERS.items()],
            "order": filters.order,
            "export_url": url_with("contracts:export", filters),
        },
    )


CONTRACTS_EXPORT = ListExport(
    name=gettext_lazy("Contracts"),
    columns=(
        Column(gettext_lazy("Director"), attrgetter("person.name")),
        Column(gettext_lazy("ID number"), attrgetter("person.id_number"), identity="id_number"),
        Column(gettext_lazy("Mobile phone"), attrgetter("person.phone"), identity="phone"),
        Column(gettext_lazy("Township"), attrgetter("township.name")),
        Column(gettext_lazy("Village"), attrgetter("post.village.name")),
        Column(gettext_lazy("Post number"), attrgetter("post.number")),
        Column(gettext_lazy("State"), methodcaller("get_state_display")),
        Column(gettext_lazy("Term starts"), attrgetter("start_date")),
        Column(gettext_lazy("Term ends"), attrgetter("end_date")),
        Column(gettext_lazy("Days left"), lambda c: c.days_left(timezone.localdate())),
        Column(gettext_lazy("Monthly pay (yuan)"), attrgetter("monthly_pay")),
        Column(gettext_lazy("Filing number"), attrgetter("filing_number")),
    ),
    person_of=attrgetter("person_id"),
)


@login_required
@require_safe
def contract_export(request: HttpRequest) -> HttpResponse:
    """The contract list as an .xlsx, with its filters and order (``web.exports``). A
    director's own contract is on their own page, as for the list."""
    if getattr(request.user, "role", "") == Role.DIRECTOR:
        return redirect("my_term:index")
    _require_staff(request.user)
    filters = ContractFilters.from_query(request.GET)
    return export_response(
        request,
        CONTRACTS_EXPORT,
        contracts_listed(request.user, filters),
        filters=filters,
        back=url_with("contracts:list", filters),
    )


def open_tasks(contract: Contract, user) -> list[tuple[Task, str, bool]]:
    """The open human tasks of the contract's flow: (task, its page, whether ``user`` may
    work or take it)."""
    tasks = (
        Task.objects.filter(
            process__contractprocess__contract=contract,
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .select_related("owner")
        .order_by("created", "pk")
    )
    rows = []
    for task in tasks:
        mine = (task.owner_id == user.pk) or (
            task.owner_id is None
            and bool(task.owner_permission)
            and user.has_perm(task.owner_permission)
        )
        rows.append((task, task.flow_task.reverse("index", args=[task.process_id, task.pk]), mine))
    return rows


def contract_documents(contract: Contract, user):
    return (
        documents_visible_to(user)
        .filter(
            content_type=ContentType.objects.get_for_model(Contract),
            object_id=contract.pk,
        )
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_staff(user)
    contract = get_scoped_or_404(
        Contract.objects.select_related(
            "person", "post__village", "township__county", "signed_by", "filed_by", "policy"
        ),
        user,
        pk=pk,
    )
    if getattr(user, "role", "") == Role.DIRECTOR:
        return redirect("my_term:index")
    today = timezone.localdate()
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "today": today,
            "days_left": contract.days_left(today),
            "in_force": contract.state in IN_FORCE_STATES,
            "pending": contract.state in PENDING_STATES,
            "documents": contract_documents(contract, user),
            "tasks": open_tasks(contract, user),
            "records": contract_records(contract, user),
        },
    )


def contract_records(contract: Contract, user) -> list[tuple[str, str, str]]:
    """The contract's renewal review, resignations and dismissal cases the user may open:
    (what, its state in words, its page), one query each."""
    rows: list[tuple[str, str, str]] = []
    if user.has_perm("contracts.view_renewalreview"):
        for review in RenewalReview.objects.filter(contract=contract):
            url = reverse("renewals:review", args=[review.pk])
            rows.append((_("Renewal review"), review.get_state_display(), url))
    if user.has_perm("contracts.view_resignation"):
        for resignation in contract.resignations.order_by("-pk"):
            url = reverse("endings:resignation_detail", args=[resignation.pk])
            rows.append((_("Resignation"), resignation.get_state_display(), url))
    if user.has_perm("contracts.view_dismissalcase"):
        for case in contract.cases.order_by("-pk"):
            url = reverse("endings:case_detail", args=[case.pk])
            rows.append((_("Dismissal case"), case.get_state_display(), url))
    return rows


@login_required
def my_term(request: HttpRequest) -> HttpResponse:
    """The director's own record: their contract, acting designation, open cases and their
    documents. Only for a director's account with its person record."""
    user = request.user
    person = getattr(user, "person", None)
    if getattr(user, "role", "") != Role.DIRECTOR or person is None:
        raise PermissionDenied(_("This page is a director's own record."))
    today = timezone.localdate()
    contracts = list(
        Contract.objects.filter(person=person)
        .select_related("post__village", "township")
        .order_by("-start_date", "-pk")
    )
    current = next(
        (c for c in contracts if c.state in IN_FORCE_STATES + PENDING_STATES),
        contracts[0] if contracts else None,
    )
    acting = (
        Vacancy.objects.filter(acting_person=person, state__in=OPEN_VACANCY_STATES)
        .select_related("post__village")
        .order_by("refill_due", "pk")
    )
    cases = (
        DismissalCase.objects.filter(contract__person=person, state__in=OPEN_CASE_STATES)
        .select_related("contract")
        .order_by("opened_on", "pk")
    )
    resignations = (
        Resignation.objects.filter(contract__person=person)
        .exclude(state=ResignationState.WITHDRAWN)
        .filter(Q(state=ResignationState.REQUESTED) | Q(end_date__gte=today))
        .order_by("-requested_on", "-pk")
    )
    documents = (
        Document.objects.filter(person=person)
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )
    return render(
        request,
        "contracts/my_term.html",
        {
            "person": person,
            "contract": current,
            "earlier": [c for c in contracts if c is not current],
            "days_left": current.days_left(today) if current is not None else None,
            "in_force": current is not None and current.state in IN_FORCE_STATES,
            "acting": acting,
            # The monthly assessment's section (templates/assessment/_my_scores.html).
            "monthly_scores": assessment_views.my_scores(person),
            "cases": cases,
            "resignations": resignations,
            "documents": documents,
            "appraisal_section": appraisal_views.director_section(person),
        },
    )
