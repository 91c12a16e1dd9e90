"""A background job in Chromium: the township office opens the job's page while it waits,
sees it running with its progress (the page asks the progress endpoint by itself), then the
result once it ends, without touching the page. Asserted in the Chinese a person reads."""

import threading

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from jobs.registry import job_handler
from jobs.services import job_claim_next, job_execute, job_submit
from tests.browser.pages import StaffPages
from tests.browser.world import PASSWORD

pytestmark = pytest.mark.browser

HALFWAY = threading.Event()
GO_ON = threading.Event()


@job_handler("tests.browser_job", size=lambda params: 2)
def two_steps(job, progress):
    progress(1, 2)
    HALFWAY.set()
    if not GO_ON.wait(timeout=60):
        raise RuntimeError("the test never let the job finish")
    progress(2, 2)
    return {"lines": [{"label": "Documents issued", "value": 2}], "documents": []}


def test_the_job_page_follows_the_job_to_its_result(settings, world, new_page, steps):
    settings.JOBS_EAGER = False
    settings.JOBS_EAGER_MAX_ITEMS = 0  # a worker runs it, not the request
    settings.CELERY_BROKER_URL = ""
    HALFWAY.clear()
    GO_ON.clear()
    office = world.users["guansuo_office"]
    job = job_submit(
        kind="tests.browser_job",
        key="2026-11",
        label="关索街道2026年11月考核文书",
        params={},
        county=world.county,
        township=world.own,
        by=office,
    )
    pages = StaffPages(new_page("guansuo_office"), steps, "guansuo_office")
    pages.sign_in(PASSWORD)
    pages.page.goto(f"/jobs/{job.pk}/")
    expect(pages.main()).to_contain_text("关索街道2026年11月考核文书")
    expect(pages.main().locator("[data-job-state]")).to_have_text("等待中")

    def worker():
        from django.db import connection

        try:
            job_id = job_claim_next()
            if job_id is not None:
                job_execute(job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert HALFWAY.wait(timeout=60)
        expect(pages.main().locator("[data-job-state]")).to_have_text("进行中")
        expect(pages.main().locator("[data-job-count]")).to_contain_text("1 / 2")
    finally:
        GO_ON.set()
        thread.join(timeout=60)
    expect(pages.main().locator("#job-result")).to_contain_text("本次出具文书")
    expect(pages.main().locator("[data-job-state]")).to_have_text("已完成")
    assert Job.objects.get(pk=job.pk).attempts == 1

    # The list of the township's jobs links to it.
    pages.page.goto("/jobs/")
    expect(pages.main()).to_contain_text("关索街道2026年11月考核文书")
