"""The page shown instead of the login form while a username is locked out (django-axes)."""

import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# "Too many requests", as django-axes answers by default.
LOCKED_OUT_STATUS = 429


def lockout_ends_at(request: HttpRequest, credentials: dict | None) -> datetime.datetime:
    """When the lockout of this username from this address ends: the failure that locked it
    plus the cool-off (attempts during the lockout do not move it:
    ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``)."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    username = get_client_username(request, credentials)
    attempt = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .first()
    )
    started = attempt.attempt_time if attempt is not None else timezone.now()
    return started + cool_off


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: say, in the user's language, that signing in is refused
    for now and from what local time it may be tried again."""
    until = timezone.localtime(lockout_ends_at(request, credentials))
    # The time alone when the lockout ends today (local time), else the date too.
    time_format = "%H:%M" if until.date() == timezone.localdate() else "%Y-%m-%d %H:%M"
    context = {
        "until": until.strftime(time_format),
        "minutes": int((get_cool_off(request) or datetime.timedelta(0)).total_seconds() // 60),
    }
    response = render(request, "registration/locked_out.html", context, status=LOCKED_OUT_STATUS)
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response
