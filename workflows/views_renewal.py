"""The renewal reviews' pages: the list of the reviews a user sees, and one review with the
facts the committee weighs and, for the township's committee, the decision form.

The decision form is the task page of the flow's ``decide`` step (``workflows.flows_renewal``):
it calls ``renewal_decide`` and completes the task in the same transaction.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from django_fsm import ConcurrentTransition
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.scoping import scoped
from contracts.constants import ContractState, RenewalMode, RenewalState
from contracts.kinds import RENEWAL_NOTICE
from contracts.models import RenewalReview
from contracts.services.renewal import MANAGE_TERM, renewal_decide
from paperwork.selectors import document_current
from workflows.deadlines import TIME_LIMIT_STATUSES
from workflows.forms_renewal import RenewalDecisionForm

VIEW_PERMISSION = "contracts.view_renewalreview"
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def review_link(review: RenewalReview) -> str:
    return reverse("renewals:review", args=[review.pk])


def _reviews(user):
    return scoped(
        RenewalReview.objects.select_related(
            "contract__person", "contract__post__village", "contract__township", "policy"
        ),
        user,
    )


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The open reviews, soonest end first, then the decided ones, latest first."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    reviews = _reviews(request.user)
    open_reviews = reviews.filter(state=RenewalState.OPEN).order_by("contract__end_date", "pk")
    decided = reviews.exclude(state=RenewalState.OPEN).order_by("-decided_on", "-pk")
    page = Paginator(decided, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "workflows/renewal/list.html",
        {
            "open_rows": [(r, r.contract.days_left(today)) for r in open_reviews],
            "page": page,
        },
    )


def decide_task(review: RenewalReview) -> Task | None:
    """The open ``decide`` task of the review's flow, if any."""
    from workflows.flows_renewal import RenewalFlow

    return (
        Task.objects.filter(
            process__renewalprocess__review=review,
            flow_task=RenewalFlow.decide,
            status__in=OPEN_STATUSES,
        )
        .order_by("pk")
        .first()
    )


def task_due(task: Task | None) -> datetime.datetime | None:
    if task is None:
        return None
    timer = (
        Task.objects.filter(previous=task, flow_task_type="TIMER", status__in=TIME_LIMIT_STATUSES)
        .order_by("pk")
        .first()
    )
    return timer.scheduled if timer is not None else None


def complete_task(task: Task, user) -> None:
    """Complete the decide task as ``user``, who has just decided (the service checked that
    they may)."""
    with task.activation() as activation:
        if activation.task.status == STATUS.NEW:
            activation.assign(user)
        elif activation.task.owner_id != user.pk:
            activation.reassign(user)
    with task.activation() as activation:
        activation.start(None)
        activation.execute()


class RenewalDecideView(LoginRequiredMixin, generic.View):
    """One renewal review: the facts, the decision, and the decision form for the township's
    committee while the review is open. Reached at ``renewals:review`` or as the flow's
    task page (``process_pk``/``task_pk``)."""

    template_name = "workflows/renewal/review.html"

    def get_review(self) -> RenewalReview:
        user = self.request.user
        if not user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        reviews = _reviews(user)
        if "pk" in self.kwargs:
            lookup = {"pk": self.kwargs["pk"]}
        elif "process_pk" in self.kwargs:
            lookup = {"workflow_process__pk": self.kwargs["process_pk"]}
        else:
            raise Http404
        try:
            return reviews.get(**lookup)
        except RenewalReview.DoesNotExist:
            raise Http404 from None

    def can_decide(self, review: RenewalReview) -> bool:
        return (
            review.state == RenewalState.OPEN
            and review.contract.state == ContractState.EXPIRING
            and self.request.user.has_perm(MANAGE_TERM, review.contract)
        )

    def get(self, request, *args, **kwargs):
        review = self.get_review()
        form = None
        if self.can_decide(review):
            form = RenewalDecisionForm(reselection=review.mode == RenewalMode.RESELECTION)
        return self.render(review, form)

    def post(self, request, *args, **kwargs):
        review = self.get_review()
        if review.state != RenewalState.OPEN:
            messages.info(request, _("This renewal review has already been decided."))
            return redirect(review_link(review))
        if review.contract.state != ContractState.EXPIRING:
            messages.info(
                request, _("The term has ended without a renewal decision; nothing was changed.")
            )
            return redirect(review_link(review))
        if not self.can_decide(review):
            raise PermissionDenied
        form = RenewalDecisionForm(request.POST, reselection=review.mode == RenewalMode.RESELECTION)
        if form.is_valid():
            try:
                with transaction.atomic():
                    renewal_decide(
                        review=review,
                        renew=form.renew,
                        reasons=form.cleaned_data["reasons"],
                        reselected=form.cleaned_data.get("reselected", False),
                        by=request.user,
                        on=timezone.localdate(),
                    )
                    task = decide_task(review)
                    if task is not None:
                        complete_task(task, request.user)
            except ValidationError as exc:
                form.add_service_error(exc)
            except (ConcurrentTransition, FlowLockFailed, IntegrityError):
                messages.warning(
                    request,
                    _(
                        "Someone decided this renewal review at the same moment; the page "
                        "shows the decision that was recorded."
                    ),
                )
                return redirect(review_link(review))
            else:
                review.refresh_from_db()
                if review.state == RenewalState.RENEW:
                    messages.success(
                        request,
                        _(
                            "The renewal is decided: the renewal notice is issued and the new "
                            "contract is drafted for signing."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("The decision is recorded: the contract ends on its end date."),
                    )
                return redirect(review_link(review))
        return self.render(review, form, status=400)

    def render(self, review: RenewalReview, form, status: int = 200) -> HttpResponse:
        task = decide_task(review) if review.state == RenewalState.OPEN else None
        facts = review.facts or {}
        contract = review.contract
        notice = (
            document_current(kind=RENEWAL_NOTICE, subject=review)
            if review.state == RenewalState.RENEW
            else None
        )
        end = facts.get("end_date")
        return render(
            self.request,
            self.template_name,
            {
                "review": review,
                "contract": contract,
                "person": contract.person,
                "facts": facts,
                "end_date": datetime.date.fromisoformat(end) if end else contract.end_date,
                "days_left": contract.days_left(timezone.localdate()),
                "reselection": review.mode == RenewalMode.RESELECTION,
                "due": task_due(task),
                "lapsed": review.state == RenewalState.OPEN
                and contract.state != ContractState.EXPIRING,
                "escalated": bool(task is not None and (task.data or {}).get("escalated")),
                "notice": notice,
                "form": form,
            },
            status=status,
        )
