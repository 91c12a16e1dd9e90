"""The paperwork table (recruitment.paperwork.PAPERWORK): every entry renders.

A campaign is run through the services to its conclusion, so that each entry has a subject
that really went through its transition (an ineligible application, a waived one, the hired
one, a rejected one, the drafted contract...). Then every entry of the table is issued again
for its subject: the document has the entry's kind, and its PDF reads back with its
verification code.
"""

import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from contracts.models import Contract
from organisation.models import Township
from paperwork.models import Document
from recruitment.constants import ApplicationState, CampaignKind, EligibilityRule
from recruitment.models import Application, Campaign
from recruitment.paperwork import PAPERWORK, PaperworkEntry
from tests.factories import (
    CountyFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_pdf,
    make_village,
)

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


def subject_for(entry: PaperworkEntry, world) -> object:
    """A record that went through the entry's transition: the subject of a document the
    services issued for it, else of an audited transition of that name."""
    if entry.model == "Campaign":
        return world.campaign
    if entry.model == "Contract":
        return Contract.objects.get()
    applications = {a.pk: a for a in world.applications.values()}
    content_type = ContentType.objects.get_for_model(Application)
    issued = Document.objects.filter(
        content_type=content_type, transition=entry.transition, kind=entry.kind
    ).values_list("object_id", flat=True)
    audited = AuditEntry.objects.filter(
        content_type=content_type, transition=entry.transition
    ).values_list("object_id", flat=True)
    for ids in (issued, audited):
        found = [applications[pk] for pk in ids if pk in applications]
        if found:
            return found[0]
    return world.applications[KNOWN[entry.transition]]


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_every_entry_of_the_paperwork_table_renders(concluded):
    # The subjects went through the transitions the table names.
    states = {name: a.state for name, a in concluded.applications.items()}
    assert states == {
        "罗昇": ApplicationState.HIRED,
        "韦春燕": ApplicationState.RESERVE,
        "王堃": ApplicationState.NOT_HIRED,
        "杨秀英": ApplicationState.ABSENT,
        "陈晓": ApplicationState.INELIGIBLE,
    }
    assert Contract.objects.get().person == concluded.applications["罗昇"].person

    assert {(e.model, e.transition) for e in PAPERWORK} >= {
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
    }
    for entry in PAPERWORK:
        subject = subject_for(entry, concluded)
        document = entry.issue(subject, by=concluded.member)
        assert document.kind == entry.kind, entry
        assert document.object_id == subject.pk, entry
        text = pdf_text(document)
        assert document.verification_code in text, entry
