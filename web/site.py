"""The staff site: viewflow's Material frontend wrapping every staff page.

Each section of the navigation is a viewflow ``Application`` that mounts one Django app's
plain ``urlpatterns`` under its usual prefix and namespace (``organisation:``, ``people:``,
``paperwork:`` ...), so the apps keep writing ordinary Django views while their pages get
the Material layout, the menu and ``request.resolver_match.site``/``app`` from viewflow's
``SiteMiddleware``.

Access is decided by each view (login redirect, 403, scoped 404), never by the section:
viewflow's middleware would answer 403 to an anonymous visitor where the view should send
them to the login page. A section only decides whether its menu entry is shown. The one
exception is the recruitment flow at ``campaigns/`` (``workflows.viewsets``), viewflow's own
flow pages: they need ``workflows.view_campaignprocess`` as a whole, and its viewset adds the
login redirect and the scoped 404 to every page.
"""

from collections.abc import Callable
from importlib import import_module

from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site, route
from viewflow.urls.base import Route

from accounts.constants import Role
from workflows.flows import CampaignFlow
from workflows.flows_appraisal import AppraisalFlow, SettlementFlow
from workflows.flows_contract import ContractFlow
from workflows.flows_endings import DismissalFlow, ResignationFlow
from workflows.flows_month import MonthFlow
from workflows.viewsets import CampaignFlowViewset
from workflows.viewsets_appraisal import AppraisalFlowViewset
from workflows.viewsets_contract import ContractFlowViewset
from workflows.viewsets_endings import EndingsFlowViewset
from workflows.viewsets_month import MonthFlowViewset


def _first_plain_route(patterns, prefix: str = "") -> str | None:
    """The route of the first pattern that takes no parameters, for a section's menu link."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern) or pattern.pattern.converters:
            continue
        if isinstance(pattern, URLPattern):
            return prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found = _first_plain_route(pattern.url_patterns, prefix + str(pattern.pattern))
            if found is not None:
                return found
    return None


class StaffSection(Application):
    """One entry of the navigation: an app's URL patterns mounted inside the site."""

    urls_module: str = ""
    menu_url_name: str = ""
    # A permission name, a callable taking the user, or None for every signed-in user.
    menu_permission: str | Callable | None = None
    menu_template_name = None  # the site menu is the only menu
    index_path = None  # the app's own pages are its entry points; no redirect view

    @property
    def urlpatterns(self):
        return list(import_module(self.urls_module).urlpatterns)

    def has_view_permission(self, user, obj=None) -> bool:
        # Views decide access themselves (see the module docstring).
        return True

    def menu_visible(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.menu_permission is None:
            return True
        if callable(self.menu_permission):
            return bool(self.menu_permission(user))
        return user.has_perm(self.menu_permission)

    def menu_url(self) -> str | None:
        if self.menu_url_name:
            try:
                return reverse(self.menu_url_name)
            except NoReverseMatch:
                pass
        first = _first_plain_route(self.urlpatterns)
        if first is None:
            return None
        return reverse("web:dashboard") + self.prefix + first

    @property
    def prefix(self) -> str:
        """Where the site mounted this section (known once the site's URLs are built)."""
        parent = self.parent
        for attr in getattr(parent, "declared_patterns", {}):
            value = getattr(parent, attr)
            if isinstance(value, Route) and value.viewset is self:
                return value.prefix
        return ""


def section(
    prefix: str,
    app_name: str,
    title,
    icon: str,
    *,
    menu_url_name: str = "",
    menu_permission: str | Callable | None = None,
) -> Route:
    """Mount the app's ``<app_name>.urls`` at ``prefix`` as one section of the site."""
    return route(
        prefix,
        StaffSection(
            app_name=app_name,
            title=title,
            icon=icon,
            urls_module=f"{app_name}.urls",
            menu_url_name=menu_url_name,
            menu_permission=menu_permission,
        ),
    )


class CunpinSite(Site):
    """村聘: the dashboard, then one section per area of work, in menu order."""

    menu_template_name = "web/includes/site_menu.html"
    index_path = None  # "/" is the dashboard of the web section
    primary_color = "#1f5f8b"
    secondary_color = "#c0392b"

    web_path = section("", "web", _("Dashboard"), "dashboard", menu_url_name="web:dashboard")
    organisation_path = section(
        "organisation/",
        "organisation",
        _("Villages and posts"),
        "location_city",
        menu_permission="organisation.view_village",
    )
    people_path = section(
        "people/",
        "people",
        _("People"),
        "people",
        menu_url_name="people:list",
        menu_permission="people.view_person",
    )
    recruitment_path = section(
        "recruitment/",
        "recruitment",
        _("Recruitment"),
        "how_to_reg",
        menu_url_name="recruitment:campaign_list",
        menu_permission="recruitment.view_campaign",
    )
    # Vacant posts, their acting persons and refills (contracts.views_vacancies).
    vacancies_path = route(
        "vacancies/",
        StaffSection(
            app_name="vacancies",
            title=_("Vacancies"),
            icon="event_busy",
            urls_module="contracts.urls_vacancies",
            menu_url_name="vacancies:list",
            menu_permission="contracts.view_vacancy",
        ),
    )
    # The recruitment flow (workflows.flows): my tasks, the queue, each campaign's process.
    campaigns_path = route(
        "campaigns/",
        CampaignFlowViewset(
            CampaignFlow,
            icon="assignment_turned_in",
            title=_("Campaign tasks"),
            # One 工作台 in the navigation: the section's own menu names its first page the
            # overview of campaign tasks, not viewflow's "Dashboard".
            menu_template_name="web/includes/flow_menu.html",
        ),
    )
    # The contract term (contracts.views): the contracts of a township or the county, the
    # contract flow's tasks, and a director's own record.
    contracts_path = section(
        "contracts/",
        "contracts",
        _("Contracts"),
        "badge",
        menu_url_name="contracts:list",
        menu_permission=lambda user: (
            user.has_perm("contracts.view_contract") and getattr(user, "role", "") != Role.DIRECTOR
        ),
    )
    # County HR imports the directors in post (contracts.views_import), inside the site: its
    # layout, colours and menu entry like every staff page.
    contracts_import_path = route(
        "contracts/import/",
        StaffSection(
            app_name="contracts_import",
            title=_("Import the directors in post"),
            icon="upload_file",
            urls_module="contracts.urls_import",
            menu_url_name="contracts_import:import",
            menu_permission="contracts.import_directors",
        ),
    )
    contract_tasks_path = route(
        "contract-tasks/",
        ContractFlowViewset(ContractFlow, icon="draw", title=_("Contract tasks")),
    )
    my_term_path = route(
        "my-term/",
        StaffSection(
            app_name="my_term",
            title=_("My term"),
            icon="badge",
            urls_module="contracts.urls_mine",
            menu_url_name="my_term:index",
            menu_permission=lambda user: getattr(user, "role", "") == Role.DIRECTOR,
        ),
    )
    # The township committee's renewal reviews (workflows.flows_renewal).
    renewals_path = route(
        "renewals/",
        StaffSection(
            app_name="renewals",
            title=_("Renewal reviews"),
            icon="autorenew",
            urls_module="workflows.urls_renewal",
            menu_url_name="renewals:list",
            menu_permission="contracts.view_renewalreview",
        ),
    )
    # Training courses, attendance and compliance (training.views).
    training_path = section(
        "training/",
        "training",
        _("Training"),
        "school",
        menu_url_name="training:list",
        menu_permission="training.view_course",
    )
    # Monthly inspections and their spot-check draws (inspections.views).
    inspections_path = section(
        "inspections/",
        "inspections",
        _("Inspections"),
        "fact_check",
        menu_url_name="inspections:list",
        menu_permission="inspections.view_inspectionday",
    )
    # Target-responsibility agreements (agreements.views): a township's year, the county's
    # templates; directors read theirs on /my-term/.
    agreements_path = section(
        "agreements/",
        "agreements",
        _("Target-responsibility agreements"),
        "handshake",
        menu_url_name="agreements:list",
        menu_permission=lambda user: (
            user.has_perm("agreements.view_agreement")
            and getattr(user, "role", "") != Role.DIRECTOR
        ),
    )
    # The annual appraisal and its rewards (appraisal.views).
    appraisal_path = section(
        "appraisal/",
        "appraisal",
        _("Annual appraisal"),
        "military_tech",
        menu_url_name="appraisal:index",
        menu_permission=lambda user: (
            user.has_perm("appraisal.view_annualappraisal")
            and getattr(user, "role", "") != Role.DIRECTOR
        ),
    )
    # Their flows' task links (workflows.flows_appraisal): no menu entry of their own.
    appraisal_flow_path = route(
        "appraisal/tasks/",
        AppraisalFlowViewset(AppraisalFlow, icon="military_tech", app_name="appraisal_flow"),
    )
    settlement_flow_path = route(
        "appraisal/settlement-tasks/",
        AppraisalFlowViewset(SettlementFlow, icon="payments", app_name="settlement_flow"),
    )
    notifications_path = section(
        "notifications/",
        "notifications",
        _("Notifications"),
        "notifications",
        menu_url_name="notifications:list",
    )
    # Resignation, termination and dismissal cases (contracts.urls_endings).
    endings_path = route(
        "term/",
        StaffSection(
            app_name="endings",
            title=_("Resignation and dismissal"),
            icon="logout",
            urls_module="contracts.urls_endings",
            menu_url_name="endings:index",
            menu_permission=lambda user: any(
                user.has_perm(p)
                for p in (
                    "contracts.view_dismissalcase",
                    "contracts.view_resignation",
                    "contracts.view_birthrecord",
                )
            ),
        ),
    )
    # Their flows' task links (workflows.flows_endings): no menu entry of their own.
    resignation_flow_path = route(
        "term/resignation-tasks/", EndingsFlowViewset(ResignationFlow, icon="logout")
    )
    dismissal_flow_path = route("term/case-tasks/", EndingsFlowViewset(DismissalFlow, icon="gavel"))
    # The monthly assessment (assessment.views): a township's months, the county's ranking
    # and scoring schemes; the month flow's task links have no menu entry of their own.
    assessment_path = section(
        "assessment/",
        "assessment",
        _("Monthly assessment"),
        "leaderboard",
        menu_url_name="assessment:months",
        menu_permission="assessment.view_assessmentmonth",
    )
    month_flow_path = route("assessment/tasks/", MonthFlowViewset(MonthFlow, icon="leaderboard"))
    # Early warnings and yellow cards (earlywarnings.urls).
    warnings_path = section(
        "warnings/",
        "earlywarnings",
        _("Early warnings"),
        "warning",
        menu_url_name="earlywarnings:list",
        menu_permission="earlywarnings.view_warning",
    )
    policy_path = section(
        "policy/", "policy", _("Policy"), "gavel", menu_permission="policy.view_policy"
    )
    workdays_path = section(
        "calendar/",
        "workdays",
        _("Working-day calendar"),
        "event",
        menu_url_name="workdays:list",
        menu_permission="workdays.view_dayoverride",
    )
    paperwork_path = section(
        "documents/",
        "paperwork",
        _("Documents"),
        "description",
        menu_permission="paperwork.view_document",
    )
    # Background jobs (jobs.views): paperwork batches, their progress and results.
    jobs_path = section(
        "jobs/",
        "jobs",
        _("Background jobs"),
        "pending_actions",
        menu_url_name="jobs:list",
        menu_permission="jobs.view_job",
    )
    audit_path = section(
        "audit/",
        "audit",
        _("Audit log"),
        "history",
        menu_url_name="audit:list",
        menu_permission="audit.view_auditentry",
    )


site = CunpinSite(title=_("Cunpin"))
