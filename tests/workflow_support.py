"""A campaign of the recruitment flow taken to any of its human steps, for the workflow tests.

``make_people`` builds a county with two townships and named users (a head and a member of
the own township's committee, its office, a member of the foreign township, county HR);
``Run`` opens a campaign with its process and takes it step by step: the data of each stage
(applications, eligibility, scores, marks) is entered through the recruitment services, and
each task of the flow is finished on its own page with the test client, as people do.
``Run.to(node)`` stops with the task at ``node`` open and everything it needs in place, so
finishing it would succeed.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace
from typing import Any, cast

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from PIL import Image
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.models import User
from organisation.models import Township
from recruitment.constants import CampaignKind, EligibilityRule
from recruitment.models import Application, Campaign
from tests.factories import (
    CountyFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_pdf,
    make_village,
)
from workflows.flows import CampaignFlow
from workflows.models import CampaignProcess

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# Tuesday 1 September 2026, 09:00 in Guanling: registration is open.
NOW = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)
REGISTRATION_END = datetime.date(2026, 9, 10)
WRITTEN_EXAM = datetime.date(2026, 9, 19)
INTERVIEW = datetime.date(2026, 9, 26)

# The human steps in the order the flow reaches them.
STEPS = [
    CampaignFlow.approve_announcement,
    CampaignFlow.review_applications,
    CampaignFlow.enter_written_scores,
    CampaignFlow.enter_interview_marks,
    CampaignFlow.confirm_ranking,
    CampaignFlow.handle_objections,
    CampaignFlow.confirm_hires,
]

# Applicants: name, written score, interview mark of each of the three examiners.
APPLICANTS = [("罗昇", "88", "90"), ("韦春燕", "86", "80"), ("王堃", "79", "75")]


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def named_user(role, county, township=None, *, username: str, family: str, given: str) -> User:
    return cast(
        User,
        UserFactory(
            role=role,
            county=county,
            township=township,
            username=username,
            last_name=family,
            first_name=given,
        ),
    )


def make_people() -> SimpleNamespace:
    county = CountyFactory()
    PolicyFactory(county=county)
    own = cast(Township, TownshipFactory(county=county, name="关索街道"))
    foreign = cast(Township, TownshipFactory(county=county, name="花江镇"))
    people = SimpleNamespace(
        county=county,
        own=own,
        foreign=foreign,
        villages={
            own: make_village(own, 1800, name="城内村"),
            foreign: make_village(foreign, 1800, name="和平村"),
        },
        head=named_user(
            Role.TOWNSHIP_COMMITTEE, county, own, username="guansuo_head", family="杨", given="光明"
        ),
        member=named_user(
            Role.TOWNSHIP_COMMITTEE, county, own, username="guansuo_member", family="罗", given="敏"
        ),
        office=named_user(
            Role.TOWNSHIP_OFFICE, county, own, username="guansuo_office", family="韦", given="丽"
        ),
        foreign_member=named_user(
            Role.TOWNSHIP_COMMITTEE,
            county,
            foreign,
            username="huajiang_member",
            family="王",
            given="强",
        ),
        hr=named_user(Role.COUNTY_HR, county, username="county_hr", family="陈", given="静"),
    )
    own.leading_group_head = people.head
    own.save(update_fields=["leading_group_head"])
    return people


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 180, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("diploma.pdf", make_pdf(), content_type="application/pdf")


def all_checks() -> list[dict]:
    return [{"rule": rule.value, "passed": True, "detail": ""} for rule in EligibilityRule]


def open_task(process, node) -> Task:
    return Task.objects.get(
        process=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )


def fire_timers(when: datetime.datetime) -> None:
    with time_machine.travel(when, tick=False):
        call_command("workflow_timers", stdout=StringIO())


def start_process(campaign: Campaign, user: User) -> CampaignProcess:
    """What the start form does after ``campaign_create``."""
    activation = CampaignFlow.start.activation_class.create(CampaignFlow.start, None, None)
    with transaction.atomic():
        activation.start(SimpleNamespace(user=user))
        activation.process.campaign = campaign
        activation.execute()
    return cast(CampaignProcess, activation.process)


def new_campaign(people, township=None) -> Campaign:
    from recruitment.services.campaigns import campaign_create

    township = township or people.own
    by = people.member if township == people.own else people.foreign_member
    return campaign_create(
        township=township,
        title=f"{township.name}2026年村级人口主任公开选聘",
        kind=CampaignKind.REGULAR,
        offers=[(people.villages[township], 1)],
        registration_start=NOW.date(),
        registration_end=REGISTRATION_END,
        written_exam_at=at(WRITTEN_EXAM),
        interview_at=at(INTERVIEW),
        venue="关岭自治县民族中学",
        contact="关索街道计生办 0851-3682000",
        interview_panel_size=3,
        by=by,
    )


# The form each step's page is finished with.
def step_data(node, campaign: Campaign) -> dict:
    if node == CampaignFlow.approve_announcement:
        return {"decision": "approve"}
    if node == CampaignFlow.handle_objections:
        return {"confirm": "on"}
    if node == CampaignFlow.confirm_hires:
        assert campaign.notice_ends_on is not None
        start = campaign.notice_ends_on + datetime.timedelta(days=7)
        return {"start_date": start.isoformat(), "confirm": "on"}
    return {}


@dataclass
class Run:
    """One campaign of ``people.own`` and its process, taken forward step by step."""

    client: Any
    people: SimpleNamespace
    clock: Any  # the test's time_machine traveller
    campaign: Campaign = field(init=False)
    process: CampaignProcess = field(init=False)

    def __post_init__(self) -> None:
        self.campaign = new_campaign(self.people)
        self.process = start_process(self.campaign, self.people.member)

    @property
    def applications(self) -> dict[str, Application]:
        return {a.name: a for a in Application.objects.filter(campaign=self.campaign)}

    def task(self, node) -> Task:
        return open_task(self.process, node)

    def owner_of(self, node) -> User:
        return self.people.head if node == CampaignFlow.approve_announcement else self.people.member

    def finish(self, node) -> None:
        """Finish the open task at ``node`` on its page, as its owner."""
        self.campaign.refresh_from_db()
        task = self.task(node)
        self.client.force_login(self.owner_of(node))
        response = self.client.post(task.reverse("execute"), step_data(node, self.campaign))
        assert response.status_code == 302, response.content.decode()[:3000]
        task.refresh_from_db()
        assert task.status == STATUS.DONE, (node, task.status)

    def prepare(self, node) -> None:
        """Enter what the step at ``node`` needs before it can be finished."""
        from recruitment.services.interview import interview_marks_record
        from recruitment.services.review import application_review
        from recruitment.services.written_exam import written_scores_record

        member = self.people.member
        if node == CampaignFlow.review_applications:
            for application in self.applications.values():
                application_review(
                    application=application, by=member, eligible=True, checks=all_checks(), note=""
                )
        elif node == CampaignFlow.enter_written_scores:
            self.clock.move_to(at(WRITTEN_EXAM + datetime.timedelta(days=2)))
            applications = self.applications
            written_scores_record(
                campaign=self.campaign,
                rows=[(applications[name].pk, Decimal(w)) for name, w, _m in APPLICANTS],
                by=member,
            )
        elif node == CampaignFlow.enter_interview_marks:
            self.clock.move_to(at(INTERVIEW + datetime.timedelta(days=1)))
            applications = self.applications
            for name, _w, mark in APPLICANTS:
                interview_marks_record(
                    application=applications[name],
                    marks=[(seat, f"考官{seat}", Decimal(mark)) for seat in (1, 2, 3)],
                    by=member,
                )
        elif node == CampaignFlow.handle_objections:
            self.campaign.refresh_from_db()
            assert self.campaign.notice_ends_on is not None
            self.clock.move_to(at(self.campaign.notice_ends_on + datetime.timedelta(days=1)))

    def register(self) -> None:
        from recruitment.services.applications import application_submit

        self.campaign.refresh_from_db()
        offer = self.campaign.offers.get()
        for number, (name, _w, _m) in enumerate(APPLICANTS):
            application_submit(
                campaign=self.campaign,
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

    def to(self, node) -> "Run":
        """Take the campaign forward until the task at ``node`` is open and ready."""
        for step in STEPS:
            self.prepare(step)
            if step == node:
                self.campaign.refresh_from_db()
                return self
            self.finish(step)
            if step == CampaignFlow.approve_announcement:
                self.register()
                after = REGISTRATION_END + datetime.timedelta(days=1)
                fire_timers(at(after, 0, 6))
                self.clock.move_to(at(after))
        raise ValueError(f"not a step: {node}")

    def to_the_end(self) -> "Run":
        self.to(CampaignFlow.confirm_hires)
        self.finish(CampaignFlow.confirm_hires)
        self.campaign.refresh_from_db()
        return self


# A one-page PDF for the flow tests, which are about who does what when, not about the
# documents' content (tests/test_recruitment_paperwork.py reads those): WeasyPrint takes
# seconds a document on a busy machine.
def quick_pdf(monkeypatch) -> None:
    from paperwork import services
    from paperwork.render import RenderedPdf

    blank = make_pdf()
    monkeypatch.setattr(services, "html_to_pdf", lambda html, **kw: RenderedPdf(blank, 1))
