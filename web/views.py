"""The dashboard: one page at "/" whose content depends on the user's role. A director's is
their portal (``web.portal``), which 我的聘期 (/my-term/) shows too."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.constants import Role
from web import selectors
from web.portal import director_portal

PORTAL_TEMPLATE = "web/portal.html"

DASHBOARDS: dict[str, tuple[str, Callable[..., object]]] = {
    Role.ADMINISTRATOR: ("web/dashboard_county.html", selectors.county_dashboard),
    Role.COUNTY_HR: ("web/dashboard_county.html", selectors.county_dashboard),
    Role.TOWNSHIP_COMMITTEE: ("web/dashboard_township.html", selectors.township_dashboard),
    Role.TOWNSHIP_OFFICE: ("web/dashboard_township.html", selectors.township_dashboard),
    Role.VILLAGE_COMMITTEE: ("web/dashboard_village.html", selectors.village_dashboard),
    Role.DIRECTOR: (PORTAL_TEMPLATE, director_portal),
}

# The builders that read the page's query: the stability measures' period (GET start, end).
READS_QUERY = (selectors.county_dashboard, selectors.township_dashboard)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    entry = DASHBOARDS.get(getattr(request.user, "role", ""))
    if entry is None:  # an account without a role sees nothing but this notice
        return render(request, "web/dashboard_no_role.html")
    template_name, build = entry
    args = (request.user, request.GET) if build in READS_QUERY else (request.user,)
    return render(request, template_name, {"dashboard": build(*args)})


@login_required
def my_term(request: HttpRequest) -> HttpResponse:
    """我的聘期 (/my-term/): the director's portal, the same page as their "/". Only for a
    director's account."""
    if getattr(request.user, "role", "") != Role.DIRECTOR:
        raise PermissionDenied(_("This page is a director's own record."))
    return render(request, PORTAL_TEMPLATE, {"dashboard": director_portal(request.user)})
