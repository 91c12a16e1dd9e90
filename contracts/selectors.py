"""Reading the contract term for its lists: the contract list and the vacancy list, each with
its filters (``core.filters``), for the pages and their Excel exports."""

import dataclasses
import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from contracts.constants import IN_FORCE_STATES, OPEN_VACANCY_STATES, ContractState
from contracts.models import Contract, Vacancy
from core.filters import ListFilters, choice, record_id, whole_number
from organisation.models import Township

MAX_WITHIN_DAYS = 3660

CONTRACT_ORDERS = {
    "name": (_("Name (pinyin)"), ("person__name_pinyin", "pk")),
    "end": (_("End date"), ("end_date", "person__name_pinyin", "pk")),
}


def _township_name(pk: int) -> str:
    township = Township.objects.filter(pk=pk).first()
    return township.name if township else str(pk)


@dataclasses.dataclass(frozen=True)
class ContractFilters(ListFilters):
    """The contract list's filters: a state, "in force and ending within N days" (1–3660),
    and the order (the directors' names in pinyin, or the end date)."""

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

    @classmethod
    def from_query(cls, params: QueryDict) -> "ContractFilters":
        return cls(
            state=choice(params.get("state"), ContractState.values),
            within=whole_number(params.get("within"), low=1, high=MAX_WITHIN_DAYS),
            order=choice(params.get("order"), CONTRACT_ORDERS) or "name",
        )


def contracts_listed(
    user, filters: ContractFilters, *, today: datetime.date | None = None
) -> QuerySet[Contract]:
    """The contracts ``user`` sees (a township's, or the county's for county HR) with the
    filters, in the filters' order."""
    contracts = scoped(Contract.objects.all(), user).select_related(
        "person", "post__village", "township"
    )
    return contracts_filtered(contracts, filters, today=today)


def contracts_filtered(
    contracts: QuerySet[Contract], filters: ContractFilters, *, today: datetime.date | None = None
) -> QuerySet[Contract]:
    """``contracts`` with the contract list's filters, in the filters' order (the list page,
    its export and the API's contract list)."""
    today = today or timezone.localdate()
    if filters.state:
        contracts = contracts.filter(state=filters.state)
    if filters.within is not None:
        contracts = contracts.filter(
            state__in=IN_FORCE_STATES,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=filters.within - 1),
        )
    return contracts.order_by(*CONTRACT_ORDERS[filters.order][1])


@dataclasses.dataclass(frozen=True)
class VacancyFilters(ListFilters):
    """The vacancy list's filters: open vacancies only unless ``show`` is "all", and one
    township (of those the user sees)."""

    show: str = dataclasses.field(
        default="",
        metadata={"label": _("Show"), "show": lambda v: _("All, including filled and closed")},
    )
    township: int | None = dataclasses.field(
        default=None, metadata={"label": _("Township"), "show": _township_name}
    )

    @classmethod
    def from_query(cls, params: QueryDict) -> "VacancyFilters":
        return cls(
            show=choice(params.get("show"), ["all"]), township=record_id(params.get("township"))
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
    if filters.show != "all":
        vacancies = vacancies.filter(state__in=OPEN_VACANCY_STATES)
    if filters.township is not None:
        vacancies = vacancies.filter(township_id=filters.township)
    return vacancies.annotate(
        overdue_first=Case(
            When(Q(state__in=OPEN_VACANCY_STATES, refill_due__lt=today), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by(
        "overdue_first", "refill_due", "township__name_pinyin", "post__village__name_pinyin", "pk"
    )
