"""Reading the audit trail."""

from django.db.models import Q, QuerySet

from audit.masking import HMAC_SUFFIX, identity_hmac, normalise_number
from audit.models import AuditEntry


def entries_about_number(*, id_number: str = "", phone: str = "") -> QuerySet[AuditEntry]:
    """The entries whose values held this full ID number or mobile number, found by the keyed
    hash stored beside the masked number (``audit.masking``): about a person, an application
    or any record that keeps the number under ``id_number`` or ``phone``."""
    condition = Q(pk__in=[])
    for key, number in (("id_number", id_number), ("phone", phone)):
        if not number:
            continue
        digest = identity_hmac(normalise_number(key, number))
        lookup = key + HMAC_SUFFIX
        condition |= Q(**{f"before__{lookup}": digest}) | Q(**{f"after__{lookup}": digest})
    return AuditEntry.objects.filter(condition)
