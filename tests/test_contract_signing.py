"""Signing and filing a contract, recording induction, and the contract coming into force
(contracts.services.signing), with their paperwork (declared in contracts.paperwork; the walk
over the whole table in tests/test_recruitment_paperwork.py renders it)."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from accounts.constants import Role
from audit.models import AuditEntry
from contracts.constants import ContractOrigin, ContractState, InductionSource, VacancyState
from contracts.kinds import CONTRACT, COUNTY_FILING_FORM, INDUCTION_CERTIFICATE
from contracts.models import Contract, Vacancy
from contracts.services import contract_draft, vacancy_open
from contracts.services.signing import contract_file, contract_record_induction, contract_sign
from organisation.models import Post
from paperwork.models import Document
from paperwork.selectors import document_current
from tests.factories import CountyFactory, PersonFactory, PostFactory, UserFactory, VillageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DRAFT_DAY = datetime.date(2026, 11, 20)
TODAY = datetime.date(2026, 11, 26)


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as f:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)


@pytest.fixture
def post(township):
    return PostFactory(village=VillageFactory(township=township, name="解放村"))


@pytest.fixture
def person(township):
    return PersonFactory(township=township, name="王晓燕")


@pytest.fixture
def drafted(post, person, committee):
    """A drafted contract of 解放村's post, drafted on DRAFT_DAY with its printed contract."""
    from recruitment.documents.campaign import issue_contract

    with at(DRAFT_DAY):
        contract = contract_draft(
            application=None,
            person=person,
            post=post,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )
        issue_contract(contract, by=committee)
    return contract


def sign(contract, by, **kw):
    values = {
        "signatory": "李强",
        "township_on": TODAY,
        "director_on": TODAY,
    } | kw
    with at(TODAY):
        return contract_sign(contract=contract, by=by, **values)


@pytest.fixture
def signed(drafted, committee):
    return sign(drafted, committee)


# Signing ----------------------------------------------------------------------------------


def test_signing_records_both_signatures_and_supersedes_the_drafted_print(drafted, committee):
    drafted_print = document_current(kind=CONTRACT, subject=drafted)
    contract = sign(drafted, committee, township_on=TODAY, director_on=datetime.date(2026, 11, 25))
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED
    assert contract.township_signatory == "李强"
    assert contract.director_signed_on == datetime.date(2026, 11, 25)
    assert contract.filing_submitted_on == TODAY
    assert contract.signed_by == committee
    signed_print = document_current(kind=CONTRACT, subject=contract)
    assert signed_print is not None
    assert signed_print.supersedes == drafted_print
    assert signed_print.transition == "sign"
    text = pdf_text(signed_print)
    assert "李强" in text and "2026年11月25日" in text
    # The contract carries the full ID number, the instrument between two parties.
    assert contract.person.id_number in text
    assert AuditEntry.objects.filter(transition="sign", object_id=contract.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("township_on", datetime.date(2026, 11, 27), "in the future"),
        ("director_on", datetime.date(2026, 11, 27), "in the future"),
        ("township_on", datetime.date(2026, 11, 19), "before the contract was drafted"),
        ("director_on", datetime.date(2026, 11, 19), "before the contract was drafted"),
        ("signatory", "  ", "who signed for the township"),
    ],
)
def test_signing_refuses_bad_dates_and_a_missing_signatory(
    drafted, committee, field, value, message
):
    with pytest.raises(ValidationError) as caught:
        sign(drafted, committee, **{field: value})
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.messages)
    drafted.refresh_from_db()
    assert drafted.state == ContractState.DRAFTED
    current = document_current(kind=CONTRACT, subject=drafted)
    assert current is not None and current.transition == "draft"


def test_signing_refuses_a_contract_that_is_not_drafted(signed, committee):
    with pytest.raises(ValidationError, match="Only a drafted contract can be signed"):
        sign(signed, committee)


def test_a_stale_second_signing_gets_a_clear_message(drafted, committee):
    stale = Contract.objects.get(pk=drafted.pk)
    sign(drafted, committee)
    with pytest.raises(ValidationError, match="Someone else changed this contract meanwhile"):
        sign(stale, committee)
    assert Document.objects.filter(kind=CONTRACT, object_id=drafted.pk).count() == 2


@pytest.mark.parametrize("who", ["foreign_committee", "office", "hr"])
def test_only_the_townships_committee_signs(drafted, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        sign(drafted, user)
    drafted.refresh_from_db()
    assert drafted.state == ContractState.DRAFTED


# Filing, induction and activation --------------------------------------------------------


def file(contract, by, **kw):
    with at(TODAY):
        return contract_file(contract=contract, by=by, **kw)


def induct(contract, by, on=datetime.date(2026, 11, 24), **kw):
    with at(TODAY):
        return contract_record_induction(contract=contract, on=on, by=by, **kw)


def test_filing_refuses_a_contract_that_is_not_signed(drafted, hr):
    with pytest.raises(ValidationError, match="Only a signed contract can be filed"):
        file(drafted, hr)
    assert not Document.objects.filter(kind=COUNTY_FILING_FORM).exists()


def test_filing_twice_is_refused(signed, hr):
    file(signed, hr)  # not yet in force: no induction
    with pytest.raises(ValidationError, match="already filed"):
        file(signed, hr)


def test_only_county_hr_files_and_records_induction(signed, committee, township):
    far = UserFactory(role=Role.COUNTY_HR, county=CountyFactory(name="镇宁布依族苗族自治县"))
    for user in (committee, far):
        with pytest.raises(PermissionDenied):
            file(signed, user)
        with pytest.raises(PermissionDenied):
            induct(signed, user)


def test_filing_then_induction_puts_the_contract_in_force(signed, hr, post, person):
    file(signed, hr, filing_number="关人备〔2026〕12号")
    signed.refresh_from_db()
    assert signed.state == ContractState.SIGNED
    assert signed.filed_on == TODAY and signed.filed_by == hr
    assert Post.objects.get(pk=post.pk).holder_id is None
    text = pdf_text(document_current(kind=COUNTY_FILING_FORM, subject=signed))
    assert "关人备〔2026〕12号" in text
    assert person.id_number not in text and person.masked_id_number in text

    induct(signed, hr, note="县第一期初任培训")
    signed.refresh_from_db()
    assert signed.state == ContractState.ACTIVE
    assert signed.activated_on == TODAY
    assert signed.induction_source == InductionSource.RECORDED
    assert Post.objects.get(pk=post.pk).holder == person
    certificate = document_current(kind=INDUCTION_CERTIFICATE, subject=signed)
    assert "2026年11月24日" in pdf_text(certificate)
    assert AuditEntry.objects.filter(transition="activate", object_id=signed.pk).exists()


def test_induction_then_filing_puts_the_contract_in_force_and_fills_the_vacancy(
    post, person, committee, hr
):
    with at(DRAFT_DAY - datetime.timedelta(days=30)):
        vacancy = vacancy_open(
            post=post, on=DRAFT_DAY - datetime.timedelta(days=30), by=None, cause="new_post"
        )
    with at(DRAFT_DAY):
        contract = contract_draft(
            application=None,
            person=person,
            post=post,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )
    induct(contract, hr)  # before signing: recorded, not in force
    contract.refresh_from_db()
    assert contract.state == ContractState.DRAFTED
    contract = sign(contract, committee)
    file(contract, hr)
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
    vacancy.refresh_from_db()
    assert vacancy.state == VacancyState.FILLED
    assert vacancy.filled_by == contract
    assert Post.objects.get(pk=post.pk).holder == person


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"on": datetime.date(2026, 11, 27)}, "in the future"),
        (
            {"source": InductionSource.NOT_REQUIRED},
            "where the induction training record comes from",
        ),
    ],
)
def test_induction_refusals(signed, hr, kw, message):
    with pytest.raises(ValidationError, match=message):
        induct(signed, hr, **kw)
    signed.refresh_from_db()
    assert signed.induction_on is None


def test_induction_is_recorded_once(signed, hr):
    induct(signed, hr)
    with pytest.raises(ValidationError, match="already recorded"):
        induct(signed, hr)


def test_a_failing_document_leaves_nothing_filed(signed, hr, monkeypatch):
    induct(signed, hr)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("contracts.documents.document_issue", broken)
    with pytest.raises(OSError):
        file(signed, hr)
    signed.refresh_from_db()
    assert signed.filed_on is None and signed.state == ContractState.SIGNED
    assert not AuditEntry.objects.filter(transition="file", object_id=signed.pk).exists()


def test_a_renewal_needs_no_induction_and_ends_the_old_contract(
    signed, hr, committee, post, person
):
    induct(signed, hr)
    file(signed, hr)
    old = Contract.objects.get(pk=signed.pk)
    with at(TODAY):
        from audit.services import audited_transition

        with audited_transition(old, "open_renewal", by=None):
            old.open_renewal()
    renewal = Contract(
        person=person,
        post=post,
        township=old.township,
        policy=old.policy,
        term_years=3,
        start_date=old.end_date + datetime.timedelta(days=1),
        end_date=old.end_date.replace(year=old.end_date.year + 3),
        monthly_pay=old.monthly_pay,
        origin=ContractOrigin.RENEWAL,
        renews=old,
        induction_source=InductionSource.NOT_REQUIRED,
    )
    with at(DRAFT_DAY):
        renewal.save()
    with pytest.raises(ValidationError, match="does not take induction training again"):
        induct(renewal, hr)
    renewal = sign(renewal, committee)
    file(renewal, hr)
    renewal.refresh_from_db()
    old.refresh_from_db()
    assert renewal.state == ContractState.ACTIVE
    assert old.state == ContractState.RENEWED
    assert Post.objects.get(pk=post.pk).holder == person
    assert not Vacancy.objects.filter(post=post).exists()


def test_a_post_with_another_director_is_not_occupied(signed, hr, post):
    other = PersonFactory(township=post.village.township, name="李明")
    Post.objects.filter(pk=post.pk).update(holder=other)
    induct(signed, hr)
    with pytest.raises(ValidationError, match="already has a director"):
        file(signed, hr)
    signed.refresh_from_db()
    assert signed.state == ContractState.SIGNED and signed.filed_on is None


# One post a person ------------------------------------------------------------------------


def in_force_elsewhere(person, township) -> Contract:
    """A contract in force for ``person`` on another post (as an import records it)."""
    other = PostFactory(village=VillageFactory(township=township, name="红旗村"))
    contract = Contract.objects.create(
        person=person,
        post=other,
        township=township,
        policy=township.county.policies.first(),
        term_years=3,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        monthly_pay=1000,
        state=ContractState.ACTIVE,
        activated_on=datetime.date(2025, 1, 1),
    )
    Post.objects.filter(pk=other.pk).update(holder=person)
    return contract


def test_a_person_with_a_contract_is_not_drafted_for_a_second_post(drafted, committee, township):
    second = PostFactory(village=VillageFactory(township=township, name="红旗村"))
    with at(DRAFT_DAY), pytest.raises(ValidationError, match="one post at a time"):
        contract_draft(
            application=None,
            person=drafted.person,
            post=second,
            start_date=datetime.date(2026, 12, 1),
            by=committee,
        )
    assert Contract.objects.filter(person=drafted.person).count() == 1


def test_a_contract_does_not_come_into_force_for_a_person_in_post_elsewhere(signed, hr, township):
    elsewhere = in_force_elsewhere(signed.person, township)
    induct(signed, hr)
    with pytest.raises(ValidationError, match="one post at a time"):
        file(signed, hr)
    signed.refresh_from_db()
    assert signed.state == ContractState.SIGNED and signed.filed_on is None
    assert Contract.objects.get(pk=elsewhere.pk).state == ContractState.ACTIVE
