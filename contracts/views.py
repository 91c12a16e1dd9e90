"""Staff and director pages of the contract term, mounted at /contracts/ (``contracts:``) and
/my-term/ (``my_term:``).

- the contract list of a township (its committee and office, its village's committee) or of
  the county (county HR): filter by state and "ending within N days", in pinyin order of the
  directors' names or by end date, paged; a fixed number of queries whatever the data;
- one contract's page: its state in words, term, days left, signing, filing, induction, its
  documents and the open tasks of its flow;
- 我的聘期 (/my-term/) is the director's portal (``web.portal``, ``web.views.my_term``);
  the contract pages send a director there.

Every record goes through ``accounts.scoping``: a contract out of the user's scope is 404.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from core.pagination import paginate
from paperwork.selectors import documents_visible_to

VIEW_CONTRACT = "contracts.view_contract"
MAX_WITHIN_DAYS = 3660
OPEN_CASE_STATES = [CaseState.OPENED, CaseState.HEARD, CaseState.DECIDED]

ORDERS = {
    "name": (gettext_lazy("Name (pinyin)"), ("person__name_pinyin", "pk")),
    "end": (gettext_lazy("End date"), ("end_date", "person__name_pinyin", "pk")),
}


def _require_staff(user) -> None:
    if not user.has_perm(VIEW_CONTRACT):
        raise PermissionDenied(_("You may not see contracts."))


def _within_days(raw: str | None) -> int | None:
    try:
        days = int(raw or "")
    except ValueError:
        return None
    return days if 0 < days <= MAX_WITHIN_DAYS else None


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """The contracts the user sees: a township's, or the county's for county HR."""
    user = request.user
    if getattr(user, "role", "") == Role.DIRECTOR:
        return redirect("my_term:index")
    _require_staff(user)
    contracts = scoped(Contract.objects.all(), user).select_related(
        "person", "post__village", "township"
    )
    state = request.GET.get("state", "")
    if state in ContractState.values:
        contracts = contracts.filter(state=state)
    else:
        state = ""
    today = timezone.localdate()
    within = _within_days(request.GET.get("within"))
    if within is not None:
        contracts = contracts.filter(
            state__in=IN_FORCE_STATES,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=within - 1),
        )
    order = request.GET.get("order", "name")
    if order not in ORDERS:
        order = "name"
    page = paginate(request, contracts.order_by(*ORDERS[order][1]))
    rows = [(contract, contract.days_left(today)) for contract in page.object_list]
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "states": ContractState.choices,
            "state": state,
            "within": within or "",
            "orders": [(key, label) for key, (label, _fields) in ORDERS.items()],
            "order": order,
        },
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
