"""A whole campaign driven through the browser's requests, as the real roles do it.

The committee member opens the campaign with the flow's start form; the leading-group head
approves the announcement from the task; four people register on the public pages with a
photo and a scan; the timer closes registration; the committee reviews every application,
imports the written scores, enters the interview marks, confirms the ranking and publishes
the proposed hire; an objection is recorded and upheld, so the next in rank moves up; once
the notice period (counted in working days across the National Day holiday) has passed, the
committee confirms the hire. Every document on the way is downloaded and read back with
pypdf.
"""

import datetime
import io
import re
from io import StringIO
from typing import cast

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import get_resolver, reverse
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfReader
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from contracts.models import Contract
from organisation.models import Township
from paperwork.models import Document, DocumentKind
from recruitment.constants import ApplicationState, CampaignState, ObjectionDecision
from recruitment.models import Application, Campaign, Objection
from tests.factories import (
    CountyFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_pdf,
    make_village,
)
from workdays.calendar import add_working_days
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


START = datetime.date(2026, 9, 1)  # a Tuesday
REGISTRATION_END = datetime.date(2026, 9, 10)
WRITTEN_EXAM = datetime.date(2026, 9, 19)
INTERVIEW = datetime.date(2026, 9, 24)  # Thursday

# name, written score (None: absent), interview marks of the five panel members
APPLICANTS = [
    ("罗昇", "88.50", ["90", "91", "89", "90", "90"]),  # composite 89.25
    ("韦春燕", "86", ["85", "85", "86", "84", "85"]),  # composite 85.50
    ("王堃", "80.25", ["80", "80", "80", "80", "80"]),  # 80.125 → 80.13 (half-up)
    ("杨秀英", None, None),  # absent from the written exam
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def download(client, document: Document) -> str:
    response = client.get(reverse("paperwork:download", args=[document.pk]))
    assert response.status_code == 200, document
    return pdf_text(b"".join(response.streaming_content))


def documents_of(obj, kind: str | None = None):
    queryset = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    )
    return queryset.filter(kind=kind) if kind else queryset


def current(obj, kind: str) -> Document:
    return documents_of(obj, kind).get(superseded_by__isnull=True)


def image_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 180, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def scan_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("diploma.pdf", make_pdf(), content_type="application/pdf")


def my_task_url(client, user: User, node) -> str:
    """The execute page of ``user``'s task at ``node``, found as the user finds it: in
    "My tasks" of the campaign tasks page, then following the task's link."""
    client.force_login(user)
    dashboard = client.get(CampaignFlow.instance.reverse("index"))
    assert dashboard.status_code == 200
    links = [url for task, _campaign, url in dashboard.context["inbox"] if task.flow_task == node]
    assert len(links) == 1, (node, dashboard.context["inbox"])
    response = client.get(links[0])
    assert response.status_code == 302
    return response.url


def finish(client, user: User, node, data: dict | None = None):
    url = my_task_url(client, user, node)
    assert client.get(url).status_code == 200
    return client.post(url, data or {})


def assert_redirect(response) -> None:
    assert response.status_code == 302, response.content.decode()[:4000]


@pytest.fixture(autouse=True)
def urlconf():
    assert get_resolver().url_patterns


@pytest.fixture
def clock():
    cache.clear()  # the public pages' rate limits count in the cache
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(clock):
    county = CountyFactory()
    PolicyFactory(county=county)
    township = cast(Township, TownshipFactory(county=county, name="关索街道"))
    village = make_village(township, 1800, name="城内村")

    def user(username, role, **extra) -> User:
        return cast(
            User,
            UserFactory(username=username, role=role, county=county, **extra),
        )

    head = user("guansuo_head", Role.TOWNSHIP_COMMITTEE, township=township)
    township.leading_group_head = head
    township.save(update_fields=["leading_group_head"])
    return {
        "county": county,
        "township": township,
        "village": village,
        "head": head,
        "member": user("guansuo_committee", Role.TOWNSHIP_COMMITTEE, township=township),
        "hr": user("county_hr", Role.COUNTY_HR),
    }


def test_a_campaign_from_the_announcement_to_the_hire(client, clock, people):
    head, member, village = people["head"], people["member"], people["village"]

    # 1. The committee member opens the campaign with the flow's start form.
    client.force_login(member)
    start_url = CampaignFlow.start.reverse("execute")
    dashboard = client.get(CampaignFlow.instance.reverse("index"))
    assert dashboard.context["start_url"] == start_url
    form = client.get(start_url)
    assert form.status_code == 200
    assert_redirect(
        client.post(
            start_url,
            {
                "title": "关索街道2026年村级人口主任公开选聘",
                "kind": "regular",
                f"seats_{village.pk}": "1",
                "registration_start": START.isoformat(),
                "registration_end": REGISTRATION_END.isoformat(),
                "written_exam_at": f"{WRITTEN_EXAM.isoformat()}T09:00",
                "interview_at": f"{INTERVIEW.isoformat()}T09:00",
                "venue": "关岭自治县民族中学",
                "contact": "关索街道计生办 0851-3682000",
                "interview_panel_size": "5",
            },
        )
    )
    campaign = Campaign.objects.get()
    process = campaign.workflow_process
    assert campaign.state == CampaignState.DRAFT

    # 2. The head of the leading group approves the announcement.
    assert_redirect(
        finish(client, head, CampaignFlow.approve_announcement, {"decision": "approve"})
    )
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.ANNOUNCED
    announcement = current(campaign, DocumentKind.RECRUITMENT_ANNOUNCEMENT)
    client.force_login(member)
    text = download(client, announcement)
    assert "村级人口主任公开选聘公告" in text and announcement.verification_code in text
    assert "城内村" in text and "关岭自治县民族中学" in text

    # 3. Four people register on the public pages, without signing in.
    client.logout()
    listing = client.get(reverse("apply:campaign_list"))
    assert listing.status_code == 200 and campaign.title in listing.content.decode()
    public_announcement = client.get(reverse("apply:announcement", args=[campaign.pk]))
    assert public_announcement.status_code == 200
    for number, (name, _written, _marks) in enumerate(APPLICANTS):
        applicant = client_class_for(client)
        response = applicant.post(
            reverse("apply:campaign_detail", args=[campaign.pk]),
            {
                "offer": campaign.offers.get().pk,
                "name": name,
                "id_number": make_id_number(datetime.date(1992, 3, 5 + number)),
                "phone": f"1398765432{number}",
                "education": "high_school",
                "school": "关岭民族高级中学",
                "graduation_year": "2011",
                "household_registration": "贵州省关岭自治县关索街道",
                "pledge": "on",
                "photo": image_upload(),
                "education_certificate": [scan_upload()],
            },
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )
        assert_redirect(response)
        submitted = applicant.get(response.url)
        assert submitted.status_code == 200
        application = Application.objects.get(campaign=campaign, name=name)
        form_document = current(application, DocumentKind.REGISTRATION_FORM)
        own_copy = applicant.get(reverse("apply:document", args=[form_document.pk]))
        assert own_copy.status_code == 200
        text = pdf_text(b"".join(own_copy.streaming_content))
        assert name in text and form_document.verification_code in text
        assert application.attachments.count() == 2
    applications = {a.name: a for a in Application.objects.filter(campaign=campaign)}

    # 4. The day after the deadline the scheduled command closes registration.
    clock.move_to(at(REGISTRATION_END, 23, 59))
    call_command("workflow_timers", stdout=StringIO())
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.ANNOUNCED
    clock.move_to(at(REGISTRATION_END + datetime.timedelta(days=1), 0, 6))
    call_command("workflow_timers", stdout=StringIO())
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REGISTRATION_CLOSED

    # 5. The committee reviews every application, then finishes the review.
    clock.move_to(at(REGISTRATION_END + datetime.timedelta(days=1), 9))
    client.force_login(member)
    task_page = client.get(my_task_url(client, member, CampaignFlow.review_applications))
    assert not task_page.context["can_finish"]
    checks = {
        f"passed_{rule}": "on"
        for rule in ("age", "education", "id_number", "household", "documents")
    }
    for application in applications.values():
        review_url = reverse("recruitment:review_application", args=[application.pk])
        assert client.get(review_url).status_code == 200
        assert_redirect(client.post(review_url, {"decision": "eligible", "note": "", **checks}))
    for application in applications.values():
        result = current(application, DocumentKind.ELIGIBILITY_RESULT)
        text = download(client, result)
        assert application.name in text and result.verification_code in text
    assert_redirect(finish(client, member, CampaignFlow.review_applications))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REVIEWED
    for application in applications.values():
        application.refresh_from_db()
        ticket = current(application, DocumentKind.ADMISSION_TICKET)
        text = download(client, ticket)
        assert application.admission_number in text and ticket.verification_code in text

    # 6. After the written exam the scores come in as a spreadsheet.
    clock.move_to(at(WRITTEN_EXAM + datetime.timedelta(days=2)))
    client.force_login(member)  # another day: sessions last a working day (9 hours)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["准考证号", "姓名", "笔试成绩"])
    for name, written, _marks in APPLICANTS:
        sheet.append([applications[name].admission_number, name, written or "缺考"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile(
        "scores.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = client.post(reverse("recruitment:exam_import", args=[campaign.pk]), {"file": upload})
    assert response.status_code == 200, response.content.decode()[:3000]
    assert_redirect(finish(client, member, CampaignFlow.enter_written_scores))
    states = dict(Application.objects.filter(campaign=campaign).values_list("name", "state"))
    assert states == {
        "罗昇": ApplicationState.SHORTLISTED,
        "韦春燕": ApplicationState.SHORTLISTED,
        "王堃": ApplicationState.SHORTLISTED,
        "杨秀英": ApplicationState.ABSENT,
    }

    # 7. The interview panel's marks, then the ranking.
    clock.move_to(at(INTERVIEW + datetime.timedelta(days=1)))
    client.force_login(member)
    for name, _written, marks in APPLICANTS:
        if marks is None:
            continue
        data = {}
        for seat, mark in enumerate(marks, start=1):
            data[f"examiner_{seat}"] = f"考官{seat}"
            data[f"score_{seat}"] = mark
        url = reverse("recruitment:exam_interview_marks", args=[applications[name].pk])
        assert_redirect(client.post(url, data))
    assert_redirect(finish(client, member, CampaignFlow.enter_interview_marks))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.EXAMINED
    composites = dict(
        Application.objects.filter(campaign=campaign, state=ApplicationState.RANKED).values_list(
            "name", "composite_score"
        )
    )
    assert {name: str(score) for name, score in composites.items()} == {
        "罗昇": "89.25",
        "韦春燕": "85.50",
        "王堃": "80.13",
    }

    # 8. The committee confirms the ranking and publishes the proposed hire.
    assert_redirect(finish(client, member, CampaignFlow.confirm_ranking))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.PUBLICISED
    ranking_list = current(campaign, DocumentKind.SCORE_RANKING_LIST)
    text = download(client, ranking_list)
    assert ranking_list.verification_code in text
    assert all(name in text for name, _w, _m in APPLICANTS[:3]) and "80.13" in text
    notice = current(campaign, DocumentKind.PUBLIC_NOTICE)
    text = download(client, notice)
    assert "罗昇" in text and notice.verification_code in text
    # The notice runs from the day after publication for 7 working days, so across the
    # National Day holiday it ends well into October.
    published = INTERVIEW + datetime.timedelta(days=1)
    assert campaign.notice_starts_on == published + datetime.timedelta(days=1)
    assert campaign.notice_ends_on == add_working_days(published, campaign.notice_working_days)
    assert campaign.notice_ends_on >= datetime.date(2026, 10, 9)

    # 9. An objection to the proposed hire is recorded and upheld: the next in rank moves up.
    clock.move_to(at(published + datetime.timedelta(days=1)))
    task_url = my_task_url(client, member, CampaignFlow.handle_objections)
    page = client.get(task_url)
    assert page.status_code == 200 and not page.context["can_finish"]
    record_url = reverse("recruitment:objection_record", args=[campaign.pk])
    assert_redirect(
        client.post(
            record_url,
            {
                "application": applications["罗昇"].pk,
                "received_on": (published + datetime.timedelta(days=1)).isoformat(),
                "lodged_by": "城内村村民",
                "content": "反映该同志户籍不在本村。",
            },
        )
    )
    objection = Objection.objects.get()
    assert_redirect(
        client.post(
            reverse("recruitment:objection_decide", args=[objection.pk]),
            {"decision": ObjectionDecision.UPHELD, "finding": "经核实，户籍不在本村，异议成立。"},
        )
    )
    states = dict(Application.objects.filter(campaign=campaign).values_list("name", "state"))
    assert states["罗昇"] == ApplicationState.NOT_HIRED
    assert states["韦春燕"] == ApplicationState.PROPOSED
    notice.refresh_from_db()
    new_notice = current(campaign, DocumentKind.PUBLIC_NOTICE)
    assert new_notice.pk != notice.pk
    text = download(client, new_notice)
    assert "韦春燕" in text and new_notice.verification_code in text

    # The step cannot be finished while the notice runs.
    response = client.post(task_url, {"confirm": "on"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()

    # 10. After the notice period the committee closes it and confirms the hire.
    campaign.refresh_from_db()
    clock.move_to(at(campaign.notice_ends_on + datetime.timedelta(days=1)))
    assert_redirect(finish(client, member, CampaignFlow.handle_objections, {"confirm": "on"}))
    start_date = campaign.notice_ends_on + datetime.timedelta(days=7)
    hired_page = finish(
        client,
        member,
        CampaignFlow.confirm_hires,
        {"start_date": start_date.isoformat(), "confirm": "on"},
    )
    assert_redirect(hired_page)
    assert hired_page.url == reverse("recruitment:campaign_detail", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CONCLUDED
    states = dict(Application.objects.filter(campaign=campaign).values_list("name", "state"))
    assert states == {
        "罗昇": ApplicationState.NOT_HIRED,
        "韦春燕": ApplicationState.HIRED,
        "王堃": ApplicationState.RESERVE,
        "杨秀英": ApplicationState.ABSENT,
    }
    hired = Application.objects.get(campaign=campaign, name="韦春燕")
    notice_of_hire = current(hired, DocumentKind.HIRING_NOTICE)
    text = download(client, notice_of_hire)
    assert "韦春燕" in text and notice_of_hire.verification_code in text
    contract = Contract.objects.get()
    assert contract.start_date == start_date
    contract_document = current(contract, DocumentKind.CONTRACT)
    # The contract carries the full ID number: the committee member may not download it;
    # county HR (who may see full numbers) does, and the download is logged.
    contract_url = reverse("paperwork:download", args=[contract_document.pk])
    assert client.get(contract_url).status_code == 403
    client.force_login(people["hr"])
    text = download(client, contract_document)
    client.force_login(member)
    assert "韦春燕" in text and contract_document.verification_code in text
    assert contract.person.id_number in text
    for name in ("罗昇", "王堃"):  # not hired after the objection; on the reserve list
        application = Application.objects.get(campaign=campaign, name=name)
        letter = current(application, DocumentKind.NOT_HIRED_LETTER)
        text = download(client, letter)
        assert name in text and letter.verification_code in text

    # The process ended, every human step done by the people it was assigned to, nothing
    # escalated; every document of the campaign reads back with its verification code.
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    human = Task.objects.filter(process=process, flow_task_type="HUMAN")
    assert {task.status for task in human} == {STATUS.DONE}
    assert {task.owner for task in human.exclude(flow_task=CampaignFlow.approve_announcement)} == {
        member
    }
    assert not AuditEntry.objects.filter(transition="escalate").exists()
    subjects = [campaign, contract, *Application.objects.filter(campaign=campaign)]
    every_document = [d for subject in subjects for d in documents_of(subject)]
    assert len(every_document) >= 20
    for document in every_document:
        if document.kind == DocumentKind.CONTRACT:  # county HR read it above
            continue
        assert document.verification_code in download(client, document), document


def client_class_for(client):
    """A fresh browser for each applicant: their own session, no one signed in."""
    return type(client)()
