"""Training courses and who attended them (seed 001, 教育培训机制).

A ``Course`` is held by the county (induction, refresher: ``township`` is empty) or by one
township (its sessions). An ``Attendance`` says that a person attended a course, for how many
days and hours; one per course and person.

Who sees a course: the county all of its county's courses; a township (and a village of it)
the county's courses and its own sessions, never another township's; a director only the
courses they attended.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopePaths
from organisation.models import Township, Village
from training.constants import COUNTY_KINDS, CourseKind


def _township_sees(township_id: int) -> Q:
    county = Township.objects.filter(pk=township_id).values("county")
    return Q(township_id=township_id) | Q(township__isnull=True, county__in=county)


def _village_sees(village_id: int) -> Q:
    township = Village.objects.filter(pk=village_id).values("township")
    county = Village.objects.filter(pk=village_id).values("township__county")
    return Q(township__in=township) | Q(township__isnull=True, county__in=county)


class Course(models.Model):
    """A training course: kind, year, dates, days and hours, where and by whom."""

    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="courses",
        null=True,
        blank=True,
        help_text=_("Empty for a county course."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    organiser = models.CharField(_("organiser"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="county",
        township=_township_sees,
        village=_village_sees,
        self="attendances__person",
    )

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "-pk"]
        permissions = [("record_attendance", _("Can record training attendance"))]
        indexes = [models.Index(fields=["county", "year", "kind"], name="course_county_year")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=COUNTY_KINDS, township__isnull=True)
                    | Q(kind=CourseKind.TOWNSHIP_SESSION, township__isnull=False)
                ),
                name="course_township_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="course_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="course_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def audit_place(self) -> tuple[int, int | None]:
        return self.county_id, self.township_id

    @property
    def is_county_course(self) -> bool:
        return self.kind in COUNTY_KINDS


class Attendance(models.Model):
    """A person attended a course for ``days`` days and ``hours`` hours."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    days = models.DecimalField(_("days attended"), max_digits=4, decimal_places=1)
    hours = models.DecimalField(_("hours attended"), max_digits=5, decimal_places=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="course__county",
        township="person__township",
        village="person__village",
        self="person",
    )

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["course", "person__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="attendance_once"),
            models.CheckConstraint(condition=Q(days__gt=0), name="attendance_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.person.name}"

    @property
    def audit_place(self) -> tuple[int, int | None]:
        return self.course.county_id, self.course.township_id
