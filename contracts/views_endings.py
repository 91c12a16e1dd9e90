"""Staff and director pages of resignation, termination and dismissal (mounted at /term/).

- The directors in post of the user's township, with what can be done about each contract.
- Resignation: the director's own request page; a committee member's page recording one for a
  director; the list of resignations and one resignation with the township's answer.
- Termination (解聘): the township's decision form on a contract.
- Dismissal cases: the list (open cases first), the opening form, one case with its grounds
  verbatim, evidence, statement, decision and documents, and the form of the step it is at.
- Birth records per village and year, the input of the births detector.

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
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from viewflow.workflow.exceptions import FlowLockFailed

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404, scoped
from contracts import forms_endings as forms
from contracts.constants import IN_FORCE_STATES, CaseState, ResignationState
from contracts.dates import notice_ends_on, notice_rule_text
from contracts.models import BirthRecord, CaseEvidence, Contract, DismissalCase, Resignation
from contracts.services import dismissal, endings
from organisation.models import Township, Village
from paperwork.models import Document
from paperwork.services import DocumentIssueError
from policy.selectors import policy_in_force
from workflows.deadlines import deadline_text
from workflows.flows_endings import (
    DismissalFlow,
    ResignationFlow,
    case_process,
    due_of,
    resignation_process,
)

logger = logging.getLogger(__name__)

VIEW_CASE = "contracts.view_dismissalcase"
VIEW_RESIGNATION = "contracts.view_resignation"
ADD_BIRTHS = "contracts.add_birthrecord"
VIEW_BIRTHS = "contracts.view_birthrecord"

SERVICE_ERRORS = (
    ValidationError,
    PermissionDenied,
    django_fsm.ConcurrentTransition,
    IntegrityError,
)


def page(request, template: str, context: dict | None = None, status: int = 200):
    """Render a page of the section with its navigation."""
    context = {**(context or {}), "section_links": section_links(request.user)}
    return render(request, template, context, status=status)


CASE_STEPS = {
    "hear": DismissalFlow.hear,
    "decide": DismissalFlow.decide,
    "file": DismissalFlow.file,
}


def _due_text(process, node) -> str:
    """The last day of the step's task, as every page says it ("" without a time limit)."""
    due = due_of(process, node)
    return deadline_text(due, explain=True) if due is not None else ""


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _run(form, call) -> bool:
    """Call the service in a savepoint; its refusal goes on the form. True when done."""
    try:
        with transaction.atomic():
            call()
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not take this step."))
    except django_fsm.ConcurrentTransition:
        form.add_error(
            None, _("Someone else changed this record meanwhile. Reload the page and try again.")
        )
    except FlowLockFailed:
        form.add_error(
            None, _("Someone is completing this step at this moment; reload the page shortly.")
        )
    except IntegrityError:
        form.add_error(
            None, _("Someone else recorded the same meanwhile. Reload the page and check.")
        )
    except (DocumentIssueError, OSError, DatabaseError):
        logger.exception("A step of a resignation, termination or case failed")
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


def _contracts(user):
    return scoped(Contract.objects.select_related("person", "post__village", "township"), user)


def _own_contract(user) -> Contract | None:
    if user.role != Role.DIRECTOR or user.person_id is None:
        return None
    return (
        Contract.objects.filter(person_id=user.person_id, state__in=IN_FORCE_STATES)
        .select_related("post__village", "township__county")
        .first()
    )


def section_links(user) -> list[tuple[str, str]]:
    """The section's pages the user may open, (label, URL name)."""
    links = []
    if user.role == Role.DIRECTOR:
        links.append((_("Request to resign"), "endings:resign"))
    if user.has_perm(endings.MANAGE_TERM) or user.has_perm(dismissal.OPEN_CASE):
        links.append((_("Directors in post"), "endings:in_post"))
    if user.has_perm(VIEW_RESIGNATION):
        links.append((_("Resignations"), "endings:resignation_list"))
    if user.has_perm(VIEW_CASE):
        links.append((_("Dismissal cases"), "endings:case_list"))
    if user.has_perm(VIEW_BIRTHS):
        links.append((_("Birth records"), "endings:births"))
    return links


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    links = section_links(request.user)
    if not links:
        raise PermissionDenied
    return page(request, "contracts/endings/index.html", {"links": links})


# --- directors in post ------------------------------------------------------------------------


@login_required
@require_safe
def in_post(request: HttpRequest) -> HttpResponse:
    """The contracts in force the user sees, with the actions the user may take."""
    user = request.user
    if not (user.has_perm(endings.MANAGE_TERM) or user.has_perm(dismissal.OPEN_CASE)):
        raise PermissionDenied
    contracts = (
        _contracts(user)
        .filter(state__in=IN_FORCE_STATES)
        .order_by("post__village__name_pinyin", "post__number")
    )
    return page(
        request,
        "contracts/endings/in_post.html",
        {
            "contracts": contracts,
            "can_manage": user.has_perm(endings.MANAGE_TERM),
            "can_open": user.has_perm(dismissal.OPEN_CASE),
        },
    )


# --- resignation -----------------------------------------------------------------------------


def _notice_preview(contract: Contract, today):
    policy = policy_in_force(county=contract.township.county, on=today)
    return notice_ends_on(today, policy.contract_notice_days), notice_rule_text(
        policy.contract_notice_days
    )


def _request_page(request, contract: Contract, *, for_director: bool):
    today = timezone.localdate()
    form = forms.ResignationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder: dict = {}

        def call():
            holder["r"] = endings.resignation_request(
                contract=contract,
                by=request.user,
                reason=data["reason"],
                wished_end_date=data["wished_end_date"],
                on=today,
            )

        if _run(form, call):
            resignation = holder["r"]
            messages.success(
                request,
                _("The request to resign is recorded. The notice period ends on %(day)s.")
                % {"day": endings.day(resignation.notice_ends_on)},
            )
            return redirect("endings:resignation_detail", resignation.pk)
    ends, rule = _notice_preview(contract, today)
    pending = contract.resignations.filter(state=ResignationState.REQUESTED).first()
    return page(
        request,
        "contracts/endings/resignation_request.html",
        {
            "form": form,
            "contract": contract,
            "for_director": for_director,
            "notice_ends": ends,
            "notice_rule": rule,
            "pending": pending,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resign(request: HttpRequest) -> HttpResponse:
    """A director's own request to resign (their contract in force only)."""
    user: Any = request.user
    if user.role != Role.DIRECTOR:
        raise PermissionDenied
    contract = _own_contract(user)
    if contract is None:
        return page(request, "contracts/endings/no_contract.html", status=200)
    return _request_page(request, contract, for_director=False)


@login_required
@require_http_methods(["GET", "POST"])
def resignation_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A committee member records a director's request to resign."""
    _require(request.user, endings.MANAGE_TERM)
    contract = get_scoped_or_404(
        Contract.objects.select_related("person", "post__village", "township__county"),
        request.user,
        pk=pk,
    )
    return _request_page(request, contract, for_director=True)


@login_required
@require_safe
def resignation_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW_RESIGNATION)
    resignations = (
        scoped(
            Resignation.objects.select_related("contract__person", "contract__post__village"),
            request.user,
        )
        .annotate(
            waiting=Case(
                When(state=ResignationState.REQUESTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-requested_on", "-pk")
    )
    return page(
        request, "contracts/endings/resignation_list.html", {"resignations": resignations[:200]}
    )


@login_required
@require_http_methods(["GET", "POST"])
def resignation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One resignation; the township's committee answers it here."""
    _require(request.user, VIEW_RESIGNATION)
    resignation = get_scoped_or_404(
        Resignation.objects.select_related(
            "contract__person", "contract__post__village", "contract__township__county"
        ),
        request.user,
        pk=pk,
    )
    contract = resignation.contract
    can_answer = resignation.state == ResignationState.REQUESTED and request.user.has_perm(
        endings.MANAGE_TERM, contract
    )
    form = None
    if can_answer:
        initial = {
            "end_date": max(
                resignation.wished_end_date or resignation.notice_ends_on,
                resignation.notice_ends_on,
            )
        }
        form = forms.ResignationAcceptForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            today = timezone.localdate()

            def accept():
                endings.resignation_accept(
                    resignation=resignation,
                    end_date=data["end_date"],
                    agreed_earlier=data["agreed_earlier"],
                    by=request.user,
                    on=today,
                )

            done = _run(form, accept)
            if done:
                messages.success(
                    request,
                    _("The resignation is accepted; the termination certificate is issued."),
                )
                return redirect("endings:resignation_detail", resignation.pk)
    elif request.method == "POST":
        if not request.user.has_perm(endings.MANAGE_TERM, contract):
            raise PermissionDenied
        # A second submission after the answer (or a withdrawal): say so, change nothing.
        messages.info(
            request,
            _("This resignation was already answered; it is shown as it stands."),
        )
        return redirect("endings:resignation_detail", resignation.pk)
    return page(
        request,
        "contracts/endings/resignation_detail.html",
        {
            "resignation": resignation,
            "contract": contract,
            "form": form,
            "notice_rule": endings.notice_explanation(resignation),
            "due": _due_text(resignation_process(resignation), ResignationFlow.answer),
            "documents": _documents(contract),
        },
    )


# --- termination -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def terminate(request: HttpRequest, pk: int) -> HttpResponse:
    """The township's decision to terminate a contract (解聘)."""
    _require(request.user, endings.MANAGE_TERM)
    contract = get_scoped_or_404(
        Contract.objects.select_related("person", "post__village", "township__county"),
        request.user,
        pk=pk,
    )
    form = forms.TerminationForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: endings.contract_terminate(
                contract=contract,
                reason=data["reason"],
                on=data["on"],
                note=data["note"],
                by=request.user,
            ),
        ):
            messages.success(
                request,
                _(
                    "The contract of %(name)s is terminated; the termination certificate is "
                    "issued and the post is vacant."
                )
                % {"name": contract.person.name},
            )
            return redirect("endings:in_post")
    return page(
        request,
        "contracts/endings/terminate.html",
        {"form": form, "contract": contract, "in_force": contract.state in IN_FORCE_STATES},
    )


# --- dismissal cases -------------------------------------------------------------------------


@login_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user sees: open ones first (oldest first), then decided and filed;
    ``?show=open`` leaves the filed ones out (the dashboards' figure), ``?township=`` keeps
    one township's."""
    _require(request.user, VIEW_CASE)
    cases = (
        scoped(
            DismissalCase.objects.select_related(
                "contract__person", "contract__post__village", "township"
            ).prefetch_related("grounds__ground"),
            request.user,
        )
        .annotate(
            closed=Case(
                When(state__in=[CaseState.OPENED, CaseState.HEARD], then=Value(0)),
                When(state=CaseState.DECIDED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "opened_on", "pk")
    )
    show = request.GET.get("show", "")
    if show == "open":
        cases = cases.exclude(state=CaseState.FILED)
    else:
        show = ""
    townships = list(scoped(Township.objects.all(), request.user).order_by("name_pinyin", "pk"))
    township = request.GET.get("township", "")
    if township.isdigit():
        cases = cases.filter(township_id=int(township))
    else:
        township = ""
    return page(
        request,
        "contracts/endings/case_list.html",
        {
            "cases": cases[:200],
            "can_open": request.user.has_perm(dismissal.OPEN_CASE),
            "show": show,
            "townships": townships if len(townships) > 1 else [],
            "township": township,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case against the director of a contract."""
    _require(request.user, dismissal.OPEN_CASE)
    contract = get_scoped_or_404(
        Contract.objects.select_related("person", "post__village", "township__county"),
        request.user,
        pk=pk,
    )
    today = timezone.localdate()
    form = forms.CaseOpenForm(
        request.POST or None, request.FILES or None, initial={"period": today.year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = []
        if data["evidence_text"].strip():
            evidence.append(dismissal.Evidence(text=data["evidence_text"]))
        evidence += [dismissal.Evidence(file=f) for f in data["evidence_files"]]
        holder: dict = {}

        def call():
            holder["case"] = dismissal.case_open(
                contract=contract,
                grounds=list(data["grounds"]),
                period=data["period"],
                summary=data["summary"],
                evidence=evidence,
                by=request.user,
                on=today,
            )

        if _run(form, call):
            messages.success(
                request,
                _("The case is opened; the director may give a statement by %(day)s.")
                % {"day": endings.day(holder["case"].statement_due)},
            )
            return redirect("endings:case_detail", holder["case"].pk)
    return page(request, "contracts/endings/case_new.html", {"form": form, "contract": contract})


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: grounds verbatim, evidence, statement, decision, documents, and the form of
    its current step for who may take it."""
    _require(request.user, VIEW_CASE)
    case = get_scoped_or_404(
        DismissalCase.objects.select_related(
            "contract__person",
            "contract__post__village",
            "township__county",
            "decided_by",
            "opened_by",
            "filed_by",
        ),
        request.user,
        pk=pk,
    )
    user = request.user
    today = timezone.localdate()
    step = ""
    form: Any = None
    if case.state == CaseState.OPENED and user.has_perm(dismissal.OPEN_CASE, case):
        step, form = "hear", forms.CaseHearForm(request.POST or None)
    elif case.state == CaseState.HEARD and user.has_perm(dismissal.OPEN_CASE, case):
        step, form = "decide", forms.CaseDecideForm(request.POST or None)
    elif case.state == CaseState.DECIDED and user.has_perm(dismissal.FILE_CASE, case):
        step, form = "file", forms.forms.Form(request.POST or None)
    if request.method == "POST":
        if form is None or request.POST.get("step") != step:
            messages.info(
                request, _("This step was already taken; the case is shown as it stands.")
            )
            return redirect("endings:case_detail", case.pk)
        if form.is_valid():
            data = form.cleaned_data

            def call():
                if step == "hear":
                    dismissal.case_hear(
                        case=case,
                        statement=data["statement"],
                        declined=data["declined"],
                        by=user,
                        on=today,
                    )
                elif step == "decide":
                    dismissal.case_decide(
                        case=case,
                        decision=data["decision"],
                        reasons=data["reasons"],
                        by=user,
                        on=today,
                    )
                else:
                    dismissal.case_file(case=case, by=user, on=today)

            done_text = {
                "hear": _("The hearing is recorded."),
                "decide": _("The decision is recorded."),
                "file": _("The case is filed with the county."),
            }[step]
            if _run(form, call):
                messages.success(request, done_text)
                return redirect("endings:case_detail", case.pk)
    return page(
        request,
        "contracts/endings/case_detail.html",
        {
            "case": case,
            "grounds": case.grounds.select_related("ground").order_by("ground__position", "period"),
            "evidence": case.evidence.select_related("added_by"),
            "documents": _documents(case),
            "step": step,
            "form": form,
            "statement_open": case.statement_due is not None and today <= case.statement_due,
            "due": _due_text(case_process(case), CASE_STEPS[step]) if step else "",
        },
    )


@login_required
@require_safe
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file, only through the case's scope (never as public media)."""
    _require(request.user, VIEW_CASE)
    case = get_scoped_or_404(DismissalCase.objects.all(), request.user, pk=pk)
    item = CaseEvidence.objects.filter(case=case, pk=evidence_pk).exclude(file="").first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name or "evidence"
    )


# --- birth records ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def births(request: HttpRequest) -> HttpResponse:
    """Births against the rule per village and year, recorded by the township."""
    user: Any = request.user
    _require(user, VIEW_BIRTHS)
    villages = scoped(Village.objects.select_related("township"), user).order_by("name_pinyin")
    can_add = user.has_perm(ADD_BIRTHS) and user.township_id is not None
    form = None
    if can_add:
        form = forms.BirthRecordForm(
            request.POST or None,
            villages=villages,
            initial={"year": timezone.localdate().year - 1},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if _run(
                form,
                lambda: dismissal.birth_record_save(
                    village=data["village"],
                    year=data["year"],
                    violations=data["violations"],
                    note=data["note"],
                    by=user,
                ),
            ):
                messages.success(
                    request,
                    _("Recorded: %(village)s, %(year)s.")
                    % {"village": data["village"].name, "year": data["year"]},
                )
                return redirect("endings:births")
    elif request.method == "POST":
        raise PermissionDenied
    records = scoped(
        BirthRecord.objects.select_related("village__township", "recorded_by"), user
    ).order_by("-year", "village__name_pinyin")
    return page(
        request,
        "contracts/endings/births.html",
        {"form": form, "records": records[:300]},
    )
