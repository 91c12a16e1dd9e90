"""通知设置 in Chromium, at a desk and on a phone: the township office opens its
notifications from the bell, follows "通知设置", unticks the emails of deadline reminders,
ticks those of documents, hides "其他通知" from the app, saves, sees the message, and finds
the boxes as it left them after a reload. Asserted in the Chinese a person reads."""

import pytest
from playwright.sync_api import expect

from notifications.models import Category, Choice
from notifications.services import preferences_of
from tests.browser.conftest import DESK, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport", [pytest.param(DESK, id="desk"), pytest.param(PHONE, id="phone")]
)
def test_a_user_chooses_what_they_receive_by_email_and_in_the_app(staff, world, viewport):
    office = world.users["guansuo_office"]
    pages = staff("guansuo_office", viewport=viewport)
    page = pages.page
    page.locator("a.cunpin-notifications").click()
    expect(pages.heading()).to_have_text("消息")
    pages.main().get_by_role("link", name="通知设置").click()
    expect(pages.heading()).to_have_text("通知设置")
    expect(pages.main()).to_contain_text(f"邮件发送至 {office.email}。")

    def box(category: str, channel: str):
        return pages.main().get_by_role("group", name=category).get_by_label(channel)

    # The defaults: everything in the app, emails for tasks, deadlines and warnings.
    expect(box("待办任务", "邮件")).to_be_checked()
    expect(box("期限临近与逾期", "邮件")).to_be_checked()
    expect(box("文书出具", "邮件")).not_to_be_checked()
    expect(box("其他通知", "站内")).to_be_checked()

    box("期限临近与逾期", "邮件").uncheck()
    box("文书出具", "邮件").check()
    box("其他通知", "站内").uncheck()
    pages.main().get_by_role("button", name="保存").click()
    expect(pages.message()).to_contain_text("通知设置已保存。")
    expect(pages.heading()).to_have_text("通知设置")

    page.reload()
    expect(box("期限临近与逾期", "邮件")).not_to_be_checked()
    expect(box("期限临近与逾期", "站内")).to_be_checked()
    expect(box("文书出具", "邮件")).to_be_checked()
    expect(box("其他通知", "站内")).not_to_be_checked()
    # The page fits the screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    chosen = preferences_of(office)
    assert chosen[Category.DEADLINES] == Choice(in_app=True, email=False)
    assert chosen[Category.DOCUMENTS] == Choice(in_app=True, email=True)
    assert chosen[Category.OTHER] == Choice(in_app=False, email=False)
    assert chosen[Category.TASKS] == Choice(in_app=True, email=True)
