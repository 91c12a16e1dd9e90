"""THE permission matrix: every page of the project × every role × own and foreign township.

``MATRIX`` has one row per URL name. A row says how to build the page's URL for a record of
the user's own township and of a foreign one, and what each role gets:

- 200, 403, 404, 405: that status;
- LOGIN: a redirect to the login page;
- REDIRECT: a redirect elsewhere (a form or an action that succeeded).

A single value applies to both sides; a pair is (own, foreign). Pages without a record use
the same URL for both sides. POST-only actions are tested with POST and valid data.

``test_every_url_has_a_row`` walks the URL configuration: a new page without a row fails the
suite, so each later issue adds its rows here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.constants import Role
from tests.api_matrix import rows as api_rows
from tests.archive_matrix import rows as archive_rows
from tests.assessment_matrix_support import month_task_url, month_url, score_url
from tests.disclosure_matrix import rows as disclosure_rows
from tests.endings_support import endings_records
from tests.exports_matrix import rows as export_rows
from tests.inspections_matrix import rows as inspection_rows
from tests.matrix_support import ANONYMOUS, ROLES_AND_ANONYMOUS, World, make_world
from tests.notifications_matrix import rows as notification_rows
from tests.renewal_support import side_notification, side_review

pytestmark = pytest.mark.django_db

LOGIN = "login"
REDIRECT = "redirect"
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/")

ADMIN = Role.ADMINISTRATOR
COUNTY = Role.COUNTY_HR
COMMITTEE = Role.TOWNSHIP_COMMITTEE
OFFICE = Role.TOWNSHIP_OFFICE
VILLAGE = Role.VILLAGE_COMMITTEE
DIRECTOR = Role.DIRECTOR

SCOPED = (200, 404)  # sees its own township's record, not the foreign one


def expect(
    *, admin, county, committee, office, village, director, anonymous=LOGIN
) -> dict[str, object]:
    return {
        ADMIN: admin,
        COUNTY: county,
        COMMITTEE: committee,
        OFFICE: office,
        VILLAGE: village,
        DIRECTOR: director,
        ANONYMOUS: anonymous,
    }


def everyone(outcome, anonymous=LOGIN) -> dict[str, object]:
    return expect(
        admin=outcome,
        county=outcome,
        committee=outcome,
        office=outcome,
        village=outcome,
        director=outcome,
        anonymous=anonymous,
    )


URLBuilder = Callable[[World, str], str]


@dataclass(frozen=True)
class Row:
    name: str
    url: URLBuilder
    expected: dict[str, object]
    method: str = "get"
    data: Callable[[World, str], dict] = field(default=lambda world, side: {})


def plain(name: str) -> URLBuilder:
    return lambda world, side: reverse(name)


def of_side(name: str, record: str) -> URLBuilder:
    """The URL of ``record`` (township, village, person, post, document) of the side."""
    return lambda world, side: reverse(name, args=[getattr(world.side(side), record).pk])


def policy_url(name: str) -> URLBuilder:
    """Policies belong to a county: the foreign one is another county's."""
    return lambda world, side: reverse(
        name, args=[(world.policy if side == "own" else world.far_policy).pk]
    )


def verify_url(world: World, side: str) -> str:
    return reverse("verify", args=[world.side(side).document.verification_code])


def recruitment_url(name: str, record: str) -> URLBuilder:
    """The URL of ``record`` (campaign, offer, application, attachment, waiver, objection,
    announcement) of the side's campaign (``World.recruitment``)."""
    return lambda world, side: reverse(name, args=[getattr(world.recruitment(side), record).pk])


def override_url(name: str) -> URLBuilder:
    """Calendar corrections are national: the same record on both sides."""
    return lambda world, side: reverse(name, args=[world.day_override().pk])


def process_url(name: str) -> URLBuilder:
    return lambda world, side: reverse(name, args=[world.recruitment(side).process.pk])


def task_url(name: str) -> URLBuilder:
    """``campaign:<node>:<action>`` of the side's task at that node."""
    node = name.split(":")[1]

    def build(world: World, side: str) -> str:
        recruitment = world.recruitment(side)
        return reverse(name, args=[recruitment.process.pk, recruitment.tasks[node].pk])

    return build


# Recruitment: who may do what (admin is a superuser; county HR reads campaigns and decides
# waivers; the township committee runs its own township's campaigns; the office reads them).
RUNNER = expect(admin=200, county=403, committee=SCOPED, office=403, village=403, director=403)
RUNNER_POST = expect(
    admin=REDIRECT, county=403, committee=(REDIRECT, 404), office=403, village=403, director=403
)
CAMPAIGN_READER = expect(
    admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
)
APPLICATION_READER = expect(
    admin=200, county=200, committee=SCOPED, office=403, village=403, director=403
)
WAIVER_APPROVER = expect(
    admin=200, county=200, committee=403, office=403, village=403, director=403
)
CALENDAR_EDITOR = WAIVER_APPROVER
PUBLIC = everyone(200, anonymous=200)
ONLY_FROM_THE_SESSION = everyone(404, anonymous=404)

# The recruitment flow (campaigns/): its pages need workflows.view_campaignprocess, which the
# village committee and directors do not have; one process is scoped like its campaign.
FLOW_PAGE = expect(admin=200, county=200, committee=200, office=200, village=403, director=403)
FLOW_PROCESS = CAMPAIGN_READER
FLOW_REDIRECT = expect(
    admin=REDIRECT,
    county=REDIRECT,
    committee=(REDIRECT, 404),
    office=(REDIRECT, 404),
    village=403,
    director=403,
)
FLOW_MANAGE = expect(
    admin=200, county=403, committee=(403, 404), office=(403, 404), village=403, director=403
)
# Human tasks are assigned to the township's committee member (the matrix's committee user
# on the own side): only the owner works it or gives it back; an assigned task cannot be taken.
FLOW_TASK_ACTIONS = {
    "execute": expect(
        admin=403, county=403, committee=(200, 404), office=(403, 404), village=403, director=403
    ),
    "assign": expect(
        admin=403, county=403, committee=(403, 404), office=(403, 404), village=403, director=403
    ),
    "unassign": expect(
        admin=200, county=403, committee=(200, 404), office=(403, 404), village=403, director=403
    ),
    "detail": FLOW_PROCESS,
    "index": FLOW_REDIRECT,
}


def flow_rows() -> list[Row]:
    """One row per URL of the flow: its pages, then every node's task pages."""
    from workflows.flows import CampaignFlow

    rows = [
        Row(f"campaign:{name}", plain(f"campaign:{name}"), FLOW_PAGE)
        for name in ("index", "process_list", "task_list", "inbox", "queue", "archive", "chart")
    ]
    rows += [
        Row("campaign:process_detail", process_url("campaign:process_detail"), FLOW_PROCESS),
        Row("campaign:process_chart", process_url("campaign:process_chart"), FLOW_PROCESS),
        Row("campaign:process_cancel", process_url("campaign:process_cancel"), FLOW_MANAGE),
        Row(
            "campaign:start:execute",
            plain("campaign:start:execute"),
            expect(admin=403, county=403, committee=200, office=403, village=403, director=403),
        ),
    ]
    for name in sorted(project_url_names()):
        parts = name.split(":")
        if len(parts) != 3 or parts[0] != "campaign" or name == "campaign:start:execute":
            continue
        node, action = parts[1], parts[2]
        assert CampaignFlow.instance.node(node, no_obsolete=True) is not None, name
        rows.append(Row(name, task_url(name), FLOW_TASK_ACTIONS[action]))
    return rows


def term_url(name: str) -> URLBuilder:
    """``contracts:detail`` and the like: the side's contract (``World.term``)."""
    return lambda world, side: reverse(name, args=[world.term(side).contract.pk])


def contract_task_url(name: str) -> URLBuilder:
    """``contract:<node>:<action>`` of the side's contract task at that node."""
    node = name.split(":")[1]

    def build(world: World, side: str) -> str:
        term = world.term(side)
        return reverse(name, args=[term.process.pk, term.tasks[node].pk])

    return build


# The contract term: contracts are read by every staff role within its scope; a director's
# pages are their own record (the staff pages send them there).
CONTRACT_READER = expect(
    admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=(REDIRECT, 404)
)
CONTRACT_FLOW_PAGE = expect(
    admin=200, county=200, committee=200, office=403, village=403, director=403
)


def contract_flow_rows() -> list[Row]:
    """One row per URL of the contract flow."""
    from workflows.flows_contract import ContractFlow

    rows = [Row("contract:index", plain("contract:index"), CONTRACT_FLOW_PAGE)]
    for name in sorted(project_url_names()):
        parts = name.split(":")
        if len(parts) != 3 or parts[0] != "contract":
            continue
        node, action = parts[1], parts[2]
        assert ContractFlow.instance.node(node, no_obsolete=True) is not None, name
        county_step = node in ("file", "record_induction")
        rows.append(Row(name, contract_task_url(name), contract_task_expected(action, county_step)))
    return rows


def contract_task_expected(action: str, county_step: bool) -> dict[str, object]:
    """The signing task is the own committee member's, the county's tasks (filing, induction)
    the county HR user's: only the owner works it; an assigned task cannot be taken; the
    flow's pages need ``workflows.view_contractprocess`` (not the office, village or
    director)."""
    reader = expect(admin=200, county=200, committee=SCOPED, office=403, village=403, director=403)
    index = expect(
        admin=REDIRECT,
        county=REDIRECT,
        committee=(REDIRECT, 404),
        office=403,
        village=403,
        director=403,
    )
    if action == "execute":
        if county_step:
            return expect(
                admin=403, county=200, committee=(403, 404), office=403, village=403, director=403
            )
        return expect(
            admin=403, county=403, committee=(200, 404), office=403, village=403, director=403
        )
    if action == "assign":
        return expect(
            admin=403, county=403, committee=(403, 404), office=403, village=403, director=403
        )
    if action == "unassign":
        if county_step:
            return expect(
                admin=200, county=200, committee=(403, 404), office=403, village=403, director=403
            )
        return expect(
            admin=200, county=403, committee=(200, 404), office=403, village=403, director=403
        )
    if action == "detail":
        return reader
    return index


MATRIX: list[Row] = [
    # Sign-in and the shell
    Row("login", plain("login"), everyone(200, anonymous=200)),
    Row("logout", plain("logout"), everyone(LOGIN), method="post"),
    Row("web:dashboard", plain("web:dashboard"), everyone(200)),
    Row("verify", verify_url, everyone(200, anonymous=200)),
    Row("verify_lookup", plain("verify_lookup"), everyone(200, anonymous=200)),
    # People
    Row(
        "people:list",
        plain("people:list"),
        expect(admin=200, county=200, committee=200, office=200, village=200, director=403),
    ),
    Row(
        "people:create",
        plain("people:create"),
        expect(admin=200, county=200, committee=200, office=403, village=403, director=403),
    ),
    Row(
        "people:detail",
        of_side("people:detail", "person"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
        ),
    ),
    Row(
        "people:update",
        of_side("people:update", "person"),
        expect(admin=200, county=200, committee=SCOPED, office=403, village=403, director=403),
    ),
    Row(
        "people:reveal",
        of_side("people:reveal", "person"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
        method="post",
        data=lambda world, side: {"field": "id_number", "reason": "核对县备案表"},
    ),
    # Audit
    Row(
        "audit:list",
        plain("audit:list"),
        expect(admin=200, county=200, committee=200, office=403, village=403, director=403),
    ),
    # Organisation
    Row(
        "organisation:township_list",
        plain("organisation:township_list"),
        expect(admin=200, county=200, committee=200, office=200, village=200, director=403),
    ),
    Row(
        "organisation:township_detail",
        of_side("organisation:township_detail", "township"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=403
        ),
    ),
    Row(
        "organisation:township_register",
        of_side("organisation:township_register", "township"),
        expect(
            admin=REDIRECT,
            county=REDIRECT,
            committee=(REDIRECT, 404),
            office=(REDIRECT, 404),
            village=403,
            director=403,
        ),
        method="post",
    ),
    Row(
        "organisation:village_detail",
        of_side("organisation:village_detail", "village"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=403
        ),
    ),
    Row(
        "organisation:village_population",
        of_side("organisation:village_population", "village"),
        expect(
            admin=REDIRECT,
            county=REDIRECT,
            committee=(REDIRECT, 404),
            office=403,
            village=403,
            director=403,
        ),
        method="post",
        data=lambda world, side: {
            "registered_population": 2600,
            "effective_date": timezone.localdate().isoformat(),
            "reason": "2026年人口统计年报",
        },
    ),
    Row(
        "organisation:import",
        plain("organisation:import"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
    Row(
        "organisation:import_template",
        plain("organisation:import_template"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
    # The import of the directors in post: county HR only.
    Row(
        "contracts_import:import",
        plain("contracts_import:import"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
    Row(
        "contracts_import:template",
        plain("contracts_import:template"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
    # Policy (a foreign record is another county's version)
    Row("policy:list", plain("policy:list"), everyone(200)),
    Row(
        "policy:create",
        plain("policy:create"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
    Row("policy:detail", policy_url("policy:detail"), everyone(SCOPED)),
    Row(
        "policy:sheet",
        policy_url("policy:sheet"),
        expect(
            admin=(REDIRECT, 404),
            county=(REDIRECT, 404),
            committee=(REDIRECT, 404),
            office=(REDIRECT, 404),
            village=403,
            director=403,
        ),
        method="post",
    ),
    # The contract term
    Row(
        "contracts:list",
        plain("contracts:list"),
        expect(admin=200, county=200, committee=200, office=200, village=200, director=REDIRECT),
    ),
    Row("contracts:detail", term_url("contracts:detail"), CONTRACT_READER),
    Row(
        "my_term:index",
        plain("my_term:index"),
        expect(admin=403, county=403, committee=403, office=403, village=403, director=200),
    ),
    # Documents
    Row("paperwork:list", plain("paperwork:list"), everyone(200)),
    Row(
        "paperwork:download",
        of_side("paperwork:download", "document"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
        ),
    ),
    # Renewal reviews (workflows.views_renewal): the township committee decides, county HR
    # oversees; the office, villages and directors do not see them.
    Row(
        "renewals:list",
        plain("renewals:list"),
        expect(admin=200, county=200, committee=200, office=403, village=403, director=403),
    ),
    Row(
        "renewals:review",
        lambda world, side: reverse("renewals:review", args=[side_review(world, side).pk]),
        expect(admin=200, county=200, committee=SCOPED, office=403, village=403, director=403),
    ),
    # Notifications: each user's own
    Row("notifications:list", plain("notifications:list"), everyone(200)),
    Row(
        "notifications:read",
        lambda world, side: reverse("notifications:read", args=[side_notification(world, side).pk]),
        expect(
            admin=404, county=404, committee=404, office=404, village=404, director=(REDIRECT, 404)
        ),
        method="post",
    ),
    Row(
        "notifications:read_all",
        plain("notifications:read_all"),
        everyone(REDIRECT),
        method="post",
    ),
    # Recruitment: campaigns, objections
    Row(
        "recruitment:campaign_list",
        plain("recruitment:campaign_list"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
    Row(
        "recruitment:campaign_detail",
        recruitment_url("recruitment:campaign_detail", "campaign"),
        CAMPAIGN_READER,
    ),
    Row(
        "recruitment:campaign_reserve",
        recruitment_url("recruitment:campaign_reserve", "campaign"),
        CAMPAIGN_READER,
    ),
    Row(
        "recruitment:objection_record",
        recruitment_url("recruitment:objection_record", "campaign"),
        RUNNER,
    ),
    Row(
        "recruitment:objection_decide",
        recruitment_url("recruitment:objection_decide", "objection"),
        RUNNER,
    ),
    # Recruitment: eligibility review and waivers
    Row(
        "recruitment:review_list",
        recruitment_url("recruitment:review_list", "campaign"),
        APPLICATION_READER,
    ),
    Row(
        "recruitment:review_application",
        recruitment_url("recruitment:review_application", "application"),
        APPLICATION_READER,
    ),
    Row(
        "recruitment:application_attachment",
        recruitment_url("recruitment:application_attachment", "attachment"),
        APPLICATION_READER,
    ),
    Row(
        "recruitment:waiver_request",
        recruitment_url("recruitment:waiver_request", "application"),
        RUNNER,
    ),
    Row("recruitment:waiver_list", plain("recruitment:waiver_list"), WAIVER_APPROVER),
    Row(
        "recruitment:waiver_decide",
        recruitment_url("recruitment:waiver_decide", "waiver"),
        WAIVER_APPROVER,
    ),
    # Recruitment: exam
    *[
        Row(f"recruitment:{name}", recruitment_url(f"recruitment:{name}", "campaign"), RUNNER)
        for name in (
            "exam_home",
            "exam_scores",
            "exam_import",
            "exam_import_template",
            "exam_interviews",
            "exam_ranking",
        )
    ],
    *[
        Row(
            f"recruitment:{name}",
            recruitment_url(f"recruitment:{name}", "campaign"),
            RUNNER_POST,
            method="post",
        )
        for name in ("exam_admit",)
    ],
    Row(
        "recruitment:exam_interview_marks",
        recruitment_url("recruitment:exam_interview_marks", "application"),
        RUNNER,
    ),
    Row(
        "recruitment:exam_interview_absent",
        recruitment_url("recruitment:exam_interview_absent", "application"),
        RUNNER_POST,
        method="post",
    ),
    Row(
        "recruitment:exam_tie_break",
        recruitment_url("recruitment:exam_tie_break", "offer"),
        RUNNER,
    ),
    Row(
        "recruitment:exam_absence_mend",
        recruitment_url("recruitment:exam_absence_mend", "application"),
        RUNNER,
    ),
    # Applicants (no sign-in; another township's campaign is just as public)
    Row("apply:campaign_list", plain("apply:campaign_list"), PUBLIC),
    Row("apply:campaign_detail", recruitment_url("apply:campaign_detail", "campaign"), PUBLIC),
    Row(
        "apply:check",
        recruitment_url("apply:check", "campaign"),
        PUBLIC,
        method="post",
        data=lambda world, side: {"id_number": "520424199406010011", "education": "bachelor"},
    ),
    Row("apply:announcement", recruitment_url("apply:announcement", "campaign"), PUBLIC),
    Row("apply:lookup", plain("apply:lookup"), PUBLIC),
    # Only the applications this browser submitted or looked up
    Row(
        "apply:submitted",
        recruitment_url("apply:submitted", "application"),
        ONLY_FROM_THE_SESSION,
    ),
    Row("apply:document", recruitment_url("apply:document", "announcement"), ONLY_FROM_THE_SESSION),
    Row(
        "apply:withdraw",
        recruitment_url("apply:withdraw", "application"),
        ONLY_FROM_THE_SESSION,
    ),
    # Working-day calendar (county HR)
    Row("workdays:list", plain("workdays:list"), CALENDAR_EDITOR),
    Row("workdays:add", plain("workdays:add"), CALENDAR_EDITOR),
    Row("workdays:edit", override_url("workdays:edit"), CALENDAR_EDITOR),
    Row("workdays:delete", override_url("workdays:delete"), CALENDAR_EDITOR),
    Row(
        "workdays:year_confirm",
        lambda world, side: reverse("workdays:year_confirm", args=[2027]),
        expect(
            admin=REDIRECT, county=REDIRECT, committee=403, office=403, village=403, director=403
        ),
        method="post",
    ),
    Row(
        "workdays:year_unconfirm",
        lambda world, side: reverse("workdays:year_unconfirm", args=[2027]),
        # Unmarking a year (to correct its holidays) is for county HR, like marking it.
        expect(
            admin=REDIRECT, county=REDIRECT, committee=403, office=403, village=403, director=403
        ),
        method="post",
    ),
    Row(
        "workdays:year_adopt_statutory",
        lambda world, side: reverse("workdays:year_adopt_statutory", args=[2027]),
        # Entering the computed holidays as corrections is adding corrections.
        expect(
            admin=REDIRECT, county=REDIRECT, committee=403, office=403, village=403, director=403
        ),
        method="post",
    ),
]


def project_url_names() -> set[str]:
    """Every URL of the project as ``namespace:name`` (or its route when unnamed)."""
    names: set[str] = set()

    def walk(patterns, namespaces: list[str], route: str) -> None:
        for pattern in patterns:
            here = route + str(pattern.pattern)
            if here.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner, here)
            elif isinstance(pattern, URLPattern):
                names.add(":".join([*namespaces, pattern.name]) if pattern.name else here)

    walk(get_resolver().url_patterns, [], "")
    return names


# Vacancies (vacancies/): county HR, the township committee and office read them (scoped);
# the township committee acts on its own township's (contracts.manage_term). The action URLs
# answer GET with a redirect to the vacancy's page.
def vacancy_of(world: World, side: str):
    from contracts.constants import OPEN_VACANCY_STATES, VacancyCause
    from contracts.models import Vacancy
    from contracts.services.posts import vacancy_open

    post = world.side(side).post
    found = Vacancy.objects.filter(post=post, state__in=OPEN_VACANCY_STATES).first()
    return found or vacancy_open(
        post=post, on=timezone.localdate(), by=None, cause=VacancyCause.NEW_POST
    )


def vacancy_url(name: str) -> URLBuilder:
    return lambda world, side: reverse(name, args=[vacancy_of(world, side).pk])


def offer_url(world: World, side: str) -> str:
    from contracts.models import ReserveOffer

    vacancy = vacancy_of(world, side)
    offer, _ = ReserveOffer.objects.get_or_create(
        vacancy=vacancy,
        application=world.recruitment(side).application,
        defaults={"offered_on": timezone.localdate(), "offered_by": world.users[COMMITTEE]},
    )
    return reverse("vacancies:answer", args=[offer.pk])


def acting_data(world: World, side: str) -> dict:
    from tests.factories import PersonFactory

    person = PersonFactory(township=world.side(side).township)
    return {"person": person.pk, "on": timezone.localdate().isoformat()}


VACANCY_READER = expect(
    admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
)
VACANCY_ACTION = expect(
    admin=REDIRECT, county=403, committee=(REDIRECT, 404), office=403, village=403, director=403
)
MATRIX += [
    Row(
        "vacancies:list",
        plain("vacancies:list"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
    Row("vacancies:detail", vacancy_url("vacancies:detail"), VACANCY_READER),
    Row(
        "vacancies:acting",
        vacancy_url("vacancies:acting"),
        VACANCY_ACTION,
        method="post",
        data=acting_data,
    ),
    Row("vacancies:offer", vacancy_url("vacancies:offer"), VACANCY_ACTION),
    Row("vacancies:answer", offer_url, VACANCY_ACTION),
    Row("vacancies:refill", vacancy_url("vacancies:refill"), VACANCY_ACTION),
]


MATRIX += flow_rows()
MATRIX += contract_flow_rows()


def endings_url(name: str, record: str, *extra: str) -> URLBuilder:
    """The URL of a record of the pages of resignation, termination and dismissal
    (``tests.endings_support.EndingsRecords``): contract, resignation or case."""

    def build(world: World, side: str) -> str:
        records = endings_records(world, side)
        args = [getattr(records, record).pk] + [getattr(records, e).pk for e in extra]
        return reverse(name, args=args)

    return build


def endings_plain(name: str) -> URLBuilder:
    """A page without a record, with both sides' records in the world."""

    def build(world: World, side: str) -> str:
        endings_records(world, "own")
        endings_records(world, "foreign")
        return reverse(name)

    return build


def endings_task_url(name: str) -> URLBuilder:
    """The link of a task of the resignation or dismissal flow, at the node the name says."""

    def build(world: World, side: str) -> str:
        from workflows.flows_endings import DismissalFlow, ResignationFlow

        flow_class = ResignationFlow if name.startswith("resignation:") else DismissalFlow
        task = endings_records(world, side).task(getattr(flow_class, name.split(":")[1]))
        return reverse(name, args=[task.process_id, task.pk])

    return build


MONTH_READER = expect(
    admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
)
MONTH_SCORER = expect(
    admin=REDIRECT,
    county=403,
    committee=(403, 404),
    office=(REDIRECT, 404),
    village=403,
    director=403,
)
MONTH_LINK = expect(
    admin=REDIRECT,
    county=REDIRECT,
    committee=(REDIRECT, 404),
    office=(REDIRECT, 404),
    village=403,
    director=403,
)

# A task's link sends whoever may read the record to its page.
FLOW_LINK = expect(
    admin=REDIRECT,
    county=REDIRECT,
    committee=(REDIRECT, 404),
    office=403,
    village=403,
    director=(REDIRECT, 404),
)
TERM_MANAGER = expect(
    admin=200, county=403, committee=SCOPED, office=403, village=403, director=403
)
CASE_READER = expect(
    admin=200, county=200, committee=SCOPED, office=403, village=403, director=SCOPED
)
MATRIX += [
    Row(
        "endings:index",
        endings_plain("endings:index"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=200),
    ),
    Row(
        "endings:in_post",
        endings_plain("endings:in_post"),
        expect(admin=200, county=403, committee=200, office=403, village=403, director=403),
    ),
    Row(
        "endings:resign",
        endings_plain("endings:resign"),
        expect(admin=403, county=403, committee=403, office=403, village=403, director=200),
    ),
    Row(
        "endings:resignation_record",
        endings_url("endings:resignation_record", "contract"),
        TERM_MANAGER,
    ),
    Row("endings:terminate", endings_url("endings:terminate", "contract"), TERM_MANAGER),
    Row("endings:case_new", endings_url("endings:case_new", "contract"), TERM_MANAGER),
    Row(
        "endings:resignation_list",
        endings_plain("endings:resignation_list"),
        expect(admin=200, county=200, committee=200, office=403, village=403, director=200),
    ),
    Row(
        "endings:resignation_detail",
        endings_url("endings:resignation_detail", "resignation"),
        CASE_READER,
    ),
    Row(
        "endings:case_list",
        endings_plain("endings:case_list"),
        expect(admin=200, county=200, committee=200, office=403, village=403, director=200),
    ),
    Row("endings:case_detail", endings_url("endings:case_detail", "case"), CASE_READER),
    Row(
        "endings:evidence_file",
        endings_url("endings:evidence_file", "case", "evidence"),
        CASE_READER,
    ),
    *[
        Row(name, endings_task_url(name), FLOW_LINK)
        for name in (
            "resignation:answer:index",
            "dismissal:hear:index",
            "dismissal:decide:index",
            "dismissal:file:index",
        )
    ],
    # The monthly assessment (assessment.views): the office scores, the committee publishes,
    # county HR reads every township's months, ranks the county and sets the schemes.
    Row(
        "assessment:months",
        plain("assessment:months"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
    Row(
        "assessment:open",
        plain("assessment:open"),
        expect(admin=404, county=403, committee=403, office=REDIRECT, village=403, director=403),
        method="post",
        data=lambda world, side: {"year": 2026, "month": 9},
    ),
    Row("assessment:month", month_url("assessment:month"), MONTH_READER),
    Row("assessment:score", score_url, MONTH_READER),
    Row(
        "assessment:scores",
        month_url("assessment:scores"),
        MONTH_SCORER,
        method="post",
    ),
    Row(
        "assessment:action",
        month_url("assessment:action", "finish"),
        MONTH_SCORER,
        method="post",
    ),
    Row(
        "assessment:county",
        plain("assessment:county"),
        expect(admin=403, county=200, committee=403, office=403, village=403, director=403),
    ),
    Row(
        "assessment:schemes",
        plain("assessment:schemes"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
    Row(
        "assessment:scheme_edit",
        lambda world, side: reverse("assessment:scheme_edit", args=[2027]),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
    Row(
        "assessment:scheme_copy",
        lambda world, side: reverse("assessment:scheme_copy", args=[2027]),
        expect(
            admin=REDIRECT, county=REDIRECT, committee=403, office=403, village=403, director=403
        ),
        method="post",
    ),
    *[
        Row(name, month_task_url(name), MONTH_LINK)
        for name in ("month:score:index", "month:publish:index", "month:settle:index")
    ],
    Row(
        "endings:births",
        endings_plain("endings:births"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
]


# Training (training/): everyone signed in reads the courses they see; county HR and a
# township's office record courses; a course of a township is seen by that township (and the
# county), a director sees the courses they attended.
def course_url(world: World, side: str) -> str:
    return reverse("training:detail", args=[world.course(side).pk])


MATRIX += [
    Row("training:list", plain("training:list"), everyone(200)),
    Row(
        "training:new",
        plain("training:new"),
        expect(admin=200, county=200, committee=403, office=200, village=403, director=403),
    ),
    Row(
        "training:compliance",
        plain("training:compliance"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
    Row(
        "training:detail",
        course_url,
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
        ),
    ),
]

# Monthly inspections (inspections/): tests.inspections_matrix; the draw's secrecy is
# tested role by role in tests/test_inspections_secrecy.py.
MATRIX += inspection_rows(Row, expect, plain, LOGIN=LOGIN, REDIRECT=REDIRECT, SCOPED=SCOPED)
MATRIX += disclosure_rows(Row, expect, everyone, LOGIN=LOGIN, REDIRECT=REDIRECT)

# The Excel exports of the lists (web.exports): tests.exports_matrix.
MATRIX += export_rows(Row, expect, plain, REDIRECT=REDIRECT, SCOPED=SCOPED)
MATRIX += archive_rows(Row, expect, of_side, REDIRECT=REDIRECT, SCOPED=SCOPED)
# Notification settings (notifications/): tests.notifications_matrix.
MATRIX += notification_rows(Row, expect, plain, LOGIN=LOGIN, REDIRECT=REDIRECT, SCOPED=SCOPED)


# Target-responsibility agreements (agreements/): every staff role reads its township's (a
# village committee its village's, a director their own); the township office and committee
# draft, adjust and record them; county HR sets the templates.
def agreement_url(name: str) -> URLBuilder:
    from tests.agreements_support import side_agreement

    return lambda world, side: reverse(name, args=[side_agreement(world, side).pk])


def agreement_template_url(world: World, side: str) -> str:
    """A template of the county; the foreign one is another county's."""
    from agreements.models import AgreementTemplate
    from tests.agreements_support import county_template

    if side == "own":
        template = county_template(world)
    else:
        template, _ = AgreementTemplate.objects.get_or_create(
            county=world.far_policy.county, year=2026, version=1, defaults={"title": "镇宁"}
        )
    return reverse("agreements:template_detail", args=[template.pk])


def agreement_draft_data(world: World, side: str) -> dict:
    from tests.agreements_support import county_template

    county_template(world)
    world.term(side)
    return {"year": timezone.localdate().year, "township": world.side(side).township.pk}


AGREEMENT_ACTION = expect(
    admin=REDIRECT,
    county=403,
    committee=(REDIRECT, 404),
    office=(REDIRECT, 404),
    village=403,
    director=403,
)
TEMPLATE_EDITOR = expect(
    admin=200, county=200, committee=403, office=403, village=403, director=403
)
MATRIX += [
    Row(
        "agreements:list",
        plain("agreements:list"),
        expect(admin=200, county=200, committee=200, office=200, village=200, director=REDIRECT),
    ),
    # A township's members draft their own township's agreements, whichever is posted.
    Row(
        "agreements:draft",
        plain("agreements:draft"),
        expect(
            admin=REDIRECT,
            county=403,
            committee=REDIRECT,
            office=REDIRECT,
            village=403,
            director=403,
        ),
        method="post",
        data=agreement_draft_data,
    ),
    Row(
        "agreements:detail",
        agreement_url("agreements:detail"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
        ),
    ),
    Row(
        "agreements:values",
        agreement_url("agreements:values"),
        AGREEMENT_ACTION,
        method="post",
        data=lambda world, side: {"value_0": "0", "value_1": "96", "value_2": "12"},
    ),
    Row("agreements:sign", agreement_url("agreements:sign"), AGREEMENT_ACTION),
    Row("agreements:templates", plain("agreements:templates"), TEMPLATE_EDITOR),
    Row("agreements:template_create", plain("agreements:template_create"), TEMPLATE_EDITOR),
    Row(
        "agreements:template_detail",
        agreement_template_url,
        expect(admin=200, county=SCOPED, committee=403, office=403, village=403, director=403),
    ),
]

# The annual appraisal and rewards (appraisal.views, workflows.flows_appraisal) ------------------


def appraisal_url(name: str, record: str, *extra) -> URLBuilder:
    """``record``: "township" (with ``extra`` path values), "appraisal" or "settlement"."""

    def build(world: World, side: str) -> str:
        from tests.appraisal_support import matrix_records

        records = matrix_records(world, side)
        return reverse(name, args=[getattr(records, record).pk, *extra])

    return build


def appraisal_plain(name: str) -> URLBuilder:
    def build(world: World, side: str) -> str:
        from tests.appraisal_support import matrix_records

        matrix_records(world, "own")
        matrix_records(world, "foreign")
        return reverse(name)

    return build


def appraisal_task_url(name: str) -> URLBuilder:
    def build(world: World, side: str) -> str:
        from tests.appraisal_support import matrix_records
        from workflows.flows_appraisal import AppraisalFlow, SettlementFlow

        flow_class = SettlementFlow if name.startswith("settlement_flow:") else AppraisalFlow
        task = matrix_records(world, side).tasks[getattr(flow_class, name.split(":")[1])]
        return reverse(name, args=[task.process_id, task.pk])

    return build


APPRAISAL_READER = expect(
    admin=200, county=200, committee=SCOPED, office=403, village=SCOPED, director=403
)
RATER = expect(
    admin=REDIRECT, county=403, committee=(REDIRECT, 404), office=403, village=403, director=403
)
CONFIRMER = expect(
    admin=REDIRECT, county=REDIRECT, committee=403, office=403, village=403, director=403
)
SETTLER = expect(
    admin=REDIRECT,
    county=REDIRECT,
    committee=(REDIRECT, 404),
    office=403,
    village=403,
    director=403,
)
APPRAISAL_LINK = expect(
    admin=REDIRECT,
    county=REDIRECT,
    committee=(REDIRECT, 404),
    office=403,
    village=(REDIRECT, 404),
    director=403,
)
MATRIX += [
    Row(
        "appraisal:index",
        appraisal_plain("appraisal:index"),
        expect(admin=200, county=200, committee=200, office=403, village=200, director=REDIRECT),
    ),
    Row(
        "appraisal:township_year",
        appraisal_url("appraisal:township_year", "township", 2025),
        APPRAISAL_READER,
    ),
    Row("appraisal:open", appraisal_url("appraisal:open", "township"), RATER, method="post"),
    Row("appraisal:rate", appraisal_url("appraisal:rate", "appraisal"), RATER, method="post"),
    Row(
        "appraisal:confirm",
        appraisal_url("appraisal:confirm", "appraisal"),
        CONFIRMER,
        method="post",
    ),
    Row(
        "appraisal:propose",
        appraisal_url("appraisal:propose", "township", 2025),
        SETTLER,
        method="post",
    ),
    Row(
        "appraisal:settle", appraisal_url("appraisal:settle", "settlement"), SETTLER, method="post"
    ),
    *[
        Row(name, appraisal_task_url(name), APPRAISAL_LINK)
        for name in ("appraisal_flow:rate:index", "appraisal_flow:confirm:index")
    ],
    # A township's settlement list is not a village's to see: a village committee finds no
    # settlement task of its own township either.
    Row(
        "settlement_flow:settle:index",
        appraisal_task_url("settlement_flow:settle:index"),
        expect(
            admin=REDIRECT,
            county=REDIRECT,
            committee=(REDIRECT, 404),
            office=403,
            village=404,
            director=403,
        ),
    ),
]


# Background jobs (jobs.views): a finished job of each side's township.
def job_url(name: str) -> URLBuilder:
    def build(world: World, side: str) -> str:
        from jobs.models import Job, JobState

        township = world.side(side).township
        job, _created = Job.objects.get_or_create(
            kind="matrix.job",
            key=f"{side}-{township.pk}",
            defaults={
                "label": "月度文书",
                "county": world.county,
                "township": township,
                "state": JobState.DONE,
            },
        )
        return reverse(name, args=[job.pk])

    return build


JOB_READER = expect(
    admin=200, county=200, committee=SCOPED, office=SCOPED, village=403, director=403
)
MATRIX += [
    Row(
        "jobs:list",
        plain("jobs:list"),
        expect(admin=200, county=200, committee=200, office=200, village=403, director=403),
    ),
    Row("jobs:detail", job_url("jobs:detail"), JOB_READER),
    Row("jobs:progress", job_url("jobs:progress"), JOB_READER),
    Row(
        "jobs:retry",
        job_url("jobs:retry"),
        expect(
            admin=REDIRECT,
            county=REDIRECT,
            committee=(REDIRECT, 404),
            office=(REDIRECT, 404),
            village=403,
            director=403,
        ),
        method="post",
    ),
]


# Early warnings and yellow cards (warnings/): every role reads the warnings it sees (a
# director their own, a village its director's); county HR and the township committee read
# the yellow cards, county HR decides them.
def warnings_url(name: str, record: str) -> URLBuilder:
    from tests.warnings_support import warnings_records

    return lambda world, side: reverse(
        name, args=[getattr(warnings_records(world, side), record).pk]
    )


def warnings_plain(name: str) -> URLBuilder:
    from tests.warnings_support import warnings_records

    def build(world: World, side: str) -> str:
        warnings_records(world, "own")
        warnings_records(world, "foreign")
        return reverse(name)

    return build


MATRIX += [
    Row("earlywarnings:list", warnings_plain("earlywarnings:list"), everyone(200)),
    Row(
        "earlywarnings:detail",
        warnings_url("earlywarnings:detail", "warning"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
        ),
    ),
    Row(
        "earlywarnings:yellowcard_list",
        warnings_plain("earlywarnings:yellowcard_list"),
        expect(admin=200, county=200, committee=200, office=403, village=403, director=403),
    ),
    Row(
        "earlywarnings:yellowcard_detail",
        warnings_url("earlywarnings:yellowcard_detail", "yellowcard"),
        expect(admin=200, county=200, committee=SCOPED, office=403, village=403, director=403),
    ),
    Row(
        "earlywarnings:yellowcard_new",
        warnings_plain("earlywarnings:yellowcard_new"),
        expect(admin=200, county=200, committee=403, office=403, village=403, director=403),
    ),
]

# The REST API (api/): tests.api_matrix.
MATRIX += api_rows(Row, expect, LOGIN=LOGIN, SCOPED=SCOPED)

ROWS = {row.name: row for row in MATRIX}


def test_every_url_has_a_row():
    missing = project_url_names() - set(ROWS)
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"


def test_every_row_is_a_real_url():
    assert set(ROWS) <= project_url_names()


def test_every_row_covers_every_role():
    for row in MATRIX:
        assert set(row.expected) == set(ROLES_AND_ANONYMOUS), row.name


def outcome_of(response) -> object:
    if response.status_code in (301, 302, 303):
        return LOGIN if response.url.startswith(reverse("login")) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("row", MATRIX, ids=[row.name for row in MATRIX])
def test_matrix(client, row: Row):
    cache.clear()  # the public pages' rate limits
    world = make_world()
    mismatches = []
    for role in ROLES_AND_ANONYMOUS:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(world.users[role])
        expected = row.expected[role]
        own, foreign = expected if isinstance(expected, tuple) else (expected, expected)
        for side, wanted in (("own", own), ("foreign", foreign)):
            url = row.url(world, side)
            send = getattr(client, row.method)
            response = send(url, row.data(world, side)) if row.method == "post" else send(url)
            got = outcome_of(response)
            if got != wanted:
                mismatches.append(f"{role} {side} {row.method.upper()} {url}: {got}, not {wanted}")
    assert not mismatches, "\n".join(mismatches)
