"""ID and mobile numbers in the audit trail: stored masked, never in full.

The audit trail is read by every county HR officer and township committee member of its
scope, and kept for years; a full ID number there would leak to all of them. So every value
written to an audit entry goes through :func:`mask_values`:

- by field: ``id_number`` is stored as ``520424********0135`` and ``phone``/``mobile`` as
  ``138****8000`` (Person, Application and any record or dict using these names), each with a
  keyed hash beside it (``id_number_hmac``: HMAC-SHA256 with a key derived from SECRET_KEY), so
  that two entries about the same number can be matched (:func:`identity_hmac`) and a change
  hidden by the mask (only middle digits changed) still shows as a change; ``birth_date``
  keeps only its year, since a full birth date beside a masked ID number gives the number back;
- as a safety net, any full-looking ID number (17 digits and a digit or X) or mobile number
  (1[3-9] and 9 digits) inside any other string, the record's name or the reason is masked.

The pages show entries before → after without the ``*_hmac`` keys (``AuditEntry.changes``).
If SECRET_KEY is replaced, hashes written before no longer match new ones.
"""

import datetime
import re
from typing import Any

from django.utils.crypto import salted_hmac

from core.identity import mask_id_number, mask_mobile, normalise_id_number, normalise_mobile

HMAC_SUFFIX = "_hmac"
_HMAC_SALT = "cunpin.audit.identity-number"

ID_NUMBER_KEYS = frozenset({"id_number"})
MOBILE_KEYS = frozenset({"phone", "mobile"})
BIRTH_DATE_KEYS = frozenset({"birth_date"})

_FULL_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_FULL_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Not inside a longer run of letters and digits (a SHA-256, a longer number): Chinese text
# around the number does not stop a match.
_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?![0-9A-Za-z])")


def identity_hmac(number: str) -> str:
    """The keyed hash stored beside a masked ID or mobile number (normalised first)."""
    return salted_hmac(_HMAC_SALT, number, algorithm="sha256").hexdigest()


def normalise_number(key: str, value: str) -> str:
    """An ID number (upper-case X, no spaces) or a mobile number (digits only) as hashed."""
    return normalise_id_number(value) if key in ID_NUMBER_KEYS else normalise_mobile(value)


def mask_text(text: str) -> str:
    """``text`` with every full-looking ID and mobile number in it masked."""
    text = _ID_NUMBER_IN_TEXT.sub(lambda m: f"{m[1]}{'*' * 8}{m[2].upper()}", text)
    return _MOBILE_IN_TEXT.sub(lambda m: f"{m[1]}****{m[2]}", text)


def _mask_number(key: str, value: str, out: dict) -> None:
    if "*" in value:  # masked already (a second pass, or a caller that masked it)
        out[key] = mask_text(value)
        return
    number = normalise_number(key, value)
    if key in ID_NUMBER_KEYS:
        full, mask = _FULL_ID_NUMBER.match(number), mask_id_number
    else:
        full, mask = _FULL_MOBILE.match(number), mask_mobile
    out[key] = mask(number)
    if full:
        out[key + HMAC_SUFFIX] = identity_hmac(number)


def _mask_birth_date(value: Any) -> Any:
    if value in (None, ""):
        return value
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return text if "*" in text else f"{text[:4]}-**-**"


def mask_values(value: Any) -> Any:
    """A copy of ``value`` (the before or after of an audit entry) with ID and mobile numbers
    masked, by key and in any string, and birth dates reduced to their year."""
    if isinstance(value, dict):
        out: dict = {}
        for key, item in value.items():
            if key in ID_NUMBER_KEYS | MOBILE_KEYS and isinstance(item, str) and item:
                _mask_number(key, item, out)
            elif key in BIRTH_DATE_KEYS:
                out[key] = _mask_birth_date(item)
            elif isinstance(key, str) and key.endswith(HMAC_SUFFIX) and key in out:
                continue  # computed above from the number itself
            else:
                out[key] = mask_values(item)
        return out
    if isinstance(value, list | tuple):
        return [mask_values(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value
