"""Monthly inspections (月督查) and their unannounced spot checks (暗访, seed 002 paragraph 11).

A township's office plans an inspection day (``InspectionDay``) with its leader (检查组长) and
team. When the leader starts the day, the villages to visit are drawn by lot
(``SpotCheckDraw``: the candidates, a seed from ``secrets``, the algorithm and its result, who
and when); until the day ends only the leader sees which villages were drawn. For each drawn
village the team signs an ``InspectionRecord``; a signed record is never changed
("检查资料一经检查人员签字一律不得更改"), only corrected by a new record that names it and says
why.

Nothing here is edited after it is written: ``SpotCheckDraw.save`` and
``InspectionRecord.save`` refuse to update a row, so neither a service nor the admin can
change a draw or a signed record.
"""

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fields import user_field
from core.scoping import ScopePaths
from inspections.constants import DRAW_ALGORITHM, DayState

DAY_SCOPE = ScopePaths(county="township__county", township="township")


class InspectionDay(ConcurrentTransitionMixin, models.Model):
    """One day of a township's monthly inspection, led by one office officer.

    States:
    - planned: the date, leader and team are set; nobody knows which villages.
    - started: the leader started the day and the villages were drawn (once only).
    - ended: the day is over; the draw and the records are shown to everyone in scope.
    """

    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="inspection_days",
    )
    month = models.ForeignKey(
        "assessment.AssessmentMonth",
        verbose_name=_("assessment month"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_days",
    )
    date = models.DateField(_("date"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspection leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField(_("team"), max_length=200)
    state = FSMField(
        _("state"),
        max_length=16,
        choices=DayState.choices,
        default=DayState.PLANNED,
        protected=True,
    )
    planned_by = user_field(_("planned by"))
    planned_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_by = user_field(_("ended by"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    scope_paths = DAY_SCOPE
    transition_labels = {
        "plan": _("Plan an inspection day"),
        "start": _("Start the day and draw the villages"),
        "end": _("End the inspection day"),
    }
    audit_name_related = ("township",)
    audit_fields = ("state", "started_at", "ended_by", "ended_at")

    class Meta:
        verbose_name = _("inspection day")
        verbose_name_plural = _("inspection days")
        ordering = ["-date", "-id"]
        permissions = [("run_inspection", "Can plan and lead inspection days")]
        indexes = [models.Index(fields=["township", "date"])]

    def __str__(self) -> str:
        return _("%(township)s inspection of %(year)s年%(month)s月%(day)s日") % {
            "township": self.township.name,
            "year": self.date.year,
            "month": self.date.month,
            "day": self.date.day,
        }

    @transition(field=state, source=DayState.PLANNED, target=DayState.STARTED)
    def start(self, *, at) -> None:
        self.started_at = at

    @transition(field=state, source=DayState.STARTED, target=DayState.ENDED)
    def end(self, *, by, at) -> None:
        self.ended_by, self.ended_at = by, at


class WriteOnce(models.Model):
    """A row written once: ``save`` refuses to update it."""

    class Meta:
        abstract = True

    refused_update = _("This record cannot be changed once written.")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(self.refused_update)
        super().save(*args, **kwargs)


class SpotCheckDraw(WriteOnce):
    """The lot drawn when a day starts: which villages the team visits (one per day).

    ``candidates`` is the township's villages in ascending id order, as
    ``[{"id": 7, "name": "城内村"}, ...]``; ``seed`` is 128 random bits from ``secrets`` in hex;
    ``result`` the drawn village ids in the order drawn. Anyone can recompute ``result`` from
    the other fields (``reproduce``) and see that nobody chose the villages.
    """

    day = models.OneToOneField(
        InspectionDay,
        verbose_name=_("inspection day"),
        on_delete=models.PROTECT,
        related_name="draw",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="spot_check_draws",
    )
    candidates = models.JSONField(_("candidate villages"))
    count = models.PositiveSmallIntegerField(_("villages drawn"))
    seed = models.CharField(_("seed"), max_length=64)
    algorithm = models.CharField(_("algorithm"), max_length=200, default=DRAW_ALGORITHM)
    result = models.JSONField(_("villages drawn"))
    drawn_by = user_field(_("drawn by"), null=False)
    drawn_at = models.DateTimeField(_("drawn at"))

    scope_paths = ScopePaths(county="day__township__county", township="day__township")
    refused_update = _("A spot-check draw is final: it cannot be redone or changed.")

    class Meta:
        verbose_name = _("spot-check draw")
        verbose_name_plural = _("spot-check draws")
        ordering = ["-drawn_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="draw_count_positive"),
        ]

    def __str__(self) -> str:
        return _("Spot-check draw of %(day)s") % {"day": self.day}

    @property
    def audit_township(self):
        return self.day.township

    @staticmethod
    def compute(*, candidate_ids: list[int], seed: str, count: int) -> list[int]:
        """The villages drawn by ``DRAW_ALGORITHM``: the only place a draw is computed."""
        rng = random.Random(int(seed, 16))
        ids = sorted(candidate_ids)
        for i in range(count):
            j = i + int(rng.random() * (len(ids) - i))
            ids[i], ids[j] = ids[j], ids[i]
        return ids[:count]

    def reproduce(self) -> list[int]:
        """The result recomputed from this record's candidates, seed and count."""
        return self.compute(
            candidate_ids=[c["id"] for c in self.candidates], seed=self.seed, count=self.count
        )

    def reproduces(self) -> bool:
        return self.algorithm == DRAW_ALGORITHM and self.reproduce() == list(self.result)

    def drawn_villages(self) -> list[dict]:
        """The drawn candidates (id and name) in the order drawn."""
        names = {c["id"]: c["name"] for c in self.candidates}
        return [{"id": pk, "name": names.get(pk, "")} for pk in self.result]


class InspectionRecord(WriteOnce):
    """What the team found in one drawn village, signed (签字) when written.

    A record is never changed. A mistake is put right by a correction: a new record whose
    ``corrects`` names the record it replaces, with the reason. A record is corrected at most
    once (the correction may itself be corrected), so the records of a village form a chain
    whose last link is the one in force.
    """

    day = models.ForeignKey(
        InspectionDay,
        verbose_name=_("inspection day"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="inspection_records",
    )
    director = models.ForeignKey(
        "people.Person",
        verbose_name=_("director in post"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_records",
    )
    findings = models.TextField(_("findings"))
    observations = models.TextField(_("observations by item"), blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    signed_by = user_field(_("signed by"), null=False)
    signed_at = models.DateTimeField(_("signed at"))
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    scope_paths = ScopePaths(county="day__township__county", township="day__township")
    refused_update = _(
        "A signed inspection record cannot be changed; correct it with a new record and a reason."
    )

    class Meta:
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")
        ordering = ["day", "village", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "day",
                "village",
                condition=models.Q(corrects__isnull=True),
                name="inspection_record_one_original_per_village",
                violation_error_message=_("This village already has a record for this day."),
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(correction_reason=""),
                name="inspection_record_correction_has_reason",
                violation_error_message=_("A correction needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return _("Inspection record %(number)s") % {"number": self.pk or ""}

    @property
    def audit_township(self):
        return self.day.township

    @property
    def audit_label(self) -> str:
        # The audit log is read by people who may not yet know which villages were drawn.
        return str(self)
