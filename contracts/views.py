"""Staff and director pages of the contract term, mounted at /contracts/ (``contracts:``) and
/my-term/ (``my_term:``).

- the contract list of a township (its committee and office, its village's committee) or of
  the county (county HR): filter by township, state, "ending within N days" and the
  dashboards' stability filters (in post on a day, left in a period, education, open
  selection; ``contracts.selectors``), in pinyin order of the directors' names or by end
  date, paged; a fixed number of queries whatever the data;
- one contract's page: its state in words, term, days left, signing, filing, induction, its
  documents and the open tasks of its flow;
- 我的聘期 (/my-term/) is the director's portal (``web.portal``, ``web.views.my_term``);
  the contract pages send a director there.

Every record goes through ``accounts.scoping``: a contract out of the user's scope is 404.
"""

from operator import attrgetter, methodcaller

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
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
from accounts.scoping import get_scoped_or_404, scoped
from contracts.constants import (
    IN_FORCE_STATES,
    PENDING_STATES,
    CaseState,
    ContractState,
)
from contracts.models import Contract, RenewalReview
from contracts.selectors import CONTRACT_ORDERS, ContractFilters, contracts_listed
from core.exports import Column, ListExport
from core.pagination import paginate
from organisation.models import Township
from paperwork.selectors import documents_visible_to
from web.exports import export_response, url_with

VIEW_CONTRACT = "contracts.view_contract"
OPEN_CASE_STATES = [CaseState.OPENED, CaseState.HEARD, CaseState.DECIDED]


def _require_staff(user) -> None:
    if not user.has_perm(VIEW_CONTRACT):
        raise PermissionDenied(_("You may not see contracts."))


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """The contracts the user sees: a township's, or the county's for county HR (who may
    choose a township)."""
    user = request.user
    if getattr(user, "role", "") == Role.DIRECTOR:
        return redirect("my_term:index")
    _require_staff(user)
    filters = ContractFilters.from_query(request.GET)
    today = timezone.localdate()
    page = paginate(request, contracts_listed(user, filters, today=today))
    townships = list(scoped(Township.objects.all(), user).order_by("name_pinyin", "pk"))
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
            "townships": townships if len(townships) > 1 else [],
            "township": str(filters.township or ""),
            "measures": filters.measures(getattr(user, "county_id", None), today),
            "kept": {
                name: str(value)  # days as 2026-11-30
                for name, value in filters.values().items()
                if name in ("on", "left_from", "left_to", "education", "selection")
            },
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
