"""The paperwork table (paperwork.table.all_entries(), declared by recruitment and contracts):
one walk renders every entry.

A campaign is run through the services to its conclusion, and the term after it (signing,
filing, induction, an acting person, a resignation, a termination, a dismissal, a renewal), so
that each entry has a subject that really went through its transition and got its document.
Then every entry of the table is issued again for its subject: the document has the entry's
kind, and its PDF reads back with its verification code, the kind's title and the name of the
person it is about.
"""

import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from contracts.constants import CaseDecision, EndReason
from contracts.models import Contract, DismissalGround, Resignation, Vacancy
from contracts.services.dismissal import case_decide, case_hear, case_open
from contracts.services.endings import contract_terminate, resignation_accept, resignation_request
from contracts.services.renewal import renewal_decide, renewal_review_open
from contracts.services.signing import contract_file, contract_record_induction, contract_sign
from contracts.services.vacancies import vacancy_designate_acting
from organisation.models import Township
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.table import PaperworkEntry, all_entries
from policy.selectors import policy_in_force
from recruitment.constants import ApplicationState, CampaignKind, EligibilityRule
from recruitment.models import Application, Campaign
from tests.endings_support import active_contract
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_pdf,
    make_village,
)
from workdays.calendar import add_years

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


RULES = [rule.value for rule in EligibilityRule]


def checks(failing: str | None = None) -> list[dict]:
    return [
        {
            "rule": rule,
            "passed": rule != failing,
            "detail": "户籍不在本乡镇" if rule == failing else "",
        }
        for rule in RULES
    ]


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 180, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("diploma.pdf", make_pdf(), content_type="application/pdf")


@pytest.fixture
def concluded():
    """A campaign of five applicants run to its hires through the services:
    罗昇, 韦春燕, 王堃 eligible; 杨秀英 ineligible, then eligible by a waiver, absent from the
    exam; 陈晓 ineligible. 罗昇 is hired, 韦春燕 and 王堃 are not (reserve or rejected)."""
    from recruitment.services.applications import application_submit
    from recruitment.services.campaigns import (
        campaign_announce,
        campaign_close_registration,
        campaign_create,
    )
    from recruitment.services.hiring import campaign_confirm_hires
    from recruitment.services.interview import (
        campaign_finish_exams,
        interview_marks_record,
        ranking_compute,
    )
    from recruitment.services.notice import campaign_confirm_ranking, campaign_publicise
    from recruitment.services.review import (
        application_review,
        campaign_finish_review,
        waiver_decide,
        waiver_request,
    )
    from recruitment.services.written_exam import shortlist_draw, written_scores_record

    with time_machine.travel(at(datetime.date(2026, 9, 1)), tick=False) as clock:
        county = CountyFactory()
        PolicyFactory(county=county)
        township = cast(Township, TownshipFactory(county=county, name="关索街道"))
        village = make_village(township, 1800, name="城内村")
        head = cast(
            User,
            UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=township),
        )
        member = cast(
            User,
            UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=township),
        )
        hr = cast(User, UserFactory(role=Role.COUNTY_HR, county=county))
        township.leading_group_head = head
        township.save(update_fields=["leading_group_head"])

        campaign = campaign_create(
            township=township,
            title="关索街道2026年村级人口主任公开选聘",
            kind=CampaignKind.REGULAR,
            offers=[(village, 1)],
            registration_start=datetime.date(2026, 9, 1),
            registration_end=datetime.date(2026, 9, 10),
            written_exam_at=at(datetime.date(2026, 9, 19)),
            interview_at=at(datetime.date(2026, 9, 24)),
            venue="关岭自治县民族中学",
            contact="关索街道计生办 0851-3682000",
            interview_panel_size=3,
            by=member,
        )
        campaign = campaign_announce(campaign=campaign, by=head)
        offer = campaign.offers.get()
        applications = {}
        for number, name in enumerate(["罗昇", "韦春燕", "王堃", "杨秀英", "陈晓"]):
            applications[name] = application_submit(
                campaign=campaign,
                offer=offer,
                data={
                    "name": name,
                    "id_number": make_id_number(datetime.date(1993, 4, 1 + number)),
                    "phone": f"1398765430{number}",
                    "education": "high_school",
                    "school": "关岭民族高级中学",
                    "graduation_year": 2012,
                    "household_registration": "贵州省关岭自治县关索街道",
                },
                files={"photo": photo(), "education_certificate": [scan()], "other": []},
            )

        clock.move_to(at(datetime.date(2026, 9, 11)))
        campaign_close_registration(campaign=campaign, by=None)
        for name in ("罗昇", "韦春燕", "王堃"):
            application_review(
                application=applications[name], by=member, eligible=True, checks=checks(), note=""
            )
        for name in ("杨秀英", "陈晓"):
            application_review(
                application=applications[name],
                by=member,
                eligible=False,
                checks=checks(EligibilityRule.HOUSEHOLD),
                note="户籍不符合要求",
            )
        waiver = waiver_request(
            application=applications["杨秀英"],
            rule=EligibilityRule.HOUSEHOLD,
            justification="长期在本村居住并从事计生工作",
            by=member,
        )
        waiver_decide(waiver=waiver, approve=True, note="同意", by=hr)
        campaign_finish_review(campaign=campaign, by=member)

        clock.move_to(at(datetime.date(2026, 9, 21)))
        scores = {"罗昇": "88", "韦春燕": "86", "王堃": "50", "杨秀英": None}
        written_scores_record(
            campaign=campaign,
            rows=[
                (applications[name].pk, None if score is None else Decimal(score))
                for name, score in scores.items()
            ],
            by=member,
        )
        shortlist_draw(campaign=campaign, by=member)
        clock.move_to(at(datetime.date(2026, 9, 25)))
        for name, mark in (("罗昇", "90"), ("韦春燕", "80")):
            interview_marks_record(
                application=applications[name],
                marks=[(seat, f"考官{seat}", Decimal(mark)) for seat in (1, 2, 3)],
                by=member,
            )
        ranking_compute(campaign=campaign, by=member)
        campaign_finish_exams(campaign=campaign, by=member)
        campaign_confirm_ranking(campaign=campaign, by=member)
        campaign_publicise(campaign=campaign, by=member)

        campaign.refresh_from_db()
        assert campaign.notice_ends_on is not None
        clock.move_to(at(campaign.notice_ends_on + datetime.timedelta(days=1)))
        campaign_confirm_hires(
            campaign=campaign,
            start_date=campaign.notice_ends_on + datetime.timedelta(days=7),
            by=member,
        )
        yield SimpleNamespace(
            campaign=Campaign.objects.get(pk=campaign.pk),
            applications={a.name: a for a in Application.objects.filter(campaign=campaign)},
            member=member,
            hr=hr,
            township=township,
            clock=clock,
        )


# Who went through each application step in the campaign above, where neither the documents
# nor the audit trail name the step.
KNOWN = {
    "submit": "陈晓",
    "mark_eligible": "罗昇",
    "mark_ineligible": "陈晓",
    "waive": "杨秀英",
    "admit": "韦春燕",
    "hire": "罗昇",
    "reject": "王堃",
    "keep_in_reserve": "韦春燕",
}


def subject_for(entry: PaperworkEntry, world) -> Any:
    """A record that went through the entry's transition: the subject of an audited
    transition of that name the entry applies to, else the one named in ``KNOWN``."""
    if entry.model is Campaign:
        return world.campaign
    content_type = ContentType.objects.get_for_model(entry.model)
    audited = AuditEntry.objects.filter(
        content_type=content_type, transition=entry.transition
    ).values_list("object_id", flat=True)
    for subject in entry.model._default_manager.filter(pk__in=audited).order_by("pk"):
        if entry.applies_to(subject):
            return subject
    if entry.model is Contract:
        return Contract.objects.order_by("pk").first()
    return world.applications[KNOWN[entry.transition]]


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def termed(concluded):
    """The concluded campaign's hire signed, inducted and filed, and other directors of the
    township through the rest of the term, each by its service: a termination (its post then
    given an acting person), a resignation accepted, a dismissal and a renewal."""
    world, today = concluded, timezone.localdate()
    member, hr, township = world.member, world.hr, world.township
    hired = Contract.objects.get()
    contract_sign(contract=hired, signatory="李强", township_on=today, director_on=today, by=member)
    contract_record_induction(contract=Contract.objects.get(), on=today, by=hr)
    contract_file(contract=Contract.objects.get(), by=hr)

    ended = active_contract(township, name="赵敏", start=datetime.date(2025, 1, 1))
    contract_terminate(
        contract=ended, reason=EndReason.HEALTH, on=today, note="因病不能履职", by=member
    )
    vacancy_designate_acting(
        vacancy=Vacancy.objects.get(post=ended.post_id),
        person=PersonFactory(township=township, name="钱芳"),
        on=today,
        by=member,
    )

    resigning = active_contract(township, name="孙丽", start=datetime.date(2025, 1, 1))
    resignation = resignation_request(contract=resigning, reason="家庭原因", by=member, on=today)
    resignation_accept(
        resignation=resignation,
        end_date=resignation.notice_ends_on,
        agreed_earlier=False,
        by=member,
        on=today,
    )

    dismissed = active_contract(township, name="周强", start=datetime.date(2025, 1, 1))
    case = case_open(
        contract=dismissed,
        grounds=[DismissalGround.objects.order_by("position")[2]],
        period=today.year,
        summary="统计数据严重失实",
        by=member,
        on=today,
    )
    case_hear(case=case, statement="本人对事实无异议。", declined=False, by=member, on=today)
    case_decide(case=case, decision=CaseDecision.DISMISS, reasons="情节严重", by=member, on=today)

    policy = policy_in_force(county=township.county, on=today)
    renewing = active_contract(
        township,
        name="吴刚",
        start=add_years(today, -policy.term_years) + datetime.timedelta(days=30),
    )
    review = renewal_review_open(contract=renewing, today=today)
    renewal_decide(
        review=review, renew=True, reasons="考核优秀", by=member, on=today, reselected=True
    )

    # A township's training session and who attended it (training.services).
    from accounts.constants import Role
    from training.constants import CourseKind
    from training.services import attendance_record_many, course_create

    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    course = course_create(
        county=township.county,
        township=township,
        kind=CourseKind.TOWNSHIP_SESSION,
        title="业务培训",
        starts_on=today,
        ends_on=today,
        days="1",
        hours="6",
        by=office,
    )
    attendance_record_many(course=course, persons=[renewing.person], by=office)
    return world


def about(subject):
    """The record a document of the subject's transition is about."""
    return subject.contract if isinstance(subject, Resignation) else subject


# The apps whose entries this walk covers, from the campaign to the end of a term.
TERM_APPS = ("recruitment", "contracts", "training")


def test_every_entry_of_the_paperwork_table_renders(termed):
    concluded = termed
    # The subjects went through the transitions the table names.
    states = {name: a.state for name, a in concluded.applications.items()}
    assert states == {
        "罗昇": ApplicationState.HIRED,
        "韦春燕": ApplicationState.RESERVE,
        "王堃": ApplicationState.NOT_HIRED,
        "杨秀英": ApplicationState.ABSENT,
        "陈晓": ApplicationState.INELIGIBLE,
    }
    assert (
        Contract.objects.get(application__isnull=False).person
        == concluded.applications["罗昇"].person
    )

    assert {(e.model.__name__, e.transition) for e in all_entries()} >= {
        ("Campaign", "announce"),
        ("Application", "submit"),
        ("Application", "mark_eligible"),
        ("Application", "mark_ineligible"),
        ("Application", "waive"),
        ("Application", "admit"),
        ("Campaign", "confirm_ranking"),
        ("Campaign", "publicise"),
        ("Application", "hire"),
        ("Contract", "draft"),
        ("Application", "reject"),
        ("Contract", "sign"),
        ("Contract", "file"),
        ("Contract", "record_induction"),
        ("Vacancy", "designate_acting"),
        ("RenewalReview", "decide_renew"),
        ("Resignation", "accept"),
        ("Contract", "terminate"),
        ("DismissalCase", "decide"),
    }
    for entry in all_entries():
        if entry.model._meta.app_label not in TERM_APPS:
            continue  # issue 8's documents: walked by tests/test_term_simulation.py
        subject = subject_for(entry, concluded)
        assert entry.applies_to(subject), entry
        # The services issued the entry's document when the subject went through it.
        issued = document_current(kind=entry.kind, subject=about(subject))
        assert issued is not None, entry
        document = entry.issue(subject, by=concluded.member)
        assert document.kind == entry.kind, entry
        assert document.object_id == about(subject).pk, entry
        text = pdf_text(document)
        assert document.verification_code in text, entry
        assert entry.kind.printed_title in text, entry
        if document.person is not None:
            assert document.person.name in text, entry
