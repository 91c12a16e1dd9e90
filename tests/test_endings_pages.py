"""The pages of resignation, termination and dismissal, as people use them (test client)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.constants import CaseState, ContractState, ResignationState
from contracts.models import BirthRecord, DismissalCase, DismissalGround, Resignation
from tests.endings_support import active_contract, director_of, seed_grounds
from tests.factories import make_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

NOW = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _grounds(db):
    seed_grounds()


@pytest.fixture
def contract(township):
    return active_contract(township)


def test_a_director_requests_to_resign_from_their_own_login(client, contract):
    client.force_login(director_of(contract))
    page = client.get(reverse("endings:resign"))
    assert page.status_code == 200
    assert page.context["notice_ends"] == datetime.date(2026, 4, 1)
    response = client.post(reverse("endings:resign"), {"reason": "家中有事"})
    resignation = Resignation.objects.get()
    assert response.status_code == 302
    assert resignation.requested_by == director_of(contract)
    assert resignation.notice_ends_on == datetime.date(2026, 4, 1)
    # the director sees their own request, not someone else's
    assert (
        client.get(reverse("endings:resignation_detail", args=[resignation.pk])).status_code == 200
    )
    other = active_contract(contract.township, name="李四")
    client.force_login(director_of(other))
    assert (
        client.get(reverse("endings:resignation_detail", args=[resignation.pk])).status_code == 404
    )


def test_the_committee_accepts_and_an_end_inside_the_notice_is_shown_on_the_field(
    client, contract, committee
):
    client.force_login(committee)
    client.post(reverse("endings:resignation_record", args=[contract.pk]), {"reason": "身体原因"})
    resignation = Resignation.objects.get()
    url = reverse("endings:resignation_detail", args=[resignation.pk])
    refused = client.post(url, {"end_date": "2026-03-20"})
    assert refused.status_code == 200
    assert "inside the notice period" in refused.context["form"].errors["end_date"][0]
    accepted = client.post(url, {"end_date": "2026-03-20", "agreed_earlier": "on"})
    assert accepted.status_code == 302
    resignation.refresh_from_db()
    assert resignation.state == ResignationState.ACCEPTED
    assert "解除聘用合同证明书" in client.get(url).content.decode()


def test_a_director_cannot_use_the_committees_pages(client, contract, foreign_committee):
    client.force_login(director_of(contract))
    assert client.get(reverse("endings:terminate", args=[contract.pk])).status_code == 403
    assert client.get(reverse("endings:case_new", args=[contract.pk])).status_code == 403
    assert client.get(reverse("endings:resignation_record", args=[contract.pk])).status_code == 403
    client.force_login(foreign_committee)
    assert client.get(reverse("endings:terminate", args=[contract.pk])).status_code == 404


def test_termination_form(client, contract, committee):
    client.force_login(committee)
    url = reverse("endings:terminate", args=[contract.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "health", "on": "2026-03-02", "note": "因病"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.TERMINATED


def test_a_case_opened_heard_decided_and_filed_through_the_pages(client, contract, committee, hr):
    client.force_login(committee)
    ground = DismissalGround.objects.get(code="major_error")
    url = reverse("endings:case_new", args=[contract.pk])
    refused = client.post(url, {"period": 2026, "summary": "事实"})
    assert "at least one" in refused.context["form"].errors["grounds"][0]
    scan = SimpleUploadedFile("记录.pdf", make_pdf(), content_type="application/pdf")
    response = client.post(
        url,
        {
            "grounds": [ground.pk],
            "period": 2026,
            "summary": "2026年2月漏报出生信息。",
            "evidence_text": "乡计生办核查记录",
            "evidence_files": [scan],
        },
    )
    case = DismissalCase.objects.get()
    assert response.status_code == 302
    detail = reverse("endings:case_detail", args=[case.pk])
    page = client.get(detail).content.decode()
    assert "在工作中出现重大失误的" in page and "记录.pdf" in page
    item = case.evidence.exclude(file="").get()
    download = client.get(reverse("endings:evidence_file", args=[case.pk, item.pk]))
    assert download.status_code == 200
    # deciding is not offered before the hearing; a forged decision is refused
    client.post(detail, {"step": "decide", "decision": "dismiss", "reasons": "x"})
    case.refresh_from_db()
    assert case.state == CaseState.OPENED
    client.post(detail, {"step": "hear", "statement": "我已及时补报。"})
    client.post(detail, {"step": "decide", "decision": "dismiss", "reasons": "属实"})
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.state == CaseState.DECIDED and contract.state == ContractState.DISMISSED
    client.force_login(hr)
    assert client.get(reverse("endings:case_list")).status_code == 200
    client.post(detail, {"step": "file"})
    case.refresh_from_db()
    assert case.state == CaseState.FILED
    # the director sees their own case
    client.force_login(director_of(contract))
    assert client.get(detail).status_code == 200


def test_birth_records_page(client, contract, office, committee):
    client.force_login(office)
    url = reverse("endings:births")
    assert client.get(url).status_code == 200
    village = contract.post.village
    client.post(url, {"village": village.pk, "year": 2025, "violations": 1, "note": ""})
    client.post(url, {"village": village.pk, "year": 2025, "violations": 2, "note": "更正"})
    record = BirthRecord.objects.get()
    assert record.violations == 2 and record.note == "更正"


def test_a_second_answer_is_told_not_refused(client, contract, committee):
    client.force_login(committee)
    client.post(reverse("endings:resignation_record", args=[contract.pk]), {"reason": ""})
    url = reverse("endings:resignation_detail", args=[Resignation.objects.get().pk])
    assert client.post(url, {"end_date": "2026-04-30"}).status_code == 302
    again = client.post(url, {"end_date": "2026-05-30"}, follow=True)
    assert again.status_code == 200
    assert "already answered" in again.content.decode()
    assert Resignation.objects.get().end_date == datetime.date(2026, 4, 30)
