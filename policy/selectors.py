"""Reading policy versions."""

import datetime

from django.utils.translation import gettext as _

from policy.models import Policy


class NoPolicyInForce(LookupError):
    pass


def policy_in_force(*, county, on: datetime.date) -> Policy:
    """The version of ``county``'s policy in force on ``on``.

    That is the version with the latest effective date on or before ``on``; of two versions
    with the same date, the later one (a same-day correction) wins. Raises
    ``NoPolicyInForce`` with a readable message when ``on`` is before the first version.
    """
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


def policy_in_force_or_none(*, county, on: datetime.date) -> Policy | None:
    try:
        return policy_in_force(county=county, on=on)
    except NoPolicyInForce:
        return None
