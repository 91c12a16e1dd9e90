"""The director's agreements on their own record (/my-term/, ``contracts.views.my_term``):
``{% load agreements %}{% my_agreements person %}``. A tag, so that the contract pages below
this app need not import it."""

from django import template
from django.utils import timezone

from agreements.constants import AgreementState
from agreements.models import TargetAgreement
from agreements.selectors import due_date
from policy.selectors import policy_in_force_or_none

register = template.Library()


@register.inclusion_tag("agreements/_my_agreements.html")
def my_agreements(person):
    today = timezone.localdate()
    agreements = list(
        TargetAgreement.objects.filter(person=person)
        .select_related("village", "township__county")
        .order_by("-year", "-pk")[:5]
    )
    rows = []
    for agreement in agreements:
        policy = policy_in_force_or_none(county=agreement.township.county, on=today)
        due = due_date(policy, agreement.year) if policy else None
        late = agreement.state == AgreementState.DRAFTED and due is not None and today > due
        rows.append((agreement, due, late))
    return {"rows": rows}
