from types import SimpleNamespace

import pytest
from django.utils import translation

from accounts.constants import Role
from core.files import discard_uncommitted
from tests.builders import CampaignBuilder, committee_member
from tests.factories import CountyFactory, PolicyFactory, TownshipFactory, UserFactory
from tests.matrix_support import make_world


@pytest.fixture(autouse=True)
def _discard_staged_files():
    """Files staged in the previous test's transaction, which rolled back, are gone before
    this test looks at the media folder (as they are at the end of a request)."""
    discard_uncommitted()


@pytest.fixture
def county(db):
    return CountyFactory()


@pytest.fixture
def policy(county):
    return PolicyFactory(county=county)


@pytest.fixture
def hr(county, policy):
    """A county HR officer of a county with a policy version in force."""
    return UserFactory(role=Role.COUNTY_HR, county=county)


@pytest.fixture
def township(county, policy):
    """关索街道, a township of a county with a policy in force."""
    return TownshipFactory(county=county, name="关索街道")


@pytest.fixture
def other_township(county):
    return TownshipFactory(county=county, name="花江镇")


@pytest.fixture
def committee(township):
    """A member of the township's committee: runs its recruitment campaigns."""
    return committee_member(township)


@pytest.fixture
def head(township):
    """The head of the township's recruitment leading group, on record: approves the
    announcements."""
    user = committee_member(township, first_name="强", last_name="李")
    township.leading_group_head = user
    township.save(update_fields=["leading_group_head"])
    return user


@pytest.fixture
def office(county, township):
    """A member of the township's office: reads its campaigns, runs none."""
    return UserFactory(role=Role.TOWNSHIP_OFFICE, county=county, township=township)


@pytest.fixture
def foreign_committee(other_township):
    """A committee member of another township of the county."""
    return committee_member(other_township)


@pytest.fixture
def open_campaign(policy, township, committee, head):
    """``open_campaign(**options)``: a campaign of ``township`` opened by ``committee`` and
    announced by ``head``, as its builder (``tests.builders.CampaignBuilder.open`` takes the
    options: villages, timetable, rules, …; ``announce=False`` leaves it a draft)."""

    def open_(*, announce: bool = True, **options) -> CampaignBuilder:
        builder = CampaignBuilder.open(township, by=committee, head=head, **options)
        return builder.announce() if announce else builder

    return open_


@pytest.fixture
def world(db):
    """The permission matrix's county (``tests.matrix_support.make_world``): two townships
    with a village, a post holder and a document each, and one user per role. Modules with a
    world of their own override it."""
    return make_world()


@pytest.fixture
def english_messages(settings):
    """Messages are asserted in English, whatever catalogue is compiled.

    Modules that check server-side messages use it for every test
    (``pytest.mark.usefixtures("english_messages")``); page tests set the language cookie
    instead (their own ``english`` fixtures).
    """
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def fake_issue(monkeypatch):
    """Stand in for a service that issues a document, as the view calls it.

    ``fake_issue(target, subject, pk=...)`` replaces ``target`` (a dotted path) by a function
    taking ``by`` and the keyword ``subject``; each call is recorded as ``(subject, by)`` in
    the list returned, and answers a document with primary key ``pk``.
    """

    def install(target: str, subject: str, *, pk: int) -> list[tuple]:
        calls: list[tuple] = []

        def issue(*, by, **kwargs):
            if set(kwargs) != {subject}:  # as strict as the real signature
                raise TypeError(f"{target} takes {subject} and by, not {sorted(kwargs)}")
            calls.append((kwargs[subject], by))
            return SimpleNamespace(pk=pk)

        monkeypatch.setattr(target, issue)
        return calls

    return install


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked ``postgres`` (races on row locks, constraints) run on PostgreSQL only."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (row locks and concurrent transactions): run with "
            "DATABASE_URL=postgres://… to include it"
        )
