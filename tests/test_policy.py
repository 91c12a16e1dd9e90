"""Policy versions: validation, the version in force on a date, and the policy pages."""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEntry
from organisation.constants import PostStatus
from organisation.services import policy_revise
from policy.forms import FIELD_GROUPS, PolicyVersionForm, parse_tiers
from policy.models import Policy
from policy.selectors import NoPolicyInForce, policy_in_force
from policy.services import policy_create_version
from policy.validation import validate_pay_deduction_bands, validate_quota_tiers
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_village,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

TODAY = datetime.date(2026, 11, 23)
DEFAULT_TIERS_TEXT = "0-2000:1\n2001-4999:2\n5000-:3"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def hr(county):
    """Unlike the shared ``hr``, no policy version: each test makes the versions it needs."""
    return UserFactory(role=Role.COUNTY_HR, county=county)


def new_version(county, by, *, on, base=None, **values):
    values.setdefault("title", f"version from {on}")
    return policy_create_version(county=county, by=by, base=base, effective_from=on, **values)


# The version in force ------------------------------------------------------------------------


def test_before_the_first_version_there_is_a_clear_error(county, hr):
    new_version(county, hr, on=datetime.date(2014, 7, 9))
    with pytest.raises(NoPolicyInForce) as exc:
        policy_in_force(county=county, on=datetime.date(2014, 7, 8))
    assert county.name in str(exc.value)
    assert "2014-07-08" in str(exc.value)


def test_with_two_versions_each_date_gets_the_latest_started_one(county, hr):
    first = new_version(county, hr, on=datetime.date(2014, 7, 9))
    second = new_version(county, hr, on=datetime.date(2020, 1, 1), base=first, monthly_pay=2000)
    assert policy_in_force(county=county, on=datetime.date(2014, 7, 9)) == first
    assert policy_in_force(county=county, on=datetime.date(2019, 12, 31)) == first
    assert policy_in_force(county=county, on=datetime.date(2020, 1, 1)) == second
    assert policy_in_force(county=county, on=datetime.date(2030, 1, 1)) == second


def test_a_same_day_correction_wins(county, hr):
    new_version(county, hr, on=datetime.date(2014, 7, 9))
    wrong = new_version(county, hr, on=datetime.date(2020, 1, 1), monthly_pay=20000)
    corrected = new_version(county, hr, on=datetime.date(2020, 1, 1), base=wrong, monthly_pay=2000)
    assert corrected.version == wrong.version + 1
    assert policy_in_force(county=county, on=datetime.date(2020, 1, 1)) == corrected


def test_another_countys_versions_are_ignored(county, hr):
    other = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    PolicyFactory(county=other, effective_from=datetime.date(2010, 1, 1))
    with pytest.raises(NoPolicyInForce):
        policy_in_force(county=county, on=TODAY)


# Creating versions ---------------------------------------------------------------------------


def test_a_new_version_copies_the_base_numbers_and_is_audited(county, hr):
    base = new_version(county, hr, on=datetime.date(2014, 7, 9), monthly_pay=1700)
    version = new_version(county, hr, on=TODAY, base=base, note="提高报酬", term_years=5)
    assert (version.version, version.monthly_pay, version.term_years) == (2, 1700, 5)
    assert version.created_by == hr
    entry = AuditEntry.objects.get(object_id=version.pk, action=AuditEntry.Action.CREATE)
    assert entry.reason == "提高报酬"
    version.quota_tiers[0]["posts"] = 9  # the copy does not alias the base's list
    base.refresh_from_db()
    assert base.quota_tiers[0]["posts"] == 1


OVERLAP = [
    {"min": 0, "max": 2000, "posts": 1},
    {"min": 2000, "max": 4999, "posts": 2},
    {"min": 5000, "max": None, "posts": 3},
]


def test_overlapping_quota_thresholds_are_refused_and_nothing_is_saved(county, hr):
    with pytest.raises(ValidationError) as exc:
        new_version(county, hr, on=TODAY, quota_tiers=OVERLAP)
    assert "overlaps" in exc.value.message_dict["quota_tiers"][0]
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("tiers", "reason"),
    [
        (OVERLAP, "overlaps"),
        ([{"min": 0, "max": 2000, "posts": 1}, {"min": 2500, "max": None, "posts": 2}], "leaving"),
        ([{"min": 100, "max": None, "posts": 1}], "leaving populations 0–99"),
        ([{"min": 0, "max": 2000, "posts": 1}], "open-ended"),
        ([{"min": 0, "max": None, "posts": 1}, {"min": 10, "max": None, "posts": 2}], "Only"),
        ([{"min": 0, "max": 10, "posts": 2}, {"min": 11, "max": None, "posts": 1}], "fewer"),
        ([{"min": 0, "max": None, "posts": 0}], "posts must be"),
        ([], "at least one"),
    ],
)
def test_bad_quota_tiers_are_refused_with_the_reason(tiers, reason):
    with pytest.raises(ValidationError) as exc:
        validate_quota_tiers(tiers)
    assert reason in exc.value.messages[0]


@pytest.mark.parametrize(
    ("bands", "reason"),
    [
        (
            [{"min_score": 80, "deduction_percent": 0}, {"min_score": 90, "deduction_percent": 5}],
            "highest score down",
        ),
        (
            [{"min_score": 90, "deduction_percent": 0}, {"min_score": 60, "deduction_percent": 5}],
            "start at score 0",
        ),
        (
            [{"min_score": 90, "deduction_percent": 10}, {"min_score": 0, "deduction_percent": 5}],
            "lose less pay",
        ),
        ([{"min_score": 0, "deduction_percent": 120}], "between 0 and 100"),
    ],
)
def test_bad_pay_bands_are_refused_with_the_reason(bands, reason):
    with pytest.raises(ValidationError) as exc:
        validate_pay_deduction_bands(bands)
    assert reason in exc.value.messages[0]


def test_weights_that_do_not_add_up_are_refused_naming_the_field(county, hr):
    with pytest.raises(ValidationError) as exc:
        new_version(county, hr, on=TODAY, written_weight=60, interview_weight=50)
    assert "add up to 100" in exc.value.message_dict["interview_weight"][0]


# Revising and the villages' posts ------------------------------------------------------------


@pytest.fixture
def village(county, hr):
    new_version(county, hr, on=datetime.date(2014, 7, 9))
    township = TownshipFactory(county=county)
    village = make_village(township, 2500, by=hr)
    for post in village.posts.all():
        post.holder = PersonFactory(township=township, village=village)
        post.save()
    return village


SINGLE_POST = [{"min": 0, "max": 9999, "posts": 1}, {"min": 10000, "max": None, "posts": 2}]


def test_changed_tiers_in_force_today_reconcile_the_villages_keeping_occupied_posts(
    county, hr, village
):
    base = policy_in_force(county=county, on=TODAY)
    revision = policy_revise(
        county=county, by=hr, base=base, effective_from=TODAY, title="t", quota_tiers=SINGLE_POST
    )
    assert (revision.reconciled_villages, revision.posts_marked_surplus) == (1, 1)
    assert village.posts.count() == 2
    assert sorted(village.posts.values_list("status", flat=True)) == [
        PostStatus.ACTIVE,
        PostStatus.SURPLUS,
    ]


def test_changed_tiers_taking_effect_later_change_no_post_now(county, hr, village):
    base = policy_in_force(county=county, on=TODAY)
    revision = policy_revise(
        county=county,
        by=hr,
        base=base,
        effective_from=datetime.date(2027, 1, 1),
        title="t",
        quota_tiers=SINGLE_POST,
    )
    assert revision.tiers_changed and not revision.reconciled
    assert set(village.posts.values_list("status", flat=True)) == {PostStatus.ACTIVE}


def test_a_version_without_tier_changes_touches_no_post(county, hr, village):
    base = policy_in_force(county=county, on=TODAY)
    entries = AuditEntry.objects.count()
    revision = policy_revise(
        county=county, by=hr, base=base, effective_from=TODAY, title="t", monthly_pay=1800
    )
    assert not revision.tiers_changed
    assert AuditEntry.objects.count() == entries + 1  # the version itself only


# The form ------------------------------------------------------------------------------------


def test_tier_lines_parse_with_an_open_last_tier():
    assert parse_tiers(DEFAULT_TIERS_TEXT + "\n") == [
        {"min": 0, "max": 2000, "posts": 1},
        {"min": 2001, "max": 4999, "posts": 2},
        {"min": 5000, "max": None, "posts": 3},
    ]


def test_every_number_of_a_version_is_in_the_form_and_on_the_detail_page():
    grouped = {name for _title, names in FIELD_GROUPS for name in names}
    meta = {"id", "county", "version", "effective_from", "title", "note", "created_by"}
    numbers = {f.name for f in Policy._meta.concrete_fields} - meta - {"created_at"}
    assert grouped == numbers


def post_data(policy, **changes) -> dict:
    initial = PolicyVersionForm.initial_from(policy, effective_from=TODAY)
    initial.update({"title": "关岭自治县2026年修订", "note": "调整报酬", **changes})
    data = {}
    for key, value in initial.items():
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = str(value)
    return data


@pytest.fixture
def pages(county, hr):
    policy = new_version(county, hr, on=datetime.date(2014, 7, 9), title="2014年实施方案")
    township = TownshipFactory(county=county)
    return SimpleNamespace(
        policy=policy,
        hr=hr,
        township=township,
        office=UserFactory(role=Role.TOWNSHIP_OFFICE, county=county, township=township),
        committee=UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=township),
    )


def test_the_create_form_is_prefilled_from_the_version_in_force_today(client, pages, county):
    later = new_version(
        county, pages.hr, on=datetime.date(2020, 1, 1), base=pages.policy, monthly_pay=2000
    )
    new_version(county, pages.hr, on=datetime.date(2027, 1, 1), base=later, monthly_pay=2500)
    client.force_login(pages.hr)
    response = client.get(reverse("policy:create"))
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["monthly_pay"] == 2000
    assert form.initial["quota_tiers"] == DEFAULT_TIERS_TEXT
    assert form.initial["pay_deduction_bands"].splitlines()[0] == "90:0"
    assert form.initial["grade_excellent"] == 90
    assert form.initial["effective_from"] == TODAY


def test_saving_the_form_creates_a_new_version_and_keeps_the_old(client, pages):
    client.force_login(pages.hr)
    data = post_data(pages.policy, monthly_pay="1900.00", quota_tiers="0-3000:1\n3001-:2")
    response = client.post(reverse("policy:create"), data, follow=True)

    assert response.status_code == 200
    new = Policy.objects.get(version=2)
    assert new.monthly_pay == 1900
    assert new.quota_tiers == [
        {"min": 0, "max": 3000, "posts": 1},
        {"min": 3001, "max": None, "posts": 2},
    ]
    assert new.note == "调整报酬"
    pages.policy.refresh_from_db()
    assert pages.policy.monthly_pay == 1700
    assert response.context["policy"] == new
    texts = [str(m) for m in response.context["messages"]]
    assert any("Version 2 is saved" in text for text in texts)
    assert any("quota tiers changed" in text for text in texts)


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"quota_tiers": "0-2000:1\n2000-4999:2\n5000-:3"}, "quota_tiers", "overlaps"),
        ({"quota_tiers": "0-2000:1\nbig:2"}, "quota_tiers", "Line 2"),
        ({"pay_deduction_bands": "90:0\n80:-5"}, "pay_deduction_bands", "Line 2"),
        ({"grade_competent": "95"}, "grade_excellent", "must fall"),
        ({"annual_monthly_weight": "40"}, "annual_appraisal_weight", "add up to 100"),
        ({"monthly_pay": "abc"}, "monthly_pay", "number"),
        ({"term_years": "0"}, "term_years", "greater than or equal to 1"),
        ({"note": ""}, "note", "required"),
    ],
)
def test_a_bad_form_names_the_field_and_saves_nothing(client, pages, changes, field, reason):
    client.force_login(pages.hr)
    response = client.post(reverse("policy:create"), post_data(pages.policy, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert reason in " ".join(errors[field])
    assert Policy.objects.count() == 1


def test_the_list_marks_the_current_version_and_shows_only_the_county(client, pages, county):
    current = new_version(county, pages.hr, on=datetime.date(2020, 1, 1), base=pages.policy)
    new_version(county, pages.hr, on=datetime.date(2027, 1, 1), base=current)
    other = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    PolicyFactory(county=other)
    client.force_login(pages.office)

    response = client.get(reverse("policy:list"))

    assert response.status_code == 200
    assert [p.version for p in response.context["versions"]] == [3, 2, 1]
    assert response.context["current"] == current
    assert not response.context["can_add"]


def test_an_old_version_stays_readable_with_its_numbers_grouped(client, pages, county):
    new_version(county, pages.hr, on=datetime.date(2020, 1, 1), base=pages.policy, monthly_pay=2000)
    client.force_login(pages.office)
    response = client.get(reverse("policy:detail", args=[pages.policy.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert not response.context["is_current"]
    assert "1700" in content
    assert "2001 to 4999 people: 2 posts" in content
    assert "5000 people or more: 3 posts" in content
    assert [title for title, _rows in response.context["groups"]] == [
        str(title) for title, _names in FIELD_GROUPS
    ]


# Refusals and the sheet button ---------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, pages):
    for url in (
        reverse("policy:list"),
        reverse("policy:detail", args=[pages.policy.pk]),
        reverse("policy:create"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_only_county_hr_may_create_a_version(client, pages):
    client.force_login(pages.committee)
    assert client.get(reverse("policy:create")).status_code == 403
    response = client.post(reverse("policy:create"), post_data(pages.policy))
    assert response.status_code == 403
    assert Policy.objects.count() == 1


def test_another_countys_version_answers_404(client, pages):
    other = CountyFactory(name="镇宁布依族苗族自治县", hr_office="镇宁县卫生健康局")
    foreign = PolicyFactory(county=other)
    client.force_login(pages.hr)
    assert client.get(reverse("policy:detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("policy:sheet", args=[foreign.pk])).status_code == 404


def test_a_director_without_a_post_sees_no_version(client, pages):
    director = UserFactory(
        role=Role.DIRECTOR,
        county=pages.township.county,
        person=PersonFactory(township=pages.township),
    )
    client.force_login(director)
    assert client.get(reverse("policy:detail", args=[pages.policy.pk])).status_code == 404


@pytest.fixture
def fake_sheet(fake_issue):
    return fake_issue("policy.documents.policy_sheet_issue", "policy", pk=77)


def test_the_sheet_button_issues_the_pdf_and_opens_it(client, pages, fake_sheet):
    client.force_login(pages.hr)
    response = client.post(reverse("policy:sheet", args=[pages.policy.pk]))
    assert response.status_code == 302
    assert response.url == reverse("paperwork:download", args=[77])
    assert fake_sheet == [(pages.policy, pages.hr)]


def test_the_sheet_needs_post_and_the_document_permission(client, pages, fake_sheet):
    village_user = UserFactory(
        role=Role.VILLAGE_COMMITTEE,
        county=pages.township.county,
        township=pages.township,
        village=make_village(pages.township, 100, by=pages.hr),
    )
    url = reverse("policy:sheet", args=[pages.policy.pk])
    client.force_login(village_user)
    assert client.post(url).status_code == 403
    client.force_login(pages.hr)
    assert client.get(url).status_code == 405
    assert fake_sheet == []
