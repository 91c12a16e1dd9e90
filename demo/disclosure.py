"""Public disclosure in the demo county: county HR (``county_hr``) switches it on for
龙潭街道 (24 published months, two confirmed years) and 花江镇 (its campaign concluded with
three hires), through the real service. 关索街道 stays off, for trying the switch.

Idempotent: a township whose disclosure was ever switched (on or off: an audit row says so)
is left as it is, so a county HR officer's choice survives another ``load_demo``.
"""

from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from audit.models import AuditEntry
from demo import data
from organisation.models import Township
from organisation.services import township_set_disclosure

HR_ACCOUNT = "county_hr"  # demo.data.ACCOUNTS
DISCLOSING = ("龙潭街道", "花江镇")


def demo_disclosure_load() -> int:
    """Switch the demo's disclosing townships on; how many were switched."""
    hr = User.objects.filter(username=HR_ACCOUNT).first()
    if hr is None:
        return 0
    switched = set(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Township),
            transition__in=["disclosure_on", "disclosure_off"],
        ).values_list("object_id", flat=True)
    )
    count = 0
    for township in Township.objects.filter(
        county__name=data.COUNTY["name"], name__in=DISCLOSING
    ).order_by("pk"):
        if township.pk in switched or township.discloses_publicly:
            continue
        township_set_disclosure(township=township, on=True, by=hr)
        count += 1
    return count
