"""``manage.py run_jobs``: the embedded worker of background jobs, for a deployment without
Celery (``make run`` starts it beside the web server). It polls the database for queued
jobs and runs them one at a time, oldest first; run several for more at once, each claims
its own jobs (``jobs.services.job_claim_next``).
"""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import job_claim_next, job_execute, worker_started
from paperwork.services import printing_warm_up


class Command(BaseCommand):
    help = "Run queued background jobs (the embedded worker; Celery replaces it in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs queued now, then stop."
        )
        parser.add_argument(
            "--max-jobs",
            type=int,
            default=0,
            help="Stop after this many jobs (a supervisor restarts it: memory is returned).",
        )

    def handle(self, *args, **options):
        stopping = False

        def stop(signum, frame):
            # The first signal lets the job at hand finish; a second stops at once (the job
            # is left running, and can be retried once stale).
            nonlocal stopping
            if stopping:
                raise SystemExit(1)
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        ran = 0
        worker_started()
        printing_warm_up()
        if options["verbosity"] > 0:
            self.stdout.write("Background jobs: waiting for work (Ctrl-C stops).")
        while not stopping:
            job_id = job_claim_next()
            if job_id is None:
                if options["once"]:
                    break
                time.sleep(settings.JOBS_POLL_SECONDS)
                continue
            job_execute(job_id)
            ran += 1
            if options["max_jobs"] and ran >= options["max_jobs"]:
                break
        if options["verbosity"] > 1:
            self.stdout.write(f"Ran {ran} job(s).")
