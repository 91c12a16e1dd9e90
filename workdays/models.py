"""Corrections to the official working-day calendar, entered by county HR officers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DayOverride(models.Model):
    """A date that is a holiday or a make-up working day (调休上班) in the official calendar,
    for years the calendar library does not know yet, or to correct it."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked for a make-up working day, clear for a holiday.")
    )
    name = models.CharField(
        pgettext_lazy("holiday", "name"), max_length=64, help_text=_("e.g. 国庆节, 春节调休上班")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays and make-up working days county HR has entered in full.

    Without this mark, a year the calendar library does not cover is counted with the computed
    statutory holidays and otherwise Monday to Friday (``workdays.calendar``), and the product
    says so wherever a period is computed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entered calendar year")
        verbose_name_plural = _("entered calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
