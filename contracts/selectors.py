"""Reading the contract term for its lists: the contract list and the vacancy list, each with
its filters (``core.filters``), for the pages, their Excel exports and the API; and who was in
post when, and how they came and went, for the stability measures of seed 000 (the
dashboards, ``web.stability``) and the contract list's matching filters, so that a figure and
the list it links to count the same contracts.

- In post on a day: a contract that had come into force by that day (``activated_on``) and had
  not ended before it (``ended_on``, the last day of service, empty while in force).
- Left in a period: a contract whose last day of service falls in the period and that ended
  without a renewal (expired, terminated or dismissed): the director left the post. A renewed
  contract is followed by the next one, and its director stays.
- Education: the person's recorded level is the policy's minimum (高中 and 中专 rank the same)
  or above.
- Service: a renewal continues the same service, so a director's service starts on the day
  the first contract of their run of renewals came into force (``service_start``; followed
  back ``RENEWAL_RUN`` contracts, fifteen years of three-year terms).
- Open selection: the first contract of the run was hired by open selection
  (``ContractOrigin.HIRE``: a campaign or its reserve list); directors imported as in post
  before the system, and their renewals, were not (``first_origin``).

Vacancies by urgency (the vacancy list and the dashboards): overdue ones first, then the
nearest refill deadline.
"""

import dataclasses
import datetime

from django.db.models import CharField, DateField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from contracts.constants import (
    IN_FORCE_STATES,
    OPEN_VACANCY_STATES,
    ContractOrigin,
    ContractState,
)
from contracts.dates import refill_rule_text
from contracts.models import Contract, Vacancy
from core.education import EDUCATION_RANK, Education
from core.filters import ListFilters, choice, record_id, whole_number
from organisation.models import Township
from policy.selectors import policy_in_force_or_none

# Ended without a renewal: the director left the post.
LEFT_STATES = [ContractState.EXPIRED, ContractState.TERMINATED, ContractState.DISMISSED]


def in_post_on(day: datetime.date) -> Q:
    """Contracts whose director was in post on ``day``."""
    return Q(activated_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def left_between(start: datetime.date, end: datetime.date) -> Q:
    """Contracts whose director left the post between ``start`` and ``end`` (both included)."""
    return Q(state__in=LEFT_STATES, ended_on__gte=start, ended_on__lte=end)


def levels_at_or_above(minimum: str) -> list[str]:
    """The education levels that meet ``minimum`` (以上 includes the level itself)."""
    return [level for level, rank in EDUCATION_RANK.items() if rank >= EDUCATION_RANK[minimum]]


def education_meets(minimum: str) -> Q:
    """Contracts whose person's education is ``minimum`` or above."""
    return Q(person__education__in=levels_at_or_above(minimum))


RENEWAL_RUN = 5  # contracts followed back through ``renews``


def _run_back(field: str) -> list[str]:
    """``field`` of the contract, and of each contract it renews, the earliest first."""
    return ["renews__" * depth + field for depth in range(RENEWAL_RUN - 1, -1, -1)]


def service_start() -> Coalesce:
    """The day the first contract of the contract's run of renewals came into force."""
    return Coalesce(*_run_back("activated_on"), output_field=DateField())


def first_origin() -> Coalesce:
    """How the first contract of the contract's run of renewals came about."""
    return Coalesce(*_run_back("origin"), output_field=CharField())


def hired_by_open_selection() -> Q:
    """Contracts annotated with ``first_origin`` whose run began with an open selection."""
    return Q(first_origin=ContractOrigin.HIRE)


MAX_WITHIN_DAYS = 3660

CONTRACT_ORDERS = {
    "name": (_("Name (pinyin)"), ("person__name_pinyin", "pk")),
    "end": (_("End date"), ("end_date", "person__name_pinyin", "pk")),
    "start": (_("Start date"), ("start_date", "person__name_pinyin", "pk")),
}
EDUCATION_FILTERS = {"meets": _("At or above the minimum"), "below": _("Below the minimum")}
VACANCY_SHOWS = {
    "overdue": _("Open and past the refill deadline"),
    "all": _("All, including filled and closed"),
}
SELECTION_FILTERS = {
    "open": _("hired by open selection"),
    "other": _("not hired by open selection"),
}


def _township_name(pk: int) -> str:
    township = Township.objects.filter(pk=pk).first()
    return township.name if township else str(pk)


def a_day(value: object) -> datetime.date | None:
    """A day written as 2026-11-30, from 2000 to 2100, else None."""
    try:
        day = datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _shown_day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def education_minimum(county_id: int | None, day: datetime.date) -> str:
    """The education the policy in force on ``day`` asks of a director (高中 without one)."""
    policy = policy_in_force_or_none(county=county_id, on=day) if county_id else None
    return policy.min_education if policy else Education.HIGH_SCHOOL


@dataclasses.dataclass(frozen=True)
class ContractFilters(ListFilters):
    """The contract list's filters: a township, a state, "in force and ending within N days"
    (1–3660), the order (the directors' names in pinyin, the start or the end date), and the
    dashboards' stability measures: in post on a day, left the post in a period (both days
    needed, the first not after the second), education at or above the policy's minimum or
    below it, hired by open selection or not."""

    township: int | None = dataclasses.field(
        default=None, metadata={"label": _("Township"), "show": _township_name}
    )
    state: str = dataclasses.field(
        default="", metadata={"label": _("State"), "show": lambda v: ContractState(v).label}
    )
    within: int | None = dataclasses.field(
        default=None, metadata={"label": _("In force and ending within (days)")}
    )
    order: str = dataclasses.field(
        default="name",
        metadata={"label": _("Order"), "show": lambda v: CONTRACT_ORDERS[v][0]},
    )
    on: datetime.date | None = dataclasses.field(
        default=None, metadata={"label": _("In post on"), "show": _shown_day}
    )
    left_from: datetime.date | None = dataclasses.field(
        default=None, metadata={"label": _("Left the post from"), "show": _shown_day}
    )
    left_to: datetime.date | None = dataclasses.field(
        default=None, metadata={"label": _("Left the post until"), "show": _shown_day}
    )
    education: str = dataclasses.field(
        default="", metadata={"label": _("Education"), "show": lambda v: EDUCATION_FILTERS[v]}
    )
    selection: str = dataclasses.field(
        default="",
        metadata={"label": _("Open selection"), "show": lambda v: SELECTION_FILTERS[v]},
    )

    @classmethod
    def from_query(cls, params: QueryDict) -> "ContractFilters":
        left_from, left_to = a_day(params.get("left_from")), a_day(params.get("left_to"))
        if left_from is None or left_to is None or left_from > left_to:
            left_from = left_to = None
        return cls(
            township=record_id(params.get("township")),
            state=choice(params.get("state"), ContractState.values),
            within=whole_number(params.get("within"), low=1, high=MAX_WITHIN_DAYS),
            order=choice(params.get("order"), CONTRACT_ORDERS) or "name",
            on=a_day(params.get("on")),
            left_from=left_from,
            left_to=left_to,
            education=choice(params.get("education"), EDUCATION_FILTERS),
            selection=choice(params.get("selection"), SELECTION_FILTERS),
        )

    def measures(self, county_id: int | None, today: datetime.date) -> list[str]:
        """The stability filters that are set, in words (the list's heading says them)."""
        said: list[str] = []
        if self.on is not None:
            said.append(_("in post on %(day)s") % {"day": _shown_day(self.on)})
        if self.left_from is not None and self.left_to is not None:
            said.append(
                _("left their post between %(start)s and %(end)s")
                % {"start": _shown_day(self.left_from), "end": _shown_day(self.left_to)}
            )
        if self.education:
            level = Education(education_minimum(county_id, self.on or today)).label
            text = (
                _("education %(level)s or above")
                if self.education == "meets"
                else _("education below %(level)s")
            )
            said.append(text % {"level": level})
        if self.selection:
            said.append(str(SELECTION_FILTERS[self.selection]))
        return said


def contracts_listed(
    user, filters: ContractFilters, *, today: datetime.date | None = None
) -> QuerySet[Contract]:
    """The contracts ``user`` sees (a township's, or the county's for county HR) with the
    filters, in the filters' order."""
    contracts = scoped(Contract.objects.all(), user).select_related(
        "person", "post__village", "township"
    )
    return contracts_filtered(contracts, filters, today=today, county_id=user.county_id)


def contracts_filtered(
    contracts: QuerySet[Contract],
    filters: ContractFilters,
    *,
    today: datetime.date | None = None,
    county_id: int | None = None,
) -> QuerySet[Contract]:
    """``contracts`` with the contract list's filters, in the filters' order (the list page,
    its export and the API's contract list). The education filter reads the minimum of the
    policy of ``county_id`` in force on the filter's day."""
    today = today or timezone.localdate()
    if filters.township is not None:
        contracts = contracts.filter(township_id=filters.township)
    if filters.state:
        contracts = contracts.filter(state=filters.state)
    if filters.within is not None:
        contracts = contracts.filter(
            state__in=IN_FORCE_STATES,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=filters.within - 1),
        )
    if filters.on is not None:
        contracts = contracts.filter(in_post_on(filters.on))
    if filters.left_from is not None and filters.left_to is not None:
        contracts = contracts.filter(left_between(filters.left_from, filters.left_to))
    if filters.education:
        meets = education_meets(education_minimum(county_id, filters.on or today))
        contracts = contracts.filter(meets if filters.education == "meets" else ~meets)
    if filters.selection:
        contracts = contracts.annotate(first_origin=first_origin())
        openly = hired_by_open_selection()
        contracts = contracts.filter(openly if filters.selection == "open" else ~openly)
    return contracts.order_by(*CONTRACT_ORDERS[filters.order][1])


@dataclasses.dataclass(frozen=True)
class VacancyFilters(ListFilters):
    """The vacancy list's filters: open vacancies only, unless ``show`` is "overdue" (open and
    past the refill deadline, the dashboards' figure) or "all" (filled and closed ones too),
    and one township (of those the user sees)."""

    show: str = dataclasses.field(
        default="", metadata={"label": _("Show"), "show": lambda v: VACANCY_SHOWS[v]}
    )
    township: int | None = dataclasses.field(
        default=None, metadata={"label": _("Township"), "show": _township_name}
    )

    @classmethod
    def from_query(cls, params: QueryDict) -> "VacancyFilters":
        return cls(
            show=choice(params.get("show"), VACANCY_SHOWS),
            township=record_id(params.get("township")),
        )


def vacancies_listed(
    user, filters: VacancyFilters, *, today: datetime.date | None = None
) -> QuerySet[Vacancy]:
    """The vacancies ``user`` sees with the filters: overdue first, then by refill deadline,
    township and village in pinyin."""
    today = today or timezone.localdate()
    vacancies = scoped(
        Vacancy.objects.select_related(
            "township", "post__village", "acting_person", "policy", "refill_campaign"
        ),
        user,
    )
    if filters.show == "overdue":
        vacancies = vacancies.filter(state__in=OPEN_VACANCY_STATES, refill_due__lt=today)
    elif filters.show != "all":
        vacancies = vacancies.filter(state__in=OPEN_VACANCY_STATES)
    if filters.township is not None:
        vacancies = vacancies.filter(township_id=filters.township)
    return by_urgency(vacancies, today)


# Vacancies by urgency ----------------------------------------------------------------------


def by_urgency(vacancies: QuerySet[Vacancy], today: datetime.date) -> QuerySet[Vacancy]:
    """``vacancies`` with the open ones past their refill deadline first, then by deadline."""
    return vacancies.annotate(
        overdue_first=Case(
            When(Q(state__in=OPEN_VACANCY_STATES, refill_due__lt=today), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by(
        "overdue_first", "refill_due", "township__name_pinyin", "post__village__name_pinyin", "pk"
    )


@dataclasses.dataclass
class VacancyRow:
    """A vacancy as the lists show it: days to its refill deadline (negative once past),
    whether it is overdue and the deadline's rule in words."""

    vacancy: Vacancy
    days_left: int
    overdue: bool
    rule: str

    @property
    def overdue_days(self) -> int:
        return -self.days_left


def vacancy_row(vacancy: Vacancy, today: datetime.date) -> VacancyRow:
    return VacancyRow(
        vacancy=vacancy,
        days_left=(vacancy.refill_due - today).days,
        overdue=vacancy.is_overdue(today),
        rule=refill_rule_text(vacancy.policy.vacancy_refill_months),
    )
