"""The agreements' step of the daily sweep (``contracts.sweep``), registered from
``AgreementsConfig.ready``.

- ``agreements_overdue`` (70): after the policy's date, tells the committee members of the
  township about each director whose agreement for the year is unsigned or not drafted at
  all, once per director and year (the notice's key); a later run sends nothing again.
"""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import Role
from accounts.models import User
from agreements.selectors import overdue
from contracts.sweep import sweep_step
from notifications.models import Category
from notifications.services import notify_each
from paperwork.templatetags.paperwork import cn_date


def _text(item) -> str:
    if item.agreement is None:
        return _(
            "%(name)s, director of %(village)s, has no target-responsibility agreement for "
            "%(year)s; it was due to be signed by %(due)s."
        ) % {
            "name": item.person.name,
            "village": item.village.name,
            "year": item.year,
            "due": cn_date(item.due_on),
        }
    return _(
        "The %(year)s target-responsibility agreement of %(name)s, director of %(village)s, is "
        "not signed; it was due by %(due)s."
    ) % {
        "name": item.person.name,
        "village": item.village.name,
        "year": item.year,
        "due": cn_date(item.due_on),
    }


def _link(item) -> str:
    if item.agreement is not None:
        return reverse("agreements:detail", args=[item.agreement.pk])
    return reverse("agreements:list") + "?" + urlencode({"year": item.year})


@sweep_step(
    "agreements_overdue", 70, label=gettext_lazy("Overdue agreement notices sent: %(count)s")
)
def agreements_overdue(*, today: datetime.date) -> int:
    items = overdue(today=today)
    if not items:
        return 0
    committee: dict[int, list] = defaultdict(list)
    for user in User.objects.filter(
        role=Role.TOWNSHIP_COMMITTEE,
        township_id__in={item.township.pk for item in items},  # type: ignore[attr-defined]
        is_active=True,
    ):
        committee[user.township_id].append(user)  # type: ignore[index]
    return notify_each(
        (
            (committee[item.township.pk], item.key, _text(item), _link(item))  # type: ignore[attr-defined]
            for item in items
        ),
        category=Category.DEADLINES,
    )
