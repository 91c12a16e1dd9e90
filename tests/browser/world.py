"""The people and places of the browser tests: a county with two townships and one account
per role, built with the factories and services as the other tests do.

关索街道 is the users' own township: 城内村 (its director 王堃 holds the one post) and
北口村 (two vacant posts, which campaigns offer). 花江镇 is a foreign township with 和平村
(two posts, one held by its director 韦春燕). Every account's password is ``PASSWORD``.
"""

import datetime
import io
import random
from dataclasses import dataclass, field
from typing import cast

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver
from openpyxl import Workbook
from PIL import Image, ImageDraw
from pypdf import PdfWriter
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.models import User
from organisation.models import County, Post, Township, Village
from people.models import Person
from policy.models import Policy
from recruitment.constants import ApplicationState
from recruitment.models import Application, Campaign
from recruitment.services.applications import application_submit
from recruitment.services.campaigns import campaign_announce, campaign_create
from recruitment.services.interview import interview_marks_record
from recruitment.services.review import application_review
from recruitment.services.written_exam import written_scores_record
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_village,
)
from tests.workflow_support import (
    STEPS,
    all_checks,
    fire_timers,
    open_task,
    photo,
    scan,
    start_process,
    step_data,
)
from workflows.flows import CampaignFlow

PASSWORD = "pass-Word-2026"  # UserFactory's


@dataclass
class World:
    county: County
    policy: Policy
    own: Township
    foreign: Township
    villages: dict[str, Village]
    people: dict[str, Person]
    users: dict[str, User] = field(default_factory=dict)


# username: (role, surname, given name, township key, village key, person key)
ACCOUNTS = {
    "admin": (Role.ADMINISTRATOR, "陈", "立新", None, None, None),
    "county_hr": (Role.COUNTY_HR, "罗", "敏", None, None, None),
    "guansuo_head": (Role.TOWNSHIP_COMMITTEE, "杨", "光荣", "own", None, None),
    "guansuo_committee": (Role.TOWNSHIP_COMMITTEE, "吴", "兴华", "own", None, None),
    "guansuo_office": (Role.TOWNSHIP_OFFICE, "岑", "丽", "own", None, None),
    "village_chengnei": (Role.VILLAGE_COMMITTEE, "黄", "德明", "own", "城内村", None),
    "director_wang": (Role.DIRECTOR, "王", "堃", "own", "城内村", "王堃"),
    "huajiang_committee": (Role.TOWNSHIP_COMMITTEE, "龙", "海", "foreign", None, None),
}


def make_world() -> World:
    county = cast(County, CountyFactory())
    policy = cast(Policy, PolicyFactory(county=county))
    own = cast(Township, TownshipFactory(county=county, name="关索街道"))
    foreign = cast(Township, TownshipFactory(county=county, name="花江镇"))
    on = datetime.date(2026, 1, 1)
    villages = {
        "城内村": make_village(own, 1800, name="城内村", on=on),
        "北口村": make_village(own, 2685, name="北口村", on=on),
        "和平村": make_village(foreign, 2600, name="和平村", on=on),
    }
    people = {
        "王堃": _director("王堃", villages["城内村"], phone="18812340593"),
        "韦春燕": _director("韦春燕", villages["和平村"], phone="13912346688", female=True),
    }
    world = World(county, policy, own, foreign, villages, people)
    for username, (role, surname, given, township, village, person) in ACCOUNTS.items():
        world.users[username] = cast(
            User,
            UserFactory(
                username=username,
                role=role,
                county=county,
                last_name=surname,
                first_name=given,
                township={"own": own, "foreign": foreign}.get(township or ""),
                village=villages.get(village or ""),
                person=people.get(person or ""),
            ),
        )
    own.leading_group_head = world.users["guansuo_head"]
    own.save(update_fields=["leading_group_head"])
    return world


def _director(name: str, village: Village, *, phone: str, female: bool = False) -> Person:
    person = cast(
        Person,
        PersonFactory(
            name=name,
            id_number=make_id_number(datetime.date(1988, 4, 12), female=female),
            phone=phone,
            township=village.township,
            village=village,
        ),
    )
    post = Post.objects.filter(village=village, holder__isnull=True).order_by("number").first()
    assert post is not None, village
    post.holder = person
    post.save(update_fields=["holder"])
    return person


# Files an applicant attaches -------------------------------------------------------------------


def photo_jpeg() -> bytes:
    """A small passport-style photo: plain background, head and shoulders."""
    image = Image.new("RGB", (295, 413), (67, 142, 219))
    draw = ImageDraw.Draw(image)
    draw.ellipse((35, 290, 260, 520), fill=(40, 44, 52))
    draw.ellipse((85, 80, 210, 250), fill=(241, 204, 177))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def certificate_pdf() -> bytes:
    """A one-page PDF, as a scanned diploma would be (pypdf writes it)."""
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# A campaign taken forward without the browser -------------------------------------------------
#
# A browser test about one step starts with the campaign at that step: ``CampaignRun`` opens a
# campaign of 关索街道 for 北口村's vacant post (by 吴兴华, guansuo_committee) and takes it
# forward the way the other tests do: the data of each stage through the recruitment
# services, each task of the flow finished on its page with Django's test client, the timers
# fired by ``workflow_timers``. Documents are issued as usual.

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour:minute`` in Guanling."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


CAMPAIGN_TITLE = "关索街道2026年村级人口主任公开选聘"
OPENED_ON = datetime.date(2026, 9, 1)  # a Tuesday
REGISTRATION_END = datetime.date(2026, 9, 10)
WRITTEN_EXAM = datetime.date(2026, 9, 19)
INTERVIEW = datetime.date(2026, 9, 24)
PANEL = ("王正权", "陆光蓉", "岑明珍")


@dataclass(frozen=True)
class Candidate:
    """An applicant of the run and what the exams give them."""

    name: str
    born: datetime.date
    written: str | None  # None: marked absent from the written exam
    mark: str  # each panel member's interview mark
    household_registration: str = "贵州省关岭自治县关索街道北口村"


CANDIDATES = (
    Candidate("罗昇", datetime.date(1990, 5, 10), "88.50", "90"),
    Candidate("韦春艳", datetime.date(1991, 3, 2), "86", "85"),
    Candidate("王堃林", datetime.date(1992, 11, 23), "80.25", "80"),
)


class CampaignRun:
    """One campaign and its process, taken forward step by step (see above)."""

    def __init__(self, world: World, clock, *, candidates=CANDIDATES) -> None:
        # The flow's task URLs reverse once the URL configuration is loaded in the process.
        assert get_resolver().url_patterns
        self.world = world
        self.clock = clock
        self.candidates = {c.name: c for c in candidates}
        self.client = Client()
        self.member = world.users["guansuo_committee"]
        self.head = world.users["guansuo_head"]
        clock.move_to(at(OPENED_ON))
        self.campaign = campaign_create(
            township=world.own,
            title=CAMPAIGN_TITLE,
            kind="regular",
            offers=[(world.villages["北口村"], 1)],
            registration_start=OPENED_ON,
            registration_end=REGISTRATION_END,
            written_exam_at=at(WRITTEN_EXAM),
            interview_at=at(INTERVIEW),
            venue="关岭自治县民族中学",
            contact="关索街道计生办 0851-3682000",
            interview_panel_size=len(PANEL),
            by=self.member,
        )
        self.process = start_process(self.campaign, self.member)
        self.prepared: list = []  # the steps whose data is entered

    @property
    def applications(self) -> dict:
        return {a.name: a for a in Application.objects.filter(campaign=self.campaign)}

    def task(self, node):
        return open_task(self.process, node)

    def finish(self, node) -> None:
        """Finish the open task at ``node`` on its page, as its owner."""
        self.campaign.refresh_from_db()
        task = self.task(node)
        owner = self.head if node == CampaignFlow.approve_announcement else self.member
        self.client.force_login(owner)
        response = self.client.post(task.reverse("execute"), step_data(node, self.campaign))
        assert response.status_code == 302, response.content.decode()[:3000]
        task.refresh_from_db()
        assert task.status == STATUS.DONE, (node, task.status)

    def register(self) -> None:
        """Every candidate registers on 2 September."""
        self.clock.move_to(at(datetime.date(2026, 9, 2), 20))
        self.campaign.refresh_from_db()
        offer = self.campaign.offers.get()
        for number, candidate in enumerate(self.candidates.values()):
            application_submit(
                campaign=self.campaign,
                offer=offer,
                data={
                    "name": candidate.name,
                    "id_number": make_id_number(candidate.born),
                    "phone": f"1398765432{number}",
                    "education": "high_school",
                    "school": "关岭民族高级中学",
                    "graduation_year": 2010,
                    "household_registration": candidate.household_registration,
                },
                files={"photo": photo(), "education_certificate": [scan()], "other": []},
            )

    def close_registration(self) -> None:
        """The timer sweep at 00:05 on the day after the deadline; then 09:00."""
        after = REGISTRATION_END + datetime.timedelta(days=1)
        fire_timers(at(after, 0, 6))
        self.clock.move_to(at(after))

    def prepare(self, node) -> None:
        """Enter what the step at ``node`` needs before it can be finished."""
        applications = self.applications
        if node == CampaignFlow.review_applications:
            for application in applications.values():
                application_review(
                    application=application,
                    by=self.member,
                    eligible=True,
                    checks=all_checks(),
                    note="",
                )
        elif node == CampaignFlow.enter_written_scores:
            written_scores_record(
                campaign=self.campaign,
                rows=[(applications[c.name].pk, c.written) for c in self.candidates.values()],
                by=self.member,
            )
        elif node == CampaignFlow.handle_objections:
            # The step is finished once the notice period is over.
            self.campaign.refresh_from_db()
            assert self.campaign.notice_ends_on is not None
            self.clock.move_to(at(self.campaign.notice_ends_on + datetime.timedelta(days=1)))
        elif node == CampaignFlow.enter_interview_marks:
            self.clock.move_to(at(INTERVIEW, 17))
            for candidate in self.candidates.values():
                application = applications[candidate.name]
                application.refresh_from_db()
                if application.state != ApplicationState.SHORTLISTED:
                    continue
                interview_marks_record(
                    application=application,
                    marks=[
                        (seat, member, candidate.mark) for seat, member in enumerate(PANEL, start=1)
                    ],
                    by=self.member,
                )

    def done(self, node) -> bool:
        """Whether the task at ``node`` has been finished (here or in a browser)."""
        return any(
            task.flow_task == node
            for task in Task.objects.filter(process=self.process, status=STATUS.DONE)
        )

    def to(self, node, *, entered: bool = True) -> "CampaignRun":
        """Take the campaign forward until the task at ``node`` is open, with what the step
        needs entered (``entered=False``: nothing entered for that step yet); from where it
        stands, whether earlier steps were taken here or in a browser. Candidates register
        on 2 September once the announcement is approved. The clock stands on a working
        morning when the step can be taken: the day after registration for the review, two
        days after the written exam for its scores, the interview's evening for the marks,
        the next morning for the ranking, the day after the public notice for the
        objections (with ``entered=False``: still the ranking's day)."""
        if node not in STEPS:
            raise ValueError(f"not a step: {node}")
        moves = {
            CampaignFlow.enter_written_scores: at(WRITTEN_EXAM + datetime.timedelta(days=2)),
            CampaignFlow.confirm_ranking: at(INTERVIEW + datetime.timedelta(days=1)),
        }
        for step in STEPS:
            if self.done(step):
                continue
            if step == CampaignFlow.review_applications and not self.applications:
                self.register()
                self.close_registration()
            if step in moves and step not in self.prepared:
                self.clock.move_to(moves[step])
            if step == node and not entered:
                break
            if step not in self.prepared:
                self.prepare(step)
                self.prepared.append(step)
            if step == node:
                break
            self.finish(step)
        self.campaign.refresh_from_db()
        return self

    def to_the_end(self) -> "CampaignRun":
        """Every step taken: the hires are confirmed."""
        self.to(CampaignFlow.confirm_hires)
        self.finish(CampaignFlow.confirm_hires)
        self.campaign.refresh_from_db()
        return self


# Added for test_county.py and test_public_more.py (browser-county) ------------------------------


def open_campaign(world: World) -> Campaign:
    """关索街道's campaign for 北口村's two vacant posts, announced: registration runs from
    1 to 10 September 2026, the written exam is on 19 September at 9:00."""
    campaign = campaign_create(
        township=world.own,
        title=CAMPAIGN_TITLE,
        kind="regular",
        offers=[(world.villages["北口村"], 2)],
        registration_start=datetime.date(2026, 9, 1),
        registration_end=datetime.date(2026, 9, 10),
        written_exam_at=datetime.datetime(2026, 9, 19, 9, 0, tzinfo=SHANGHAI),
        interview_at=datetime.datetime(2026, 9, 24, 9, 0, tzinfo=SHANGHAI),
        venue="关岭自治县民族中学",
        contact="关索街道计生办 0851-3682000",
        interview_panel_size=5,
        by=world.users["guansuo_committee"],
    )
    return campaign_announce(campaign=campaign, by=world.users["guansuo_head"])


def register(campaign: Campaign, *, name: str, id_number: str, phone: str) -> Application:
    """Register someone for the campaign's first village as the public form does, with a
    photo and a certificate."""
    offer = campaign.offers.order_by("pk").first()
    return application_submit(
        campaign=campaign,
        offer=offer,
        data={
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "education": "high_school",
            "school": "关岭民族高级中学",
            "graduation_year": 2010,
            "household_registration": "贵州省关岭自治县关索街道",
        },
        files={
            "photo": SimpleUploadedFile("照片.jpg", photo_jpeg(), "image/jpeg"),
            "education_certificate": [
                SimpleUploadedFile("毕业证书.pdf", certificate_pdf(), "application/pdf")
            ],
            "other": [],
        },
    )


def many_people(township: Township, surname: str, count: int) -> list[Person]:
    """``count`` people of ``township`` with the same surname and different given names."""
    given = [a + b for a in "建立志文德明国春秋永" for b in "华平安宁军芳强勇"]
    assert count <= len(given), count
    return [
        cast(Person, PersonFactory(name=surname + given[n], township=township))
        for n in range(count)
    ]


def workbook(rows: list[list]) -> bytes:
    """An .xlsx workbook whose first sheet holds ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def noisy_photo_jpeg(side: int = 1600) -> bytes:
    """A photo of noise, which JPEG cannot compress: about 2.9 MB at this size."""
    noise = random.Random(side).randbytes(side * side * 3)
    image = Image.frombytes("RGB", (side, side), noise)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def banner_png(width: int = 7000, height: int = 400) -> bytes:
    """A long thin picture, small as a file but wider than a photo may be."""
    image = Image.new("RGB", (width, height), (200, 200, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# The contract term ------------------------------------------------------------------------------


def seated(world: World, name: str, start: datetime.date = datetime.date(2025, 1, 1)):
    """``name``'s three-year contract on the post they hold, in force (filed and active) since
    ``start``; the pages of the term read it."""
    from contracts.constants import ContractState
    from contracts.models import Contract
    from contracts.services.drafting import contract_end_date

    person = world.people[name]
    post = Post.objects.select_related("village__township").get(holder=person)
    return Contract.objects.create(
        person=person,
        post=post,
        township=post.village.township,
        policy=world.policy,
        state=ContractState.ACTIVE,
        term_years=3,
        start_date=start,
        end_date=contract_end_date(start, 3),
        monthly_pay=world.policy.monthly_pay,
        activated_on=start,
        filed_on=start,
    )


def add_term(world: World) -> None:
    """The contract term's pages: 王堃's contract in force, ending in 40 days with its renewal
    review open, his resignation waiting and a dismissal case opened on it (the director's own
    record, "my term"), and a vacant post of 北口村 with its vacancy and tasks."""
    from django.utils import timezone

    from contracts.constants import VacancyCause
    from contracts.models import DismissalGround
    from contracts.services.dismissal import case_open
    from contracts.services.endings import resignation_request
    from contracts.services.posts import vacancy_open
    from contracts.services.renewal import renewal_review_open
    from organisation.models import Post
    from tests.endings_support import seed_grounds
    from workdays.calendar import add_years

    today = timezone.localdate()
    contract = seated(world, "王堃", add_years(today, -3) + datetime.timedelta(days=41))
    committee = world.users["guansuo_committee"]
    renewal_review_open(contract=contract, today=today, by=None)
    resignation_request(contract=contract, by=committee, reason="家庭原因", on=today)
    seed_grounds()
    case_open(
        contract=contract,
        grounds=[DismissalGround.objects.get(code="major_error")],
        period=today.year,
        summary="计生台账严重失实",
        by=committee,
        on=today,
    )
    vacant = Post.objects.filter(village=world.villages["北口村"], holder__isnull=True).first()
    assert vacant is not None
    vacancy_open(post=vacant, on=today, by=committee, cause=VacancyCause.NEW_POST)
