"""Notifications by category, in the app and by email, as each user chose (issue 9, part 7).

Each category is sent by its real callers (a flow's task, the expiry sweep, a dismissal case,
an issued document) to those who receive it by email and not to those who opted out; the
email goes after the commit, never for a rollback, in Chinese with the absolute link; a failed
mail server breaks no transition and its emails are tried again; a sweep run twice sends no
second email; ``notify_each`` takes a fixed number of queries, preferences included; and the
settings page (通知设置) saves each user's choice.
"""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.constants import Role
from contracts.models import DismissalGround
from contracts.services.dismissal import Evidence, case_open
from contracts.services.endings import resignation_accept, resignation_request
from contracts.sweep_steps import expiry_reminders
from notifications.models import (
    DEFAULTS,
    Category,
    Choice,
    EmailState,
    Notification,
    NotificationPreference,
)
from notifications.services import notify, notify_each, preferences_of, preferences_save
from tests.builders import committee_member, county_officer
from tests.endings_support import active_contract, director_of, seed_grounds
from tests.factories import UserFactory, make_pdf
from tests.workflow_support import NOW, make_people, new_campaign, open_task, start_process
from workflows.flows import CampaignFlow
from workflows.services import task_escalate

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


class RefusingBackend(BaseEmailBackend):
    """A mail server that takes the connection and refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.cn": (550, b"refused")})


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError("the mail server is down")

    def send_messages(self, email_messages):
        raise AssertionError("never reached")


def opt(user, category: str, *, in_app: bool = True, email: bool) -> None:
    preferences_save(user=user, choices={category: Choice(in_app=in_app, email=email)})


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.CUNPIN_PUBLIC_BASE_URL = "https://cunpin.example.gov.cn"


@pytest.fixture
def contract(township):
    seed_grounds()
    return active_contract(township)


# --- defaults and preferences --------------------------------------------------------------


def test_the_defaults_are_every_category_in_the_app_and_email_for_what_asks_to_act():
    assert set(DEFAULTS) == set(Category.values)
    assert all(choice.in_app for choice in DEFAULTS.values())
    emailed = {category for category, choice in DEFAULTS.items() if choice.email}
    assert emailed == {Category.TASKS, Category.DEADLINES, Category.WARNINGS}


def test_a_users_choice_overrides_the_default_of_its_category_only(hr):
    opt(hr, Category.DOCUMENTS, email=True)
    opt(hr, Category.TASKS, in_app=False, email=False)
    chosen = preferences_of(hr)
    assert chosen[Category.DOCUMENTS] == Choice(in_app=True, email=True)
    assert chosen[Category.TASKS] == Choice(in_app=False, email=False)
    assert chosen[Category.DEADLINES] == DEFAULTS[Category.DEADLINES]
    opt(hr, Category.TASKS, email=True)  # saved again: the same row, changed
    assert NotificationPreference.objects.filter(user=hr).count() == 2
    assert preferences_of(hr)[Category.TASKS] == Choice(in_app=True, email=True)


# --- each category, by its real callers ----------------------------------------------------


def test_a_task_assigned_is_emailed_to_its_owner_and_an_escalated_one_to_the_county(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(NOW, tick=False):
        tasks_of_a_campaign(django_capture_on_commit_callbacks)


def tasks_of_a_campaign(django_capture_on_commit_callbacks) -> None:
    people = make_people()
    opt(people.hr, Category.TASKS, email=False)  # the county's officer opted out
    campaign = new_campaign(people)
    with django_capture_on_commit_callbacks(execute=True):
        process = start_process(campaign, people.member)
    task = open_task(process, CampaignFlow.approve_announcement)
    assert task.owner == people.head
    notice = Notification.objects.get(user=people.head, category=Category.TASKS)
    assert notice.email_state == EmailState.SENT
    assert notice.url == task.flow_task.reverse("index", args=[process.pk, task.pk])
    assert notice.url.startswith("/campaigns/")
    assert sent_to() == [people.head.email]
    # Overdue: the task goes to the county's queue; its HR officers are told, in the app
    # only for the one who opted out of emails, by email for another.
    other_hr = county_officer(people.county, username="county_hr2")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_escalate(task=task)
    escalated = Notification.objects.filter(key=f"task:{task.pk}:escalated:queue")
    assert {n.user for n in escalated} == {people.hr, other_hr}
    assert sent_to() == [other_hr.email]
    assert escalated.get(user=people.hr).email_state == EmailState.NONE


def test_a_task_waiting_in_a_queue_is_told_to_everyone_who_may_take_it(
    contract, township, committee, django_capture_on_commit_callbacks
):
    other = committee_member(township)
    opt(other, Category.TASKS, email=False)
    office = UserFactory(role=Role.TOWNSHIP_OFFICE, county=township.county, township=township)
    with django_capture_on_commit_callbacks(execute=True):
        resignation = resignation_request(
            contract=contract, by=director_of(contract), reason="家中有事", on=TODAY
        )
    task = Task.objects.get(flow_task_type="HUMAN", status=STATUS.NEW)
    told = Notification.objects.filter(category=Category.TASKS)
    assert {n.user for n in told} == {committee, other}  # not the office: it cannot take it
    assert {n.key for n in told} == {f"task:{task.pk}:new:queue"}
    assert office not in {n.user for n in told}
    # The committee's notice of the request itself is "other": no email by default.
    told = Notification.objects.get(user=committee, category=Category.OTHER)
    assert told.url == reverse("endings:resignation_detail", args=[resignation.pk])
    assert sent_to() == [committee.email]


def test_deadline_reminders_are_emailed_to_those_who_opted_in(
    contract, township, committee, hr, django_capture_on_commit_callbacks
):
    director = director_of(contract)
    opt(committee, Category.DEADLINES, email=False)
    day = contract.end_date - datetime.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_reminders(today=day) == 3
    assert sent_to() == sorted([hr.email, director.email])
    reminders = Notification.objects.filter(category=Category.DEADLINES)
    assert reminders.count() == 3 and all(n.in_app for n in reminders)
    # Run again on the day, and the day after: nothing new in the app or by email.
    for again in (day, day + datetime.timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert expiry_reminders(today=again) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(category=Category.DEADLINES).count() == 3


def test_a_warning_goes_by_email_to_the_director_unless_they_opted_out(
    contract, township, committee, django_capture_on_commit_callbacks
):
    director = director_of(contract)
    opt(committee, Category.WARNINGS, email=False)
    opt(committee, Category.TASKS, email=False)  # the case's steps wait in its queue

    def open_case(code: str):
        return case_open(
            contract=contract,
            grounds=[DismissalGround.objects.get(code=code)],
            period=2026,
            summary="事实",
            evidence=[Evidence(file=SimpleUploadedFile("记录.pdf", make_pdf()))],
            by=committee,
            on=TODAY,
        )

    with django_capture_on_commit_callbacks(execute=True):
        open_case("major_error")
    assert director.email in sent_to()
    assert committee.email not in sent_to()
    opt(director, Category.WARNINGS, email=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_case("false_information")
    assert director.email not in sent_to()
    assert Notification.objects.filter(user=director, category=Category.WARNINGS).count() == 2


def test_a_document_issued_about_a_director_is_told_to_them_by_email_if_they_opted_in(
    contract, township, committee, django_capture_on_commit_callbacks
):
    director = director_of(contract)
    resignation = resignation_request(contract=contract, by=director, reason="", on=TODAY)
    assert DEFAULTS[Category.DOCUMENTS].email is False
    opt(committee, Category.TASKS, email=False)
    opt(director, Category.DOCUMENTS, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        resignation_accept(
            resignation=resignation,
            end_date=datetime.date(2026, 4, 30),
            agreed_earlier=False,
            by=committee,
            on=datetime.date(2026, 3, 5),
        )
    notice = Notification.objects.get(user=director, category=Category.DOCUMENTS)
    assert "解除聘用合同证明书" in notice.text
    assert notice.url.endswith("/download/")
    assert sent_to() == [director.email]  # the "accepted" notice is "other": no email
    # Documents about nobody's account, or of kinds that do not matter to the person, tell
    # nobody: the committee got no document notice.
    assert not Notification.objects.filter(user=committee, category=Category.DOCUMENTS).exists()


def test_a_user_without_an_email_address_gets_the_notice_in_the_app_only(
    township, django_capture_on_commit_callbacks
):
    without = committee_member(township, email="")
    with_address = committee_member(township)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[without, with_address],
            key="k",
            text="请处理",
            category=Category.TASKS,
        )
    assert Notification.objects.get(user=without).email_state == EmailState.NONE
    assert sent_to() == [with_address.email]


def test_a_category_switched_off_in_the_app_is_hidden_but_still_spends_its_key(
    client, township, django_capture_on_commit_callbacks
):
    user = committee_member(township)
    opt(user, Category.DEADLINES, in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[user], key="d", text="合同将届满", category=Category.DEADLINES) == 1
        assert notify(users=[user], key="d", text="合同将届满", category=Category.DEADLINES) == 0
    assert len(mail.outbox) == 1
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "合同将届满" not in page
    assert "data-unread" not in page  # the top bar counts what is shown only


# --- the email ------------------------------------------------------------------------------


def test_the_email_is_in_chinese_with_the_text_and_the_absolute_link(
    township, django_capture_on_commit_callbacks
):
    user = committee_member(township, first_name="兴华", last_name="吴")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[user],
            key="k",
            text="罗春梅的聘用合同将于2026年12月31日届满，距今还有30天。",
            url="/contracts/7/",
            category=Category.DEADLINES,
        )
    (message,) = mail.outbox
    assert (
        message.subject
        == "【村聘】期限临近与逾期：罗春梅的聘用合同将于2026年12月31日届满，距今还有30天。"
    )
    assert message.to == [user.email]
    assert "吴兴华，您好：" in message.body
    assert "罗春梅的聘用合同将于2026年12月31日届满，距今还有30天。" in message.body
    assert "查看详情：https://cunpin.example.gov.cn/contracts/7/" in message.body
    assert "https://cunpin.example.gov.cn/notifications/settings/" in message.body
    assert "“期限临近与逾期”" in message.body


def test_an_email_without_a_link_points_to_the_notifications(
    township, django_capture_on_commit_callbacks
):
    user = committee_member(township)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], key="k", text="一" * 80, category=Category.WARNINGS)
    (message,) = mail.outbox
    assert message.subject == "【村聘】预警警告：" + "一" * 39 + "…"
    assert "查看详情：https://cunpin.example.gov.cn/notifications/" in message.body


# --- after the commit only, and never breaking the transition ------------------------------


def test_no_email_for_a_transaction_that_rolls_back(township, django_capture_on_commit_callbacks):
    user = committee_member(township)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=[user], key="k", text="t", category=Category.TASKS)
                assert mail.outbox == []  # not before the commit either
                raise RuntimeError("the transition failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("backend", ["RefusingBackend", "UnreachableBackend"])
def test_a_failed_mail_server_breaks_no_transition_and_the_email_is_tried_again(
    settings, backend, contract, committee, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"tests.test_notifications.{backend}"
    with django_capture_on_commit_callbacks(execute=True):
        resignation = resignation_request(
            contract=contract, by=director_of(contract), reason="", on=TODAY
        )
    resignation.refresh_from_db()  # stored, whatever the mail server did
    notice = Notification.objects.get(user=committee, category=Category.TASKS)
    assert notice.in_app and notice.email_state == EmailState.FAILED
    assert notice.email_attempts == 1
    # The server mended: the retry sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notification_emails", verbosity=0)
    call_command("send_notification_emails", verbosity=0)
    notice.refresh_from_db()
    assert notice.email_state == EmailState.SENT and notice.email_attempts == 2
    assert sent_to() == [committee.email]


def test_a_failed_email_is_given_up_after_its_attempts(settings, township):
    user = committee_member(township)
    Notification.objects.create(
        user=user, key="k", text="t", email_state=EmailState.FAILED, email_attempts=5
    )
    call_command("send_notification_emails", verbosity=0)
    assert mail.outbox == []


def test_an_email_never_handed_on_is_sent_by_the_retry_once_it_is_late(township):
    user = committee_member(township)
    now = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        Notification.objects.create(user=user, key="k", text="t", email_state=EmailState.PENDING)
        call_command("send_notification_emails", verbosity=0)
        assert mail.outbox == []  # perhaps on its way still
    with time_machine.travel(now + datetime.timedelta(minutes=11), tick=False):
        call_command("send_notification_emails", verbosity=0)
    assert sent_to() == [user.email]


def test_with_a_broker_the_emails_go_to_celery(
    settings, township, monkeypatch, django_capture_on_commit_callbacks
):
    from config.celery import app

    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    user = committee_member(township)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], key="k", text="t", category=Category.TASKS)
    assert sent_to() == [user.email]
    assert Notification.objects.get().email_state == EmailState.SENT


def test_a_broker_down_leaves_the_email_waiting_for_the_retry(
    settings, township, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError("the broker is down")

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(tasks.send_emails_task, "delay", down)
    user = committee_member(township)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[user], key="k", text="t", category=Category.TASKS) == 1
    assert Notification.objects.get().email_state == EmailState.PENDING
    assert mail.outbox == []


# --- a fixed number of queries ---------------------------------------------------------------


def test_notify_each_takes_the_same_queries_for_ten_and_for_three_hundred(township):
    users = [committee_member(township) for _ in range(300)]
    for user in users[::3]:
        opt(user, Category.DEADLINES, in_app=False, email=False)
    for user in users[1::3]:
        opt(user, Category.DEADLINES, email=False)

    def queries(batch: str, count: int) -> tuple[int, int]:
        """(reads and savepoints, inserts)"""
        with CaptureQueriesContext(connection) as captured:
            sent = notify_each(
                (([user], f"{batch}:{user.pk}", "合同将届满", "") for user in users[:count]),
                category=Category.DEADLINES,
            )
        assert sent == count
        sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
        inserts = sum(1 for q in sql if q.startswith("INSERT"))
        return len(sql) - inserts, inserts

    small, large = queries("small", 10), queries("large", 300)
    assert small[0] == large[0]  # the keys sent, the users' choices: one query each
    # The rows go in one INSERT, in batches of as many as the database takes at once
    # (SQLite: 999 parameters, 90 rows).
    assert small[1] == 1 and large[1] <= 4
    shown = Notification.objects.filter(key__startswith="large:")
    assert shown.filter(in_app=False).count() == 100
    assert shown.filter(email_state=EmailState.PENDING).count() == 100


def test_an_unknown_category_is_refused_before_anything_is_stored(township):
    user = committee_member(township)
    with pytest.raises(ValueError):
        notify(users=[user], key="k", text="t", category="gossip")
    assert not Notification.objects.exists()


# --- the settings page -------------------------------------------------------------------------


def form_of(choices: dict[str, Choice]) -> dict[str, str]:
    data = {}
    for category, choice in choices.items():
        if choice.in_app:
            data[f"{category}_in_app"] = "on"
        if choice.email:
            data[f"{category}_email"] = "on"
    return data


def test_the_settings_page_shows_the_defaults_and_saves_the_choice(client, township):
    user = committee_member(township)
    client.force_login(user)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["tasks_email"].value() is True
    assert form["documents_email"].value() is False
    wanted = {**DEFAULTS, Category.DOCUMENTS: Choice(in_app=True, email=True)}
    wanted[Category.OTHER] = Choice(in_app=False, email=False)
    wanted[Category.DEADLINES] = Choice(in_app=True, email=False)
    response = client.post(reverse("notifications:settings"), form_of(wanted), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:settings")
    assert "通知设置已保存。" in [str(m) for m in response.context["messages"]]
    assert preferences_of(user) == wanted
    assert NotificationPreference.objects.filter(user=user).count() == len(Category.values)


def test_without_an_email_address_the_page_says_so_and_keeps_emails_off(client, township):
    user = committee_member(township, email="")
    client.force_login(user)
    page = client.get(reverse("notifications:settings"))
    assert b"data-no-email" in page.content
    assert page.context["form"]["tasks_email"].field.disabled
    client.post(
        reverse("notifications:settings"),
        {"tasks_in_app": "on", "tasks_email": "on", "warnings_in_app": "on"},
    )
    chosen = preferences_of(user)
    assert chosen[Category.TASKS] == Choice(in_app=True, email=True)  # the default, untouched
    assert chosen[Category.DEADLINES] == Choice(in_app=False, email=True)


def test_the_page_is_reached_from_the_notifications_and_the_user_menu(client, township):
    client.force_login(committee_member(township))
    settings_url = reverse("notifications:settings")
    assert f'href="{settings_url}"' in client.get(reverse("notifications:list")).content.decode()
    assert f'href="{settings_url}"' in client.get("/").content.decode()


def test_the_demos_replayed_history_is_told_in_the_app_only(
    township, django_capture_on_commit_callbacks
):
    from notifications.services import in_app_only

    user = committee_member(township)
    with django_capture_on_commit_callbacks(execute=True), in_app_only():
        notify(users=[user], key="k", text="t", category=Category.TASKS)
    notice = Notification.objects.get()
    assert notice.in_app and notice.email_state == EmailState.NONE
    assert mail.outbox == []
