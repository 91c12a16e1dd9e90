"""Facts about an HTTP request that several apps need."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the address the last trusted proxy saw
    (``CUNPIN_RATE_LIMIT_PROXIES`` reverse proxies in front of the app)."""
    proxies = int(getattr(settings, "CUNPIN_RATE_LIMIT_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
