"""The renewal review pages and the notifications pages, as their users work them."""

import datetime
from typing import cast

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from accounts.models import User
from contracts.constants import ContractOrigin, ContractState, RenewalState
from contracts.models import Contract, RenewalReview
from contracts.sweep import sweep
from notifications.models import Notification
from tests.factories import UserFactory
from tests.renewal_support import active_contract
from workflows.flows_renewal import RenewalFlow

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)
OPENS = datetime.date(2026, 10, 2)  # 90 days before 2026-12-31
TODAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def review(township, committee, hr):
    contract = active_contract(township, start=START, name="罗春梅", with_user=True)
    sweep(today=OPENS)
    return RenewalReview.objects.get(contract=contract)


def page(client, user, review):
    client.force_login(user)
    return client.get(reverse("renewals:review", args=[review.pk]))


def test_the_review_page_shows_the_facts_and_no_made_up_records(client, committee, review):
    html = page(client, committee, review).content.decode()
    assert "罗春梅的续聘审核" in html
    assert "2026年12月31日年满46周岁" in html
    assert "续聘年龄上限60周岁" in html
    assert html.count("暂无记录") == 2  # appraisal grades and training: no records yet
    assert "按选聘条件和选聘程序重新聘用" in html  # seed 001, the re-selection mode
    assert "办理期限至" in html
    assert 'name="reasons"' in html


def test_the_county_reads_the_review_without_the_form(client, hr, review):
    html = page(client, hr, review).content.decode()
    assert "暂无记录" in html
    assert 'name="reasons"' not in html


def test_the_list_shows_open_reviews_with_days_left(client, committee, review):
    client.force_login(committee)
    html = client.get(reverse("renewals:list")).content.decode()
    assert "罗春梅" in html
    assert "<td>60</td>" in html  # 2 November to 31 December, both included


def test_the_committee_renews_on_the_page(client, committee, review):
    client.force_login(committee)
    url = reverse("renewals:review", args=[review.pk])
    response = client.post(
        url, {"decision": "renew", "reselected": "on", "reasons": "考核合格，重新选聘。"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == RenewalState.RENEW
    new = Contract.objects.get(origin=ContractOrigin.RENEWAL)
    assert new.state == ContractState.DRAFTED
    task = Task.objects.get(process__renewalprocess__review=review, flow_task=RenewalFlow.decide)
    assert task.status == STATUS.DONE
    assert task.owner == committee
    html = client.get(url).content.decode()
    assert "已决定续聘" in html
    assert "2027年1月1日" in html
    assert "续聘通知书" in html
    assert 'name="reasons"' not in html


def test_renewing_without_recording_the_re_selection_is_refused_on_the_page(
    client, committee, review
):
    client.force_login(committee)
    response = client.post(
        reverse("renewals:review", args=[review.pk]), {"decision": "renew", "reasons": "续聘"}
    )
    assert response.status_code == 400
    assert "请确认该人口主任已经重新选聘" in response.content.decode()
    review.refresh_from_db()
    assert review.state == RenewalState.OPEN
    assert not Contract.objects.filter(origin=ContractOrigin.RENEWAL).exists()


def test_over_age_renewal_is_refused_on_the_page(client, township, committee, hr):
    contract = active_contract(township, start=START, birth=datetime.date(1960, 1, 1))
    sweep(today=OPENS)
    review = RenewalReview.objects.get(contract=contract)
    client.force_login(committee)
    html = client.get(reverse("renewals:review", args=[review.pk])).content.decode()
    assert "超过续聘年龄，不能续聘" in html
    response = client.post(
        reverse("renewals:review", args=[review.pk]),
        {"decision": "renew", "reselected": "on", "reasons": "续聘"},
    )
    assert response.status_code == 400
    assert "超过续聘年龄60周岁，不能续聘" in response.content.decode()


def test_not_renewing_on_the_page(client, committee, review):
    client.force_login(committee)
    url = reverse("renewals:review", args=[review.pk])
    response = client.post(url, {"decision": "not_renew", "reasons": "本人申请不再续聘。"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "于2026年12月31日届满终止，岗位随即空缺" in html


def test_a_second_submission_says_it_was_decided(client, committee, review):
    client.force_login(committee)
    url = reverse("renewals:review", args=[review.pk])
    client.post(url, {"decision": "not_renew", "reasons": "不续聘"})
    response = client.post(url, {"decision": "not_renew", "reasons": "不续聘"}, follow=True)
    assert "该续聘审核已经作出决定" in response.content.decode()


def test_the_office_cannot_decide(client, office, review):
    client.force_login(office)
    response = client.post(
        reverse("renewals:review", args=[review.pk]), {"decision": "not_renew", "reasons": "x"}
    )
    assert response.status_code == 403


# --- notifications ---------------------------------------------------------------------------


def test_the_director_reads_the_reminder_and_marks_it_read(client, review):
    director = review.contract.person.user
    client.force_login(director)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "罗春梅的聘用合同将于2026年12月31日届满，距今还有90天" in html
    # The top bar counts the unread: the reminder, and what else the sweep told the director
    # (the warning of an agreement not signed this year).
    unread = Notification.objects.filter(user=director).count()
    assert f'data-unread="{unread}"' in html
    notification = Notification.objects.get(user=director, key__contains=":expiry:")
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    after = client.get(reverse("notifications:list")).content.decode()
    assert (f'data-unread="{unread - 1}"' in after) if unread > 1 else "data-unread" not in after


def test_opening_a_notification_follows_its_link(client, committee, review):
    client.force_login(committee)
    # The sweep that opened the review also told the committee of other work (an agreement
    # of the year not signed, its warning): the reminder of the term's end links the review.
    notification = Notification.objects.get(user=committee, key__contains=":expiry:")
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response.url == reverse("renewals:review", args=[review.pk])


def test_mark_all_read(client, committee):
    for n in range(3):
        Notification.objects.create(user=committee, key=f"k{n}", text=f"通知{n}")
    client.force_login(committee)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=committee, read_at__isnull=True).exists()


def test_the_unread_count_costs_the_same_queries_for_any_number(client, county, policy):
    user = cast(User, UserFactory(role=Role.COUNTY_HR, county=county))
    client.force_login(user)
    url = reverse("notifications:list")
    Notification.objects.create(user=user, key="first", text="通知")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(29):
        Notification.objects.create(user=user, key=f"k{n}", text=f"通知{n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert 'data-unread="30"' in html
    assert len(many) == len(one)


def test_a_review_left_undecided_when_the_term_ends_can_no_longer_be_decided(
    client, committee, review
):
    sweep(today=datetime.date(2027, 1, 1))  # the contract expired undecided
    client.force_login(committee)
    url = reverse("renewals:review", args=[review.pk])
    html = client.get(url).content.decode()
    assert "聘期已于2026年12月31日届满，未作续聘决定；合同现为“已到期”。" in html
    assert 'name="reasons"' not in html
    response = client.post(url, {"decision": "renew", "reselected": "on", "reasons": "续聘"})
    assert response.status_code == 302
    assert not Contract.objects.filter(origin=ContractOrigin.RENEWAL).exists()
