"""The people and places of the browser tests: a county with two townships and one account
per role, built with the factories and services as the other tests do.

关索街道 is the users' own township: 城内村 (its director 王堃 holds the one post) and
北口村 (two vacant posts, which campaigns offer). 花江镇 is a foreign township with 和平村
(two posts, one held by its director 韦春燕). Every account's password is ``PASSWORD``.
"""

import datetime
import io
from dataclasses import dataclass, field
from typing import cast

from PIL import Image, ImageDraw
from pypdf import PdfWriter

from accounts.constants import Role
from accounts.models import User
from organisation.models import County, Post, Township, Village
from people.models import Person
from policy.models import Policy
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
