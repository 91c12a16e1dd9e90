"""Staff and director pages of the contract term, mounted at /contracts/ (``contracts:``) and
/my-term/ (``my_term:``).

- the contract list of a township (its committee and office, its village's committee) or of
  the county (county HR): filter by township, state, "ending within N days" and the
  dashboards' stability filters (in post on a day, left in a period, education, open
  selection; ``contracts.selectors``), in pinyin order of the directors' names or by end
  date, paged; a fixed number of queries whatever the data;
- one contract's page: its state in words, term, days left, signing, filing, induction, its
  documents and the open tasks of its flow;
- the director's own record (我的聘期): their contract, acting designations, open dismissal
  cases and documents. Directors see only their own records; the contract pages send them
  there.

Every record goes through ``accounts.scoping``: a contract out of the user's scope is 404.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404, scoped
from appraisal import views as appraisal_views
from assessment import views as assessment_views
from contracts import selectors
from contracts.constants import (
    IN_FORCE_STATES,
    OPEN_VACANCY_STATES,
    PENDING_STATES,
    CaseState,
    ContractState,
    ResignationState,
)
from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
from core.education import Education
from core.pagination import paginate
from organisation.models import Township
from paperwork.models import Document
from paperwork.selectors import documents_visible_to
from policy.selectors import policy_in_force_or_none

VIEW_CONTRACT = "contracts.view_contract"
MAX_WITHIN_DAYS = 3660
OPEN_CASE_STATES = [CaseState.OPENED, CaseState.HEARD, CaseState.DECIDED]

ORDERS = {
    "name": (gettext_lazy("Name (pinyin)"), ("person__name_pinyin", "pk")),
    "end": (gettext_lazy("End date"), ("end_date", "person__name_pinyin", "pk")),
    "start": (gettext_lazy("Start date"), ("start_date", "person__name_pinyin", "pk")),
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


def _day(raw: str | None) -> datetime.date | None:
    """A day written as 2026-11-30 from 2000 on, or None."""
    try:
        day = datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None
    return day if day.year >= 2000 else None


def _stability_filters(request: HttpRequest, contracts, today: datetime.date):
    """The filters behind the dashboards' stability measures (``contracts.selectors``):
    ``on`` (in post on a day), ``left_from``/``left_to`` (left the post in a period),
    ``education`` (``meets``/``below`` the minimum of the policy in force on that day or
    today) and ``selection`` (``open``/``other``: their run of contracts began with an open
    selection or not). Returns the contracts and the filters in words; a malformed value is
    ignored."""
    said: list[str] = []
    params: dict[str, str] = {}
    on = _day(request.GET.get("on"))
    if on is not None:
        contracts = contracts.filter(selectors.in_post_on(on))
        params["on"] = on.isoformat()
        said.append(_("in post on %(day)s") % {"day": date_format(on, "DATE_FORMAT")})
    start, end = _day(request.GET.get("left_from")), _day(request.GET.get("left_to"))
    if start is not None and end is not None and start <= end:
        contracts = contracts.filter(selectors.left_between(start, end))
        params.update(left_from=start.isoformat(), left_to=end.isoformat())
        said.append(
            _("left their post between %(start)s and %(end)s")
            % {"start": date_format(start, "DATE_FORMAT"), "end": date_format(end, "DATE_FORMAT")}
        )
    day = on or today
    education = request.GET.get("education", "")
    if education in ("meets", "below"):
        policy = policy_in_force_or_none(county=request.user.county_id, on=day)  # type: ignore[union-attr]
        minimum = policy.min_education if policy else Education.HIGH_SCHOOL
        meets = selectors.education_meets(minimum)
        contracts = contracts.filter(meets if education == "meets" else ~meets)
        params["education"] = education
        level = Education(minimum).label
        said.append(
            (
                _("education %(level)s or above")
                if education == "meets"
                else _("education below %(level)s")
            )
            % {"level": level}
        )
    selection = request.GET.get("selection", "")
    if selection in ("open", "other"):
        contracts = contracts.annotate(first_origin=selectors.first_origin())
        openly = selectors.hired_by_open_selection()
        contracts = contracts.filter(openly if selection == "open" else ~openly)
        params["selection"] = selection
        said.append(
            _("hired by open selection")
            if selection == "open"
            else _("not hired by open selection")
        )
    return contracts, said, params


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """The contracts the user sees: a township's, or the county's for county HR (who may
    choose a township)."""
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
    townships = list(scoped(Township.objects.all(), user).order_by("name_pinyin", "pk"))
    township = request.GET.get("township", "")
    if township.isdigit():
        contracts = contracts.filter(township_id=int(township))
    else:
        township = ""
    today = timezone.localdate()
    within = _within_days(request.GET.get("within"))
    if within is not None:
        contracts = contracts.filter(
            state__in=IN_FORCE_STATES,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=within - 1),
        )
    contracts, measures, kept = _stability_filters(request, contracts, today)
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
            "townships": townships if len(townships) > 1 else [],
            "township": township,
            "measures": measures,
            "kept": kept,
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
