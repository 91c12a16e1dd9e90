"""Background jobs: paperwork batches and other work too long for a web request.

A job names its handler (``kind``, registered with ``jobs.registry.job_handler``) and a key
that makes it idempotent: submitting the same kind and key again returns the job already
there instead of starting a second one, and a handler run twice never issues a second
document for the same subject and period.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopePaths


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=200)
    label = models.CharField(_("what it does"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict)
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(_("items"), default=0)
    done = models.PositiveIntegerField(_("items done"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with each step of progress: a running job whose heartbeat is older than
    # settings.JOBS_STALE_AFTER has lost its worker (a crash, a restart) and may be retried.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    scope_paths = ScopePaths(county="county", township="township")

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("kind", "key", name="job_unique_kind_key"),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return self.label

    @property
    def is_stale(self) -> bool:
        """Running, but its worker has given no sign of life for JOBS_STALE_AFTER."""
        if self.state != JobState.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at
        return last is None or last < timezone.now() - settings.JOBS_STALE_AFTER

    @property
    def can_retry(self) -> bool:
        return self.state == JobState.FAILED or self.is_stale

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
