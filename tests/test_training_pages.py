"""The training pages through the test client: a new course, the three ways of recording
attendance, the compliance page and the training section of the contract page and the
director's own record."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.constants import Role
from tests.builders import contract_in_force
from tests.factories import UserFactory
from tests.test_training import at, refresher
from training.constants import CourseKind
from training.models import Attendance, Course

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

D = datetime.date


@pytest.fixture
def office(township):
    return UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)


@pytest.fixture
def directors(township):
    return [
        contract_in_force(township, start=D(2024, 1, 1), birth=D(1985, 1, n), name=name)
        for n, name in enumerate(["王晓燕", "李四"], start=1)
    ]


def new_session(client, office):
    client.force_login(office)
    with at(D(2026, 3, 1)):
        response = client.post(
            reverse("training:new"),
            {
                "kind": CourseKind.TOWNSHIP_SESSION,
                "title": "三月业务培训",
                "starts_on": "2026-03-10",
                "ends_on": "2026-03-10",
                "days": "1",
                "hours": "6",
                "venue": "镇政府会议室",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Course.objects.get()


def test_the_office_records_a_session_and_ticks_its_directors(client, office, directors):
    course = new_session(client, office)
    assert course.township == office.township and course.kind == CourseKind.TOWNSHIP_SESSION
    url = reverse("training:detail", args=[course.pk])
    with at(D(2026, 3, 11)):
        page = client.get(url)
        assert "王晓燕" in page.content.decode()
        response = client.post(url, {"way": "tick", "persons": [directors[0].person_id]})
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["王晓燕"]
    with at(D(2026, 3, 11)):
        page = client.get(url).content.decode()
    assert directors[0].person.masked_id_number in page
    assert directors[0].person.id_number not in page


def test_a_pasted_list_with_a_stranger_records_nothing_and_says_who(
    client, office, directors, other_township
):
    stranger = contract_in_force(
        other_township, start=D(2024, 1, 1), birth=D(1980, 5, 5), name="赵六"
    )
    course = new_session(client, office)
    url = reverse("training:detail", args=[course.pk])
    with at(D(2026, 3, 11)):
        response = client.post(url, {"way": "list", "names": "王晓燕\n赵六\n"})
    assert response.status_code == 400
    assert "赵六" in response.content.decode()
    assert not Attendance.objects.exists()
    assert stranger.pk


def test_a_session_refused_by_the_policy_says_why(client, office):
    client.force_login(office)
    with at(D(2026, 3, 1)):
        response = client.post(
            reverse("training:new"),
            {
                "kind": CourseKind.TOWNSHIP_SESSION,
                "title": "半天培训",
                "starts_on": "2026-03-10",
                "ends_on": "2026-03-10",
                "days": "0.5",
                "hours": "3",
            },
        )
    assert response.status_code == 400
    assert "at least 1 days" in response.content.decode()
    assert not Course.objects.exists()


def test_the_office_cannot_choose_a_county_kind(client, office):
    client.force_login(office)
    response = client.post(
        reverse("training:new"),
        {
            "kind": CourseKind.REFRESHER,
            "title": "x",
            "starts_on": "2026-03-10",
            "ends_on": "2026-03-12",
            "days": "3",
            "hours": "18",
        },
    )
    assert response.status_code == 400 and not Course.objects.exists()


def test_county_hr_uploads_a_workbook(client, hr, county, directors):
    course = refresher(hr, county, year=2026)
    book = Workbook()
    book.active.append(["姓名", "天数"])
    book.active.append(["王晓燕", 3])
    book.active.append(["李四", 2])
    out = io.BytesIO()
    book.save(out)
    client.force_login(hr)
    with at(D(2026, 6, 5)):
        response = client.post(
            reverse("training:detail", args=[course.pk]),
            {"way": "upload", "file": SimpleUploadedFile("签到.xlsx", out.getvalue())},
        )
    assert response.status_code == 302
    assert Attendance.objects.count() == 2


def test_compliance_and_the_directors_pages_show_training(client, hr, county, directors, township):
    course = refresher(hr, county, year=2026)
    from training.services import attendance_record_many

    with at(D(2026, 6, 5)):
        attendance_record_many(course=course, persons=[directors[0].person], by=hr)
    client.force_login(hr)
    page = client.get(reverse("training:compliance"), {"year": 2026}).content.decode()
    assert township.name in page and "王晓燕" in page and "李四" in page
    page = client.get(reverse("contracts:detail", args=[directors[0].pk])).content.decode()
    assert "2026年知识更新培训" in page
    director = directors[0].person.user
    client.force_login(director)
    page = client.get(reverse("my_term:index")).content.decode()
    assert "2026年知识更新培训" in page
    # the director sees the course they attended, not another
    assert client.get(reverse("training:detail", args=[course.pk])).status_code == 200
    client.force_login(directors[1].person.user)
    assert client.get(reverse("training:detail", args=[course.pk])).status_code == 404
