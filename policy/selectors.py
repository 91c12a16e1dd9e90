"""Reading policy versions."""

import datetime

from django.utils.translation import gettext as _

from policy.models import Policy


class NoPolicyInForce(LookupError):
    pass


def policy_in_force(*, county, on: datetime.date) -> Policy:
    """The version of ``county``'s policy in force on ``on``."""
    policy = (
        Policy.objects.filter(county=county, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if policy is None:
        raise NoPolicyInForce(
            _("%(county)s has no policy in force on %(date)s.") % {"county": county, "date": on}
        )
    return policy
