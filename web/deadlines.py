"""The deadlines of the dashboards, per township of the reader's scope: contracts in force
ending within 90, 30 and 7 days, open vacancies and those past their refill deadline, this
year's target-responsibility agreements not signed yet, open dismissal cases, and the rewards
of the years appraised that are not settled yet (seed 003: by the end of February of the next
year, the policy's ``settlement_deadline_month``).

Each figure counts exactly what its list shows with the matching filter:

- ending within N days → ``contracts:list?within=N`` (in force, end date from today to today
  + N − 1);
- open vacancies → ``vacancies:list``; past the deadline → ``vacancies:list?show=overdue``;
- agreements not signed → ``agreements:list?show=unsigned&year=Y``: drafted and unsigned, or
  a director in post (from before the year's end) with none;
- open cases → ``endings:case_list?show=open`` (not yet filed with the county);
- rewards not settled → ``appraisal:index?unsettled=1``: a township's appraised year whose
  settlement list is not proposed yet or proposed and not settled.

A figure is None where the reader may not open its list. Each group costs one or two
queries whatever the number of records; the tables of vacancies and cases are bounded.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from accounts.constants import Role
from accounts.scoping import scoped
from agreements.constants import AgreementState
from agreements.models import TargetAgreement
from agreements.selectors import due_date
from appraisal.constants import SettlementState
from appraisal.models import AnnualAppraisal, RewardSettlement
from appraisal.services.rewards import settlement_due
from contracts.constants import IN_FORCE_STATES, OPEN_VACANCY_STATES, CaseState
from contracts.models import Contract, DismissalCase, Vacancy
from contracts.selectors import VacancyRow, by_urgency, vacancy_row

ENDING_WITHIN = (90, 30, 7)  # the expiry reminders' days (policy defaults), as list filters
ROWS_SHOWN = 10


@dataclass(frozen=True)
class Rewards:
    """The rewards of a township's last year: ``state`` is "settled", "proposed" or
    "not_proposed" (appraised, no list yet); ``due_on`` the last day to settle them."""

    year: int
    state: str
    due_on: datetime.date | None
    settled_on: datetime.date | None = None
    overdue: bool = False


@dataclass
class Counts:
    """One township's deadlines (or the sum over the scope); None: not the reader's list."""

    ending: dict[int, int] | None = None
    vacancies_open: int | None = None
    vacancies_overdue: int | None = None
    agreements_unsigned: int | None = None
    cases_open: int | None = None
    rewards_unsettled: int | None = None  # appraised years not settled, every year
    rewards_overdue: int | None = None
    rewards: Rewards | None = None  # last year's

    def __add__(self, other: "Counts") -> "Counts":
        def add(a, b):
            return None if a is None and b is None else (a or 0) + (b or 0)

        ending = None
        if self.ending is not None or other.ending is not None:
            ending = {d: (self.ending or {}).get(d, 0) + (other.ending or {}).get(d, 0)
                      for d in ENDING_WITHIN}  # fmt: skip
        return Counts(
            ending=ending,
            vacancies_open=add(self.vacancies_open, other.vacancies_open),
            vacancies_overdue=add(self.vacancies_overdue, other.vacancies_overdue),
            agreements_unsigned=add(self.agreements_unsigned, other.agreements_unsigned),
            cases_open=add(self.cases_open, other.cases_open),
            rewards_unsettled=add(self.rewards_unsettled, other.rewards_unsettled),
            rewards_overdue=add(self.rewards_overdue, other.rewards_overdue),
        )


@dataclass
class Deadlines:
    today: datetime.date
    agreements_year: int
    agreements_due: datetime.date | None  # the policy's day for this year's agreements
    rewards_year: int
    rewards_due: datetime.date | None  # last year's rewards are settled by this day
    rows: list[tuple[object, Counts]] = field(default_factory=list)  # (township, counts)
    total: Counts = field(default_factory=Counts)
    vacancies: list[VacancyRow] = field(default_factory=list)  # most urgent first
    cases: list[DismissalCase] = field(default_factory=list)  # oldest first

    @property
    def agreements_late(self) -> bool:
        return self.agreements_due is not None and self.today > self.agreements_due


def _grouped(queryset, **counts) -> dict[int, dict]:
    return {
        row["township_id"]: row
        for row in queryset.order_by().values("township_id").annotate(**counts)
    }


def _ending(user, today: datetime.date) -> dict[int, dict[int, int]]:
    last = today + datetime.timedelta(days=max(ENDING_WITHIN) - 1)
    rows = _grouped(
        scoped(Contract.objects.all(), user).filter(
            state__in=IN_FORCE_STATES, end_date__gte=today, end_date__lte=last
        ),
        **{
            f"within_{days}": Count(
                "pk", filter=Q(end_date__lte=today + datetime.timedelta(days=days - 1))
            )
            for days in ENDING_WITHIN
        },
    )
    return {pk: {d: row[f"within_{d}"] for d in ENDING_WITHIN} for pk, row in rows.items()}


def _agreements(user, year: int) -> dict[int, int]:
    """Unsigned agreements of ``year`` per township: drafted ones, and directors in post
    (from before the year's end) without one (``agreements.selectors.townships_year``)."""
    drafted = _grouped(
        scoped(TargetAgreement.objects.all(), user).filter(year=year, state=AgreementState.DRAFTED),
        n=Count("pk"),
    )
    missing = _grouped(
        scoped(Contract.objects.all(), user)
        .filter(state__in=IN_FORCE_STATES, start_date__lte=datetime.date(year, 12, 31))
        .exclude(
            Exists(
                TargetAgreement.objects.filter(
                    township_id=OuterRef("township_id"), person_id=OuterRef("person_id"), year=year
                )
            )
        ),
        n=Count("pk"),
    )
    return {
        pk: drafted.get(pk, {}).get("n", 0) + missing.get(pk, {}).get("n", 0)
        for pk in {*drafted, *missing}
    }


def _rewards(user, today: datetime.date, policy) -> dict[int, tuple[int, int, Rewards | None]]:
    """Per township: its appraised years not settled, how many are past their deadline, and
    the state of last year's rewards."""
    last_year = today.year - 1
    settlements = {
        (s.township_id, s.year): s
        for s in scoped(RewardSettlement.objects.all(), user).only(
            "township_id", "year", "state", "due_on", "settled_on"
        )
    }
    found: dict[int, tuple[int, int, Rewards | None]] = {}
    for township_id, year in (
        scoped(AnnualAppraisal.objects.all(), user)
        .order_by()
        .values_list("township_id", "year")
        .distinct()
    ):
        settlement = settlements.get((township_id, year))
        if settlement is not None:
            due = settlement.due_on
        else:
            due = settlement_due(year, policy) if policy else None
        settled = settlement is not None and settlement.state == SettlementState.SETTLED
        late = not settled and due is not None and today > due
        unsettled, overdue, last = found.get(township_id, (0, 0, None))
        if year == last_year:
            state = "not_proposed" if settlement is None else settlement.state
            last = Rewards(
                year=year,
                state=state,
                due_on=due,
                settled_on=settlement.settled_on if settlement else None,
                overdue=late,
            )
        found[township_id] = (unsettled + (not settled), overdue + late, last)
    return found


def _may(user, perm: str) -> bool:
    return user.has_perm(perm) and getattr(user, "role", "") != Role.DIRECTOR


def deadline_counts(user, today: datetime.date, policy) -> dict[int, Counts]:
    """The deadlines of every township of the reader's scope that has one, by township id;
    a township with none is missing."""
    found: dict[int, Counts] = {}

    def at(pk: int) -> Counts:
        return found.setdefault(pk, Counts())

    if _may(user, "contracts.view_contract"):
        for pk, ending in _ending(user, today).items():
            at(pk).ending = ending
    if _may(user, "contracts.view_vacancy"):
        vacancies = scoped(Vacancy.objects.all(), user).filter(state__in=OPEN_VACANCY_STATES)
        for pk, row in _grouped(
            vacancies, n=Count("pk"), late=Count("pk", filter=Q(refill_due__lt=today))
        ).items():
            at(pk).vacancies_open, at(pk).vacancies_overdue = row["n"], row["late"]
    if _may(user, "agreements.view_agreement"):
        for pk, n in _agreements(user, today.year).items():
            at(pk).agreements_unsigned = n
    if _may(user, "contracts.view_dismissalcase"):
        cases = scoped(DismissalCase.objects.all(), user).exclude(state=CaseState.FILED)
        for pk, row in _grouped(cases, n=Count("pk")).items():
            at(pk).cases_open = row["n"]
    if _may(user, "appraisal.view_annualappraisal"):
        for pk, (unsettled, overdue, last) in _rewards(user, today, policy).items():
            counts = at(pk)
            counts.rewards_unsettled, counts.rewards_overdue, counts.rewards = (
                unsettled,
                overdue,
                last,
            )
    return found


def zeroes(user) -> Counts:
    """What a township without any deadline shows: 0 where the reader may open the list."""
    return Counts(
        ending=dict.fromkeys(ENDING_WITHIN, 0) if _may(user, "contracts.view_contract") else None,
        vacancies_open=0 if _may(user, "contracts.view_vacancy") else None,
        vacancies_overdue=0 if _may(user, "contracts.view_vacancy") else None,
        agreements_unsigned=0 if _may(user, "agreements.view_agreement") else None,
        cases_open=0 if _may(user, "contracts.view_dismissalcase") else None,
        rewards_unsettled=0 if _may(user, "appraisal.view_annualappraisal") else None,
        rewards_overdue=0 if _may(user, "appraisal.view_annualappraisal") else None,
    )


def deadlines(user, townships: list, *, today: datetime.date, policy) -> Deadlines:
    """The deadlines of ``townships`` (the reader's scope), their sum, and the most urgent
    vacancies and the oldest open cases; ``policy``: the county's in force today."""
    counts = deadline_counts(user, today, policy)
    zero = zeroes(user)
    rows = []
    for township in townships:
        row = zero
        if township.pk in counts:
            row = zero + counts[township.pk]
            row.rewards = counts[township.pk].rewards
        rows.append((township, row))
    total = zero
    for _township, row in rows:
        total = total + row
    result = Deadlines(
        today=today,
        agreements_year=today.year,
        agreements_due=due_date(policy, today.year) if policy else None,
        rewards_year=today.year - 1,
        rewards_due=settlement_due(today.year - 1, policy) if policy else None,
        rows=rows,
        total=total,
    )
    if _may(user, "contracts.view_vacancy"):
        vacancies = scoped(
            Vacancy.objects.select_related("township", "post__village", "acting_person", "policy"),
            user,
        ).filter(state__in=OPEN_VACANCY_STATES)
        result.vacancies = [
            vacancy_row(v, today) for v in by_urgency(vacancies, today)[:ROWS_SHOWN]
        ]
    if _may(user, "contracts.view_dismissalcase"):
        result.cases = list(
            scoped(
                DismissalCase.objects.select_related(
                    "contract__person", "contract__post__village", "township"
                ),
                user,
            )
            .exclude(state=CaseState.FILED)
            .order_by("opened_on", "pk")[:ROWS_SHOWN]
        )
    return result
