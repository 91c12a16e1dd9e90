"""A small county with two townships and one user per role, for page and permission tests.

``own`` is the township (and village) the township and village users belong to and where the
director holds a post; ``foreign`` is another township of the same county. Each township has
one village with an occupied and a vacant post, a person (the own one is the director) and a
document about that person. A second county has its own policy version.

``World.recruitment(side)`` adds, on first use, a publicised campaign of that township,
reached through the services: a proposed application (photo, objection), an ineligible one
with a waiver request, its announcement, and its flow process with one task at every node of
``CampaignFlow`` (human tasks assigned to that township's committee member: the own one is
the matrix's committee user).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.models import User
from contracts.constants import ContractState
from contracts.models import Contract
from organisation.models import County, Post, Township, Village
from paperwork.models import Document, DocumentKind
from paperwork.selectors import document_current
from people.models import Person
from policy.models import Policy
from recruitment.constants import (
    AttachmentKind,
    CampaignState,
    EligibilityRule,
)
from recruitment.models import (
    Application,
    Attachment,
    Campaign,
    CampaignPost,
    Objection,
    Waiver,
)
from tests.builders import CampaignBuilder, Timetable
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from training.constants import CourseKind
from training.models import Attendance, Course
from workdays.models import DayOverride
from workflows.models import CampaignProcess, ContractProcess

PASSWORD = "pass-Word-2026"
ANONYMOUS = "anonymous"
ROLES = [
    Role.ADMINISTRATOR,
    Role.COUNTY_HR,
    Role.TOWNSHIP_COMMITTEE,
    Role.TOWNSHIP_OFFICE,
    Role.VILLAGE_COMMITTEE,
    Role.DIRECTOR,
]
ROLES_AND_ANONYMOUS = [*ROLES, ANONYMOUS]


@dataclass
class Side:
    """The records of one township."""

    township: Township
    village: Village
    person: Person
    post: Post
    document: Document


@dataclass
class Recruitment:
    """A publicised campaign of one township, with one application in every record the
    recruitment pages work on, and its flow process with one task at every node."""

    campaign: Campaign
    offer: CampaignPost
    application: Application
    attachment: Attachment
    waiver: Waiver
    objection: Objection
    announcement: Document
    process: CampaignProcess
    tasks: dict[str, Task]


@dataclass
class Term:
    """An active contract of the side's director on the side's post, and a contract flow
    process with one task at every node of ``ContractFlow`` (``every_contract_task``)."""

    contract: Contract
    process: ContractProcess
    tasks: dict[str, Task]


@dataclass
class World:
    county: County
    policy: Policy
    own: Side
    foreign: Side
    # Records kept per county (policy versions) are "foreign" when of another county.
    far_policy: Policy
    users: dict[str, User] = field(default_factory=dict)
    _recruitment: dict[str, Recruitment] = field(default_factory=dict)
    _override: DayOverride | None = None
    _term: dict[str, Term] = field(default_factory=dict)
    _course: dict[str, Course] = field(default_factory=dict)

    def course(self, name: str) -> Course:
        """Built on first use: a training session of the side's township that the side's
        person attended."""
        if name not in self._course:
            self._course[name] = make_course(self, name)
        return self._course[name]

    def term(self, name: str) -> Term:
        """Built on first use: the side's contract and its flow's tasks."""
        if name not in self._term:
            self._term[name] = make_term(self, name)
        return self._term[name]

    def side(self, name: str) -> Side:
        return self.own if name == "own" else self.foreign

    def recruitment(self, name: str) -> Recruitment:
        """Built on first use: most rows do not need it."""
        if name not in self._recruitment:
            self._recruitment[name] = make_recruitment(self, name)
        return self._recruitment[name]

    def day_override(self) -> DayOverride:
        if self._override is None:
            self._override = DayOverride.objects.create(
                date=datetime.date(2027, 10, 1),
                is_working_day=False,
                name="国庆节",
                created_by=self.users[Role.COUNTY_HR],
            )
        return self._override


def make_document(
    person: Person,
    *,
    title: str = "村级人口主任岗位登记表",
    kind: str = DocumentKind.VILLAGE_POST_REGISTER,
    subject=None,
) -> Document:
    """A stored document of ``person``'s township, about ``subject`` (the person when not
    given; then the document is also the person's own)."""
    content = b"%PDF-1.4 test document"
    subject = person if subject is None else subject
    document = Document(
        kind=kind,
        title=title,
        content_type=ContentType.objects.get_for_model(type(subject)),
        object_id=subject.pk,
        subject_repr=str(subject),
        template_name="paperwork/test.html",
        template_version="1",
        issuing_body=person.township.issuing_body,
        county=person.township.county,
        township=person.township,
        person=person if subject is person else None,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=1,
    )
    document.file.save(f"test-{subject.pk}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def make_side(county: County, *, name: str, person_name: str, phone: str) -> Side:
    township = cast(Township, TownshipFactory(county=county, name=name))
    village = cast(Village, VillageFactory(township=township, name=f"{name}新寨村"))
    person = cast(
        Person, PersonFactory(township=township, village=village, name=person_name, phone=phone)
    )
    post = cast(Post, PostFactory(village=village, number=1, holder=person))
    PostFactory(village=village, number=2)  # a vacant post
    return Side(township, village, person, post, make_document(person))


def make_user(role: str, world: World, *, username: str | None = None) -> User:
    fields: dict = {"role": role, "county": world.county, "username": username or role}
    if role in (Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE, Role.VILLAGE_COMMITTEE):
        fields["township"] = world.own.township
    if role == Role.VILLAGE_COMMITTEE:
        fields["village"] = world.own.village
    if role == Role.DIRECTOR:
        fields["township"] = world.own.township
        fields["village"] = world.own.village
        fields["person"] = world.own.person
    user = cast(User, UserFactory(**fields))
    user.full_clean()
    return user


def make_recruitment(world: World, name: str) -> Recruitment:
    """The side's campaign taken to its public notice through the services (``tests.builders``):
    罗昇 registered, was admitted, sat both exams and is proposed, with an objection received
    today; 韦春燕 was found not eligible after the review, and the county has not yet decided
    the waiver asked for her. Its process has a task at every node (``every_task``)."""
    side = world.side(name)
    if name == "own":
        committee = world.users[Role.TOWNSHIP_COMMITTEE]
    else:
        committee = make_user(Role.TOWNSHIP_COMMITTEE, world, username="foreign_committee")
        committee.township = side.township
        committee.save(update_fields=["township"])
    run = CampaignBuilder.open(
        side.township,
        by=committee,
        title=f"{side.township.name}村级人口主任公开选聘",
        villages=[side.village],
        timetable=Timetable.around(CampaignState.PUBLICISED),
    ).announce()
    application = run.apply("罗昇", birth=datetime.date(1994, 6, 1), written="80", interview="82")
    turned_down = run.apply("韦春燕", female=True, failed={EligibilityRule.AGE: "超龄"})
    run.to(CampaignState.REVIEWED)
    waiver = run.waiver(
        turned_down, EligibilityRule.AGE, justification="长期从事村计生工作，请予放宽。"
    )
    run.to(CampaignState.PUBLICISED)  # the notice began yesterday
    objection = run.object(application, received_on=timezone.localdate())
    campaign = run.campaign
    announcement = document_current(kind=DocumentKind.RECRUITMENT_ANNOUNCEMENT, subject=campaign)
    assert announcement is not None
    process, tasks = every_task(campaign, committee)
    return Recruitment(
        campaign=campaign,
        offer=run.offer(),
        application=application,
        attachment=application.attachments.get(kind=AttachmentKind.PHOTO),
        waiver=waiver,
        objection=objection,
        announcement=announcement,
        process=process,
        tasks=tasks,
    )


def every_task(campaign: Campaign, committee: User) -> tuple[CampaignProcess, dict[str, Task]]:
    """A process of ``campaign`` made by hand with one task at every node of ``CampaignFlow``,
    which no real process has at once, so that every task URL has a task: human tasks are
    assigned to ``committee``, the others done."""
    from workflows.flows import CampaignFlow

    process = CampaignProcess.objects.create(flow_class=CampaignFlow, campaign=campaign)
    tasks = {}
    for node in CampaignFlow.instance.nodes():
        task = Task(process=process, flow_task=node, flow_task_type=node.task_type)
        if node.task_type == "HUMAN":
            task.status = STATUS.ASSIGNED
            task.owner = committee
            task.owner_permission = f"workflows.township_committee@{campaign.township_id}"
        elif node.task_type == "HUMAN_START":
            task.status = STATUS.DONE
            task.owner = committee
            task.finished = timezone.now()
        else:
            task.status = STATUS.DONE
            task.finished = timezone.now()
        task.save()
        tasks[node.name] = task
    return process, tasks


def make_term(world: World, name: str) -> Term:
    """The side's director holds an active contract on the side's post. Its process has a task
    at every node: the township's signing task assigned to the own committee member (the
    foreign side's to a member of that township), the county's tasks to the county HR user."""
    from workflows.flows_contract import ContractFlow

    side = world.side(name)
    committee = world.users[Role.TOWNSHIP_COMMITTEE]
    if name != "own":
        committee = make_user(Role.TOWNSHIP_COMMITTEE, world, username="term_foreign_committee")
        committee.township = side.township
        committee.save(update_fields=["township"])
    contract = Contract.objects.create(
        person=side.person,
        post=side.post,
        township=side.township,
        policy=world.policy,
        state=ContractState.ACTIVE,
        term_years=3,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        monthly_pay=Decimal("1700.00"),
        activated_on=datetime.date(2025, 1, 1),
        created_by=committee,
    )
    process = ContractProcess.objects.create(flow_class=ContractFlow, contract=contract)
    county_hr = world.users[Role.COUNTY_HR]
    tasks = {}
    for node in ContractFlow.instance.nodes():
        task = Task(process=process, flow_task=node, flow_task_type=node.task_type)
        if node.task_type == "HUMAN":
            task.status = STATUS.ASSIGNED
            if node is ContractFlow.sign:
                task.owner = committee
                task.owner_permission = f"workflows.township_committee@{side.township.pk}"
            else:
                task.owner = county_hr
                task.owner_permission = f"workflows.county_hr@{world.county.pk}"
        else:
            task.status = STATUS.DONE
            task.finished = timezone.now()
        task.save()
        tasks[node.name] = task
    return Term(contract, process, tasks)


def make_course(world: World, name: str) -> Course:
    side = world.side(name)
    by = world.users[Role.ADMINISTRATOR]
    course = Course.objects.create(
        county=world.county,
        township=side.township,
        kind=CourseKind.TOWNSHIP_SESSION,
        year=2026,
        title=f"{side.township.name}2026年第一期业务培训",
        starts_on=datetime.date(2026, 3, 10),
        ends_on=datetime.date(2026, 3, 10),
        days=Decimal("1"),
        hours=Decimal("6"),
        created_by=by,
    )
    Attendance.objects.create(
        course=course, person=side.person, days=Decimal("1"), hours=Decimal("6"), recorded_by=by
    )
    return course


def make_world() -> World:
    county = cast(County, CountyFactory())
    far_county = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    world = World(
        county=county,
        policy=cast(Policy, PolicyFactory(county=county, effective_from=datetime.date(2014, 7, 9))),
        own=make_side(county, name="关索街道", person_name="王晓燕", phone="13912340001"),
        foreign=make_side(county, name="花江镇", person_name="李明", phone="13912340002"),
        far_policy=cast(
            Policy, PolicyFactory(county=far_county, effective_from=datetime.date(2014, 1, 1))
        ),
    )
    for role in ROLES:
        world.users[role] = make_user(role, world)
    return world
