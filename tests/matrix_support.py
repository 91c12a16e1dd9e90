"""A small county with two townships and one user per role, for page and permission tests.

``own`` is the township (and village) the township and village users belong to and where the
director holds a post; ``foreign`` is another township of the same county. Each township has
one village with an occupied and a vacant post, a person (the own one is the director) and a
document about that person. A second county has its own policy version.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from accounts.constants import Role
from accounts.models import User
from organisation.models import County, Post, Township, Village
from paperwork.models import Document, DocumentKind
from people.models import Person
from policy.models import Policy
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)

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
class World:
    county: County
    policy: Policy
    own: Side
    foreign: Side
    # Records kept per county (policy versions) are "foreign" when of another county.
    far_policy: Policy
    users: dict[str, User] = field(default_factory=dict)

    def side(self, name: str) -> Side:
        return self.own if name == "own" else self.foreign


def make_document(person: Person, *, title: str = "村级人口主任岗位登记表") -> Document:
    content = b"%PDF-1.4 test document"
    document = Document(
        kind=DocumentKind.VILLAGE_POST_REGISTER,
        title=title,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        subject_repr=str(person),
        template_name="paperwork/test.html",
        template_version="1",
        issuing_body=person.township.issuing_body,
        county=person.township.county,
        township=person.township,
        person=person,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=1,
    )
    document.file.save(f"test-{person.pk}.pdf", ContentFile(content), save=False)
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
