"""Hostile text: look-alike and invisible characters, control characters, characters the
documents cannot print, full-width and other scripts' digits, lenient numbers and ID numbers
of no province. One normaliser (``core.normalise``) is used by every form
(``core.forms.NormalisedFormMixin``) and both imports; these tests meet it where a person
would: on the pages, in Chinese, and check that nothing was written."""

import datetime
import importlib
import inspect
import pkgutil
import sys
import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.constants import Role
from core import normalise
from core.forms import NormalisedForm, NormalisedFormMixin
from core.identity import PROVINCE_CODES, check_digit, parse_id_number
from core.normalise import clean_text, normalise_text, plain_number
from organisation import importing
from organisation.models import Village
from people.models import Person
from recruitment import ranking
from recruitment.models import Application
from tests.factories import TownshipFactory, UserFactory, make_village
from tests.matrix_support import make_world

pytestmark = pytest.mark.django_db

PROJECT_APPS = (
    "core",
    "accounts",
    "audit",
    "workdays",
    "paperwork",
    "policy",
    "organisation",
    "people",
    "contracts",
    "recruitment",
    "workflows",
    "web",
    "demo",
)

# Strings that look like 北口村 / 王堃 / 2350 but are spelt differently.
LOOK_ALIKES = [
    ("北口村\u200b", "北口村"),  # zero-width space
    ("\ufeff北口村", "北口村"),  # byte-order mark
    ("北\u00ad口村", "北口村"),  # soft hyphen
    ("\u202e北口村\u202c", "北口村"),  # right-to-left override and pop
    ("北口村\u200f", "北口村"),  # right-to-left mark
    ("北\u2060口\u200d村", "北口村"),  # word joiner, zero-width joiner
    ("北口村\ufe0f", "北口村"),  # variation selector
    ("北\u2f1d村", "北口村"),  # KANGXI RADICAL MOUTH, drawn like 口
    ("北口村\u2800", "北口村"),  # braille blank
    ("王\u3000堃", "王 堃"),  # ideographic space
    ("ＡＢＣ村", "ABC村"),  # full-width letters
    ("２３５０", "2350"),  # full-width digits
    ("  北口村   ", "北口村"),
]


# The normaliser --------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), LOOK_ALIKES)
def test_look_alike_text_is_normalised_to_one_spelling(typed, stored):
    assert normalise_text(typed) == stored
    assert clean_text(typed, label="村名") == stored


def test_every_format_character_of_unicode_is_removed():
    format_characters = [
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
    ]
    assert format_characters
    kept = [f"U+{ord(ch):04X}" for ch in format_characters if normalise_text(f"a{ch}b") != "ab"]
    assert kept == []


def test_chinese_punctuation_and_symbols_are_kept_as_typed():
    # NFKC would make these ASCII (，→ , （→ ( ①→ 1): Chinese text keeps its punctuation.
    text = "贵州省关岭自治县关索街道（北口村）；面积：100㎡，①号楼！"
    assert clean_text(text, label="户籍") == text


def test_line_breaks_stay_in_a_note_and_fold_in_a_name():
    assert (
        normalise_text("第一行\r\n第二行\u2028第三行", multiline=True) == "第一行\n第二行\n第三行"
    )
    assert normalise_text("王\n堃\t") == "王 堃"


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x07", "\x7f", "\x9b"])
def test_control_characters_are_refused_with_the_field_named(control):
    with pytest.raises(ValidationError) as error:
        clean_text(f"王{control}堃", label="姓名")
    assert error.value.code == "control_character"
    assert "姓名" in error.value.messages[0]


@pytest.mark.parametrize(
    "character",
    ["\ue000", "\U000f0000", "\u0378", "\ud800"],  # private use ×2, unassigned, lone surrogate
)
def test_characters_no_document_can_print_are_refused(character):
    with pytest.raises(ValidationError) as error:
        clean_text(f"北口{character}村", label="村名")
    assert error.value.code == "unprintable"
    assert "村名" in error.value.messages[0]
    assert "3" in error.value.messages[0]  # its position


def test_paperwork_registers_the_font_check(monkeypatch):
    # A character the installed fonts cannot draw is refused by the check paperwork registers
    # at start-up; this one stands in for a rare character missing from every font.
    from paperwork import fonts

    monkeypatch.setattr(fonts, "uncovered_characters", lambda text: [c for c in text if c == "䶮"])
    with pytest.raises(ValidationError):
        clean_text("王䶮", label="姓名")
    assert clean_text("王堃", label="姓名") == "王堃"
    monkeypatch.setattr(normalise, "_print_check", None)
    assert clean_text("王䶮", label="姓名") == "王䶮"


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("80", Decimal("80")),
        ("８０", Decimal("80")),
        (" 80.5 ", Decimal("80.5")),
        ("1_0", None),
        ("1e2", None),
        ("٨٠", None),
        ("३०", None),
        ("30 00", None),
        ("NaN", None),
        ("Infinity", None),
        ("+5", None),
        (".5", None),
        ("0x10", None),
    ],
)
def test_plain_numbers_only(written, number):
    assert plain_number(written) == number


# Every form uses the normaliser ------------------------------------------------------------


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name:
                continue
            yield importlib.import_module(info.name)


def test_every_form_class_of_the_project_normalises_its_text():
    form_classes = {
        obj
        for module in _project_modules()
        for _name, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, forms.BaseForm) and obj.__module__.split(".")[0] in PROJECT_APPS
    }
    assert len(form_classes) > 20  # the walk found the forms
    missing = sorted(
        f"{cls.__module__}.{cls.__name__}"
        for cls in form_classes
        if not issubclass(cls, NormalisedFormMixin)
    )
    assert missing == []


def test_every_admin_form_that_can_change_a_record_normalises_its_text(rf, county):
    request = rf.get("/")
    request.user = UserFactory(
        role=Role.ADMINISTRATOR, county=county, is_staff=True, is_superuser=True
    )
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue  # Django's groups, viewflow's processes: not the project's records
        if not model_admin.has_change_permission(request):
            continue
        for form in (model_admin.form, getattr(model_admin, "add_form", None)):
            if form is not None and not issubclass(form, NormalisedFormMixin):
                unchecked.append(f"{model.__name__}: {form.__name__}")
    assert unchecked == []


class _Sample(NormalisedForm):
    name = forms.CharField(label="姓名", max_length=10)
    note = forms.CharField(label="备注", widget=forms.Textarea, required=False)
    year = forms.IntegerField(label="毕业年份", required=False)
    secret = forms.CharField(label="密码", widget=forms.PasswordInput, required=False)


def test_the_mixin_normalises_refuses_and_keeps_passwords_as_typed():
    form = _Sample(
        {"name": "ＡＢ\u200bＣ", "note": "一\r\n二", "year": "２０１０", "secret": "ｐ\u200bw"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "name": "ABC",
        "note": "一\n二",
        "year": 2010,
        "secret": "ｐ\u200bw",
    }

    form = _Sample({"name": "王\x00堃", "year": "1_998"})
    assert not form.is_valid()
    assert "姓名" in form.errors["name"][0]
    assert "毕业年份" in form.errors["year"][0]  # Python's int() would read 1_998 as 1998
    assert form.data["name"] == "王堃"  # the page shows the text without the control character


# On the pages ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public pages' rate limits count in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    world = make_world()
    world.hr = world.users[Role.COUNTY_HR]
    return world


def person_form(world, **overrides) -> dict:
    first17 = "52042419920318031"
    data = {
        "name": "罗昇",
        "id_number": first17 + check_digit(first17),
        "phone": "13987654321",
        "education": "high_school",
        "school": "关岭民族中学",
        "graduation_year": "2010",
        "household_registration": "贵州省关岭自治县关索街道",
        "township": world.own.township.pk,
        "village": world.own.village.pk,
    }
    data.update(overrides)
    return data


def test_a_person_typed_with_invisible_and_full_width_characters_is_stored_plainly(client, world):
    client.force_login(world.hr)
    plain = person_form(world)
    typed = person_form(
        world,
        name="罗\u200b昇\ufeff",
        id_number=plain["id_number"].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        phone="１３９ ８７６５ ４３２１",
        school="关岭民族中学\u00ad",
    )
    response = client.post(reverse("people:create"), typed)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(id_number=plain["id_number"])
    assert (person.name, person.phone, person.school) == ("罗昇", "13987654321", "关岭民族中学")


def test_a_nul_in_a_name_is_refused_in_chinese_and_nothing_is_stored(client, world):
    client.force_login(world.hr)
    before = Person.objects.count()
    response = client.post(reverse("people:create"), person_form(world, name="罗\x00昇"))
    assert response.status_code != 302
    message = " ".join(response.context["form"].errors["name"])
    assert "姓名" in message and "控制字符" in message
    assert Person.objects.count() == before


def test_an_id_number_in_another_scripts_digits_is_refused(client, world):
    client.force_login(world.hr)
    plain = person_form(world)["id_number"]
    arabic = plain.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = client.post(reverse("people:create"), person_form(world, id_number=arabic))
    assert response.status_code != 302
    assert "0–9" in " ".join(response.context["form"].errors["id_number"])
    assert not Person.objects.filter(id_number=plain).exists()


# ID numbers: the province code ----------------------------------------------------------------


def _id_with_prefix(prefix: str) -> str:
    first17 = f"{prefix}0424" + "19920318" + "031"
    return first17 + check_digit(first17)


NOT_PROVINCES = [f"{n:02d}" for n in range(100) if n not in PROVINCE_CODES]


@pytest.mark.parametrize("prefix", NOT_PROVINCES)
def test_an_id_number_of_no_province_is_refused(prefix):
    with pytest.raises(ValidationError) as error:
        parse_id_number(_id_with_prefix(prefix))
    assert error.value.code == "region"


@pytest.mark.parametrize("prefix", sorted(f"{n:02d}" for n in PROVINCE_CODES))
def test_an_id_number_of_every_province_and_residence_permit_is_accepted(prefix):
    assert parse_id_number(_id_with_prefix(prefix)).number.startswith(prefix)


def test_an_unknown_county_code_inside_a_province_is_accepted():
    # Codes retired since a card was issued stay on valid cards.
    first17 = "52999919920318031"
    assert parse_id_number(first17 + check_digit(first17)).number.startswith("529999")


# Villages: look-alike names, unprintable names, lenient populations ---------------------------


HEADER = ["乡镇(街道)", "村(居、社区)", "户籍人口"]


def village_csv(rows) -> SimpleUploadedFile:
    lines = [",".join(str(v) for v in row) for row in [HEADER, *rows]]
    return SimpleUploadedFile("villages.csv", "\n".join(lines).encode(), "text/csv")


def import_page(client, rows):
    return client.post(
        reverse("organisation:import"), {"file": village_csv(rows), "effective_date": "2026-01-01"}
    )


@pytest.fixture
def guansuo(county, policy):
    return TownshipFactory(county=county, name="关索街道")


@pytest.mark.parametrize(("typed", "_stored"), LOOK_ALIKES[:9])
def test_a_look_alike_village_name_finds_the_village_instead_of_creating_one(
    client, hr, guansuo, typed, _stored
):
    village = make_village(guansuo, 1500, name="北口村", by=hr)
    client.force_login(hr)
    response = import_page(client, [["关索街道", typed, 2600]])
    assert response.status_code == 200, response.context["report"].errors
    assert list(Village.objects.values_list("name", flat=True)) == ["北口村"]
    village.refresh_from_db()
    assert village.registered_population == 2600


def test_a_village_name_with_a_private_use_character_is_refused_and_nothing_written(
    client, hr, guansuo
):
    client.force_login(hr)
    response = import_page(client, [["关索街道", "新寨村", 100], ["关索街道", "北口\ue000村", 200]])
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "村(居、社区)")]
    assert "无法在文书上打印" in errors[0].reason
    assert not Village.objects.exists()


def test_a_control_character_in_a_cell_is_refused_with_its_column(client, hr, guansuo):
    client.force_login(hr)
    response = import_page(client, [["关索街道", "北口\x1b村", 100]])
    assert response.status_code == 400
    (error,) = response.context["report"].errors
    assert error.column == "村(居、社区)" and "控制字符" in error.reason
    assert not Village.objects.exists()


LENIENT_NUMBERS = ["1_0", "1e2", "٨٠", "30 00", "NaN", "0x10"]


@pytest.mark.parametrize("written", LENIENT_NUMBERS)
def test_a_lenient_population_is_refused_in_the_import(client, hr, guansuo, written):
    client.force_login(hr)
    response = import_page(client, [["关索街道", "新寨村", written]])
    assert response.status_code == 400
    (error,) = response.context["report"].errors
    assert error.column == "户籍人口" and "0–9" in error.reason
    assert not Village.objects.exists()


@pytest.fixture
def beikou(guansuo, hr):
    return make_village(guansuo, 2500, name="北口村", by=hr)


def change_population(client, village, **data):
    values = {"registered_population": "2600", "effective_date": "2026-06-30", "reason": "年报"}
    return client.post(
        reverse("organisation:village_population", args=[village.pk]), {**values, **data}
    )


@pytest.mark.parametrize("written", LENIENT_NUMBERS)
def test_a_lenient_population_is_refused_on_the_population_form(client, hr, beikou, written):
    client.force_login(hr)
    response = change_population(client, beikou, registered_population=written)
    assert response.status_code == 400
    assert "0–9" in " ".join(response.context["form"].errors["registered_population"])
    beikou.refresh_from_db()
    assert beikou.registered_population == 2500


def test_full_width_digits_are_a_population_on_the_form_and_in_the_import(client, hr, beikou):
    client.force_login(hr)
    response = change_population(
        client, beikou, registered_population="２６００", effective_date="２０２６-０６-３０"
    )
    assert response.status_code == 302
    beikou.refresh_from_db()
    assert beikou.registered_population == 2600
    assert beikou.population_effective_date == datetime.date(2026, 6, 30)
    assert importing.parse_population("１２,３４５") == 12345


# Scores ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [*LENIENT_NUMBERS, "８０.５\u200b"])
def test_lenient_scores_are_refused_and_full_width_ones_read(written):
    if written.startswith("８"):
        assert ranking.parse_score(written) == Decimal("80.50")
        return
    with pytest.raises(ranking.ScoreError) as error:
        ranking.parse_score(written)
    assert "0–9" in error.value.message or "not a number" in error.value.message


# Public registration: one person, one application ----------------------------------------------


def test_an_id_number_spelt_three_ways_gives_one_application(client, policy):
    from tests.test_recruitment_public import applicant_data, birth_for_age, make_campaign

    campaign = make_campaign(policy=policy)
    first17 = f"520424{birth_for_age(campaign, 30):%Y%m%d}031"
    ascii_id = first17 + check_digit(first17)
    spellings = [
        ascii_id,
        ascii_id.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        ascii_id.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "\u200b" + ascii_id,
    ]
    answers = []
    for id_number in spellings:
        response = client.post(
            reverse("apply:campaign_detail", args=[campaign.pk]),
            applicant_data(campaign, id_number=id_number),
        )
        answers.append(response.status_code)
    assert answers == [302, 400, 400, 400]
    assert list(Application.objects.values_list("id_number", flat=True)) == [ascii_id]


def test_a_control_character_in_the_public_form_is_refused_and_nothing_is_stored(client, policy):
    from tests.test_recruitment_public import applicant_data, make_campaign

    campaign = make_campaign(policy=policy)
    response = client.post(
        reverse("apply:campaign_detail", args=[campaign.pk]),
        applicant_data(campaign, household_registration="贵州省\x00关岭"),
    )
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert not Application.objects.exists()


def test_the_service_normalises_the_application_text_too(policy):
    from tests.test_recruitment_public import make_campaign, service_submit

    campaign = make_campaign(policy=policy)
    application = service_submit(
        campaign, name="罗\u200b昇", school="ＡＢＣ中学", graduation_year="２０１４"
    )
    assert (application.name, application.school, application.graduation_year) == (
        "罗昇",
        "ABC中学",
        2014,
    )
    with pytest.raises(ValidationError) as error:
        service_submit(campaign, name="张三", graduation_year="١٩٩٨")
    assert "graduation_year" in error.value.message_dict
