"""Background jobs under concurrency, on PostgreSQL (``DATABASE_URL=postgres://…``):

- twenty submits of one kind and key at once store one job, and all twenty get it;
- four workers claiming from one queue of jobs run each job exactly once.
"""

import threading
from collections import Counter

from jobs.models import Job, JobState
from jobs.registry import job_handler
from jobs.services import job_claim_next, job_execute, job_submit
from tests.test_hostile_races import RACES, race, unexpected

pytestmark = RACES

RUNS: Counter = Counter()
_lock = threading.Lock()


@job_handler("tests.race")
def race_handler(job, progress):
    with _lock:
        RUNS[job.pk] += 1
    return {"lines": []}


def test_twenty_submits_of_one_kind_and_key_store_one_job(settings, township):
    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    RUNS.clear()

    def work(_i):
        return job_submit(
            kind="tests.race",
            key="month-2026-11",
            label="月度文书",
            params={},
            county=township.county,
            township=township,
            by=None,
        ).pk

    results = race(work)
    assert not unexpected(results)
    assert Job.objects.count() == 1
    assert set(results) == {Job.objects.get().pk}


def test_four_workers_run_each_job_once(settings, township):
    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    RUNS.clear()
    jobs = [
        job_submit(
            kind="tests.race",
            key=f"job-{n}",
            label="月度文书",
            params={},
            county=township.county,
            township=township,
            by=None,
        )
        for n in range(40)
    ]

    def work(_i):
        ran = 0
        while (job_id := job_claim_next()) is not None:
            job_execute(job_id)
            ran += 1
        return ran

    results = race(work, n=4)
    assert not unexpected(results)
    assert sum(results) == 40
    assert dict(RUNS) == {job.pk: 1 for job in jobs}
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.DONE}
