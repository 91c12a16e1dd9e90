"""The vacancy pages as the township committee and the county HR officer use them, in
Chinese: the list (overdue first, the rule beside the deadline, days left, escalation), the
acting designation and the reserve call on the vacancy's page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.constants import VacancyCause, VacancyState
from contracts.models import Contract, Vacancy
from contracts.services.posts import vacancy_open
from contracts.services.vacancies import escalate_overdue_vacancies
from tests.builders import at, moment
from tests.factories import PersonFactory, PostFactory, VillageFactory
from tests.vacancy_support import reserve_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(township, committee, head):
    return reserve_world(township, committee, head)


def vacancies(township, committee, names: list[str], on: datetime.date) -> list[Vacancy]:
    return [
        vacancy_open(
            post=PostFactory(village=VillageFactory(township=township, name=name)),
            on=on,
            by=committee,
            cause=VacancyCause.NEW_POST,
        )
        for name in names
    ]


def test_county_list_puts_the_overdue_first_and_marks_the_escalation(
    client, township, other_township, committee, hr
):
    late = vacancies(township, committee, ["坝湾村"], datetime.date(2026, 6, 1))[0]
    fresh = vacancies(other_township, committee, ["板贵村"], datetime.date(2026, 11, 2))[0]
    escalate_overdue_vacancies(today=datetime.date(2026, 11, 29))
    with at(moment(datetime.date(2026, 11, 29))):
        client.force_login(hr)
        page = client.get(reverse("vacancies:list")).content.decode()
    assert page.index("坝湾村") < page.index("板贵村")
    assert "已逾期 118 天" in page  # due 2026-08-03: 1 August is a Saturday
    assert "2026年11月29日 已移交县级" in page
    assert "空岗之日起2个日历月" in page
    assert str((fresh.refill_due - datetime.date(2026, 11, 29)).days) in page
    assert late.refill_due == datetime.date(2026, 8, 3)


def test_township_list_shows_its_own_only(client, township, other_township, committee):
    vacancies(township, committee, ["坝湾村"], datetime.date(2026, 11, 2))
    vacancies(other_township, committee, ["板贵村"], datetime.date(2026, 11, 2))
    client.force_login(committee)
    page = client.get(reverse("vacancies:list")).content.decode()
    assert "坝湾村" in page and "板贵村" not in page
    assert "未指定" in page


def test_list_queries_do_not_grow_with_the_data(client, township, committee, hr):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("vacancies:list")).status_code == 200
        return len(queries)

    client.force_login(hr)
    on = datetime.date(2026, 9, 1)
    vacancies(township, committee, [f"村{i}" for i in range(3)], on)
    few = count()
    vacancies(township, committee, [f"寨{i}" for i in range(12)], on)
    for vacancy in Vacancy.objects.all()[:6]:
        Vacancy.objects.filter(pk=vacancy.pk).update(acting_person=PersonFactory(township=township))
    assert count() == few


def test_committee_designates_on_the_vacancy_page(client, rw, committee, township, other_township):
    url = reverse("vacancies:detail", args=[rw.vacancy.pk])
    acting = PersonFactory(name="李春梅", township=township)
    PersonFactory(name="阿宝", township=township)
    stranger = PersonFactory(name="杨光", township=other_township)
    on = rw.vacancy.opened_on
    with at(moment(on)):
        client.force_login(committee)
        page = client.get(url).content.decode()
        # The township's people, in pinyin order; nobody of another township.
        assert page.index("阿宝") < page.index("李春梅") and "杨光" not in page
        # The director whose contract ended is not offered either.
        assert "罗昇（新寨村" not in page
        refused = client.post(
            reverse("vacancies:acting", args=[rw.vacancy.pk]),
            {"person": stranger.pk, "on": on.isoformat()},
        )
        assert refused.status_code == 400
        assert "另一乡镇（街道）的人员不能指定为代行职责人员" in refused.content.decode()
        done = client.post(
            reverse("vacancies:acting", args=[rw.vacancy.pk]),
            {"person": acting.pk, "on": on.isoformat()},
            follow=True,
        )
    text = done.content.decode()
    assert "已指定李春梅代行职责，代行职责通知已签发。" in text
    assert "关于指定村级人口主任代行职责人员的通知" in text
    rw.vacancy.refresh_from_db()
    assert rw.vacancy.state == VacancyState.ACTING and rw.vacancy.acting_person == acting


def test_reserve_call_on_the_vacancy_page(client, rw, committee):
    on = rw.vacancy.opened_on
    with at(moment(on)):
        client.force_login(committee)
        page = client.get(reverse("vacancies:detail", args=[rw.vacancy.pk])).content.decode()
        assert "通知王芳递补" in page
        offered = client.post(reverse("vacancies:offer", args=[rw.vacancy.pk]), follow=True)
        assert "已通知王芳递补该岗位" in offered.content.decode()
        offer = rw.vacancy.offers.get()
        declined = client.post(
            reverse("vacancies:answer", args=[offer.pk]),
            {"answer": "declined", "on": on.isoformat(), "note": "外出务工"},
            follow=True,
        )
        text = declined.content.decode()
        assert "王芳不接受递补" in text and "通知张伟递补" in text
        client.post(reverse("vacancies:offer", args=[rw.vacancy.pk]))
        second = rw.vacancy.offers.get(application__name="张伟")
        accepted = client.post(
            reverse("vacancies:answer", args=[second.pk]),
            {"answer": "accepted", "on": on.isoformat(), "note": ""},
            follow=True,
        )
    text = accepted.content.decode()
    assert "张伟接受递补" in text
    assert "聘用合同" in text  # the drafted contract among the documents
    assert Contract.objects.filter(application__name="张伟", post=rw.vacancy.post).exists()


def test_an_answer_twice_is_a_message_not_an_error(client, rw, committee):
    on = rw.vacancy.opened_on
    with at(moment(on)):
        client.force_login(committee)
        client.post(reverse("vacancies:offer", args=[rw.vacancy.pk]))
        offer = rw.vacancy.offers.get()
        data = {"answer": "declined", "on": on.isoformat(), "note": ""}
        client.post(reverse("vacancies:answer", args=[offer.pk]), data)
        again = client.post(reverse("vacancies:answer", args=[offer.pk]), data, follow=True)
    assert again.status_code == 200
    assert "王芳的答复已登记。" in again.content.decode()


def test_expired_reserve_list_says_so(client, rw, committee):
    late = rw.campaign.concluded_at.date() + datetime.timedelta(days=400)
    with at(moment(late)):
        client.force_login(committee)
        page = client.get(reverse("vacancies:detail", args=[rw.vacancy.pk])).content.decode()
        assert "备选名单已失效，请发起补聘选聘。" in page
        assert "通知王芳递补" not in page
        refused = client.post(reverse("vacancies:offer", args=[rw.vacancy.pk]), follow=True)
    assert "的备选名单已于" in refused.content.decode()


def test_a_refill_campaign_opens_with_the_village_offered(client, rw, committee):
    on = rw.vacancy.opened_on
    with at(moment(on)):
        client.force_login(committee)
        page = client.get(reverse("vacancies:detail", args=[rw.vacancy.pk])).content.decode()
        start = reverse("campaign:start:execute") + f"?village={rw.vacancy.post.village_id}"
        assert start in page
        form = client.get(start).content.decode()
    field = re.search(rf'<input[^>]*name="seats_{rw.vacancy.post.village_id}"[^>]*>', form)
    assert field is not None and 'value="1"' in field.group(0)


def test_county_dashboard_counts_the_overdue_vacancies(client, township, committee, hr):
    vacancies(township, committee, ["坝湾村"], datetime.date(2026, 6, 1))
    vacancies(township, committee, ["板贵村"], datetime.date(2026, 11, 2))
    with at(moment(datetime.date(2026, 8, 3))):  # the first one's last day: not overdue yet
        client.force_login(hr)
        assert "未按期补聘" not in client.get(reverse("web:dashboard")).content.decode()
    with at(moment(datetime.date(2026, 11, 29))):
        client.force_login(hr)
        page = client.get(reverse("web:dashboard")).content.decode()
    assert "1 个空岗未按期补聘" in page and reverse("vacancies:list") in page
