"""Pages of the target-responsibility agreements, mounted at /agreements/ (``agreements:``).

- the county's templates (county HR): the list, a new template (or the year's next version)
  with its target lines, and one template's page, editable until an agreement uses it;
- a township's agreements for a year: every director in post with their agreement's state,
  signature dates and whether it is overdue; the office and committee draft the year's
  agreements at once. County HR sees every township (choose one); a village committee sees
  its village's;
- one agreement's page: its targets with the village's values, the signatures, its documents;
  the office and committee adjust the values and record the three signatures there.

Directors see their own agreement on /my-term/ (``agreements.templatetags.agreements``) and
its page. Every record goes through ``accounts.scoping``: out of scope is 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts.constants import Role
from accounts.scoping import can_see, get_scoped_or_404, scoped
from agreements.constants import AgreementState
from agreements.forms import SignForm, TemplateForm, ValuesForm, line_formset
from agreements.models import AgreementTemplate, TargetAgreement
from agreements.selectors import due_date, townships_year
from agreements.services import (
    Line,
    agreement_set_values,
    agreement_sign,
    agreements_draft_for_township,
    template_create,
    template_for,
    template_update,
)
from organisation.models import Township
from paperwork.selectors import documents_visible_to
from policy.selectors import policy_in_force_or_none

VIEW = "agreements.view_agreement"
MANAGE = "agreements.manage_agreement"
VIEW_TEMPLATE = "agreements.view_agreementtemplate"
ADD_TEMPLATE = "agreements.add_agreementtemplate"
CHANGE_TEMPLATE = "agreements.change_agreementtemplate"
RACE_ERRORS = (ConcurrentTransition, IntegrityError)


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _is_director(user) -> bool:
    return getattr(user, "role", "") == Role.DIRECTOR


# --- templates (county HR) -----------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW_TEMPLATE)
    templates = scoped(AgreementTemplate.objects.select_related("county"), request.user).order_by(
        "-year", "-version", "pk"
    )
    return render(
        request,
        "agreements/template_list.html",
        {"templates": templates, "can_add": request.user.has_perm(ADD_TEMPLATE)},
    )


def _lines_of(formset) -> list[Line]:
    return [
        Line(
            name=form.cleaned_data["name"],
            unit=form.cleaned_data.get("unit", ""),
            default_value=form.cleaned_data.get("default_value"),
            assessment=form.cleaned_data.get("assessment", ""),
        )
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


def _apply_line_errors(form, formset, error: ValidationError) -> None:
    """The service's errors on the lines (``lines-<n>``) go to that line, the rest to the
    form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    named = [f for f in formset.forms if f.cleaned_data.get("name")]
    for key, errors in error.error_dict.items():
        if key.startswith("lines-") and key[6:].isdigit() and int(key[6:]) < len(named):
            named[int(key[6:])].add_error(None, errors)
        elif key in form.fields:
            form.add_error(key, errors)
        else:
            form.add_error(None, errors)


@login_required
def template_create_view(request: HttpRequest) -> HttpResponse:
    _require(request.user, ADD_TEMPLATE)
    county = getattr(request.user, "county", None)
    if county is None:
        raise PermissionDenied(_("Your account belongs to no county."))
    copy = None
    if request.method == "POST":
        form = TemplateForm(request.POST)
        formset = line_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                template = template_create(
                    county=county,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    lines=_lines_of(formset),
                    by=request.user,
                )
            except ValidationError as exc:
                _apply_line_errors(form, formset, exc)
            else:
                messages.success(
                    request,
                    _("The %(year)s template (version %(version)s) is saved.")
                    % {"year": template.year, "version": template.version},
                )
                return redirect("agreements:template_detail", template.pk)
        status = 400
    else:
        year = timezone.localdate().year + 1
        copy = template_for(county=county, year=year) or template_for(county=county, year=year - 1)
        form = TemplateForm(initial={"year": year, "title": copy.title if copy else ""})
        initial = [
            {
                "name": line.name,
                "unit": line.unit,
                "default_value": line.default_value,
                "assessment": line.assessment,
            }
            for line in (copy.lines.all() if copy else [])
        ]
        formset = line_formset(initial=initial)
        status = 200
    return render(
        request,
        "agreements/template_form.html",
        {"form": form, "formset": formset, "template": None, "copy": copy},
        status=status,
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, VIEW_TEMPLATE)
    template = get_scoped_or_404(
        AgreementTemplate.objects.select_related("county"), request.user, pk=pk
    )
    used = template.agreements.count()
    editable = not used and request.user.has_perm(CHANGE_TEMPLATE, template)
    status = 200
    form = formset = None
    if editable:
        if request.method == "POST":
            form = TemplateForm(request.POST)
            form.fields["year"].disabled = True
            form.fields["year"].initial = template.year
            formset = line_formset(request.POST)
            if form.is_valid() and formset.is_valid():
                try:
                    template_update(
                        template=template,
                        title=form.cleaned_data["title"],
                        lines=_lines_of(formset),
                        by=request.user,
                    )
                except ValidationError as exc:
                    _apply_line_errors(form, formset, exc)
                else:
                    messages.success(request, _("The template is saved."))
                    return redirect("agreements:template_detail", template.pk)
            status = 400
        else:
            form = TemplateForm(initial={"year": template.year, "title": template.title})
            form.fields["year"].disabled = True
            formset = line_formset(
                initial=[
                    {
                        "name": line.name,
                        "unit": line.unit,
                        "default_value": line.default_value,
                        "assessment": line.assessment,
                    }
                    for line in template.lines.all()
                ],
                blank=1,
            )
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "agreements/template_detail.html",
        {
            "template": template,
            "lines": template.lines.all(),
            "used": used,
            "form": form,
            "formset": formset,
        },
        status=status,
    )


# --- a township's year ---------------------------------------------------------------------


def _year_of(raw, today: datetime.date) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if _is_director(user):
        return redirect("my_term:index")
    _require(user, VIEW)
    today = timezone.localdate()
    year = _year_of(request.GET.get("year"), today)
    townships = list(scoped(Township.objects.all(), user).order_by("name_pinyin", "pk"))
    chosen = request.GET.get("township", "")
    township = None
    own_township = getattr(user, "township_id", None)
    if own_township:
        township = next((t for t in townships if t.pk == own_township), None)
    elif chosen.isdigit():
        township = next((t for t in townships if t.pk == int(chosen)), None)
    elif len(townships) == 1:
        township = townships[0]
    show = request.GET.get("show", "")
    if show != "unsigned":
        show = ""
    rows, due = [], None
    # County HR asking for the unsigned agreements of every township (the dashboards' figure)
    # reads them all at once; otherwise one township's year.
    county_wide = township is None and show == "unsigned" and len(townships) > 1
    chosen_townships = townships if county_wide else [township] if township else []
    if chosen_townships:
        rows = townships_year(townships=chosen_townships, year=year, today=today)
        own_village = getattr(user, "village_id", None)
        if own_village:
            rows = [r for r in rows if r.village.pk == own_village]  # type: ignore[attr-defined]
        policy = policy_in_force_or_none(county=chosen_townships[0].county_id, on=today)
        due = due_date(policy, year) if policy else None
    counts = {
        "missing": sum(1 for r in rows if r.agreement is None),
        "signed": sum(1 for r in rows if r.agreement and r.agreement.is_signed),
        "overdue": sum(1 for r in rows if r.overdue),
        "total": len(rows),
    }
    if show:
        rows = [r for r in rows if r.unsigned]
    manage = township is not None and user.has_perm(MANAGE, township)
    template = template_for(county=township.county, year=year) if township else None
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(today.year + 1, today.year - 4, -1)),
            "township": township,
            "townships": townships if not getattr(user, "township_id", None) else [],
            "due": due,
            "manage": manage,
            "template": template,
            "show": show,
            "county_wide": county_wide,
            **counts,
        },
    )


@login_required
def agreement_draft(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, MANAGE)
    today = timezone.localdate()
    year = _year_of(request.POST.get("year"), today)
    raw = request.POST.get("township", "")
    own_township = getattr(user, "township_id", None)
    township = get_scoped_or_404(
        Township.objects.select_related("county"),
        user,
        pk=own_township or (int(raw) if raw.isdigit() else 0),
    )
    back = reverse("agreements:list") + f"?year={year}&township={township.pk}"
    if request.method != "POST":
        return redirect(back)
    try:
        drafted = agreements_draft_for_township(township=township, year=year, by=user)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    except RACE_ERRORS:
        messages.warning(request, _("Someone else drafted at the same moment; check the list."))
    else:
        if drafted:
            messages.success(
                request,
                _("%(n)s agreements drafted and printed for signing.") % {"n": len(drafted)},
            )
        else:
            messages.info(
                request, _("Every director in post already has an agreement for this year.")
            )
    return redirect(back)


# --- one agreement -------------------------------------------------------------------------


def _agreement(request: HttpRequest, pk: int) -> TargetAgreement:
    _require(request.user, VIEW)
    return get_scoped_or_404(
        TargetAgreement.objects.select_related(
            "township__county",
            "village",
            "person",
            "contract__post",
            "template",
            "policy",
            "recorded_by",
        ),
        request.user,
        pk=pk,
    )


def _detail(
    request: HttpRequest,
    agreement: TargetAgreement,
    *,
    values_form=None,
    sign_form=None,
    status=200,
) -> HttpResponse:
    today = timezone.localdate()
    manage = request.user.has_perm(MANAGE, agreement) and agreement.state == AgreementState.DRAFTED
    policy = policy_in_force_or_none(county=agreement.township.county, on=today)
    due = due_date(policy, agreement.year) if policy else None
    overdue = agreement.state == AgreementState.DRAFTED and due is not None and today > due
    documents = (
        documents_visible_to(request.user)
        .filter(
            content_type=ContentType.objects.get_for_model(TargetAgreement), object_id=agreement.pk
        )
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )
    if manage:
        values_form = values_form or ValuesForm(agreement=agreement)
        sign_form = sign_form or SignForm(
            initial={"township_on": today, "village_on": today, "director_on": today}
        )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "targets": agreement.targets,
            "due": due,
            "overdue": overdue,
            "manage": manage,
            "values_form": values_form if manage else None,
            "sign_form": sign_form if manage else None,
            "documents": documents,
            "back": reverse("agreements:list")
            + f"?year={agreement.year}&township={agreement.township_id}",
        },
        status=status,
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _agreement(request, pk))


def _manageable(request: HttpRequest, pk: int) -> TargetAgreement:
    _require(request.user, MANAGE)
    agreement = _agreement(request, pk)
    if not can_see(request.user, agreement.township):
        raise PermissionDenied
    return agreement


def _race(request: HttpRequest, agreement: TargetAgreement) -> HttpResponse:
    messages.warning(
        request,
        _(
            "Someone else changed this agreement at the same moment; nothing was saved. "
            "Check it and try again."
        ),
    )
    return redirect("agreements:detail", agreement.pk)


@login_required
def agreement_values(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manageable(request, pk)
    if request.method != "POST":
        return redirect("agreements:detail", agreement.pk)
    form = ValuesForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            agreement_set_values(agreement=agreement, values=form.values(), by=request.user)
        except ValidationError as exc:
            form.add_service_error(exc)
        except RACE_ERRORS:
            return _race(request, agreement)
        else:
            messages.success(
                request, _("The values are saved; the agreement is printed again for signing.")
            )
            return redirect("agreements:detail", agreement.pk)
    return _detail(request, agreement, values_form=form, status=400)


@login_required
def agreement_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manageable(request, pk)
    if request.method != "POST":
        return redirect("agreements:detail", agreement.pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            agreement_sign(
                agreement=agreement,
                township_signatory=form.cleaned_data["township_signatory"],
                township_on=form.cleaned_data["township_on"],
                village_signatory=form.cleaned_data["village_signatory"],
                village_on=form.cleaned_data["village_on"],
                director_on=form.cleaned_data["director_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except RACE_ERRORS:
            return _race(request, agreement)
        else:
            messages.success(
                request, _("The three signatures are recorded; the signed agreement is issued.")
            )
            return redirect("agreements:detail", agreement.pk)
    return _detail(request, agreement, sign_form=form, status=400)
