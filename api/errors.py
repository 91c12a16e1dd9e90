"""Every refusal of the API in one shape: ``{"detail": "…", "code": "…"}``, and for invalid
input (400) the messages of each field under ``errors`` (``non_field_errors`` for the
request as a whole). Messages are in the interface language (Chinese).

Besides DRF's own exceptions, the refusals of the services are answered here, never as 500:

- a ``django.core.exceptions.ValidationError`` naming fields → 400 with those fields;
- a ``ValidationError`` about the record (its state, a change made meanwhile), a django-fsm
  ``TransitionNotAllowed`` or ``ConcurrentTransition``, an ``IntegrityError`` → 409 Conflict;
- ``PermissionDenied`` → 403, ``Http404`` → 404 (DRF).
"""

import django_fsm
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The record is not in a state where this step is possible (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This step is not possible in the record's present state.")
    default_code = "conflict"


class Unavailable(exceptions.APIException):
    """A failure outside the step's rules (a document that could not be issued, the disk):
    nothing was changed (503)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


def from_django(exc: Exception) -> exceptions.APIException | None:
    """The API exception a service's refusal stands for, or None."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        message = str(exc)
        return exceptions.PermissionDenied(message) if message else exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return Conflict(" ".join(exc.messages))
    if isinstance(exc, django_fsm.TransitionNotAllowed):
        return Conflict()
    if isinstance(exc, django_fsm.ConcurrentTransition | IntegrityError):
        return Conflict(
            _(
                "Someone else changed this record meanwhile; nothing was saved. Check it and "
                "try again."
            )
        )
    return None


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(field): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for field, messages in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    exc = from_django(exc) or exc
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict[str, object]
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()), [""])
        body = {
            "detail": _("The request is not valid: %(problem)s") % {"problem": first[0]}
            if first and first[0]
            else _("The request is not valid."),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = {
            "detail": str(detail),
            "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
        }
    headers = {k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Allow")}
    return Response(body, status=response.status_code, headers=headers)
