"""A small rate limiter for the public applicant pages: a fixed window per client IP and
endpoint, counted in Django's cache.

The cache is LocMem by default (per process: good enough for ``make run``); production points
``CACHES`` at Redis so that every worker counts in one place. The defaults below need no
setting; ``CUNPIN_RATE_LIMITS`` (``{"apply_submit": (10, 60), ...}``: requests per window of
seconds) overrides them, and ``CUNPIN_RATE_LIMIT_PROXIES`` says how many reverse proxies in
front of the site append to ``X-Forwarded-For`` (0: use ``REMOTE_ADDR``). Behind one proxy
(nginx) set it to 1, or every applicant would share the proxy's address and limit.

Over the limit, a page answers 429 with a translated page (or JSON for the live check) and a
``Retry-After`` header.
"""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.http import client_ip

# Requests allowed per window, and the window in seconds, per endpoint.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "apply_submit": (10, 60),
    "apply_check": (60, 60),
    "apply_lookup": (10, 60),
    "apply_download": (30, 60),
    # The public disclosure pages (disclosure.views): reading, and the PDFs.
    "public_page": (120, 60),
    "public_download": (30, 60),
}
KEY_PREFIX = "cunpin-rl"


def limit_for(scope: str) -> tuple[int, int]:
    overrides = getattr(settings, "CUNPIN_RATE_LIMITS", None) or {}
    return tuple(overrides.get(scope, DEFAULT_LIMITS[scope]))  # type: ignore[return-value]


def hit(scope: str, ident: str, *, now: float | None = None) -> tuple[bool, int]:
    """Count one request of ``ident`` to ``scope``; return (allowed, seconds to wait)."""
    limit, window = limit_for(scope)
    now = time.time() if now is None else now
    slot = int(now // window)
    key = f"{KEY_PREFIX}:{scope}:{ident}:{slot}"
    # add() is a no-op when the key exists; incr() is atomic in Redis and under LocMem's lock.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    retry_after = max(1, int((slot + 1) * window - now))
    return count <= limit, retry_after


def too_many(request: HttpRequest, retry_after: int, *, as_json: bool) -> HttpResponse:
    message = _("Too many requests from your connection. Please wait a minute and try again.")
    response: HttpResponse
    if as_json:
        response = JsonResponse({"__all__": message}, status=429)
    else:
        response = render(
            request,
            "recruitment/public/rate_limited.html",
            {"message": message, "retry_after": retry_after},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(
    scope: str, *, methods: tuple[str, ...] = ("GET", "POST"), as_json: bool = False
) -> Callable:
    """Limit a view for requests with one of ``methods``, per client IP."""
    if scope not in DEFAULT_LIMITS:
        raise ValueError(f"Unknown rate limit scope {scope!r}; declare it in DEFAULT_LIMITS.")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                allowed, retry_after = hit(scope, client_ip(request))
                if not allowed:
                    return too_many(request, retry_after, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
