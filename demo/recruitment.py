"""Two recruitment campaigns of the demo county, replayed on their real dates.

A campaign cannot be run from start to finish in one day (registration must end before it
closes, the public notice lasts working days), so ``load_demo`` replays the history of two
campaigns with ``time_machine`` (``tick=False``) on dates counted back from today, through
the real pages: a ``django.test.Client`` posts the flow's start form and task forms, the
public registration form of ``/apply/`` (a fresh client per applicant, with a generated
photo and certificate), the review, exam and objection pages. Processes, tasks, timers,
audit rows and documents are therefore the ones a real campaign leaves behind.

- 关索街道: opened and approved 25 days ago, registration ended yesterday, written exam in 5
  days, interview in 8. The registration timer fires at the real now (``workflow_timers``),
  so the review task waits for ``guansuo_committee``.
- 花江镇: reviewed, examined, ranked and publicised, with one objection recorded and
  dismissed; the public notice (working days on the Chinese calendar) ended three weeks ago.
  The next working day ``huajiang_committee`` handled the objections and confirmed the hires;
  each new director's contract was then signed on its task page (by the committee member),
  filed with the county and its induction training recorded (by ``county_hr``), so the
  contracts are in force and the three posts occupied (``workflows.flows_contract``).

Each title carries the year the campaign is opened in ("2026年关索街道…" in 2026). A campaign
with its demo title of any year already in its township is left alone, so a second run makes
one query and writes nothing. Each campaign is replayed in one transaction: if anything fails,
nothing of it remains in the database (a page refusing a step is reported, and the rest of
the demo loads; any other error stops ``load_demo``).
"""

import datetime
import functools
import html
import io
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone, translation
from PIL import Image, ImageDraw, ImageFont
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import User
from core.identity import age_on
from demo import data
from demo.services import _household, _id_number
from organisation.models import County, Township, Village
from people.models import Person
from policy.selectors import policy_in_force
from recruitment.constants import ApplicationState, CampaignState, EligibilityRule
from recruitment.models import Application, Campaign
from recruitment.services.campaigns import vacant_posts_by_village
from workdays.calendar import add_working_days, is_working_day
from workflows.flows import CampaignFlow

ONE_DAY = datetime.timedelta(days=1)
OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
ABSENT = "缺考"  # a written score meaning "did not sit the exam"
NO_SHOW = "no-show"  # interview marks meaning "did not come to the interview"
PANEL = ("王正权", "陆光蓉", "岑明珍", "黄廷华", "罗开明")  # the interview panel

# Household registrations a reviewer should question: another county, another township.
ELSEWHERE = {
    "other_county": "贵州省安顺市镇宁布依族苗族自治县丁旗街道石头寨村{group}组",
    "other_township": "贵州省安顺市关岭布依族苗族自治县永宁镇第二村{group}组",
}
HOUSEHOLD_DOUBTS = {
    "other_county": "户籍登记在镇宁自治县丁旗街道，不在本乡镇（街道），不符合报名条件。",
    "other_township": "户籍登记在本县永宁镇，不在本乡镇（街道），不符合报名条件。",
}


@dataclass(frozen=True)
class ApplicantPlan:
    """One applicant of a demo campaign: the village (index into the campaign's villages),
    a doubtful household registration (a key of ``ELSEWHERE``, or ""), and for a replayed
    campaign the written score (``ABSENT``) and the five interview marks (``NO_SHOW``)."""

    village: int
    doubt: str = ""
    written: str | None = None
    marks: tuple[int, ...] | str | None = None


@dataclass(frozen=True)
class DemoCampaign:
    township: str
    subject: str  # the title without its year: "2026年" + subject
    committee: str  # the member who opens the campaign and continues it
    villages: tuple[tuple[str, int], ...]  # preferred (village, posts offered)
    venue: str
    contact: str
    applicants: tuple[ApplicantPlan, ...]
    seed: int

    def title_in(self, year: int) -> str:
        """The campaign's title in the year it is opened (the replay's year, not a fixed one)."""
        return f"{year}年{self.subject}"


A = ApplicantPlan
# fmt: off
# 15 applicants for 4 posts; two live outside the township, which the reviewer should notice.
GUANSUO_APPLICANTS = (
    A(0), A(0), A(0), A(0), A(0, "other_county"), A(0),
    A(1), A(1), A(1), A(1),
    A(2), A(2), A(2, "other_township"), A(2), A(2),
)
# 14 applicants for 3 posts. Composites (50/50): 解放村 84.45, 77.80, 73.45; 三家寨村 86.20,
# 79.80, 70.55; 享乐村 75.30, 68.45: no tie anywhere.
HUAJIANG_APPLICANTS = (
    A(0, "", "82.50", (86, 88, 85, 87, 86)),
    A(0, "", "76", (80, 79, 81, 78, 80)),
    A(0, "", "71.50", (75, 77, 74, 76, 75)),
    A(0, "", "64"),  # fourth above the written pass line: not shortlisted
    A(0, "", ABSENT),
    A(0, "other_county"),
    A(1, "", "88", (84, 85, 83, 86, 84)),  # proposed; the objection to them is dismissed
    A(1, "", "78", (82, 80, 81, 83, 82)),
    A(1, "", "69.50", (72, 70, 71, 73, 72)),
    A(1, "", "55"),  # below the written pass line
    A(2, "", "73", (78, 77, 79, 76, 78)),
    A(2, "", "66.50", (70, 72, 69, 71, 70)),
    A(2, "", "61", NO_SHOW),
    A(2, "other_township"),
)
# fmt: on
OBJECTED_TO = 6  # the applicant of HUAJIANG_APPLICANTS the objection is about

GUANSUO = DemoCampaign(
    township="关索街道",
    subject="关索街道村级人口主任公开选聘",
    committee="guansuo_committee",
    villages=(("北口村", 2), ("关脚村", 1), ("摆布村", 1)),
    venue="关岭自治县民族中学（关索街道环城西路）",
    contact="关索街道卫生健康办 0851-3682163",
    applicants=GUANSUO_APPLICANTS,
    seed=data.SEED + 1,
)
HUAJIANG = DemoCampaign(
    township="花江镇",
    subject="花江镇村级人口主任公开选聘",
    committee="huajiang_committee",
    villages=(("解放村", 1), ("三家寨村", 1), ("享乐村", 1)),
    venue="花江镇中心学校",
    contact="花江镇卫生健康办 0851-3691024",
    applicants=HUAJIANG_APPLICANTS,
    seed=data.SEED + 2,
)
CAMPAIGNS = (GUANSUO, HUAJIANG)


class DemoReplayError(RuntimeError):
    """A page refused a step of the replay: the demo data and the product disagree."""


# Time -------------------------------------------------------------------------------------------


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour:minute`` in the project's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)),
        timezone.get_default_timezone(),
    )


@contextmanager
def on(moment: datetime.datetime) -> Iterator[None]:
    """Everything inside happens at ``moment`` (the clock stands still)."""
    with time_machine.travel(moment, tick=False):
        yield


def working_day_before(day: datetime.date) -> datetime.date:
    day -= ONE_DAY
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def publication_day(notice_ends_by: datetime.date, working_days: int) -> datetime.date:
    """The latest working day on which a notice of ``working_days`` working days (counted
    from the next day, ``workdays.calendar``) is over by ``notice_ends_by``: it ends that
    day when it is a working day, else on the last working day before."""
    day = notice_ends_by
    while True:
        day = working_day_before(day)
        if add_working_days(day, working_days) <= notice_ends_by:
            return day


# Applicants -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    plan: ApplicantPlan
    name: str
    id_number: str
    phone: str
    education: str
    school: str
    graduation_year: int
    household_registration: str


def _applicants(
    spec: DemoCampaign,
    villages: list[Village],
    deadline: datetime.date,
    max_age: int,
    taken: set[str],
) -> list[Applicant]:
    """The applicants of ``spec``, drawn from its seed: 24 to ``max_age`` years old on the
    deadline (younger ones could not have graduated from college by the registration),
    educated at or above 高中, with ID numbers of Guanling that nobody else has."""
    rng = random.Random(spec.seed)
    phones: set[str] = set()
    people = []
    for plan in spec.applicants:
        male = rng.random() < 0.5
        given = rng.choice(data.GIVEN_NAMES_MALE if male else data.GIVEN_NAMES_FEMALE)
        name = rng.choice(data.SURNAMES) + given
        age = rng.randint(24, min(39, max_age))
        while True:
            birth = deadline - datetime.timedelta(days=365 * age + rng.randint(12, 350))
            if age_on(birth, deadline) == age:
                break
        while True:
            order = rng.randrange(1000)
            if order % 2 != int(male):  # the 17th digit is odd for men, even for women
                order ^= 1
            number = _id_number(birth, order)
            if number not in taken:
                taken.add(number)
                break
        while True:
            phone = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in phones:
                phones.add(phone)
                break
        level, years, schools = rng.choices(data.EDUCATIONS, weights=data.EDUCATION_WEIGHTS)[0]
        village = villages[plan.village]
        group = rng.randint(1, 12)
        if plan.doubt:
            household = ELSEWHERE[plan.doubt].format(group=group)
        else:
            household = _household(village.township.name, village.name, group)
        people.append(
            Applicant(
                plan=plan,
                name=name,
                id_number=number,
                phone=phone,
                education=level,
                school=rng.choice(schools),
                graduation_year=birth.year + years,
                household_registration=household,
            )
        )
    return people


@functools.cache
def _cjk_font_file() -> str | None:
    """A font file with Chinese glyphs for the certificates, or None (no text then)."""
    if not shutil.which("fc-match"):
        return None
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        ImageFont.truetype(found, 12)
    except OSError:
        return None
    return found


def _font(size: int):
    path = _cjk_font_file()
    return ImageFont.truetype(path, size) if path else None


def photo_bytes(rng: random.Random) -> bytes:
    """A passport-style picture: plain background, head and shoulders."""
    background = rng.choice([(67, 142, 219), (255, 255, 255), (190, 30, 45)])
    skin = rng.choice([(241, 204, 177), (224, 184, 150), (198, 150, 118)])
    clothes = rng.choice([(40, 44, 52), (25, 55, 95), (235, 235, 235), (90, 90, 90)])
    hair = rng.choice([(20, 20, 20), (45, 30, 20), (60, 45, 35)])
    image = Image.new("RGB", (295, 413), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((35, 290, 260, 520), fill=clothes)
    draw.rectangle((125, 240, 170, 300), fill=skin)
    draw.ellipse((85, 80, 210, 250), fill=skin)
    draw.chord((80, 60, 215, 200), 180, 360, fill=hair)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def certificate_bytes(applicant: Applicant, *, as_pdf: bool) -> tuple[str, bytes, str]:
    """A scan of the applicant's diploma, as a PDF or a JPEG: (file name, bytes, type)."""
    image = Image.new("RGB", (842, 595), (250, 246, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 821, 574), outline=(150, 30, 30), width=6)
    draw.rectangle((36, 36, 805, 558), outline=(150, 30, 30), width=2)
    title, text = _font(56), _font(26)
    if title is not None and text is not None:
        draw.text((421, 110), "毕业证书", font=title, fill=(150, 30, 30), anchor="mm")
        lines = [
            f"学生 {applicant.name}",
            f"于{applicant.graduation_year}年7月在{applicant.school}",
            "修完规定课程，成绩合格，准予毕业。",
            f"证书编号：{applicant.graduation_year}52{applicant.phone[-7:]}",
        ]
        for row, line in enumerate(lines):
            draw.text((120, 210 + row * 58), line, font=text, fill=(30, 30, 30))
    else:
        for row in range(6):
            draw.line((120, 210 + row * 50, 720, 210 + row * 50), fill=(120, 120, 120), width=2)
    draw.ellipse((600, 380, 740, 520), outline=(200, 40, 40), width=5)
    buffer = io.BytesIO()
    if as_pdf:
        image.save(buffer, format="PDF", resolution=100)
        return "毕业证书.pdf", buffer.getvalue(), "application/pdf"
    image.save(buffer, format="JPEG", quality=80)
    return "毕业证书.jpg", buffer.getvalue(), "image/jpeg"


# The browser ------------------------------------------------------------------------------------


def _client() -> Client:
    """A browser the site accepts: an allowed host name, HTTPS where the site insists."""
    host = "localhost"
    for allowed in settings.ALLOWED_HOSTS:
        if allowed != "*":
            host = "demo" + allowed if allowed.startswith(".") else allowed
        break
    extra: dict[str, Any] = {"HTTP_HOST": host}
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        extra.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
    return Client(**extra)


def _problems(response) -> str:
    """What a refused form says, as text."""
    content = response.content.decode("utf-8", "replace")
    found = re.findall(r'class="[^"]*(?:errorlist|error|alert)[^"]*"[^>]*>(.*?)</', content, re.S)
    text = " | ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", item)).strip() for item in found if item.strip()
    )
    return text[:2000] or content[:2000]


class Browser:
    """The staff's browser: for each form, signs a user in, posts and signs out, all at the
    replay's moment (a session left open would stay in the database, expired)."""

    def __init__(self) -> None:
        get_resolver().url_patterns  # noqa: B018  # the flow's URLs, to reverse task pages
        self.client = _client()

    def post(self, url: str, payload: dict, *, as_user: User, **extra):
        self.client.force_login(as_user)
        try:
            response = self.client.post(url, payload, **extra)
        finally:
            self.client.logout()
        location = response.get("Location", "") if response.status_code == 302 else ""
        if response.status_code != 302 or location.startswith(resolve_url(settings.LOGIN_URL)):
            raise DemoReplayError(
                f"POST {url} as {as_user.username} at {timezone.localtime():%Y-%m-%d %H:%M} "
                f"answered {response.status_code} {location}: {_problems(response)}"
            )
        return response

    def finish(self, campaign: Campaign, node, user: User, payload: dict | None = None) -> None:
        """Do ``user``'s task at ``node`` on its execute page."""
        task = Task.objects.get(
            process=campaign.workflow_process, flow_task=node, status__in=OPEN_TASK_STATUSES
        )
        if task.owner_id != user.pk:
            raise DemoReplayError(f"{node.name} of {campaign} is not assigned to {user}.")
        self.post(task.reverse("execute"), payload or {}, as_user=user)


# The steps --------------------------------------------------------------------------------------


@dataclass
class Cast:
    township: Township
    committee: User
    head: User
    villages: list[tuple[Village, int]]


def _cast(spec: DemoCampaign, county: County) -> Cast | str:
    """The township, its people and the villages offered; or why the campaign cannot run."""
    township = (
        Township.objects.select_related("leading_group_head")
        .filter(county=county, name=spec.township)
        .first()
    )
    if township is None:
        return f"{spec.township} is missing"
    committee = User.objects.filter(
        username=spec.committee, township=township, is_active=True
    ).first()
    if committee is None or not committee.has_perm("recruitment.run_campaign"):
        return f"{spec.committee} is not an active committee member of {spec.township}"
    head = township.leading_group_head
    if head is None or not head.is_active:
        return f"{spec.township} has no active head of its recruitment leading group"
    vacant = {
        village.name: (village, len(posts))
        for village, posts in vacant_posts_by_village(township).items()
    }
    chosen: list[tuple[Village, int]] = []
    for name, seats in spec.villages:
        if name in vacant:
            village, free = vacant.pop(name)
            chosen.append((village, min(seats, free)))
    for village, _free in list(vacant.values()):  # stand-ins for villages filled since
        if len(chosen) == len(spec.villages):
            break
        chosen.append((village, 1))
    if len(chosen) < len(spec.villages):
        return f"{spec.township} has fewer than {len(spec.villages)} villages with a vacant post"
    return Cast(township, committee, head, chosen)


def _open(
    browser: Browser,
    spec: DemoCampaign,
    cast: Cast,
    *,
    registration: tuple[datetime.date, datetime.date],
    written: datetime.datetime,
    interview: datetime.datetime,
) -> Campaign:
    """The committee member opens the campaign with the flow's start form (in the replay's
    present, so the title takes that year)."""
    title = spec.title_in(timezone.localdate().year)
    payload = {
        "title": title,
        "kind": "regular",
        "registration_start": registration[0].isoformat(),
        "registration_end": registration[1].isoformat(),
        "written_exam_at": timezone.localtime(written).strftime("%Y-%m-%dT%H:%M"),
        "interview_at": timezone.localtime(interview).strftime("%Y-%m-%dT%H:%M"),
        "venue": spec.venue,
        "contact": spec.contact,
        "interview_panel_size": str(len(PANEL)),
    }
    for village, seats in cast.villages:
        payload[f"seats_{village.pk}"] = str(seats)
    browser.post(CampaignFlow.start.reverse("execute"), payload, as_user=cast.committee)
    return Campaign.objects.get(township=cast.township, title=title)


def _register(
    campaign: Campaign,
    cast: Cast,
    applicants: list[Applicant],
    window: tuple[datetime.date, datetime.date],
    rng: random.Random,
    network: int,
) -> dict[int, Application]:
    """Each applicant registers on ``/apply/`` on a day of the window, in their own browser,
    with a photo and a certificate scan. Returns the applications by applicant index."""
    offers = {offer.village_id: offer for offer in campaign.offers.all()}
    span = (window[1] - window[0]).days
    moments = sorted(
        (
            at(window[0] + datetime.timedelta(days=rng.randint(0, span)), rng.randint(7, 22)),
            rng.randrange(60),
            index,
        )
        for index in range(len(applicants))
    )
    url = reverse("apply:campaign_detail", args=[campaign.pk])
    applications = {}
    for moment, minute, index in moments:
        applicant = applicants[index]
        village = cast.villages[applicant.plan.village][0]
        name, content, content_type = certificate_bytes(applicant, as_pdf=index % 2 == 0)
        payload = {
            "offer": offers[village.pk].pk,
            "name": applicant.name,
            "id_number": applicant.id_number,
            "phone": applicant.phone,
            "education": applicant.education,
            "school": applicant.school,
            "graduation_year": str(applicant.graduation_year),
            "household_registration": applicant.household_registration,
            "pledge": "on",
            "photo": SimpleUploadedFile("photo.jpg", photo_bytes(rng), "image/jpeg"),
            "education_certificate": [SimpleUploadedFile(name, content, content_type)],
        }
        visitor = _client()
        with on(moment + datetime.timedelta(minutes=minute)):
            response = visitor.post(url, payload, REMOTE_ADDR=f"10.{network}.0.{index + 1}")
            visitor.logout()  # the visitor's session goes with the browser
        if response.status_code != 302:
            raise DemoReplayError(
                f"Registration of {applicant.name} answered {response.status_code}: "
                f"{_problems(response)}"
            )
        applications[index] = Application.objects.get(
            campaign=campaign, id_number=applicant.id_number
        )
    return applications


def _review(
    browser: Browser, cast: Cast, applications: dict[int, Application], start: datetime.datetime
) -> None:
    """The committee decides every application: the household registrations that are not
    of the township fail; everything else passes."""
    url_name = "recruitment:review_application"
    for step, (_index, application) in enumerate(sorted(applications.items())):
        doubt = _doubt_of(application)
        details = {c["rule"]: c.get("detail", "") for c in application.checks}
        details[EligibilityRule.HOUSEHOLD] = HOUSEHOLD_DOUBTS.get(doubt, "户籍在本乡镇（街道）。")
        details[EligibilityRule.DOCUMENTS] = "照片和毕业证书扫描件齐全，与报名信息一致。"
        payload = {"decision": "ineligible" if doubt else "eligible", "note": ""}
        for rule in EligibilityRule.values:
            payload[f"reason_{rule}"] = details.get(rule, "")
            if not (doubt and rule == EligibilityRule.HOUSEHOLD):
                payload[f"passed_{rule}"] = "on"
        if doubt:
            payload["note"] = HOUSEHOLD_DOUBTS[doubt]
        with on(start + datetime.timedelta(minutes=6 * step)):
            browser.post(reverse(url_name, args=[application.pk]), payload, as_user=cast.committee)


def _doubt_of(application: Application) -> str:
    for doubt, pattern in ELSEWHERE.items():
        if application.household_registration.startswith(pattern.split("{")[0]):
            return doubt
    return ""


# The campaigns ----------------------------------------------------------------------------------


def _fire_registration_timer(campaign: Campaign) -> None:
    """The registration deadline timer of this campaign's process, as the sweep fires it."""
    task = Task.objects.get(
        process=campaign.workflow_process,
        flow_task=CampaignFlow.registration_ends,
        status=STATUS.SCHEDULED,
    )
    with task.activation() as activation:
        activation.start()
        activation.execute()


def _expect(campaign: Campaign, state: str) -> None:
    campaign.refresh_from_db()
    if campaign.state != state:
        raise DemoReplayError(f"{campaign} is “{campaign.state}”, expected “{state}”.")


def replay_guansuo(cast: Cast, today: datetime.date, taken: set[str]) -> Campaign:
    """Opened and approved 25 days ago; registration ended yesterday; the exams follow."""
    spec = GUANSUO
    rng = random.Random(spec.seed * 7)
    opened = today - datetime.timedelta(days=25)
    window = (opened + ONE_DAY, today - ONE_DAY)
    policy = policy_in_force(county=cast.township.county, on=today)
    villages = [village for village, _seats in cast.villages]
    applicants = _applicants(spec, villages, window[1], policy.first_hire_max_age, taken)
    browser = Browser()
    with on(at(opened, 9, 40)):
        campaign = _open(
            browser,
            spec,
            cast,
            registration=window,
            written=at(today + datetime.timedelta(days=5), 9),
            interview=at(today + datetime.timedelta(days=8), 9),
        )
    with on(at(opened, 16, 20)):
        browser.finish(
            campaign, CampaignFlow.approve_announcement, cast.head, {"decision": "approve"}
        )
    _register(campaign, cast, applicants, window, rng, network=71)
    # The scheduled sweep, at the real now (at least when the timer is due: 00:05 today).
    timer = Task.objects.get(
        process=campaign.workflow_process, flow_task=CampaignFlow.registration_ends
    )
    now = timezone.now()
    if timer.scheduled and timer.scheduled > now:
        with on(timer.scheduled + datetime.timedelta(minutes=1)):
            call_command("workflow_timers", stdout=StringIO())
    else:
        call_command("workflow_timers", stdout=StringIO())
    _expect(campaign, CampaignState.REGISTRATION_CLOSED)
    return campaign


# The 花江镇 public notice ended this long before today, so that its hires have since been
# confirmed, signed, filed and put in force.
HUAJIANG_NOTICE_AGO = datetime.timedelta(days=21)


def replay_huajiang(cast: Cast, today: datetime.date, taken: set[str]) -> Campaign:
    """From the announcement to the public notice, which ended three weeks ago (or on the
    last working day before), with one objection recorded and dismissed; then the hires, and
    their contracts signed, filed and in force (``replay_huajiang_contracts``)."""
    spec = HUAJIANG
    rng = random.Random(spec.seed * 7)
    policy = policy_in_force(county=cast.township.county, on=today)
    published = publication_day(today - HUAJIANG_NOTICE_AGO, policy.public_notice_working_days)
    interview = working_day_before(working_day_before(published))
    written = interview - datetime.timedelta(days=7)
    scores_day = min(add_working_days(written, 2), interview - ONE_DAY)
    registration_end = written - datetime.timedelta(days=8)
    window = (registration_end - datetime.timedelta(days=14), registration_end)
    opened = window[0] - datetime.timedelta(days=2)
    villages = [village for village, _seats in cast.villages]
    applicants = _applicants(spec, villages, window[1], policy.first_hire_max_age, taken)
    committee = cast.committee
    browser = Browser()

    with on(at(opened, 9, 30)):
        campaign = _open(
            browser,
            spec,
            cast,
            registration=window,
            written=at(written, 9),
            interview=at(interview, 9),
        )
    with on(at(opened, 15, 45)):
        browser.finish(
            campaign, CampaignFlow.approve_announcement, cast.head, {"decision": "approve"}
        )
    applications = _register(campaign, cast, applicants, window, rng, network=72)

    # Registration closes at 00:05 the day after the deadline; the committee reviews.
    closes = at(registration_end + ONE_DAY, 0, 6)
    with on(closes):
        _fire_registration_timer(campaign)
    _expect(campaign, CampaignState.REGISTRATION_CLOSED)
    _review(browser, cast, applications, at(registration_end + ONE_DAY, 9))
    with on(at(registration_end + 2 * ONE_DAY, 16, 30)):
        browser.finish(campaign, CampaignFlow.review_applications, committee)
    _expect(campaign, CampaignState.REVIEWED)

    # Written scores of the (only) exam room, then the shortlist.
    with on(at(scores_day, 10)):
        room: dict[str, str] = {}
        for index, application in applications.items():
            application.refresh_from_db()
            written_score = applicants[index].plan.written
            if application.state != ApplicationState.ELIGIBLE:
                continue
            if written_score == ABSENT:
                room[f"absent_{application.pk}"] = "on"
            else:
                room[f"score_{application.pk}"] = str(written_score)
        rooms = sorted({a.exam_room for a in Application.objects.filter(campaign=campaign)} - {""})
        url = reverse("recruitment:exam_scores", args=[campaign.pk])
        for exam_room in rooms:
            browser.post(f"{url}?room={exam_room}", room, as_user=committee)
    with on(at(scores_day, 10, 40)):
        browser.finish(campaign, CampaignFlow.enter_written_scores, committee)

    # The interview: five panel members' marks, one candidate did not come.
    for step, (index, application) in enumerate(sorted(applications.items())):
        application.refresh_from_db()
        if application.state != ApplicationState.SHORTLISTED:
            continue
        marks = applicants[index].plan.marks
        with on(at(interview, 15) + datetime.timedelta(minutes=8 * step)):
            if marks == NO_SHOW:
                url = reverse("recruitment:exam_interview_absent", args=[application.pk])
                browser.post(url, {}, as_user=committee)
                continue
            assert isinstance(marks, tuple)
            payload = {}
            for seat, (examiner, mark) in enumerate(zip(PANEL, marks, strict=True), start=1):
                payload[f"examiner_{seat}"] = examiner
                payload[f"score_{seat}"] = str(mark)
            url = reverse("recruitment:exam_interview_marks", args=[application.pk])
            browser.post(url, payload, as_user=committee)
    with on(at(interview, 17, 30)):
        browser.finish(campaign, CampaignFlow.enter_interview_marks, committee)
    _expect(campaign, CampaignState.EXAMINED)

    # The ranking is confirmed and the proposed hires published.
    with on(at(published, 10)):
        browser.finish(campaign, CampaignFlow.confirm_ranking, committee)
    _expect(campaign, CampaignState.PUBLICISED)

    # An objection to one proposed hire, looked into and dismissed.
    objected = applications[OBJECTED_TO]
    objected.refresh_from_db()
    if objected.state != ApplicationState.PROPOSED:
        raise DemoReplayError(f"{objected} should be proposed, not “{objected.state}”.")
    received = add_working_days(published, 2)
    with on(at(received, 10, 15)):
        browser.post(
            reverse("recruitment:objection_record", args=[campaign.pk]),
            {
                "application": objected.pk,
                "received_on": received.isoformat(),
                "lodged_by": f"{objected.offer.village.name}村民（电话反映）",
                "content": "反映该同志长期在外务工，不熟悉村里情况，不适合担任村级人口主任。",
            },
            as_user=committee,
        )
    objection = objected.objections.get()
    with on(at(add_working_days(published, 4), 15, 30)):
        browser.post(
            reverse("recruitment:objection_decide", args=[objection.pk]),
            {
                "decision": "dismissed",
                "finding": (
                    "经走访村两委和邻里核实，该同志2023年起已返乡，现任村卫生室协管员，"
                    "熟悉村情，反映情况不属实，异议不成立。"
                ),
            },
            as_user=committee,
        )
    replay_huajiang_contracts(browser, cast, campaign)
    return campaign


def replay_huajiang_contracts(browser: Browser, cast: Cast, campaign: Campaign) -> None:
    """The working day after the notice the committee member handles the objections and
    confirms the hires (contracts from three days later); the next working day each contract
    is signed on its task page, and three working days after that ``county_hr`` records the
    induction training of the day before and files each contract, which comes into force."""
    from contracts.models import Contract
    from workflows.flows_contract import ContractFlow, contract_flow_start

    committee = cast.committee
    campaign.refresh_from_db()
    if campaign.notice_ends_on is None:
        raise DemoReplayError(f"{campaign} has no public notice.")
    hires_day = add_working_days(campaign.notice_ends_on, 1)
    with on(at(hires_day, 9, 30)):
        browser.finish(campaign, CampaignFlow.handle_objections, committee, {"confirm": "on"})
    start = hires_day + datetime.timedelta(days=3)
    with on(at(hires_day, 10, 30)):
        browser.finish(
            campaign,
            CampaignFlow.confirm_hires,
            committee,
            {"start_date": start.isoformat(), "confirm": "on"},
        )
    _expect(campaign, CampaignState.CONCLUDED)
    contracts = list(
        Contract.objects.filter(application__campaign=campaign)
        .select_related("person")
        .order_by("post__village__name_pinyin", "pk")
    )
    with on(at(hires_day, 10, 31)):
        # The flows start when the hiring transaction commits; the replay is one transaction.
        for contract in contracts:
            contract_flow_start(contract)
    signing_day = add_working_days(hires_day, 1)
    head = cast.head
    signatory = f"{head.last_name}{head.first_name}"
    for n, contract in enumerate(contracts):
        with on(at(signing_day, 10) + datetime.timedelta(minutes=20 * n)):
            _contract_task(
                browser,
                contract,
                ContractFlow.sign,
                committee,
                {
                    "signatory": signatory,
                    "township_on": signing_day.isoformat(),
                    "director_on": signing_day.isoformat(),
                },
            )
    hr = User.objects.get(username="county_hr")
    filing_day = add_working_days(signing_day, 3)
    trained = filing_day - ONE_DAY
    for n, contract in enumerate(contracts, start=1):
        with on(at(filing_day, 9, 30) + datetime.timedelta(minutes=10 * n)):
            _contract_task(
                browser,
                contract,
                ContractFlow.file,
                hr,
                {"filing_number": f"关卫健备〔{filing_day.year}〕{n}号"},
            )
        with on(at(filing_day, 14, 30) + datetime.timedelta(minutes=10 * n)):
            _contract_task(
                browser,
                contract,
                ContractFlow.record_induction,
                hr,
                {"on": trained.isoformat(), "note": "全县村级人口主任初任培训班"},
            )
    for contract in contracts:
        if Contract.objects.get(pk=contract.pk).state != "active":
            raise DemoReplayError(f"The contract of {contract.person.name} is not in force.")


def _contract_task(browser: Browser, contract, node, user: User, payload: dict) -> None:
    """Take ``user``'s task at ``node`` of the contract's flow if it waits in a queue, then do
    it on its execute page."""
    task = Task.objects.get(
        process__contractprocess__contract=contract,
        flow_task=node,
        status__in=OPEN_TASK_STATUSES,
    )
    if task.owner_id is None:
        browser.post(task.reverse("assign"), {}, as_user=user)
    elif task.owner_id != user.pk:
        raise DemoReplayError(f"{node.name} of {contract} is not assigned to {user}.")
    browser.post(task.reverse("execute"), payload, as_user=user)


REPLAYS = {GUANSUO.township: replay_guansuo, HUAJIANG.township: replay_huajiang}


def _demo_campaigns() -> Q:
    """The demo campaigns of the demo county, whatever year their titles carry."""
    condition = Q(pk__in=[])
    for spec in CAMPAIGNS:
        pattern = rf"^[0-9]{{4}}年{re.escape(spec.subject)}$"
        condition |= Q(township__name=spec.township, title__regex=pattern)
    return Q(township__county__name=data.COUNTY["name"]) & condition


# Loading and reporting -----------------------------------------------------------------------


@dataclass
class CampaignsResult:
    created: list[Campaign]
    skipped: list[str]  # why a campaign could not be created


def demo_campaigns_load() -> CampaignsResult:
    """Replay whichever demo campaign is missing, up to today (one query when none is)."""
    result = CampaignsResult([], [])
    existing = set(
        Campaign.objects.filter(_demo_campaigns()).values_list("township__name", flat=True)
    )
    missing = [spec for spec in CAMPAIGNS if spec.township not in existing]
    if not missing:
        return result
    today = timezone.localdate()
    county = County.objects.get(name=data.COUNTY["name"])
    taken = set(Person.objects.values_list("id_number", flat=True))
    taken |= set(Application.objects.values_list("id_number", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        for spec in missing:
            cast = _cast(spec, county)
            if isinstance(cast, str):
                result.skipped.append(f"{spec.township} {spec.title_in(today.year)}: {cast}")
                continue
            try:
                with transaction.atomic():
                    result.created.append(REPLAYS[spec.township](cast, today, taken))
            except DemoReplayError as exc:  # a page refused a step: nothing of it remains
                result.skipped.append(f"{spec.township} {spec.title_in(today.year)}: {exc}")
    return result


@dataclass(frozen=True)
class CampaignLine:
    township: str
    title: str
    state: str
    username: str  # who has the waiting task ("" when it waits in a queue)
    next_step: str  # the waiting task, "" when none


def demo_campaign_lines() -> list[CampaignLine]:
    """Where each demo campaign stands and who continues it (two queries)."""
    campaigns = list(Campaign.objects.filter(_demo_campaigns()).select_related("township"))
    tasks = {
        task.process.campaignprocess.campaign_id: task
        for task in Task.objects.filter(
            process__campaignprocess__campaign__in=campaigns,
            flow_task_type="HUMAN",
            status__in=OPEN_TASK_STATUSES,
        )
        .select_related("owner", "process__campaignprocess")
        .order_by("created")
    }
    order = {spec.township: n for n, spec in enumerate(CAMPAIGNS)}
    lines = []
    for campaign in sorted(campaigns, key=lambda c: order.get(c.township.name, 99)):
        task = tasks.get(campaign.pk)
        lines.append(
            CampaignLine(
                township=campaign.township.name,
                title=campaign.title,
                state=str(campaign.get_state_display()),
                username=task.owner.username if task is not None and task.owner else "",
                next_step=str(task.flow_task.task_title) if task is not None else "",
            )
        )
    return lines
