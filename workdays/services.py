"""Changing the working-day calendar: corrections and entered years, each one audited.

Only county HR officers change the calendar (``workdays.add_dayoverride`` and friends). The
calendar is national, but every change is filed in the audit log of the county of the officer
who made it, so that the county's own audit log shows it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, snapshot
from workdays.calendar import library_covers
from workdays.models import CalendarYear, DayOverride
from workdays.statutory import RULES_IN_FORCE_SINCE, statutory_holidays

AUDITED_FIELDS = ["date", "is_working_day", "name"]


def _require(by, perm: str) -> None:
    if by is None or not by.has_perm(perm):
        raise PermissionDenied(_("Only county HR officers may change the working-day calendar."))


def _audit(obj, *, by, **kwargs) -> None:
    # audit_record files an entry under ``obj.county_id`` when the record has no township;
    # the calendar belongs to no county, so the officer's county stands in for it.
    obj.county_id = getattr(by, "county_id", None)
    audit_record(obj=obj, by=by, **kwargs)


def _clean(override: DayOverride) -> None:
    name = (override.name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the day, e.g. 国庆节 or 国庆节调休上班.")
    override.name = name
    clash = DayOverride.objects.filter(date=override.date).exclude(pk=override.pk)
    if clash.exists():
        errors["date"] = _("%(date)s already has a correction; edit that one instead.") % {
            "date": override.date.isoformat()
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dayoverride_create(
    *, date: datetime.date, is_working_day: bool, name: str, by, reason: str = ""
) -> DayOverride:
    """Record that ``date`` is a holiday (``is_working_day`` False) or a make-up working day."""
    _require(by, "workdays.add_dayoverride")
    override = DayOverride(date=date, is_working_day=is_working_day, name=name, created_by=by)
    _clean(override)
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError as exc:  # a concurrent entry for the same date
        raise ValidationError(
            {"date": _("%(date)s already has a correction.") % {"date": date.isoformat()}}
        ) from exc
    _audit(
        override,
        by=by,
        action=AuditEntry.Action.CREATE,
        after=snapshot(override, AUDITED_FIELDS),
        reason=reason,
    )
    return override


@transaction.atomic
def dayoverride_adopt_statutory(*, year: int, by) -> list[DayOverride]:
    """Enter the statutory holidays computed for ``year`` (``workdays.statutory``) as
    corrections, each one audited, so that county HR completes the year from the State
    Council's notice on top of them. A day that already has a correction keeps it.

    Only for a year the computed holidays stand in for: from the year the current 办法 came
    into force, and not covered by the built-in official calendar.
    """
    _require(by, "workdays.add_dayoverride")
    if not RULES_IN_FORCE_SINCE <= year <= 2100 or library_covers(year):
        raise ValidationError(
            {
                "year": _(
                    "Computed holidays can be entered only for a year from %(since)s to 2100 "
                    "that the built-in official calendar does not cover."
                )
                % {"since": RULES_IN_FORCE_SINCE}
            }
        )
    taken = set(DayOverride.objects.filter(date__year=year).values_list("date", flat=True))
    reason = _("Computed from the 全国年节及纪念日放假办法")
    return [
        dayoverride_create(
            date=holiday.date, is_working_day=False, name=holiday.name, by=by, reason=reason
        )
        for holiday in statutory_holidays(year)
        if holiday.date not in taken
    ]


@transaction.atomic
def dayoverride_update(
    *,
    override: DayOverride,
    date: datetime.date,
    is_working_day: bool,
    name: str,
    by,
    reason: str = "",
) -> DayOverride:
    _require(by, "workdays.change_dayoverride")
    override = DayOverride.objects.select_for_update().get(pk=override.pk)
    before = snapshot(override, AUDITED_FIELDS)
    override.date, override.is_working_day, override.name = date, is_working_day, name
    _clean(override)
    override.save()
    after = snapshot(override, AUDITED_FIELDS)
    if after != before:
        _audit(
            override,
            by=by,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=after,
            reason=reason,
        )
    return override


@transaction.atomic
def dayoverride_delete(*, override: DayOverride, by, reason: str = "") -> None:
    _require(by, "workdays.delete_dayoverride")
    override = DayOverride.objects.select_for_update().get(pk=override.pk)
    # The audit log has no "deleted" action: the entry is a change to nothing, named "delete".
    _audit(
        override,
        by=by,
        action=AuditEntry.Action.UPDATE,
        transition="delete",
        before=snapshot(override, AUDITED_FIELDS),
        after={},
        reason=reason,
    )
    override.delete()


@transaction.atomic
def calendaryear_confirm(*, year: int, by) -> CalendarYear:
    """Mark ``year`` as entered in full: periods in it stop carrying the weekdays-only note."""
    _require(by, "workdays.add_calendaryear")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    mark = CalendarYear.objects.create(year=year, confirmed_by=by)
    _audit(mark, by=by, action=AuditEntry.Action.CREATE, after={"year": year})
    return mark


@transaction.atomic
def calendaryear_unconfirm(*, year: int, by) -> None:
    """Withdraw the mark, e.g. when a holiday of the year turns out to be missing."""
    _require(by, "workdays.delete_calendaryear")
    mark = CalendarYear.objects.select_for_update().filter(year=year).first()
    if mark is None:
        return
    _audit(
        mark,
        by=by,
        action=AuditEntry.Action.UPDATE,
        transition="delete",
        before={"year": year},
        after={},
    )
    mark.delete()
