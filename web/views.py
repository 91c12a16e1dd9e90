"""The dashboard: one page at "/" whose content depends on the user's role."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.constants import Role
from web import selectors

DASHBOARDS: dict[str, tuple[str, Callable[..., object]]] = {
    Role.ADMINISTRATOR: ("web/dashboard_county.html", selectors.county_dashboard),
    Role.COUNTY_HR: ("web/dashboard_county.html", selectors.county_dashboard),
    Role.TOWNSHIP_COMMITTEE: ("web/dashboard_township.html", selectors.township_dashboard),
    Role.TOWNSHIP_OFFICE: ("web/dashboard_township.html", selectors.township_dashboard),
    Role.VILLAGE_COMMITTEE: ("web/dashboard_village.html", selectors.village_dashboard),
    Role.DIRECTOR: ("web/dashboard_director.html", selectors.director_dashboard),
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
