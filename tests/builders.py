"""Recruitment campaigns and their applications taken to any state through the services.

A test reaches a state the way people reach it: a committee member opens the campaign
(``campaign_create``), the head of the township's leading group approves the announcement,
applicants register on the public site (``application_submit``), the scheduler closes
registration, the committee reviews the applications and finishes the review (admission
numbers and tickets), enters the written scores, draws the shortlist, records the interview
marks, finishes the exams, confirms the ranking, publicises the proposed hires and confirms
the hires after the notice. Each step runs on its day of the campaign's timetable
(``time_machine``), so that the services' date checks pass and the audit trail reads in
order; the clock is back where it was after each step.

``CampaignBuilder`` drives one campaign: each method is one service call (or one per
application), and ``to(state)`` takes the campaign forward to ``state``, entering what each
stage needs as each applicant's ``Plan`` says (eligible or the rules failed, the written
score or absent, the interview mark or absent). ``make_campaign`` is the short form: a
campaign of a township in a given state, with its timetable around today. The documents the
steps issue are real records printed on a blank page, unless a test asks for the paper.

Nothing here writes a state directly; a test that needs a state the services cannot reach
says so where it forces it.
"""

import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, cast
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone
from PIL import Image

from accounts.constants import Role
from accounts.models import User
from contracts.constants import ContractState
from contracts.models import Contract
from contracts.services.drafting import contract_end_date
from core.education import Education
from organisation.models import Post, Township, Village
from organisation.services import policy_revise
from paperwork import services as paperwork_services
from paperwork.render import RenderedPdf
from policy.selectors import policy_in_force
from recruitment.constants import ApplicationState, CampaignKind, CampaignState, EligibilityRule
from recruitment.models import Application, Campaign, CampaignPost, Objection, Waiver
from recruitment.services import (
    applications,
    campaigns,
    hiring,
    interview,
    notice,
    review,
    written_exam,
)
from tests.factories import (
    PersonFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
    make_id_number,
    make_pdf,
    make_village,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = datetime.timedelta(days=1)
ABSENT = None  # a written score or interview mark meaning "did not come"

# The order of a campaign's states along its steps.
ORDER = [
    CampaignState.DRAFT,
    CampaignState.ANNOUNCED,
    CampaignState.REGISTRATION_CLOSED,
    CampaignState.REVIEWED,
    CampaignState.EXAMINED,
    CampaignState.RANKED,
    CampaignState.PUBLICISED,
    CampaignState.CONCLUDED,
]

# The campaign's rules are copied from the county's policy in force: a test that wants other
# rules has the county revise its policy first (``CampaignBuilder.open``).
POLICY_FIELD = {
    "max_age": "first_hire_max_age",
    "min_education": "min_education",
    "written_weight": "written_weight",
    "interview_weight": "interview_weight",
    "written_pass_line": "written_pass_line",
    "composite_pass_line": "composite_pass_line",
    "shortlist_ratio": "interview_shortlist_ratio",
    "interview_drop_extremes": "interview_drop_extremes",
    "notice_working_days": "public_notice_working_days",
    "reserve_months": "reserve_list_months",
}


def moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour``:``minute`` in Guanling."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


@contextmanager
def at(when: datetime.datetime):
    """The clock stands at ``when`` inside the block, and goes back afterwards."""
    with time_machine.travel(when, tick=False):
        yield


def local_day(value: datetime.datetime) -> datetime.date:
    return value.astimezone(SHANGHAI).date()


# The timetable -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timetable:
    """A campaign's dates, and the moment each step of the builder runs at."""

    registration_start: datetime.date
    registration_end: datetime.date
    written_exam_at: datetime.datetime
    interview_at: datetime.datetime

    @classmethod
    def registration(
        cls,
        start: datetime.date,
        end: datetime.date,
        *,
        exam_after_days: int = 14,
        interview_after_days: int = 7,
    ) -> "Timetable":
        """Registration from ``start`` to ``end``; the written exam at 09:00 two weeks after
        the deadline, the interview a week after that."""
        written = moment(end + datetime.timedelta(days=exam_after_days), 9)
        return cls(start, end, written, written + datetime.timedelta(days=interview_after_days))

    @classmethod
    def of(cls, campaign: Campaign) -> "Timetable":
        assert campaign.interview_at is not None
        return cls(
            campaign.registration_start,
            campaign.registration_end,
            campaign.written_exam_at,
            campaign.interview_at,
        )

    @classmethod
    def around(cls, state: str, today: datetime.date | None = None) -> "Timetable":
        """A timetable on which a campaign reaches ``state`` shortly before ``today`` (the
        current date) and its next step is still ahead:

        - draft: registration opens in three days, for two weeks;
        - announced: registration opened five days ago and is open ten days more;
        - registration closed, reviewed: registration ended two days ago, the exams are
          ahead (applicants may still withdraw);
        - examined, ranked, publicised: the interview was four days ago; a campaign
          publicised two days ago is in its notice period;
        - concluded, cancelled: the interview was a month ago and the notice is over.
        """
        today = today or timezone.localdate()
        days = datetime.timedelta
        if state == CampaignState.DRAFT:
            return cls.registration(today + days(3), today + days(17))
        if state == CampaignState.ANNOUNCED:
            return cls.registration(today - days(5), today + days(10))
        if state in (CampaignState.REGISTRATION_CLOSED, CampaignState.REVIEWED):
            end = today - days(2)
        elif state in (CampaignState.EXAMINED, CampaignState.RANKED, CampaignState.PUBLICISED):
            end = today - days(4 + 7 + 14)
        else:
            end = today - days(30 + 7 + 14)
        return cls.registration(end - days(15), end)

    # When each step runs: the committee works at 10:00, the scheduler just after midnight.
    @property
    def opening(self) -> datetime.datetime:
        return moment(self.registration_start - ONE_DAY, 9)

    @property
    def announcing(self) -> datetime.datetime:
        return moment(self.registration_start - ONE_DAY, 10)

    @property
    def registering(self) -> datetime.datetime:
        return moment(self.registration_start, 10)

    @property
    def closing(self) -> datetime.datetime:
        return moment(self.registration_end + ONE_DAY, 0, 6)

    @property
    def reviewing(self) -> datetime.datetime:
        return moment(self.registration_end + ONE_DAY, 10)

    @property
    def scoring(self) -> datetime.datetime:
        """The afternoon of the written exam's day."""
        return moment(local_day(self.written_exam_at), 17)

    @property
    def interviewing(self) -> datetime.datetime:
        return moment(local_day(self.interview_at), 17)

    @property
    def ranking(self) -> datetime.datetime:
        return moment(local_day(self.interview_at) + ONE_DAY, 10)

    @property
    def publicising(self) -> datetime.datetime:
        return moment(local_day(self.interview_at) + 2 * ONE_DAY, 10)


# Registration in the first half of March 2026, the written exam on Saturday 11 April and the
# interview two weeks later: admission numbers begin with 2026.
SPRING_2026 = Timetable(
    registration_start=datetime.date(2026, 3, 1),
    registration_end=datetime.date(2026, 3, 15),
    written_exam_at=datetime.datetime(2026, 4, 11, 9, 0, tzinfo=SHANGHAI),
    interview_at=datetime.datetime(2026, 4, 25, 9, 0, tzinfo=SHANGHAI),
)


# Uploads of an applicant -------------------------------------------------------------------

_PHOTO: bytes | None = None
_SCAN = make_pdf()


def photo_upload() -> SimpleUploadedFile:
    """A passport-style photo, as a phone takes it."""
    global _PHOTO
    if _PHOTO is None:
        buffer = io.BytesIO()
        Image.new("RGB", (300, 400), (200, 180, 160)).save(buffer, format="JPEG")
        _PHOTO = buffer.getvalue()
    return SimpleUploadedFile("photo.jpg", _PHOTO, content_type="image/jpeg")


def scan_upload(name: str = "diploma.pdf") -> SimpleUploadedFile:
    """A scanned education certificate."""
    return SimpleUploadedFile(name, _SCAN, content_type="application/pdf")


def birth_for_age(campaign: Campaign, age: int) -> datetime.date:
    """A birth date that makes the applicant ``age`` full years old on the deadline."""
    end = campaign.registration_end
    return end.replace(year=end.year - age) - datetime.timedelta(days=30)


def checklist(**failed: str) -> list[dict]:
    """The review checklist with every rule ticked except ``failed`` (rule → reason)."""
    return [
        {"rule": rule, "passed": rule not in failed, "detail": failed.get(rule, "")}
        for rule in EligibilityRule.values
    ]


# Villages and people -----------------------------------------------------------------------


def village_with_vacancies(township: Township, village: str | Village, seats: int) -> Village:
    """The village of ``township`` (by name) with at least ``seats`` posts that a campaign may
    offer: created through the service (posts by the policy's quota) when it does not exist,
    and given more posts when the vacant ones are too few."""
    if isinstance(village, str):
        found = Village.objects.filter(township=township, name=village).first()
        population = {1: 1800, 2: 3000}.get(seats, 5000)
        village = found or make_village(township, population, name=village)
    vacant = campaigns.vacant_posts(township).filter(village=village).count()
    last = village.posts.aggregate(last=Max("number"))["last"] or 0
    for number in range(last + 1, last + 1 + max(0, seats - vacant)):
        PostFactory(village=village, number=number)
    return village


def contract_in_force(
    township: Township,
    *,
    start: datetime.date,
    birth: datetime.date,
    name: str,
    village: Village | None = None,
    with_user: bool = True,
    username: str | None = None,
) -> Contract:
    """An active contract (filed on ``start``) of a new director ``name`` of ``village`` (a new
    village of ``township`` unless one is given) on a new post there, the post's holder, with
    the director's own login (``contract.person.user``) when ``with_user``.

    It is made as the signing services leave a contract (drafted, signed, inducted, filed),
    without their paperwork, audit rows and flows: the tests that use it are about what
    happens to a contract in force. ``tests/test_contract_signing.py`` and the state machine
    (``tests/test_contract_states.py``) bring contracts into force through the services."""
    village = village or VillageFactory(township=township)
    post = PostFactory(village=village)
    person = PersonFactory(
        name=name, id_number=make_id_number(birth), township=township, village=village
    )
    policy = policy_in_force(county=township.county, on=start)
    contract = Contract(
        person=person,
        post=post,
        township=township,
        policy=policy,
        state=ContractState.ACTIVE,
        term_years=policy.term_years,
        start_date=start,
        end_date=contract_end_date(start, policy.term_years),
        monthly_pay=policy.monthly_pay,
        activated_on=start,
        filed_on=start,
    )
    contract.save()
    Post.objects.filter(pk=post.pk).update(holder=person)
    if with_user:
        UserFactory(
            username=username or f"director{person.pk}",
            role=Role.DIRECTOR,
            county=township.county,
            township=township,
            village=village,
            person=person,
            first_name=name[1:],
            last_name=name[:1],
        )
    return contract


def committee_member(township: Township, **fields) -> User:
    return cast(
        User,
        UserFactory(
            role=Role.TOWNSHIP_COMMITTEE, county=township.county, township=township, **fields
        ),
    )


def county_officer(county, **fields) -> User:
    return cast(User, UserFactory(role=Role.COUNTY_HR, county=county, **fields))


# The builder -------------------------------------------------------------------------------


@dataclass
class Plan:
    """What becomes of one applicant as the campaign goes on (``CampaignBuilder.to``)."""

    failed: dict[str, str] = field(default_factory=dict)  # rule → reason: not eligible
    written: str | None = "80"  # None: absent from the written exam
    interview: str | tuple[str, ...] | None = "80"  # one mark for the whole panel, or each


Offers = Mapping[str, int] | Sequence[str | Village | tuple[Village | str, int]]


def _offers(township: Township, villages: Offers) -> list[tuple[Village, int]]:
    items = villages.items() if isinstance(villages, Mapping) else villages
    offers = []
    for item in items:
        village, seats = item if isinstance(item, tuple) else (item, 1)
        offers.append((village_with_vacancies(township, village, seats), seats))
    return offers


class CampaignBuilder:
    """One campaign taken forward through the services, step by step.

    ``committee`` runs it (by default the member who opened it), ``head`` approves the
    announcement (the township's leading-group head; one is put on record when the township
    has none), ``hr`` decides waivers (a county officer made when first needed). The
    applications the builder registered are refreshed after each of its steps.

    The documents its steps issue are issued as always (records, checks, files, audit) but
    printed as one blank page: WeasyPrint takes up to a second a document on a busy machine,
    and a campaign issues three for each applicant. With ``paper=True`` they are printed for
    real, for a test that reads them.
    """

    def __init__(
        self,
        campaign: Campaign,
        *,
        committee: User | None = None,
        head: User | None = None,
        hr: User | None = None,
        paper: bool = False,
    ) -> None:
        self.campaign = campaign
        self.paper = paper
        self.committee = committee or campaign.created_by
        self._head = head
        self._hr = hr
        self.plans: dict[int, Plan] = {}
        self.registered: list[Application] = []
        self._stages = 0  # inside ``to``: the applications are refreshed once, at the end

    # Opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        township: Township,
        *,
        by: User | None = None,
        villages: Offers = ("新寨村",),
        timetable: Timetable | None = None,
        title: str | None = None,
        kind: str = CampaignKind.REGULAR,
        interview_panel_size: int = 3,
        venue: str = "关岭自治县民族中学",
        contact: str = "计生办 0851-36812345",
        head: User | None = None,
        hr: User | None = None,
        paper: bool = False,
        **rules: Any,
    ) -> "CampaignBuilder":
        """A draft campaign of ``township`` offering ``villages`` (names with one post
        each, ``{name: seats}``, or villages with their seats; posts are added to a village
        that has too few vacant ones), opened by ``by`` (a new committee member when not
        given) now, or on the day before registration opens if that has passed.

        ``rules`` (``max_age``, ``shortlist_ratio``, ``interview_drop_extremes``, …, by the
        campaign's field names) that differ from the policy in force are first set by a new
        policy version from that day, as the county would revise its policy.
        """
        timetable = timetable or Timetable.around(CampaignState.ANNOUNCED)
        by = by or committee_member(township)
        opening = min(timezone.now(), timetable.opening)
        with at(opening):
            if rules:
                _revise_policy(township.county, timezone.localdate(), rules)
            campaign = campaigns.campaign_create(
                township=township,
                title=title or f"{township.name}2026年村级人口主任公开选聘",
                kind=kind,
                offers=_offers(township, villages),
                registration_start=timetable.registration_start,
                registration_end=timetable.registration_end,
                written_exam_at=timetable.written_exam_at,
                interview_at=timetable.interview_at,
                venue=venue,
                contact=contact,
                interview_panel_size=interview_panel_size,
                by=by,
            )
        return cls(campaign, committee=by, head=head, hr=hr, paper=paper)

    @contextmanager
    def _at(self, when: datetime.datetime):
        """A step at ``when``, its documents on blank pages unless ``paper``."""
        blank = (
            nullcontext()
            if self.paper
            else mock.patch.object(
                paperwork_services, "html_to_pdf", lambda html, **kw: RenderedPdf(_SCAN, 1)
            )
        )
        with at(when), blank:
            yield

    @property
    def timetable(self) -> Timetable:
        return Timetable.of(self.campaign)

    @property
    def head(self) -> User:
        """The head of the township's leading group: the one on record, or a committee member
        put on record now."""
        if self._head is None:
            township = Township.objects.get(pk=self.campaign.township_id)
            if township.leading_group_head is None:
                township.leading_group_head = committee_member(
                    township, first_name="光明", last_name="杨"
                )
                township.save(update_fields=["leading_group_head"])
            self._head = township.leading_group_head
        return self._head

    @property
    def hr(self) -> User:
        if self._hr is None:
            self._hr = county_officer(self.campaign.township.county)
        return self._hr

    def offer(self, village: str | Village | None = None) -> CampaignPost:
        """The campaign's offer in ``village`` (a name or a village), or its first one."""
        offers = self.campaign.offers.order_by("pk")
        if village is None:
            return offers[0]
        if isinstance(village, Village):
            return offers.get(village=village)
        return offers.get(village__name=village)

    def _done(self) -> "CampaignBuilder":
        self.campaign.refresh_from_db()
        if not self._stages:
            for application in self.registered:
                application.refresh_from_db()
        return self

    # Announcement and registration -----------------------------------------------------------

    def announce(self) -> "CampaignBuilder":
        """The head approves the announcement (through the flow's approval step)."""
        with self._at(self.timetable.announcing):
            campaigns.announcement_decide(campaign=self.campaign, approve=True, by=self.head)
        return self._done()

    def apply(
        self,
        name: str = "罗昇",
        *,
        village: str | Village | None = None,
        age: int = 30,
        birth: datetime.date | None = None,
        female: bool = False,
        id_number: str | None = None,
        education: str = Education.HIGH_SCHOOL,
        failed: Mapping[str, str] | None = None,
        written: str | None = "80",
        interview: str | tuple[str, ...] | None = "80",
        when: datetime.datetime | None = None,
        **data: Any,
    ) -> Application:
        """``name`` registers on the public site for ``village`` (the first offer when not
        given) on the day registration opens, aged ``age`` on the deadline, with a photo and
        a scanned certificate. ``failed``, ``written`` and ``interview`` plan what becomes
        of the application in ``to``; ``data`` overrides the form's other fields (phone,
        school, household_registration, graduation_year)."""
        campaign = self.campaign
        birth = birth or birth_for_age(campaign, age)
        moment_ = when or self.timetable.registering
        fields = {
            "name": name,
            "id_number": id_number or make_id_number(birth, female=female),
            "phone": "13987654321",
            "education": education,
            "school": "关岭民族高级中学",
            "graduation_year": min(birth.year + 18, moment_.year),
            "household_registration": f"贵州省关岭自治县{campaign.township.name}",
        }
        fields.update(data)
        with self._at(moment_):
            application = applications.application_submit(
                campaign=campaign,
                offer=self.offer(village),
                data=fields,
                files={"photo": photo_upload(), "education_certificate": [scan_upload()]},
            )
        self.plans[application.pk] = Plan(dict(failed or {}), written, interview)
        self.registered.append(application)
        return application

    def withdraw(self, application: Application) -> Application:
        """The applicant withdraws on the status page: while registration is open, or on
        the day of the review (before the written exam)."""
        when = (
            self.timetable.registering
            if self.campaign.state == CampaignState.ANNOUNCED
            else self.timetable.reviewing
        )
        with self._at(when + datetime.timedelta(hours=1)):
            applications.application_withdraw(application=application)
        self._done()
        return application

    def close_registration(self) -> "CampaignBuilder":
        """The scheduler closes registration just after the deadline."""
        with self._at(self.timetable.closing):
            campaigns.campaign_close_registration(campaign=self.campaign)
        return self._done()

    # Review ---------------------------------------------------------------------------------

    def plan(self, application: Application) -> Plan:
        return self.plans.get(application.pk) or Plan()

    def review(
        self, application: Application, *, failed: Mapping[str, str] | None = None, note: str = ""
    ) -> Application:
        """A committee member decides ``application``: eligible, or not with the ``failed``
        rules and their reasons (by default as planned when it registered)."""
        failed = dict(self.plan(application).failed if failed is None else failed)
        with self._at(self.timetable.reviewing):
            review.application_review(
                application=application,
                by=self.committee,
                eligible=not failed,
                checks=checklist(**failed),
                note=note or ("不符合公告条件" if failed else ""),
            )
        self._done()
        application.refresh_from_db()
        return application

    def waiver(
        self,
        application: Application,
        rule: str,
        *,
        approve: bool | None = None,
        justification: str = "长期在本村居住，村两委出具了证明。",
    ) -> Waiver:
        """A committee member asks the county to waive ``rule``; when ``approve`` is given,
        a county officer decides it."""
        with self._at(self.timetable.reviewing):
            waiver = review.waiver_request(
                application=application, rule=rule, justification=justification, by=self.committee
            )
            if approve is not None:
                waiver = review.waiver_decide(
                    waiver=waiver,
                    approve=approve,
                    note="同意。" if approve else "不同意。",
                    by=self.hr,
                )
        self._done()
        return waiver

    def finish_review(self) -> "CampaignBuilder":
        """The review task ends: admission numbers, rooms and seats, and the tickets."""
        with self._at(self.timetable.reviewing + datetime.timedelta(hours=6)):
            review.campaign_finish_review(campaign=self.campaign, by=self.committee)
        return self._done()

    # Exams ----------------------------------------------------------------------------------

    def written(self, scores: Mapping[Application, str | None] | None = None) -> "CampaignBuilder":
        """The written scores (None: absent) are entered on the afternoon of the exam; by
        default every eligible applicant's planned score."""
        if scores is None:
            waiting = self.campaign.applications.filter(state=ApplicationState.ELIGIBLE)
            scores = {a: self.plan(a).written for a in waiting.order_by("pk")}
        with self._at(self.timetable.scoring):
            written_exam.written_scores_record(
                campaign=self.campaign,
                rows=[(a.pk, score) for a, score in scores.items()],
                by=self.committee,
            )
        return self._done()

    def shortlist(self) -> "CampaignBuilder":
        """The written-exam task ends: the interview shortlist is drawn."""
        with self._at(self.timetable.scoring + datetime.timedelta(hours=1)):
            written_exam.shortlist_draw(campaign=self.campaign, by=self.committee)
        return self._done()

    def marks(self, mark: str | tuple[str, ...]) -> list[tuple[int, str, str]]:
        """The panel's marks: one mark for every member, or each member's."""
        size = self.campaign.interview_panel_size
        given = (mark,) * size if isinstance(mark, str) else mark
        return [(seat, f"考官{seat}", value) for seat, value in enumerate(given, start=1)]

    def interview(
        self, marks: Mapping[Application, str | tuple[str, ...] | None] | None = None
    ) -> "CampaignBuilder":
        """The panel's marks (None: absent) are recorded after the interview; by default
        every shortlisted applicant's planned marks."""
        if marks is None:
            waiting = self.campaign.applications.filter(state=ApplicationState.SHORTLISTED)
            marks = {a: self.plan(a).interview for a in waiting.order_by("pk")}
        with self._at(self.timetable.interviewing):
            for application, mark in marks.items():
                if mark is None:
                    interview.interview_absent(application=application, by=self.committee)
                else:
                    interview.interview_marks_record(
                        application=application, marks=self.marks(mark), by=self.committee
                    )
        return self._done()

    def finish_exams(self) -> "CampaignBuilder":
        """The interview task ends: the ranking is computed and the exams are over."""
        with self._at(self.timetable.ranking):
            interview.campaign_finish_exams(campaign=self.campaign, by=self.committee)
        return self._done()

    def tie_break(
        self, ordered: Sequence[Application], *, reason: str = "领导小组会议研究确定"
    ) -> "CampaignBuilder":
        """The committee records its decision on a tie: ``ordered`` best first."""
        with self._at(self.timetable.ranking):
            interview.tie_break_record(
                offer=ordered[0].offer,
                ordered_application_ids=[a.pk for a in ordered],
                reason=reason,
                by=self.committee,
            )
        return self._done()

    # Ranking, notice and hires ------------------------------------------------------------------

    def _publicising(self, on: datetime.date | None) -> datetime.datetime:
        return moment(on) if on else self.timetable.publicising

    def confirm_ranking(self, *, on: datetime.date | None = None) -> "CampaignBuilder":
        with self._at(self._publicising(on)):
            notice.campaign_confirm_ranking(campaign=self.campaign, by=self.committee)
        return self._done()

    def publicise(self, *, on: datetime.date | None = None) -> "CampaignBuilder":
        """The proposed hires are published on ``on`` (two days after the interview by
        default); the notice runs from the next day."""
        with self._at(self._publicising(on)):
            notice.campaign_publicise(campaign=self.campaign, by=self.committee)
        return self._done()

    def object(
        self,
        application: Application,
        *,
        upheld: bool | None = None,
        received_on: datetime.date | None = None,
        content: str = "反映情况",
        finding: str = "经核实",
    ) -> Objection:
        """An objection to ``application`` received on the first day of its notice (or
        ``received_on``) is recorded; when ``upheld`` is given, it is decided."""
        application.refresh_from_db()
        starts = application.notice_starts_on or self.campaign.notice_starts_on
        assert starts is not None, "objections come during the public notice"
        received_on = received_on or starts
        with self._at(moment(received_on, 16)):
            objection = notice.objection_record(
                application=application,
                received_on=received_on,
                lodged_by="村民",
                content=content,
                by=self.committee,
            )
            if upheld is not None:
                objection = notice.objection_decide(
                    objection=objection, upheld=upheld, finding=finding, by=self.committee
                )
        self._done()
        return objection

    @property
    def _after_notice(self) -> datetime.datetime:
        assert self.campaign.notice_ends_on is not None
        return moment(self.campaign.notice_ends_on + ONE_DAY)

    def close_notice(self) -> "CampaignBuilder":
        """The objections task ends the day after the notice."""
        with self._at(self._after_notice):
            notice.notice_close(campaign=self.campaign, by=self.committee)
        return self._done()

    def confirm_hires(
        self, *, start_date: datetime.date | None = None, on: datetime.date | None = None
    ) -> "CampaignBuilder":
        """The hires are confirmed the day after the notice (or ``on``); the contracts start
        on ``start_date`` (two weeks later by default)."""
        when = moment(on) if on else self._after_notice
        start_date = start_date or when.date() + datetime.timedelta(days=14)
        with self._at(when):
            hiring.campaign_confirm_hires(
                campaign=self.campaign, start_date=start_date, by=self.committee
            )
        return self._done()

    def cancel(self, reason: str = "岗位调整") -> "CampaignBuilder":
        campaigns.campaign_cancel(campaign=self.campaign, reason=reason, by=self.committee)
        return self._done()

    # Whole stages -------------------------------------------------------------------------------

    def to(self, state: str) -> "CampaignBuilder":
        """Take the campaign forward until it is in ``state``, each stage's data entered as
        planned: submitted applications reviewed, eligible ones scored, the shortlisted
        interviewed, and the notice closed before the hires are confirmed."""
        target = ORDER.index(CampaignState(state))
        self._stages += 1
        try:
            self._forward(target)
        finally:
            self._stages -= 1
        self._done()
        assert self.campaign.state == state, (self.campaign.state, state)
        return self

    def _forward(self, target: int) -> None:
        while ORDER.index(CampaignState(self.campaign.state)) < target:
            current = self.campaign.state
            if current == CampaignState.DRAFT:
                self.announce()
            elif current == CampaignState.ANNOUNCED:
                self.close_registration()
            elif current == CampaignState.REGISTRATION_CLOSED:
                waiting = self.campaign.applications.filter(state=ApplicationState.SUBMITTED)
                for application in waiting.order_by("pk"):
                    self.review(application)
                self.finish_review()
            elif current == CampaignState.REVIEWED:
                if self.campaign.applications.filter(state=ApplicationState.ELIGIBLE).exists():
                    self.written()
                if self.campaign.applications.filter(state=ApplicationState.SCORED).exists():
                    self.shortlist()
                if self.campaign.applications.filter(state=ApplicationState.SHORTLISTED).exists():
                    self.interview()
                self.finish_exams()
            elif current == CampaignState.EXAMINED:
                self.confirm_ranking()
            elif current == CampaignState.RANKED:
                self.publicise()
            elif current == CampaignState.PUBLICISED:
                self.close_notice()
                self.confirm_hires()

    def admitted(
        self, names: Iterable[str], *, village: str | Village | None = None, **plan: Any
    ) -> list[Application]:
        """Applicants ``names`` register for ``village``, are found eligible and get their
        admission numbers: the campaign is reviewed."""
        registered = [self.apply(name, village=village, **plan) for name in names]
        self.to(CampaignState.REVIEWED)
        return registered

    def shortlisted(
        self, scores: Mapping[str, str], *, village: str | Village | None = None
    ) -> list[Application]:
        """Applicants named in ``scores`` are admitted, their written scores entered and the
        shortlist drawn: those at or above the pass line and within the quota are called to
        the interview."""
        admitted = self.admitted(scores, village=village)
        self.written({a: scores[a.name] for a in admitted})
        self.shortlist()
        return admitted


def _revise_policy(county, on: datetime.date, rules: Mapping[str, Any]) -> None:
    current = policy_in_force(county=county, on=on)
    values = {POLICY_FIELD[name]: value for name, value in rules.items()}
    if all(getattr(current, name) == value for name, value in values.items()):
        return
    policy_revise(
        county=county,
        by=None,
        base=current,
        today=on,
        effective_from=on,
        note="选聘规则调整",
        **values,
    )


# The short form ----------------------------------------------------------------------------


def make_campaign(
    township: Township | None = None,
    policy=None,
    by: User | None = None,
    *,
    state: str = CampaignState.ANNOUNCED,
    villages: Offers = ("新寨村", "坡贡村"),
    timetable: Timetable | None = None,
    registration_start: datetime.date | None = None,
    registration_end: datetime.date | None = None,
    **options: Any,
) -> Campaign:
    """A campaign of ``township`` (a new 关索街道 of ``policy``'s county when not given) in
    ``state``, opened by ``by`` and taken there through the services, with no application
    (so at most ranked or cancelled: a notice needs a proposed hire, ``CampaignBuilder``).

    The timetable is ``timetable``, or registration from ``registration_start`` to
    ``registration_end``, or one around today on which the campaign has just reached
    ``state`` (``Timetable.around``). ``options`` are those of ``CampaignBuilder.open``
    (title, rules, interview panel size, …).
    """
    if township is None:
        township = cast(Township, TownshipFactory(county=policy.county, name="关索街道"))
    if timetable is None and registration_end is not None:
        timetable = Timetable.registration(
            registration_start or registration_end - datetime.timedelta(days=15),
            registration_end,
        )
    builder = CampaignBuilder.open(
        township,
        by=by,
        villages=villages,
        timetable=timetable or Timetable.around(state),
        **options,
    )
    if state == CampaignState.CANCELLED:
        return builder.cancel().campaign
    return builder.to(state).campaign


def build(campaign: Campaign, **people: Any) -> CampaignBuilder:
    """The builder of an existing ``campaign`` (``committee``, ``head``, ``hr`` as in
    ``CampaignBuilder``)."""
    return CampaignBuilder(campaign, **people)


__all__ = [
    "ABSENT",
    "SPRING_2026",
    "CampaignBuilder",
    "Plan",
    "Timetable",
    "at",
    "birth_for_age",
    "build",
    "checklist",
    "committee_member",
    "county_officer",
    "make_campaign",
    "moment",
    "photo_upload",
    "scan_upload",
    "village_with_vacancies",
]
