"""Target-responsibility agreements (目标管理责任书): the county's template, drafting one per
director in post, the village's values, the three signatures, the print, the overdue rule and
its sweep step. Every bad input is refused with a clear message and nothing changed."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from accounts.constants import Role
from agreements.constants import AgreementState
from agreements.kinds import TARGET_AGREEMENT
from agreements.models import AgreementTemplate, TargetAgreement
from agreements.selectors import overdue
from agreements.services import (
    Line,
    agreement_set_values,
    agreement_sign,
    agreements_draft_for_township,
    template_create,
    template_update,
)
from agreements.sweep_steps import agreements_overdue
from audit.models import AuditEntry
from notifications.models import Category, Notification
from paperwork.models import Document
from paperwork.selectors import document_current
from tests.agreements_support import LINES, county_template, side_agreement
from tests.matrix_support import make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

TODAY = datetime.date(2026, 11, 29)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def office(world):
    return world.users[Role.TOWNSHIP_OFFICE]


@pytest.fixture
def hr(world):
    return world.users[Role.COUNTY_HR]


@pytest.fixture
def drafted(world, office):
    county_template(world)
    world.term("own")
    (agreement,) = agreements_draft_for_township(
        township=world.own.township, year=2026, by=office, on=datetime.date(2026, 1, 5)
    )
    return agreement


def pdf_text(document: Document) -> str:
    reader = PdfReader(io.BytesIO(document.file.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def sign(agreement, by, **changes):
    values = {
        "township_signatory": "杨光荣",
        "township_on": datetime.date(2026, 1, 10),
        "village_signatory": "韦国富",
        "village_on": datetime.date(2026, 1, 10),
        "director_on": datetime.date(2026, 1, 11),
    }
    values.update(changes)
    return agreement_sign(agreement=agreement, by=by, **values)


# --- templates ------------------------------------------------------------------------------


def test_a_template_is_created_with_its_lines_and_a_second_is_the_next_version(world, hr):
    first = template_create(county=world.county, year=2027, title="2027年目标", lines=LINES, by=hr)
    assert first.version == 1
    assert [(line.name, line.default_value) for line in first.lines.all()] == [
        ("政策外多孩生育", Decimal("0.00")),
        ("出生人口信息准确率", Decimal("95.00")),
        ("已婚育龄妇女月访", Decimal("12.00")),
    ]
    second = template_create(
        county=world.county, year=2027, title="2027年目标（修订）", lines=LINES[:1], by=hr
    )
    assert second.version == 2
    assert AuditEntry.objects.filter(object_id=second.pk, action=AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lines": []}, "at least one target line"),
        (
            {
                "lines": [
                    Line("出生人口信息准确率", "%", "95"),
                    Line("出生人口信息准确率", "%", "90"),
                ]
            },
            "entered twice",
        ),
        ({"lines": [Line("出生人口信息准确率", "%", "-1")]}, "must be from 0"),
        ({"lines": [Line("出生人口信息准确率", "%", "abc")]}, "is not a number"),
        ({"lines": [Line("出生人口信息准确率", "%", None)]}, "Enter the value"),
        ({"lines": [Line("", "%", "1")]}, "Enter the name of target line 1"),
        ({"title": " "}, "Enter the title"),
        ({"year": 1999}, "The year must be from 2000"),
        ({"year": 2028}, "The year must be from 2000 to 2027"),
    ],
)
def test_bad_templates_are_refused_with_nothing_saved(world, hr, changes, message):
    values = {"county": world.county, "year": 2027, "title": "2027年目标", "lines": LINES}
    values.update(changes)
    with pytest.raises(ValidationError, match=message):
        template_create(by=hr, **values)
    assert not AgreementTemplate.objects.exists()


def test_only_county_hr_sets_templates(world):
    for role in (Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.DIRECTOR):
        with pytest.raises(PermissionDenied):
            template_create(
                county=world.county, year=2027, title="x", lines=LINES, by=world.users[role]
            )
    assert not AgreementTemplate.objects.exists()


def test_a_template_is_edited_until_an_agreement_uses_it(world, hr, office):
    template = county_template(world)
    template_update(template=template, title="新标题", lines=LINES[:2], by=hr)
    assert template.lines.count() == 2
    world.term("own")
    agreements_draft_for_township(township=world.own.township, year=2026, by=office)
    with pytest.raises(ValidationError, match="locked"):
        template_update(template=template, title="再改", lines=LINES, by=hr)
    template.refresh_from_db()
    assert template.title == "新标题" and template.lines.count() == 2


# --- drafting -------------------------------------------------------------------------------


def test_drafting_makes_one_agreement_per_director_in_post_and_prints_it(world, office, drafted):
    assert drafted.state == AgreementState.DRAFTED
    assert drafted.person == world.own.person and drafted.village == world.own.village
    assert [line["value"] for line in drafted.targets] == ["0.00", "95.00", "12.00"]
    document = document_current(kind=TARGET_AGREEMENT, subject=drafted)
    assert document is not None and document.title == "2026年度计划生育工作目标管理责任书"
    text = pdf_text(document)
    for words in (
        "2026年度计划生育工作目标管理责任书",
        "出生人口信息准确率",
        "95%",
        world.own.person.name,
    ):
        assert words in text
    # Idempotent: drafting again makes nothing.
    assert agreements_draft_for_township(township=world.own.township, year=2026, by=office) == []
    assert TargetAgreement.objects.count() == 1


def test_drafting_needs_the_county_template(world, office):
    world.term("own")
    with pytest.raises(ValidationError, match="no agreement template for 2026"):
        agreements_draft_for_township(township=world.own.township, year=2026, by=office)
    assert not TargetAgreement.objects.exists()


def test_drafting_refuses_another_township_and_a_future_date(world, office):
    county_template(world)
    world.term("foreign")
    with pytest.raises(PermissionDenied):
        agreements_draft_for_township(township=world.foreign.township, year=2026, by=office)
    world.term("own")
    with pytest.raises(ValidationError, match="in the future"):
        agreements_draft_for_township(
            township=world.own.township, year=2026, by=office, on=datetime.date(2026, 12, 1)
        )
    assert not TargetAgreement.objects.exists()


def test_one_agreement_per_director_and_year_in_the_database(drafted):
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetAgreement.objects.create(
            template=drafted.template,
            township=drafted.township,
            village=drafted.village,
            person=drafted.person,
            contract=drafted.contract,
            policy=drafted.policy,
            year=2026,
            drafted_on=TODAY,
        )


# --- values ---------------------------------------------------------------------------------


def test_the_township_adjusts_the_villages_values_and_the_print_is_superseded(drafted, office):
    first = document_current(kind=TARGET_AGREEMENT, subject=drafted)
    agreement_set_values(agreement=drafted, values=["0", "97.555", "10"], by=office)
    drafted.refresh_from_db()
    assert [line["value"] for line in drafted.targets] == ["0.00", "97.56", "10.00"]
    assert [line["default"] for line in drafted.targets] == ["0.00", "95.00", "12.00"]
    second = document_current(kind=TARGET_AGREEMENT, subject=drafted)
    assert second is not None and second.supersedes == first
    assert "97.56%" in pdf_text(second)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["0", "95"], "a value for each of the 3 targets"),
        (["0", "-5", "12"], "must be from 0"),
        (["0", "x", "12"], "is not a number"),
        (["0", "", "12"], "Enter the value"),
    ],
)
def test_bad_values_are_refused_with_nothing_changed(drafted, office, values, message):
    before = list(drafted.targets)
    with pytest.raises(ValidationError, match=message):
        agreement_set_values(agreement=drafted, values=values, by=office)
    drafted.refresh_from_db()
    assert drafted.targets == before
    assert Document.objects.filter(kind=TARGET_AGREEMENT).count() == 1


# --- signing --------------------------------------------------------------------------------


def test_signing_records_the_three_parties_and_prints_the_signed_agreement(drafted, office):
    sign(drafted, office)
    drafted.refresh_from_db()
    assert drafted.state == AgreementState.SIGNED
    assert (drafted.township_signatory, drafted.village_signatory) == ("杨光荣", "韦国富")
    assert drafted.director_signed_on == datetime.date(2026, 1, 11)
    assert drafted.recorded_by == office
    document = document_current(kind=TARGET_AGREEMENT, subject=drafted)
    assert document is not None and document.transition == "sign" and document.supersedes
    text = pdf_text(document)
    assert "杨光荣" in text and "韦国富" in text and "2026年1月11日" in text
    assert AuditEntry.objects.filter(transition="sign", object_id=drafted.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"township_on": None}, "Enter the date the township office signed"),
        ({"village_on": None}, "Enter the date the village committee signed"),
        ({"director_on": None}, "Enter the date the director signed"),
        ({"director_on": datetime.date(2026, 11, 30)}, "in the future"),
        ({"village_on": datetime.date(2026, 1, 4)}, "before the agreement was drafted"),
        ({"township_signatory": "  "}, "township office"),
        ({"village_signatory": ""}, "village committee"),
        ({"village_signatory": "韦" * 65}, "longer than 64"),
    ],
)
def test_bad_signatures_are_refused_with_nothing_changed(drafted, office, changes, message):
    with pytest.raises(ValidationError, match=message):
        sign(drafted, office, **changes)
    drafted.refresh_from_db()
    assert drafted.state == AgreementState.DRAFTED and drafted.township_signed_on is None
    assert Document.objects.filter(kind=TARGET_AGREEMENT).count() == 1


def test_a_signed_agreement_is_not_signed_or_changed_again(drafted, office):
    signed = sign(drafted, office)
    with pytest.raises(ValidationError, match="only before the agreement is signed"):
        sign(signed, office)
    with pytest.raises(ValidationError, match="only before the agreement is signed"):
        agreement_set_values(agreement=signed, values=["1", "1", "1"], by=office)


def test_a_stale_copy_is_refused(drafted, office):
    stale = TargetAgreement.objects.get(pk=drafted.pk)
    sign(drafted, office)
    with pytest.raises(ValidationError, match="Someone else changed this agreement"):
        sign(stale, office)


@pytest.mark.parametrize("role", [Role.VILLAGE_COMMITTEE, Role.DIRECTOR, Role.COUNTY_HR])
def test_only_the_townships_office_and_committee_record_signatures(world, drafted, role):
    with pytest.raises(PermissionDenied):
        sign(drafted, world.users[role])
    drafted.refresh_from_db()
    assert drafted.state == AgreementState.DRAFTED


def test_a_failing_print_leaves_nothing_signed(drafted, office, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("agreements.documents.document_issue", broken)
    with pytest.raises(OSError):
        sign(drafted, office)
    drafted.refresh_from_db()
    assert drafted.state == AgreementState.DRAFTED
    assert not AuditEntry.objects.filter(transition="sign", object_id=drafted.pk).exists()


# --- overdue --------------------------------------------------------------------------------


def test_overdue_starts_the_day_after_the_policy_date(world, drafted):
    world.term("foreign")  # a director in post with no agreement at all
    # The default policy: signed by 31 March.
    assert overdue(today=datetime.date(2026, 3, 31)) == []
    late = overdue(today=datetime.date(2026, 4, 1))
    assert {(item.person.name, item.agreement) for item in late} == {
        (world.own.person.name, drafted),
        (world.foreign.person.name, None),
    }
    assert all(item.due_on == datetime.date(2026, 3, 31) for item in late)
    assert [
        i.person for i in overdue(today=datetime.date(2026, 4, 1), township=world.own.township)
    ] == [world.own.person]
    assert len(overdue(today=datetime.date(2026, 4, 1), county=world.county)) == 2


def test_the_policy_date_is_the_countys(world, drafted):
    world.policy.agreement_due_month, world.policy.agreement_due_day = 2, 28
    world.policy.save()
    assert overdue(today=datetime.date(2026, 2, 28)) == []
    assert len(overdue(today=datetime.date(2026, 3, 1))) == 1


def test_a_signed_agreement_is_not_overdue(drafted, office):
    sign(drafted, office)
    assert overdue(today=TODAY) == []


def test_the_sweep_tells_the_committee_once_per_agreement(world, drafted):
    world.term("foreign")  # its committee member is made with it
    committee = world.users[Role.TOWNSHIP_COMMITTEE]
    assert agreements_overdue(today=TODAY) == 2
    overdue = Notification.objects.filter(category=Category.DEADLINES)
    missing = overdue.get(user__township=world.foreign.township)
    assert "has no target-responsibility agreement for 2026" in missing.text
    notice = overdue.get(user=committee)
    assert "not signed" in notice.text and world.own.person.name in notice.text
    assert notice.url.endswith(f"/agreements/{drafted.pk}/")
    assert agreements_overdue(today=TODAY) == 0
    assert agreements_overdue(today=datetime.date(2026, 3, 31)) == 0


def test_the_support_drafts_through_the_services(world):
    agreement = side_agreement(world, "own")
    assert agreement.drafted_on == datetime.date(2026, 1, 5)
