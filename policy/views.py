"""Pages of the county policy: its versions, one version in full, and a new version."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.scoping import get_scoped_or_404, scoped
from organisation.services import PolicyRevision, policy_revise
from policy import documents as policy_documents
from policy.forms import (
    FIELD_GROUPS,
    GRADE_KEYS,
    GRADE_LABELS,
    PolicyVersionForm,
    field_label,
)
from policy.models import APPRAISAL_RATINGS, Policy, band_text, tier_text
from policy.selectors import policy_in_force_or_none
from policy.validation import APPRAISAL_RATING_KEYS

VIEW_POLICY = "policy.view_policy"
ADD_POLICY = "policy.add_policy"
ADD_DOCUMENT = "paperwork.add_document"


def _county_versions(user):
    return scoped(Policy.objects.filter(county=user.county), user).distinct()


def _value(policy: Policy, name: str) -> list[tuple[Any, list]]:
    """(label, lines shown) pairs of one field of ``policy``."""
    label = field_label(name)
    if name == "quota_tiers":
        return [(label, [tier_text(t) for t in policy.quota_tiers])]
    if name == "pay_deduction_bands":
        return [(label, [band_text(b) for b in policy.pay_deduction_bands])]
    if name == "grade_thresholds":
        return [(GRADE_LABELS[key], [policy.grade_thresholds.get(key)]) for key in GRADE_KEYS]
    if name == "appraisal_weights":
        return [
            (APPRAISAL_RATINGS[key], [f"{policy.appraisal_weights.get(key)}%"])
            for key in APPRAISAL_RATING_KEYS
        ]
    if getattr(Policy._meta.get_field(name), "choices", None):
        return [(label, [getattr(policy, f"get_{name}_display")()])]
    value = getattr(policy, name)
    if isinstance(value, bool):
        value = _("Yes") if value else _("No")
    return [(label, [value])]


def policy_groups(policy: Policy) -> list[tuple[Any, list[tuple[Any, list]]]]:
    return [
        (title, [pair for name in names for pair in _value(policy, name)])
        for title, names in FIELD_GROUPS
    ]


@login_required
@permission_required(VIEW_POLICY, raise_exception=True)
def policy_list(request):
    versions = _county_versions(request.user).select_related("created_by")
    current = policy_in_force_or_none(county=request.user.county, on=timezone.localdate())
    return render(
        request,
        "policy/policy_list.html",
        {
            "versions": versions,
            "current": current,
            "can_add": request.user.has_perm(ADD_POLICY),
        },
    )


@login_required
@permission_required(VIEW_POLICY, raise_exception=True)
def policy_detail(request, pk: int):
    policy = get_scoped_or_404(
        _county_versions(request.user).select_related("county", "created_by"),
        request.user,
        pk=pk,
    )
    current = policy_in_force_or_none(county=policy.county, on=timezone.localdate())
    return render(
        request,
        "policy/policy_detail.html",
        {
            "policy": policy,
            "groups": policy_groups(policy),
            "is_current": current is not None and current.pk == policy.pk,
            "is_future": policy.effective_from > timezone.localdate(),
            "can_add": request.user.has_perm(ADD_POLICY),
            "can_issue_sheet": request.user.has_perm(ADD_DOCUMENT),
        },
    )


def revision_messages(revision: PolicyRevision) -> list[str]:
    policy = revision.policy
    texts = [
        _("Version %(version)s is saved and applies from %(date)s.")
        % {"version": policy.version, "date": date_format(policy.effective_from, "DATE_FORMAT")}
    ]
    if not revision.tiers_changed:
        texts.append(_("The quota tiers did not change, so no village's posts were touched."))
    elif revision.reconciled:
        texts.append(
            ngettext(
                "The quota tiers changed: the posts of %(n)s village were checked against them.",
                "The quota tiers changed: the posts of %(n)s villages were checked against them.",
                revision.reconciled_villages,
            )
            % {"n": revision.reconciled_villages}
            + " "
            + _(
                "Posts created: %(created)s; reactivated: %(reactivated)s; vacant posts "
                "abolished: %(abolished)s; occupied posts flagged as surplus: %(surplus)s."
            )
            % {
                "created": revision.posts_created,
                "reactivated": revision.posts_reactivated,
                "abolished": revision.posts_abolished,
                "surplus": revision.posts_marked_surplus,
            }
        )
    else:
        texts.append(
            _(
                "The quota tiers changed, but this version is not the one in force today, so "
                "no post was changed now. The village lists flag villages whose posts do not "
                "match the version in force."
            )
        )
    return texts


@login_required
@permission_required(ADD_POLICY, raise_exception=True)
def policy_create(request):
    """A new version for the user's county, prefilled from the version in force today."""
    county = request.user.county
    today = timezone.localdate()
    base = policy_in_force_or_none(county=county, on=today) or (
        Policy.objects.filter(county=county).order_by("-effective_from", "-version").first()
    )
    status = 200
    if request.method == "POST":
        form = PolicyVersionForm(request.POST)
        if form.is_valid():
            try:
                revision = policy_revise(
                    county=county, by=request.user, base=base, **form.policy_values()
                )
            except ValidationError as exc:
                form.add_model_errors(exc)
            else:
                for text in revision_messages(revision):
                    messages.success(request, text)
                return redirect("policy:detail", pk=revision.policy.pk)
        status = 400
    else:
        form = PolicyVersionForm(
            initial=PolicyVersionForm.initial_from(base or Policy(), effective_from=today)
        )
    return render(
        request,
        "policy/policy_form.html",
        {"form": form, "base": base, "county": county},
        status=status,
    )


@login_required
@require_POST
@permission_required(ADD_DOCUMENT, raise_exception=True)
def policy_sheet_issue(request, pk: int):
    """Issue the policy sheet of one version as a PDF and open it."""
    policy = get_scoped_or_404(_county_versions(request.user), request.user, pk=pk)
    document = policy_documents.policy_sheet_issue(policy=policy, by=request.user)
    return redirect(reverse("paperwork:download", args=[document.pk]))
