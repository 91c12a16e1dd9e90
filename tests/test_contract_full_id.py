"""The contract carries the director's full ID number (``Kind.carries_full_id``): issuing it is
allowed for that kind only, downloading it needs the full-value permission or being its
person and is logged, and the public verify page shows only the masked number."""

import datetime

import pytest
from django.urls import reverse

from accounts.constants import Role
from contracts.kinds import CONTRACT, COUNTY_FILING_FORM
from contracts.services import contract_draft
from paperwork import kinds
from paperwork.kinds import Kind
from paperwork.selectors import document_current
from paperwork.services import DocumentIssueError, document_issue
from people.models import IdentityAccess
from recruitment.documents.campaign import issue_contract
from tests.factories import PersonFactory, PostFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-2026"


@pytest.fixture
def person(township):
    return PersonFactory(township=township, name="王晓燕")


@pytest.fixture
def contract(township, person, committee):
    post = PostFactory(village=VillageFactory(township=township, name="解放村"))
    contract = contract_draft(
        application=None,
        person=person,
        post=post,
        start_date=datetime.date(2027, 1, 1),
        by=committee,
    )
    issue_contract(contract, by=committee)
    return contract


@pytest.fixture
def printed(contract):
    document = document_current(kind=CONTRACT, subject=contract)
    assert document is not None
    return document


@pytest.fixture
def director(county, township, person):
    return UserFactory(role=Role.DIRECTOR, county=county, township=township, person=person)


def download(client, user, document):
    client.force_login(user)
    return client.get(reverse("paperwork:download", args=[document.pk]))


def test_only_the_contract_kind_may_print_a_full_id_number(
    person, county, township, hr, monkeypatch
):
    """The same template as another kind, without carries_full_id, is refused."""
    plain = Kind(
        "test_plain_contract",
        printed_title="测试",
        label="test",
        template=CONTRACT.template,
        version=1,
    )
    monkeypatch.setitem(kinds._kinds, str(plain), plain)
    with pytest.raises(DocumentIssueError, match="full ID number"):
        document_issue(
            kind=plain,
            context={"person": person, "contract": None, "township": township},
            subject=person,
            by=hr,
            county=county,
            issuing_body="测试",
        )
    assert CONTRACT.carries_full_id and not COUNTY_FILING_FORM.carries_full_id


def test_county_hr_downloads_the_contract_and_the_download_is_logged(client, hr, printed, person):
    response = download(client, hr, printed)
    assert response.status_code == 200
    access = IdentityAccess.objects.get()
    assert access.user == hr and access.person == person
    assert access.field == IdentityAccess.Field.ID_NUMBER
    assert printed.verification_code in access.reason


def test_the_director_downloads_their_own_contract_logged(client, director, printed):
    assert download(client, director, printed).status_code == 200
    assert IdentityAccess.objects.filter(user=director).count() == 1


def test_opening_it_in_the_browser_is_checked_and_logged_alike(
    client, county, township, director, printed
):
    """The director's portal opens documents in the browser (``?open=1``): the same view,
    the same refusal to others and the same identity-access row."""
    url = reverse("paperwork:download", args=[printed.pk])
    other = UserFactory(
        role=Role.DIRECTOR,
        county=county,
        township=township,
        person=PersonFactory(township=township, name="李明"),
    )
    client.force_login(other)
    assert client.get(f"{url}?open=1").status_code == 404
    client.force_login(director)
    response = client.get(f"{url}?open=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert IdentityAccess.objects.filter(user=director).count() == 1
    client.get(url)
    assert IdentityAccess.objects.filter(user=director).count() == 2


def test_another_director_does_not_see_the_contract(client, county, township, printed):
    other = UserFactory(
        role=Role.DIRECTOR,
        county=county,
        township=township,
        person=PersonFactory(township=township, name="李明"),
    )
    assert download(client, other, printed).status_code == 404
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize("who", ["committee", "office"])
def test_township_staff_without_the_full_value_right_are_refused(client, printed, who, request):
    user = request.getfixturevalue(who)
    assert not user.has_perm("people.view_full_identity")
    assert download(client, user, printed).status_code == 403
    assert not IdentityAccess.objects.exists()


def test_a_township_officer_granted_the_right_downloads_it(client, committee, printed):
    from django.contrib.auth.models import Permission

    committee.user_permissions.add(Permission.objects.get(codename="view_full_identity"))
    assert download(client, committee, printed).status_code == 200
    assert IdentityAccess.objects.filter(user=committee).exists()


def test_documents_without_the_full_number_are_not_logged(client, committee, contract, printed):
    """The hiring notice-like documents (here a plain document about the person) download as
    before, without an access record."""
    from contracts.documents import issue_filing_form

    contract.filed_on = datetime.date(2027, 1, 5)
    form = issue_filing_form(contract, by=committee)
    assert download(client, committee, form).status_code == 200
    assert not IdentityAccess.objects.exists()


def test_the_verify_page_shows_the_masked_number_and_serves_no_file(client, printed, person):
    response = client.get(reverse("verify", args=[printed.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert person.id_number not in page
    assert reverse("paperwork:download", args=[printed.pk]) not in page
    assert ".pdf" not in page
