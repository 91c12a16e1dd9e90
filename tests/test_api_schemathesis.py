"""schemathesis explores the API from its own OpenAPI schema, in process (the WSGI app), as
county HR with a token, on the permission matrix's world (two townships with contracts,
courses, a month of scores, a campaign and documents): no answer may be a server error, and
every answer must match the schema (its status documented, its body of the documented
shape). Wrong types, unknown fields and absurd values are generated as well as valid ones.

Each operation gets a handful of examples (``EXAMPLES``), so the whole module stays within
about a minute on CI's two cores.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.constants import Role
from api.models import ApiToken
from tests.assessment_matrix_support import side_month
from tests.matrix_support import make_world

EXAMPLES = 6


# The schema the site serves at /api/v1/schema/, made in process (it reads no database),
# called through the site's WSGI application.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = WSGIHandler()


@pytest.fixture(scope="module")
def county_hr_key(django_db_setup, django_db_blocker):
    """The matrix's world with a record of every kind, and county HR's token: made once for
    the module inside a transaction rolled back at its end (as Django's TestCase does for
    setUpTestData), each operation's test in a savepoint of its own."""
    # The WSGI handler would close the test's connection (and its transaction) at each
    # request, as Django's test client prevents.
    request_started.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = make_world()
            for side in ("own", "foreign"):
                world.term(side)
                world.course(side)
                side_month(world, side)
            world.recruitment("own")
            _token, key = ApiToken.issue(user=world.users[Role.COUNTY_HR])
            yield key
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            request_started.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_keeps_its_schema_and_never_fails(case, county_hr_key):
    case.call_and_validate(
        headers={"Authorization": f"Token {county_hr_key}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
