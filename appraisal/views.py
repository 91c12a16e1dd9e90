"""Pages of the annual appraisal and the rewards, mounted at /appraisal/ (``appraisal:``).

- the overview: for a township, its years; for county HR, every township and year with how
  far the appraisal and the settlement went;
- a township's year: each director's ratings (a form for the township committee while not
  confirmed), the monthly mean and months counted, the score and grade, the county's
  confirmation; the settlement list with its rewards and documents.

Each POST calls one service; a refusal comes back as a message. Records outside the user's
scope are 404.
"""

from collections import defaultdict
from operator import attrgetter, methodcaller

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.constants import Role
from accounts.scoping import get_scoped_or_404, scoped
from appraisal.constants import RATING_KEYS, AppraisalState, SettlementState
from appraisal.forms import RatingForm, SettleForm, YearForm
from appraisal.models import AnnualAppraisal, Reward, RewardSettlement
from appraisal.selectors import appraisals_listed
from appraisal.services.appraisals import appraisal_confirm, appraisal_rate, appraisals_open
from appraisal.services.rewards import settlement_propose, settlement_settle
from core.exports import Column, ListExport
from core.normalise import plain_number
from organisation.models import Township
from paperwork.selectors import documents_visible_to
from policy.constants import Grade
from policy.models import APPRAISAL_RATINGS
from web.exports import export_response

VIEW = "appraisal.view_annualappraisal"


def _require_staff(user) -> None:
    if not user.has_perm(VIEW) or getattr(user, "role", "") == Role.DIRECTOR:
        raise PermissionDenied(_("You may not see annual appraisals."))


def _say(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc) or _("You may not take this step."))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Each township's years of appraisal and the state of their rewards (``?year=`` one
    year; ``?unsettled=1`` only the years whose rewards are not settled yet)."""
    user = request.user
    if getattr(user, "role", "") == Role.DIRECTOR:
        return redirect("my_term:index")
    _require_staff(user)
    townships = scoped(Township.objects.all(), user).order_by("name_pinyin", "pk")
    rows = (
        scoped(AnnualAppraisal.objects.all(), user)
        .values("township_id", "year")
        .annotate(
            total=Count("pk"),
            rated=Count("pk", filter=Q(state=AppraisalState.RATED)),
            confirmed=Count("pk", filter=Q(state=AppraisalState.CONFIRMED)),
            excellent=Count("pk", filter=Q(state=AppraisalState.CONFIRMED, grade=Grade.EXCELLENT)),
        )
        .order_by("-year")
    )
    year = request.GET.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= 2100:
        rows = rows.filter(year=int(year))
    else:
        year = ""
    unsettled = request.GET.get("unsettled", "") == "1"
    settlements = {(s.township_id, s.year): s for s in scoped(RewardSettlement.objects.all(), user)}
    by_township: dict[int, list] = defaultdict(list)
    for row in rows:
        row["settlement"] = settlements.get((row["township_id"], row["year"]))
        if unsettled and row["settlement"] and row["settlement"].state == SettlementState.SETTLED:
            continue  # the dashboards' figure: the years whose rewards are not settled yet
        by_township[row["township_id"]].append(row)
    sections = [(t, by_township.get(t.pk, [])) for t in townships]
    if year or unsettled:  # a filtered list shows the townships it found only
        sections = [(t, found) for t, found in sections if found]
    return render(
        request,
        "appraisal/overview.html",
        {
            "sections": sections,
            "can_open": user.has_perm("appraisal.rate_appraisal"),
            "last_year": timezone.localdate().year - 1,
            "year": year,
            "unsettled": unsettled,
        },
    )


def _year_or_404(year: int) -> int:
    """A year of the appraisal (2000–2100); any other answers 404 as a missing page."""
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _documents(user, subjects) -> dict:
    """The current documents about ``subjects`` the user may see, by (model, pk)."""
    found: dict = defaultdict(list)
    by_type = defaultdict(list)
    for subject in subjects:
        by_type[type(subject)].append(subject.pk)
    for model, pks in by_type.items():
        content_type = ContentType.objects.get_for_model(model)
        for document in documents_visible_to(user).filter(
            content_type=content_type, object_id__in=pks, superseded_by__isnull=True
        ):
            found[(model, document.object_id)].append(document)
    return found


@login_required
def township_year(request: HttpRequest, township_id: int, year: int) -> HttpResponse:
    user = request.user
    _require_staff(user)
    _year_or_404(year)
    township = get_scoped_or_404(Township.objects.select_related("county"), user, pk=township_id)
    appraisals = list(appraisals_listed(user, township, year))
    settlement = (
        scoped(RewardSettlement.objects.filter(township=township, year=year), user)
        .select_related("policy")
        .first()
    )
    rewards = (
        list(settlement.rewards.select_related("person").order_by("kind", "person__name_pinyin"))
        if settlement
        else []
    )
    documents = _documents(user, [*appraisals, *rewards, *([settlement] if settlement else [])])
    can_rate = user.has_perm("appraisal.rate_appraisal", township)
    can_confirm = user.has_perm("appraisal.confirm_appraisal", township)
    cards = []
    for appraisal in appraisals:
        editable = can_rate and appraisal.state != AppraisalState.CONFIRMED
        form = None
        if editable:
            initial = {key: appraisal.ratings.get(key) for key in RATING_KEYS}
            initial.update(
                bonus=appraisal.bonus or None,
                bonus_reason=appraisal.bonus_reason,
                deduction=appraisal.deduction or None,
                deduction_reason=appraisal.deduction_reason,
                remarks=appraisal.remarks,
            )
            form = RatingForm(initial=initial, prefix=f"a{appraisal.pk}")
        cards.append(
            {
                "appraisal": appraisal,
                "form": form,
                "ratings": [
                    (APPRAISAL_RATINGS[key], appraisal.ratings.get(key, "—")) for key in RATING_KEYS
                ],
                "can_confirm": can_confirm and appraisal.state == AppraisalState.RATED,
                "documents": documents.get((AnnualAppraisal, appraisal.pk), []),
            }
        )
    all_confirmed = bool(appraisals) and all(
        a.state == AppraisalState.CONFIRMED for a in appraisals
    )
    can_settle = user.has_perm("appraisal.settle_rewards", township)
    return render(
        request,
        "appraisal/township_year.html",
        {
            "township": township,
            "year": year,
            "cards": cards,
            "settlement": settlement,
            "reward_rows": [(reward, documents.get((Reward, reward.pk), [])) for reward in rewards],
            "settlement_documents": documents.get((RewardSettlement, settlement.pk), [])
            if settlement
            else [],
            "can_propose": can_settle
            and all_confirmed
            and (settlement is None or settlement.state == "proposed"),
            "can_settle": can_settle and settlement is not None and settlement.state == "proposed",
            "settle_form": SettleForm(initial={"settled_on": timezone.localdate()}),
            "today": timezone.localdate(),
            "export_url": reverse("appraisal:township_year_export", args=[township.pk, year]),
        },
    )


def _rating(key: str):
    return lambda a: plain_number(a.ratings.get(key))


APPRAISALS_EXPORT = ListExport(
    name=gettext_lazy("Annual appraisals"),
    columns=(
        Column(gettext_lazy("Director"), attrgetter("person.name")),
        Column(gettext_lazy("Village"), attrgetter("contract.post.village.name")),
        Column(gettext_lazy("State"), methodcaller("get_state_display")),
        Column(gettext_lazy("Months served"), attrgetter("months_served")),
        Column(gettext_lazy("Months scored"), attrgetter("months_counted")),
        Column(gettext_lazy("Mean monthly score"), attrgetter("monthly_mean")),
        *(Column(APPRAISAL_RATINGS[key], _rating(key)) for key in RATING_KEYS),
        Column(gettext_lazy("Year-end appraisal score"), attrgetter("appraisal_score")),
        Column(gettext_lazy("Bonus points"), attrgetter("bonus")),
        Column(gettext_lazy("Reason for the bonus"), attrgetter("bonus_reason")),
        Column(gettext_lazy("Deduction points"), attrgetter("deduction")),
        Column(gettext_lazy("Reason for the deduction"), attrgetter("deduction_reason")),
        Column(gettext_lazy("Annual score"), attrgetter("score")),
        Column(gettext_lazy("Grade"), methodcaller("get_grade_display")),
        Column(gettext_lazy("Remarks"), attrgetter("remarks")),
    ),
)


@login_required
@require_safe
def township_year_export(request: HttpRequest, township_id: int, year: int) -> HttpResponse:
    """A township's appraisals of a year, as its page lists them, as an .xlsx."""
    user = request.user
    _require_staff(user)
    _year_or_404(year)
    township = get_scoped_or_404(Township.objects.all(), user, pk=township_id)
    return export_response(
        request,
        APPRAISALS_EXPORT,
        appraisals_listed(user, township, year),
        back=reverse("appraisal:township_year", args=[township.pk, year]),
        about=f"{township.name} {year}",
    )


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(_("You may not take this step."))


def _back(township_id: int, year: int):
    return redirect("appraisal:township_year", township_id=township_id, year=year)


@login_required
@require_POST
def open_year(request: HttpRequest, township_id: int) -> HttpResponse:
    _require(request.user, "appraisal.rate_appraisal")
    township = get_scoped_or_404(
        Township.objects.select_related("county"), request.user, pk=township_id
    )
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Year: enter a year such as 2025."))
        return redirect("appraisal:index")
    year = form.cleaned_data["year"]
    try:
        created = appraisals_open(
            township=township, year=year, by=request.user, today=timezone.localdate()
        )
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
        return redirect("appraisal:index")
    messages.success(
        request,
        _("%(count)s directors' appraisals of %(year)s opened.")
        % {"count": len(created), "year": year},
    )
    return _back(township.pk, year)


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "appraisal.rate_appraisal")
    appraisal = get_scoped_or_404(
        AnnualAppraisal.objects.select_related("person"), request.user, pk=pk
    )
    form = RatingForm(request.POST, prefix=f"a{appraisal.pk}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{appraisal.person.name}：{label}：{error}")
        return _back(appraisal.township_id, appraisal.year)
    try:
        appraisal = appraisal_rate(appraisal=appraisal, by=request.user, **form.service_kwargs())
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s: %(score)s, %(grade)s.")
            % {
                "name": appraisal.person.name,
                "score": appraisal.score,
                "grade": appraisal.get_grade_display(),
            },
        )
    return _back(appraisal.township_id, appraisal.year)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "appraisal.confirm_appraisal")
    appraisal = get_scoped_or_404(
        AnnualAppraisal.objects.select_related("person"), request.user, pk=pk
    )
    try:
        appraisal_confirm(appraisal=appraisal, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(
            request, _("The appraisal of %(name)s is confirmed.") % {"name": appraisal.person.name}
        )
    return _back(appraisal.township_id, appraisal.year)


@login_required
@require_POST
def propose(request: HttpRequest, township_id: int, year: int) -> HttpResponse:
    _require(request.user, "appraisal.settle_rewards")
    township = get_scoped_or_404(
        Township.objects.select_related("county"), request.user, pk=township_id
    )
    try:
        settlement = settlement_propose(township=township, year=year, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(
            request,
            _("The settlement list lists %(count)s rewards.")
            % {"count": settlement.rewards.count()},
        )
    return _back(township.pk, year)


@login_required
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "appraisal.settle_rewards")
    settlement = get_scoped_or_404(RewardSettlement.objects.all(), request.user, pk=pk)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Settled on: enter a date."))
        return _back(settlement.township_id, settlement.year)
    try:
        settlement_settle(
            settlement=settlement, on=form.cleaned_data["settled_on"], by=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The rewards are settled and their documents issued."))
    return _back(settlement.township_id, settlement.year)
