"""factory_boy factories, one per meaningful state."""

import datetime
import io
import itertools

import factory
from pypdf import PdfWriter

from accounts.constants import Role
from accounts.models import User
from core.education import Education
from core.identity import check_digit
from organisation.constants import VillageKind
from organisation.models import County, Post, Township, Village
from organisation.services import village_create
from people.models import Person
from policy.models import Policy

_serial = itertools.count(1)


def make_id_number(
    birth: datetime.date = datetime.date(1990, 5, 17),
    *,
    female: bool = False,
    region: str = "520424",
) -> str:
    """A valid ID number with the given birth date; each call gives a new serial."""
    n = next(_serial) % 500
    order = n * 2 + (0 if female else 1)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def make_pdf(pages: int = 1) -> bytes:
    """A real PDF of ``pages`` blank A4 pages, as a scanned certificate must parse."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_village(
    township: Township,
    population: int,
    *,
    name: str = "新寨村",
    by=None,
    on: datetime.date = datetime.date(2026, 1, 1),
) -> Village:
    """A village created through the service, so with its posts under the policy in force."""
    return village_create(
        township=township,
        name=name,
        kind=VillageKind.VILLAGE,
        registered_population=population,
        population_effective_date=on,
        by=by,
    )


class CountyFactory(factory.django.DjangoModelFactory[County]):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = "关岭布依族苗族自治县"
    short_name = "关岭自治县"
    hr_office = "关岭自治县卫生健康局"


class PolicyFactory(factory.django.DjangoModelFactory[Policy]):
    class Meta:
        model = Policy

    county = factory.SubFactory(CountyFactory)
    version = factory.Sequence(lambda n: n + 1)
    effective_from = datetime.date(2014, 7, 9)
    title = "关岭自治县进一步加强村级人口计生队伍职业化建设实施方案"


class TownshipFactory(factory.django.DjangoModelFactory[Township]):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")
    government = factory.LazyAttribute(lambda o: f"{o.name}人民政府")


class VillageFactory(factory.django.DjangoModelFactory[Village]):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"新寨{n}村")
    registered_population = 1800
    population_effective_date = datetime.date(2026, 1, 1)


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    village = factory.SubFactory(VillageFactory)
    number = factory.Sequence(lambda n: n + 1)


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    name = "王晓燕"
    id_number = factory.LazyFunction(make_id_number)
    birth_date = factory.LazyAttribute(
        lambda o: datetime.date(
            int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14])
        )
    )
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    phone = "13812345678"
    education = Education.HIGH_SCHOOL
    household_registration = "贵州省关岭自治县关索街道"
    township = factory.SubFactory(TownshipFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    role = Role.COUNTY_HR
    county = factory.SubFactory(CountyFactory)
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()  # type: ignore[attr-defined]
