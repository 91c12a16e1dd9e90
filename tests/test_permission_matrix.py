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
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.constants import Role
from tests.matrix_support import ANONYMOUS, ROLES_AND_ANONYMOUS, World, make_world

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


MATRIX: list[Row] = [
    # Sign-in and the shell
    Row("login", plain("login"), everyone(200, anonymous=200)),
    Row("logout", plain("logout"), everyone(LOGIN), method="post"),
    Row("web:dashboard", plain("web:dashboard"), everyone(200)),
    Row("verify", verify_url, everyone(200, anonymous=200)),
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
    # Documents
    Row("paperwork:list", plain("paperwork:list"), everyone(200)),
    Row(
        "paperwork:download",
        of_side("paperwork:download", "document"),
        expect(
            admin=200, county=200, committee=SCOPED, office=SCOPED, village=SCOPED, director=SCOPED
        ),
    ),
]

ROWS = {row.name: row for row in MATRIX}


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
