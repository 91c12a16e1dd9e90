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
from openpyxl import Workbook
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from accounts.constants import Role
from accounts.models import User
from organisation.models import County, Post, Township, Village
from people.models import Person
from policy.models import Policy
from recruitment.models import Application, Campaign
from recruitment.services.applications import application_submit
from recruitment.services.campaigns import campaign_announce, campaign_create
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_village,
)

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


# Added for test_county.py and test_public_more.py (browser-county) ------------------------------

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
CAMPAIGN_TITLE = "关索街道2026年村级人口主任公开选聘"


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
