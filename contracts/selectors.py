"""Who was in post when, and how they came and went: the filters behind the stability measures
of seed 000 (the dashboards, ``web.stability``) and the contract list's matching filters, so
that a figure and the list it links to count the same contracts.

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

import datetime
from dataclasses import dataclass

from django.db.models import CharField, DateField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Coalesce

from contracts.constants import OPEN_VACANCY_STATES, ContractOrigin, ContractState
from contracts.dates import refill_rule_text
from contracts.models import Vacancy
from core.education import EDUCATION_RANK

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


@dataclass
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
