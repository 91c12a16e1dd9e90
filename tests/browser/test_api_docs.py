"""The API's documentation pages in Chromium: county HR signs in and opens the rendered schema
(Swagger UI at /api/v1/docs/), which lists the endpoints with their
Chinese summaries. Their scripts and styles come from the site's own static files: every
request to another host is refused and counted, and none is made."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import StaffPages
from tests.browser.world import PASSWORD

pytestmark = pytest.mark.browser


def test_the_api_docs_render_without_the_network(world, new_page, steps, live_server):
    pages = StaffPages(new_page("county_hr"), steps, "county_hr")
    outside: list[str] = []
    host = re.escape(live_server.url)

    def refuse(route):
        outside.append(route.request.url)
        route.abort()

    pages.page.route(re.compile(rf"^(?!{host}|data:|blob:).*"), refuse)
    pages.sign_in(PASSWORD)

    pages.page.goto("/api/v1/docs/")
    operations = pages.page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 30
    expect(pages.page.locator("body")).to_contain_text("/api/v1/contracts/{id}/sign/")
    expect(pages.page.locator("body")).to_contain_text("签订合同")
    expect(pages.page.locator("body")).to_contain_text("合同列表")
    expect(pages.page.locator("body")).to_contain_text("空岗列表")
    expect(pages.page.locator("body")).to_contain_text("Cunpin 村聘 API")
    pages.page.screenshot(path="var/api-docs.png")
    assert outside == []


def test_the_docs_ask_for_sign_in(new_page):
    page = new_page("anonymous")
    page.goto("/api/v1/docs/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/api/v1/docs/$"))
