"""A vacant post (空岗) until it is refilled: the acting person and the escalation of an
overdue vacancy to the county. One transaction each: lock, check, transition, save, audit
row, paperwork, notification. Calling the reserve list of the campaign that filled the post
and linking a refill campaign are recruitment's (``recruitment.services.reserve``), which
uses the checks here.

The vacancy opens in ``contracts.services.posts`` (whenever a contract ends) and closes as
filled there too (``post_occupy``, when a new contract comes into force).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from audit.services import audited_transition, audited_update
from contracts.constants import OPEN_VACANCY_STATES
from contracts.models import Vacancy
from contracts.sweep import sweep_step
from core.services import lock, require_permission, require_state
from notifications.models import Category
from notifications.services import notify
from paperwork.table import issue_for
from people.models import Person

MANAGE_TERM = "contracts.manage_term"


def today() -> datetime.date:
    return timezone.localdate()


def cn_date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def lock_vacancy(vacancy: Vacancy) -> Vacancy:
    return lock(vacancy, related=("township__county", "policy", "post__village"))


def require_committee(by, vacancy: Vacancy) -> None:
    require_permission(
        by,
        MANAGE_TERM,
        vacancy.township,
        message=_("Only committee members of %(township)s may act on its vacant posts.")
        % {"township": vacancy.township},
    )


def require_open(vacancy: Vacancy, action: str) -> None:
    require_state(vacancy, OPEN_VACANCY_STATES, action=action)


# The acting person ------------------------------------------------------------------------


@transaction.atomic
def vacancy_designate_acting(*, vacancy: Vacancy, person: Person, on: datetime.date, by) -> Vacancy:
    """Designate ``person`` to act for the vacant post from ``on`` (or replace the acting
    person) and issue the acting designation.

    The acting person is on the records of the vacancy's township and acts for one vacant
    post at a time; the director whose contract ended does not act for their own post.
    """
    vacancy = lock_vacancy(vacancy)
    require_committee(by, vacancy)
    require_open(vacancy, _("Designating an acting person"))
    person = lock(person, related=("township",))
    if person.township_id != vacancy.township_id:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s is on the records of %(other)s, not of %(township)s: an acting "
                    "person must come from the township of the vacant post."
                )
                % {
                    "name": person.name,
                    "other": person.township.name if person.township_id else _("no township"),
                    "township": vacancy.township.name,
                }
            }
        )
    ended = vacancy.ended_contract
    if ended is not None and ended.person_id == person.pk:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s is the director whose contract ended; choose someone else to act "
                    "for the post."
                )
                % {"name": person.name}
            }
        )
    elsewhere = (
        Vacancy.objects.filter(acting_person=person, state__in=OPEN_VACANCY_STATES)
        .exclude(pk=vacancy.pk)
        .select_related("post__village")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s already acts for the vacant post of %(village)s; a person acts "
                    "for one vacant post at a time."
                )
                % {"name": person.name, "village": elsewhere.post.village.name}
            }
        )
    if vacancy.acting_person_id == person.pk:
        raise ValidationError(
            {"person": _("%(name)s already acts for this post.") % {"name": person.name}}
        )
    if on < vacancy.opened_on:
        raise ValidationError(
            {
                "on": _("The acting person cannot start before the post fell vacant (%(day)s).")
                % {"day": cn_date(vacancy.opened_on)}
            }
        )
    if on > today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    with audited_transition(vacancy, "designate_acting", by=by):
        vacancy.designate_acting(person=person, on=on)
    issue_for(vacancy, "designate_acting", by=by)
    return vacancy


# Overdue ----------------------------------------------------------------------------------


def county_hr_officers(county_id: int):
    return User.objects.filter(role=Role.COUNTY_HR, county_id=county_id, is_active=True)


def vacancy_escalate_overdue(*, vacancy: Vacancy, today: datetime.date) -> bool:
    """A vacancy still open after its refill deadline goes to the county: ``escalated_on``
    is set and the county's HR officers are notified. Once only; returns whether it did."""
    with transaction.atomic():
        vacancy = lock_vacancy(vacancy)
        if vacancy.escalated_on is not None or not vacancy.is_overdue(today):
            return False
        audited_update(vacancy, {"escalated_on": today}, by=None, transition="mark_overdue")
        with translation.override("zh-hans"):
            text = _(
                "The post of %(village)s, %(township)s, has been vacant since %(since)s and was "
                "not refilled by %(due)s."
            ) % {
                "village": vacancy.post.village.name,
                "township": vacancy.township.name,
                "since": cn_date(vacancy.opened_on),
                "due": cn_date(vacancy.refill_due),
            }
        notify(
            category=Category.DEADLINES,
            users=county_hr_officers(vacancy.township.county_id),
            key=f"vacancy-overdue-{vacancy.pk}",
            text=text,
            url=reverse("vacancies:detail", args=[vacancy.pk]),
        )
        return True


@sweep_step("vacancies_overdue", 40)
def escalate_overdue_vacancies(*, today: datetime.date) -> int:
    """Every open vacancy past its refill deadline and not yet escalated."""
    overdue = Vacancy.objects.filter(
        state__in=OPEN_VACANCY_STATES, refill_due__lt=today, escalated_on__isnull=True
    ).order_by("pk")
    return sum(
        vacancy_escalate_overdue(vacancy=vacancy, today=today) for vacancy in overdue.iterator()
    )
