"""The staff shell: login and logout, language, navigation, dashboards, the Django admin."""

import datetime
import zoneinfo
from operator import attrgetter
from typing import cast

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from accounts.constants import Role
from audit.models import AuditEntry
from organisation.models import Post
from people.models import Person
from people.services import person_update
from tests.factories import PersonFactory, PostFactory, TownshipFactory, VillageFactory
from tests.matrix_support import PASSWORD, ROLES, make_document

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# Login, logout, language ---------------------------------------------------------------------


def test_login_page_has_the_language_switcher(client):
    html = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'value="en"' in html and 'value="zh-hans"' in html


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_login_then_logout(client, world):
    response = client.post(
        reverse("login"), {"username": Role.COUNTY_HR, "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused(client, world, english):
    response = client.post(reverse("login"), {"username": Role.COUNTY_HR, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_site_speaks_chinese_by_default_and_switches_to_english(client, world):
    client.force_login(world.users[Role.COUNTY_HR])
    assert '<html lang="zh-hans"' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/people/"})
    assert response.status_code == 302 and response.url == "/people/"
    assert '<html lang="en"' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans"' in client.get("/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_carries_the_language_switcher_and_the_menu(client, world, role):
    client.force_login(world.users[role])
    html = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'aria-label="Main navigation"' in html or "vf-page__menu" in html


def test_the_top_bar_speaks_chinese_to_screen_readers(client, world):
    client.force_login(world.users[Role.COUNTY_HR])
    html = client.get("/").content.decode()
    assert 'aria-label="打开导航菜单"' in html
    assert "Open navigation menu" not in html


# Navigation -----------------------------------------------------------------------------------

MENU = {
    "/organisation/": {
        Role.ADMINISTRATOR,
        Role.COUNTY_HR,
        Role.TOWNSHIP_COMMITTEE,
        Role.TOWNSHIP_OFFICE,
        Role.VILLAGE_COMMITTEE,
    },
    "/people/": {
        Role.ADMINISTRATOR,
        Role.COUNTY_HR,
        Role.TOWNSHIP_COMMITTEE,
        Role.TOWNSHIP_OFFICE,
        Role.VILLAGE_COMMITTEE,
    },
    "/policy/": set(ROLES),
    "/documents/": set(ROLES),
    "/audit/": {Role.ADMINISTRATOR, Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE},
    "/admin/": {Role.ADMINISTRATOR},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_shows_only_what_the_role_may_use(client, world, role):
    client.force_login(world.users[role])
    html = client.get("/").content.decode()
    assert (
        'class="mdc-list-item mdc-list-item--with-one-line mdc-list-item--with-leading-icon '
        'vf-page__menu-list-item mdc-list-item--activated" href="/"' in html
    )
    for url, roles in MENU.items():
        assert (f'href="{url}"' in html) == (role in roles), url


def test_other_apps_pages_get_the_menu_and_mark_their_section(client, world):
    client.force_login(world.users[Role.COUNTY_HR])
    html = client.get(reverse("organisation:township_list")).content.decode()
    assert 'mdc-list-item--activated" href="/organisation/"' in html
    assert 'href="/people/"' in html


def test_base_template_draws_the_menu_for_pages_outside_the_site(rf, world):
    request = rf.get("/verify/ABC/")
    request.user = world.users[Role.COUNTY_HR]
    request.resolver_match = resolve("/verify/ABC/")  # no viewflow site on this match
    html = render_to_string("base.html", request=request)
    assert 'href="/people/"' in html and 'href="/audit/"' in html
    assert f'action="{reverse("set_language")}"' in html


# Dashboards -----------------------------------------------------------------------------------


def test_county_dashboard(client, world, english):
    person_update(person=world.own.person, by=world.users[Role.COUNTY_HR], name="王晓艳")
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get("/")
    dashboard = response.context["dashboard"]
    assert [t.name for t in dashboard.townships] == ["关索街道", "花江镇"]
    assert (dashboard.totals.villages, dashboard.totals.posts) == (2, 4)
    assert (dashboard.totals.occupied, dashboard.totals.vacant) == (2, 2)
    assert dashboard.policy == world.policy
    html = response.content.decode()
    assert f"Version {world.policy.version}, in force from July 9, 2014" in html
    assert "王晓艳" in html  # the recent change


def test_abolished_posts_are_not_counted(client, world):
    PostFactory(village=world.own.village, number=3, status="abolished")
    client.force_login(world.users[Role.COUNTY_HR])
    totals = client.get("/").context["dashboard"].totals
    assert (totals.posts, totals.vacant) == (4, 2)


def test_administrator_dashboard_is_the_county_view_with_the_admin_link(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    response = client.get("/")
    assert response.templates[0].name == "web/dashboard_county.html"
    assert f'href="{reverse("admin:index")}"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE])
def test_township_dashboard_lists_own_villages_with_vacancies(client, world, role):
    full = VillageFactory(township=world.own.township, name="满员村")
    PostFactory(village=full, number=1, holder=PersonFactory(township=world.own.township))
    person_update(person=world.own.person, by=world.users[Role.COUNTY_HR], name="王晓艳")
    person_update(person=world.foreign.person, by=world.users[Role.COUNTY_HR], name="李铭")
    client.force_login(world.users[role])
    response = client.get("/")
    dashboard = response.context["dashboard"]
    assert dashboard.township == world.own.township
    assert [v.name for v in dashboard.villages_with_vacancies] == [world.own.village.name]
    assert (dashboard.totals.villages, dashboard.totals.vacant) == (2, 1)
    html = response.content.decode()
    assert world.foreign.village.name not in html
    assert "王晓艳" in html and "李铭" not in html  # recent changes of the township only


def test_village_dashboard_shows_its_posts_and_directors(client, world):
    client.force_login(world.users[Role.VILLAGE_COMMITTEE])
    response = client.get("/")
    dashboard = response.context["dashboard"]
    assert dashboard.village == world.own.village
    assert [(p.number, p.holder) for p in dashboard.posts] == [(1, world.own.person), (2, None)]
    html = response.content.decode()
    assert world.own.person.name in html and "139****0001" in html
    assert world.foreign.person.name not in html


def test_director_dashboard_is_their_portal_with_only_their_own_record(client, world):
    colleague = cast(
        Person,
        PersonFactory(township=world.own.township, village=world.own.village, name="同村另一人"),
    )
    PostFactory(village=world.own.village, number=3, holder=colleague)
    make_document(colleague, title="同事的合同")
    client.force_login(world.users[Role.DIRECTOR])
    response = client.get("/")
    assert response.templates[0].name == "web/portal.html"
    portal = response.context["dashboard"]
    assert portal.person == world.own.person
    assert [d for group in portal.documents for d in group.documents] == [world.own.document]
    html = response.content.decode()
    assert world.own.person.name in html and world.own.document.title in html
    assert "同村另一人" not in html and "同事的合同" not in html
    # 我的聘期 is the same portal.
    mine = client.get(reverse("my_term:index"))
    assert mine.templates[0].name == "web/portal.html"
    assert mine.context["dashboard"].person == world.own.person


def grow(world, *, townships: int) -> None:
    """More townships, villages, posts, people, documents and audit entries."""
    officer = world.users[Role.COUNTY_HR]
    for index in range(townships):
        township = TownshipFactory(county=world.county)
        for _ in range(3):
            village = VillageFactory(township=township)
            holder = cast(Person, PersonFactory(township=township, village=village))
            PostFactory(village=village, number=1, holder=holder)
            PostFactory(village=village, number=2)
            make_document(holder)
            person_update(person=holder, by=officer, name=f"村干部{index}")
    own = world.own
    for number in range(3, 3 + townships):
        PostFactory(village=own.village, number=number)
    for index in range(townships):
        village = VillageFactory(township=own.township)
        PostFactory(village=village, number=1)
        make_document(own.person, title=f"文书{index}")
        person_update(person=own.person, by=officer, name=f"王晓燕{index}")


@pytest.mark.parametrize(
    ("role", "limit"),
    [
        # session, user, (permissions ×2 unless superuser), then the dashboard's own reads;
        # the recruitment work adds my tasks, the queue, (county HR) escalated tasks, the
        # campaigns under way and their count (tests/test_ui_dashboard.py grows those); the
        # county's dashboard counts the waivers waiting for a decision and the vacancies past
        # their refill deadline; the top bar counts the user's unread notifications (one
        # query on every staff page). The term's work (web.term) adds my term tasks, the term
        # tasks I may take, (county HR) the overdue ones handed to the county, and one count
        # per list the user may open: contracts ending, vacancies (open and overdue, which
        # replaces the county's own count), open cases, resignations waiting, early warnings
        # still to be dealt with (earlywarnings); their time
        # limits are one more query once there are tasks (tests/test_ui_term_dashboard.py);
        # the township office holds no term task: its figures only. The measures below the
        # work (web.selectors.Measures, tests/test_dashboards.py) read the deadlines by
        # township (contracts ending, vacancies, agreements drafted and missing, open cases,
        # settlements and appraised years, the most urgent vacancies, the oldest open cases:
        # they replace the term's counts of contracts, vacancies and cases), the training
        # compliance, the monthly ranking (the latest month, the months' means) and the
        # stability measures; a county's villages and posts are counted by township in a
        # query each. The director's portal
        # (web.portal) reads each part of their own term once: person, contracts, vacancies
        # acted for, cases, resignations, scores, agreements, warnings, appraisals, rewards,
        # documents, the policy (renewal), training (tests/test_portal.py grows them all)
        (Role.ADMINISTRATOR, 31),
        (Role.COUNTY_HR, 33),
        (Role.TOWNSHIP_COMMITTEE, 30),
        (Role.TOWNSHIP_OFFICE, 22),
        (Role.VILLAGE_COMMITTEE, 7),
        (Role.DIRECTOR, 22),
    ],
)
def test_dashboard_queries_do_not_grow_with_the_data(
    client, world, role, limit, django_assert_max_num_queries
):
    client.force_login(world.users[role])
    client.get("/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small, django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200
    grow(world, townships=4)
    with CaptureQueriesContext(connection) as large, django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200
    assert len(large) == len(small)


# The Django admin -------------------------------------------------------------------------------


def test_the_admin_is_for_administrators_only(client, world):
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    client.force_login(world.users[Role.ADMINISTRATOR])
    assert client.get(reverse("admin:index")).status_code == 200


def test_every_admin_page_renders_and_masks_identity_numbers(client, world):
    person_update(person=world.own.person, by=world.users[Role.COUNTY_HR], phone="13600001111")
    client.force_login(world.users[Role.ADMINISTRATOR])
    records = {
        "accounts_user": world.users[Role.DIRECTOR],
        "organisation_county": world.county,
        "organisation_township": world.own.township,
        "organisation_village": world.own.village,
        "organisation_post": world.own.post,
        "policy_policy": world.policy,
        "people_person": world.own.person,
        "paperwork_document": world.own.document,
        "audit_auditentry": AuditEntry.objects.first(),
    }
    for prefix, obj in records.items():
        for url in (
            reverse(f"admin:{prefix}_changelist"),
            reverse(f"admin:{prefix}_change", args=[obj.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert world.own.person.id_number not in html, url
            assert "13600001111" not in html and "13912340001" not in html, url


def test_audit_entries_identity_accesses_and_documents_are_read_only_in_the_admin(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    for prefix in (
        "audit_auditentry",
        "people_identityaccess",
        "paperwork_document",
        "organisation_post",
        "policy_policy",
        "people_person",
    ):
        assert client.get(reverse(f"admin:{prefix}_add")).status_code == 403, prefix


def test_the_admin_user_form_runs_the_role_checks(client, world, english):
    client.force_login(world.users[Role.ADMINISTRATOR])
    data = {
        "username": "new_officer",
        "usable_password": "true",
        "password1": "a-Long-pass-2026",
        "password2": "a-Long-pass-2026",
        "first_name": "",
        "last_name": "",
        "email": "new@example.cn",
        "role": Role.TOWNSHIP_OFFICE,
        "county": world.county.pk,
        "township": "",
        "village": "",
        "person": "",
    }
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200
    assert "This role needs a township." in response.content.decode()
    data["township"] = world.own.township.pk
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302
    user = type(world.users[Role.ADMINISTRATOR]).objects.get(username="new_officer")
    assert (user.role, user.township, user.is_staff) == (
        Role.TOWNSHIP_OFFICE,
        world.own.township,
        False,
    )


def test_township_edits_in_the_admin_are_audited(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    township = world.own.township
    response = client.post(
        reverse("admin:organisation_township_change", args=[township.pk]),
        {
            "county": world.county.pk,
            "name": "关索街道办",
            "kind": township.kind,
            "government": township.government,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=township.pk, content_type__model="township")
    assert (entry.before["name"], entry.after["name"]) == ("关索街道", "关索街道办")
    assert entry.actor == world.users[Role.ADMINISTRATOR]


def test_posts_are_counted_once_per_post(world):
    # Guard for the dashboard annotations: several joins must not multiply the counts.
    from web.selectors import county_dashboard

    for number in range(3, 6):
        PostFactory(
            village=world.own.village,
            number=number,
            holder=PersonFactory(township=world.own.township),
        )
    dashboard = county_dashboard(world.users[Role.COUNTY_HR])
    own = next(t for t in dashboard.townships if t.pk == world.own.township.pk)
    counts = attrgetter("village_count", "post_count", "occupied_count", "vacant_count")
    assert counts(own) == (1, 5, 4, 1)
    assert Post.objects.filter(village=world.own.village).count() == 5


# The audit log ------------------------------------------------------------------------------


def audited_world(world):
    """Changes at two dates: a village in each township in March, a person in May."""
    import time_machine

    from organisation.services import village_set_population

    officer = world.users[Role.COUNTY_HR]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        for side in (world.own, world.foreign):
            village_set_population(
                village=side.village,
                registered_population=2600,
                effective_date=datetime.date(2026, 3, 1),
                by=officer,
                reason="年报",
            )
    with time_machine.travel(datetime.datetime(2026, 5, 6, 10, tzinfo=SHANGHAI), tick=False):
        person_update(person=world.own.person, by=officer, phone="13600001111", reason="新号码")


def test_the_audit_log_shows_changes_of_the_users_township_with_before_and_after(
    client, world, english
):
    audited_world(world)
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get(reverse("audit:list"))
    entries = list(response.context["entries"])
    assert entries and {e.township_id for e in entries} == {world.own.township.pk}
    html = response.content.decode()
    assert "Registered population: 1800 → 2600" in html
    assert "Mobile phone: 139****0001 → 136****1111" in html


def test_the_audit_log_filters_by_record_type_and_date(client, world):
    from django.contrib.contenttypes.models import ContentType

    from people.models import Person

    audited_world(world)
    client.force_login(world.users[Role.COUNTY_HR])
    person_type = ContentType.objects.get_for_model(Person)
    response = client.get(reverse("audit:list"), {"record_type": person_type.pk})
    assert {e.content_type_id for e in response.context["entries"]} == {person_type.pk}
    response = client.get(
        reverse("audit:list"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    )
    dates = {e.at.astimezone(SHANGHAI).date() for e in response.context["entries"]}
    assert dates == {datetime.date(2026, 3, 2)}
    assert len(response.context["entries"]) >= 2  # both townships for the county officer


def test_the_audit_log_refuses_a_reversed_date_range(client, world, english):
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(
        reverse("audit:list"), {"date_from": "2026-05-01", "date_to": "2026-03-01"}
    )
    assert "To: The end date is before the start date." in response.content.decode()


def test_the_interface_is_chinese_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"


def test_chinese_names_read_family_name_first():
    from accounts.models import User

    assert User(first_name="敏", last_name="罗").get_full_name() == "罗敏"
    assert User(first_name="Min", last_name="Luo").get_full_name() == "Min Luo"
