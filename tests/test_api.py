"""The REST API (api/): tokens, scoping and masking, the contract flow's steps taken through
the flow's tasks, and bad input answered with a clear 4xx in Chinese, never a 500.

The permission matrix over every endpoint is in tests.api_matrix; the schema is explored by
schemathesis in tests/test_api_schemathesis.py."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from api.models import ApiToken
from contracts.constants import ContractState
from contracts.services import contract_draft
from organisation.models import Post
from tests.factories import PersonFactory, PostFactory, UserFactory, VillageFactory
from workflows.flows_contract import ContractFlow

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DRAFT_DAY = datetime.date(2026, 11, 20)
SIGN_DAY = datetime.date(2026, 11, 24)


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def client_of(user) -> APIClient:
    _token, key = ApiToken.issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def contract(township, committee, django_capture_on_commit_callbacks):
    """A contract of 关索街道 drafted by its committee member, its flow started."""
    post = PostFactory(village=VillageFactory(township=township, name="解放村"))
    person = PersonFactory(township=township, name="王晓燕", phone="13912345678")
    with at(DRAFT_DAY), django_capture_on_commit_callbacks(execute=True):
        return contract_draft(
            application=None,
            person=person,
            post=post,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )


def open_task(contract, node):
    return Task.objects.filter(
        process__contractprocess__contract=contract,
        flow_task=node,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).first()


SIGNING = {"signatory": "李强", "township_on": "2026-11-23", "director_on": "2026-11-24"}


# --- tokens --------------------------------------------------------------------------------


def test_a_token_signs_in_and_a_wrong_one_is_refused(hr):
    client = client_of(hr)
    assert client.get(reverse("api:contract-list")).status_code == 200

    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token cp_not-a-real-key")
    response = wrong.get(reverse("api:contract-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "认证令牌无效。"

    anonymous = APIClient().get(reverse("api:contract-list"))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"


def test_a_token_is_stored_hashed_and_stops_with_its_user_or_when_revoked(hr):
    token, key = ApiToken.issue(user=hr)
    assert key not in {token.digest, token.shown} and key.startswith(token.shown)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(reverse("api:township-list")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    hr.is_active = False
    hr.save(update_fields=["is_active"])
    assert client.get(reverse("api:township-list")).status_code == 401
    hr.is_active = True
    hr.save(update_fields=["is_active"])
    token.revoke()
    assert client.get(reverse("api:township-list")).status_code == 401


def test_the_command_issues_a_working_token(hr):
    out = io.StringIO()
    call_command("api_token", hr.username, "--name", "报表", stdout=out)
    key = out.getvalue().strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:township-list")).status_code == 200
    call_command("api_token", hr.username, "--revoke", stdout=io.StringIO())
    assert client.get(reverse("api:township-list")).status_code == 401


def test_the_session_works_too_with_its_csrf_check(committee, contract):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(committee)
    assert client.get(reverse("api:contract-list")).status_code == 200
    response = client.post(reverse("api:contract-sign", args=[contract.pk]), SIGNING, format="json")
    assert response.status_code == 403  # no CSRF token
    assert open_task(contract, ContractFlow.sign).status == STATUS.ASSIGNED


# --- scoping and masking -----------------------------------------------------------------


def test_lists_hold_what_the_pages_show_and_numbers_are_masked(township, other_township, contract):
    foreign = PersonFactory(township=other_township, name="李明")
    committee_client = client_of(UserFactory(role=Role.TOWNSHIP_COMMITTEE, township=township,
                                             county=township.county))  # fmt: skip
    people = committee_client.get(reverse("api:person-list")).json()
    names = [row["name"] for row in people["results"]]
    assert "王晓燕" in names and "李明" not in names
    row = next(r for r in people["results"] if r["name"] == "王晓燕")
    person = contract.person
    assert row["id_number"] == person.masked_id_number != person.id_number
    assert row["phone"] == "139****5678"
    body = committee_client.get(reverse("api:person-detail", args=[person.pk])).content.decode()
    assert person.id_number not in body and person.phone not in body
    # Another township's record does not exist for this user.
    response = committee_client.get(reverse("api:person-detail", args=[foreign.pk]))
    assert response.status_code == 404
    assert "李明" not in response.content.decode()
    contracts = committee_client.get(reverse("api:contract-list")).json()
    assert [c["id"] for c in contracts["results"]] == [contract.pk]


def test_a_list_costs_the_same_queries_however_long(hr, township, committee):
    client = client_of(hr)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("api:contract-list")).status_code == 200
        return len(queries)

    def draft_one(n: int) -> None:
        post = PostFactory(village=VillageFactory(township=township, name=f"第{n}村"))
        contract_draft(
            application=None,
            person=PersonFactory(township=township),
            post=post,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )

    draft_one(0)
    count()  # the first request notes the token's use
    few = count()
    for n in range(1, 8):
        draft_one(n)
    assert count() == few


# --- the contract flow through the API -----------------------------------------------------


def test_sign_file_and_induction_through_the_flow(contract, committee, hr):
    with at(SIGN_DAY):
        response = client_of(committee).post(
            reverse("api:contract-sign", args=[contract.pk]), SIGNING, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["state"] == ContractState.SIGNED
        sign = Task.objects.get(process__contractprocess__contract=contract,
                                flow_task=ContractFlow.sign)  # fmt: skip
        assert sign.status == STATUS.DONE and sign.owner == committee

        county = client_of(hr)
        file = open_task(contract, ContractFlow.file)
        assert file.owner is None  # in the county's queue: the API takes it, as the page does
        response = county.post(
            reverse("api:contract-file", args=[contract.pk]),
            {"filing_number": "关人备12号"},
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["filing_number"] == "关人备12号"
        file.refresh_from_db()
        assert file.status == STATUS.DONE and file.owner == hr

        response = county.post(
            reverse("api:contract-record-induction", args=[contract.pk]),
            {"on": "2026-11-24", "note": ""},
            format="json",
        )
        assert response.status_code == 200, response.content
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    assert Post.objects.get(pk=contract.post_id).holder_id == contract.person_id
    # Every task of the flow is done: the process ended as after the task pages.
    assert not Task.objects.filter(
        process__contractprocess__contract=contract, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    ).exists()


def test_a_step_from_the_wrong_state_is_a_conflict(contract, committee):
    client = client_of(committee)
    url = reverse("api:contract-sign", args=[contract.pk])
    with at(SIGN_DAY):
        assert client.post(url, SIGNING, format="json").status_code == 200
        again = client.post(url, SIGNING, format="json")
        filing = client.post(reverse("api:contract-file", args=[contract.pk]), {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert "签订" in again.json()["detail"]  # the step named in Chinese
    assert filing.status_code == 403  # a committee member does not file


def test_a_refused_signing_names_the_field_and_leaves_the_task(contract, committee):
    client = client_of(committee)
    url = reverse("api:contract-sign", args=[contract.pk])
    with at(SIGN_DAY):
        future = client.post(url, {**SIGNING, "township_on": "2026-11-25"}, format="json")
    assert future.status_code == 400
    assert set(future.json()["errors"]) == {"township_on"}
    assert "晚于今天" in future.json()["errors"]["township_on"][0]
    task = open_task(contract, ContractFlow.sign)
    assert task.status == STATUS.ASSIGNED
    contract.refresh_from_db()
    assert contract.state == ContractState.DRAFTED


@pytest.mark.parametrize(
    "body, field",
    [
        ({**SIGNING, "township_on": 20261123}, "township_on"),
        ({**SIGNING, "township_on": "not a date"}, "township_on"),
        ({**SIGNING, "signatory": ["李强"]}, "signatory"),
        ({**SIGNING, "signatory": "李\x00强"}, "signatory"),
        ({**SIGNING, "is_admin": True}, "is_admin"),
        ({"township_on": "2026-11-23", "director_on": "2026-11-24"}, "signatory"),
    ],
)
def test_bad_input_is_refused_naming_the_field(contract, committee, body, field):
    with at(SIGN_DAY):
        response = client_of(committee).post(
            reverse("api:contract-sign", args=[contract.pk]), body, format="json"
        )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert open_task(contract, ContractFlow.sign).status == STATUS.ASSIGNED


def test_a_body_that_is_not_an_object_or_not_json_is_refused(contract, committee):
    client = client_of(committee)
    url = reverse("api:contract-sign", args=[contract.pk])
    assert client.post(url, "[1, 2]", content_type="application/json").status_code == 400
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert client.post(url, "x", content_type="text/plain").status_code == 415


def test_another_townships_contract_and_absurd_ids_are_not_found(contract, other_township, county):
    stranger = UserFactory(role=Role.TOWNSHIP_COMMITTEE, township=other_township, county=county)
    client = client_of(stranger)
    response = client.post(reverse("api:contract-sign", args=[contract.pk]), SIGNING, format="json")
    assert response.status_code == 404
    assert "王晓燕" not in response.content.decode()
    for pk in (0, -1, 2**63, 10**30):
        url = f"/api/v1/contracts/{pk}/"
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "query",
    ["state=nonsense", "within=abc", "within=0", "township=99999999999999999999999", "order=x"],
)
def test_crafted_filters_are_refused_with_400(hr, query):
    response = client_of(hr).get(reverse("api:contract-list") + "?" + query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_out_of_range_pages_are_not_found(hr):
    client = client_of(hr)
    for page in ("0", "999", "abc", "-1"):
        assert client.get(reverse("api:township-list") + f"?page={page}").status_code == 404


def test_the_schema_lists_every_resource(hr):
    response = client_of(hr).get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource in (
        "townships", "villages", "posts", "people", "campaigns", "applications", "contracts",
        "vacancies", "courses", "attendances", "monthly-scores", "documents",
    ):  # fmt: skip
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "409" in paths["/api/v1/contracts/{id}/sign/"]["post"]["responses"]


# --- steps outside a flow's task pages: the vacancy's acting person, a village's population ---


@pytest.fixture
def vacancy(township):
    from contracts.constants import VacancyCause
    from contracts.services.posts import vacancy_open

    post = PostFactory(village=VillageFactory(township=township, name="三家寨村"))
    return vacancy_open(post=post, on=DRAFT_DAY, by=None, cause=VacancyCause.NEW_POST)


def test_designating_the_acting_person_completes_the_vacancy_flows_task(
    vacancy, township, other_township, committee
):
    from workflows.flows_vacancy import VacancyFlow

    client = client_of(committee)
    url = reverse("api:vacancy-acting", args=[vacancy.pk])
    stranger = PersonFactory(township=other_township, name="李明")
    refused = client.post(url, {"person": stranger.pk, "on": "2026-11-24"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"person"}
    assert "李明" not in refused.content.decode()

    acting = PersonFactory(township=township, name="罗朝英")
    with at(SIGN_DAY):
        response = client.post(url, {"person": acting.pk, "on": "2026-11-24"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["acting_person_name"] == "罗朝英"
    task = Task.objects.get(
        process__vacancyprocess__vacancy=vacancy, flow_task=VacancyFlow.designate_acting
    )
    assert task.status == STATUS.DONE  # the flow follows the vacancy, as after the page


def test_a_population_from_the_future_is_refused_naming_the_field(township, committee):
    village = VillageFactory(township=township, name="和平村", registered_population=2000)
    client = client_of(committee)
    url = reverse("api:village-population", args=[village.pk])
    with at(SIGN_DAY):
        future = client.post(
            url,
            {"registered_population": 2600, "effective_date": "2026-12-01", "reason": "年报"},
            format="json",
        )
        negative = client.post(
            url,
            {"registered_population": -5, "effective_date": "2026-11-01", "reason": "年报"},
            format="json",
        )
        done = client.post(
            url,
            {"registered_population": 2600, "effective_date": "2026-11-01", "reason": "年报"},
            format="json",
        )
    assert future.status_code == 400 and set(future.json()["errors"]) == {"effective_date"}
    assert negative.status_code == 400 and "registered_population" in negative.json()["errors"]
    assert done.status_code == 200, done.content
    assert done.json()["registered_population"] == 2600
