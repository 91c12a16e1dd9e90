"""Helpers of the login throttling (django-axes, configured in ``config.settings.base``)."""

import ipaddress

from django.http import HttpRequest

from core.http import client_ip


def client_ip_address(request: HttpRequest) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address as the public pages' rate limits see
    it (``CUNPIN_RATE_LIMIT_PROXIES``), or None when it is not an IP address (a request built in
    code, a malformed forwarding header): django-axes stores it in an IP address column, which
    PostgreSQL refuses anything else for."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
