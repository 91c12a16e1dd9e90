"""Reading training records: each director's compliance in a year (``compliance``), the
years a director missed the refresher (``MissedRefresher``, the dismissal detector's
provider) and the training rows of a contract's term (``TrainingTermRecords``, for the
renewal review).

Compliance in a year, by the policy in force at the end of that year (or today, for the
current year) in the person's county:

- induction: the day the person completed induction (the end of an induction course they
  attended in full, or the day their contract records, e.g. imported);
- refresher: the days of county refresher courses attended in the year; met when at least
  ``refresher_per_year`` refresher courses were each attended for at least
  ``refresher_min_days`` days;
- township sessions: how many sessions were attended in the year; met when at least
  ``township_sessions_min``.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from contracts.constants import IN_FORCE_STATES, InductionSource
from contracts.models import Contract
from contracts.term_records import NoTermRecords, TermRecords
from core.filters import ListFilters, choice, record_id, whole_number
from organisation.models import Township
from people.models import Person
from policy.models import Policy
from policy.selectors import policy_in_force_or_none
from training.constants import CourseKind
from training.models import Attendance, Course


@dataclass(frozen=True)
class Compliance:
    year: int
    induction_on: datetime.date | None
    induction_required: bool
    refresher_days: Decimal
    refresher_met: bool
    township_sessions: int
    township_sessions_met: bool
    refresher_min_days: int
    township_sessions_min: int

    @property
    def induction_met(self) -> bool:
        return self.induction_on is not None or not self.induction_required

    @property
    def met(self) -> bool:
        return self.induction_met and self.refresher_met and self.township_sessions_met


def policy_for_year(county_id: int, year: int, *, today: datetime.date | None = None):
    """The policy that judges ``year``: in force on its last day, or today for the current
    year."""
    return policy_in_force_or_none(
        county=county_id, on=_judged_on(year, today or timezone.localdate())
    )


def _judged_on(year: int, today: datetime.date) -> datetime.date:
    """The day whose policy judges ``year`` (``policy_for_year``)."""
    return (
        min(datetime.date(year, 12, 31), today) if year <= today.year else datetime.date(year, 1, 1)
    )


def _policies(county_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], Policy]:
    """``policy_for_year`` for every county and year, in one query: the counties' versions
    in force by the last day asked for, chosen here as ``policy_in_force`` chooses them."""
    counties, years = set(county_ids), set(years)
    if not counties or not years:
        return {}
    today = timezone.localdate()
    days = {year: _judged_on(year, today) for year in years}
    versions = list(
        Policy.objects.filter(
            county_id__in=counties, effective_from__lte=max(days.values())
        ).order_by("-effective_from", "-version")
    )
    found = {}
    for county_id in counties:
        for year, on in days.items():
            policy = next(
                (p for p in versions if p.county_id == county_id and p.effective_from <= on), None
            )
            if policy is not None:
                found[(county_id, year)] = policy
    return found


def _refresher_met(days: list[Decimal], policy: Policy | None) -> bool:
    if policy is None:
        return False
    long_enough = [d for d in days if d >= policy.refresher_min_days]
    return len(long_enough) >= max(policy.refresher_per_year, 1)


def induction_days(person_ids: Iterable[int]) -> dict[int, datetime.date]:
    """The day each person completed induction: an induction course attended in full, else
    the day recorded on a contract of theirs."""
    found: dict[int, datetime.date] = {}
    ids = list(person_ids)
    for person_id, ends_on, days, course_days in Attendance.objects.filter(
        person_id__in=ids, course__kind=CourseKind.INDUCTION
    ).values_list("person_id", "course__ends_on", "days", "course__days"):
        if days >= course_days and (person_id not in found or ends_on < found[person_id]):
            found[person_id] = ends_on
    for person_id, on in (
        Contract.objects.filter(person_id__in=ids, induction_on__isnull=False)
        .exclude(induction_source=InductionSource.NOT_REQUIRED)
        .values_list("person_id", "induction_on")
    ):
        if person_id not in found or on < found[person_id]:
            found[person_id] = on
    return found


def compliance_by_year(
    person_ids: Iterable[int], years: Iterable[int]
) -> dict[int, dict[int, Compliance]]:
    """Compliance of each person in each of ``years``: ``{person_id: {year: Compliance}}``.
    A fixed number of queries (one per county and year for the policy)."""
    ids = list(set(person_ids))
    years = sorted(set(years))
    if not ids or not years:
        return {}
    county_of = dict(Person.objects.filter(pk__in=ids).values_list("pk", "township__county_id"))
    policies = _policies(county_of.values(), years)
    refresher: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    sessions: dict[tuple[int, int], int] = defaultdict(int)
    for person_id, kind, year, days in Attendance.objects.filter(
        person_id__in=ids, course__year__in=years
    ).values_list("person_id", "course__kind", "course__year", "days"):
        if kind == CourseKind.REFRESHER:
            refresher[(person_id, year)].append(days)
        elif kind == CourseKind.TOWNSHIP_SESSION:
            sessions[(person_id, year)] += 1
    inducted = induction_days(ids)
    result: dict[int, dict[int, Compliance]] = {}
    for person_id in ids:
        rows = {}
        for year in years:
            policy = policies.get((county_of.get(person_id), year))  # type: ignore[arg-type]
            attended = refresher.get((person_id, year), [])
            count = sessions.get((person_id, year), 0)
            minimum = policy.township_sessions_min if policy else 0
            rows[year] = Compliance(
                year=year,
                induction_on=inducted.get(person_id),
                induction_required=policy.induction_required if policy else True,
                refresher_days=sum(attended, Decimal("0")),
                refresher_met=_refresher_met(attended, policy),
                township_sessions=count,
                township_sessions_met=policy is not None and count >= minimum,
                refresher_min_days=policy.refresher_min_days if policy else 0,
                township_sessions_min=minimum,
            )
        result[person_id] = rows
    return result


def compliance(person_ids: Iterable[int], year: int) -> dict[int, Compliance]:
    """Each person's compliance in ``year`` (module docstring)."""
    return {pk: rows[year] for pk, rows in compliance_by_year(person_ids, [year]).items()}


@dataclass(frozen=True)
class ComplianceCount:
    """A township's directors in post and how many of them met every requirement of a year
    (``Compliance.met``)."""

    in_post: int = 0
    met: int = 0

    @property
    def not_met(self) -> int:
        return self.in_post - self.met

    @property
    def share(self) -> Decimal | None:
        """The share who met, in per cent, one decimal half-up (None without directors)."""
        if not self.in_post:
            return None
        return (Decimal(self.met) * 100 / self.in_post).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _attendees(county_id: int, year: int, kind: str, *, at_least: int, min_days=None):
    """The people who attended at least ``at_least`` of the county's courses of ``kind`` in
    ``year`` (each for ``min_days`` days or more, when given): one pass over the attendance
    of those courses."""
    courses = Course.objects.filter(county_id=county_id, kind=kind, year=year).values("pk")
    # From the courses to their attendance (the index on the course), not through every
    # attendance in person order.
    rows = Attendance.objects.filter(course_id__in=courses)
    if min_days is not None:
        rows = rows.filter(days__gte=min_days)
    if at_least <= 1:  # attended one: no need to count
        return rows.values("person_id")
    return (
        rows.order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=at_least)
        .values("person_id")
    )


def met_every_requirement(county_id: int, year: int, policy: Policy | None) -> Q:
    """Contracts (in force, of the county ``county_id``) whose person met every requirement
    of ``year`` as ``compliance`` decides it (module docstring), as a condition the database
    works out: each requirement is a set of people read once (no query per director)."""
    if policy is None:  # no policy judges the year: nothing is met (as ``compliance``)
        return Q(pk__in=[])
    met = Q(
        person_id__in=_attendees(
            county_id,
            year,
            CourseKind.REFRESHER,
            at_least=max(policy.refresher_per_year, 1),
            min_days=policy.refresher_min_days,
        )
    )
    if policy.township_sessions_min > 0:
        met &= Q(
            person_id__in=_attendees(
                county_id, year, CourseKind.TOWNSHIP_SESSION, at_least=policy.township_sessions_min
            )
        )
    if policy.induction_required:
        # Mostly recorded on the contract in force itself; else on an earlier contract (a
        # renewal's) or by attending an induction course in full.
        own = Q(induction_on__isnull=False) & ~Q(induction_source=InductionSource.NOT_REQUIRED)
        inducted = Attendance.objects.filter(
            course__county_id=county_id,
            course__kind=CourseKind.INDUCTION,
            days__gte=F("course__days"),
        ).values("person_id")
        recorded = (
            Contract.objects.filter(township__county_id=county_id, induction_on__isnull=False)
            .exclude(induction_source=InductionSource.NOT_REQUIRED)
            .values("person_id")
        )
        met &= own | Q(person_id__in=recorded) | Q(person_id__in=inducted)
    return met


def compliance_counts(
    township_ids: list[int],
    county_id: int,
    year: int,
    *,
    today: datetime.date | None = None,
    policy: Policy | None = None,
) -> dict[int, ComplianceCount]:
    """Per township of ``township_ids`` (of the county ``county_id``): its directors in post
    (contracts in force) and how many met every requirement of ``year``, counted by the
    database in one query (with the policy's, unless ``policy`` is the one that judges the
    year: ``policy_for_year``) whatever the number of directors: the verdicts
    ``compliance`` gives each of them."""
    policy = policy or policy_for_year(county_id, year, today=today)
    rows = (
        Contract.objects.filter(township_id__in=township_ids, state__in=IN_FORCE_STATES)
        .order_by()
        .values("township_id")
        .annotate(
            in_post=Count("pk"),
            met=Count("pk", filter=met_every_requirement(county_id, year, policy)),
        )
    )
    return {row["township_id"]: ComplianceCount(row["in_post"], row["met"]) for row in rows}


# The dismissal detector ---------------------------------------------------------------------


def _in_post_on_any(contracts: list[tuple], days: Iterable[datetime.date]) -> bool:
    """Whether a contract in force covered one of ``days`` (the first days of the year's
    refresher courses)."""
    return any(start <= day <= end for day in days for start, end in contracts)


def _service_periods(person_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """(first day, last day) of each contract that came into force, per person."""
    periods: dict[int, list[tuple]] = defaultdict(list)
    for person_id, activated, end_date, ended in Contract.objects.filter(
        person_id__in=list(person_ids), activated_on__isnull=False
    ).values_list("person_id", "activated_on", "end_date", "ended_on"):
        periods[person_id].append((activated, ended or end_date))
    return periods


def _refresher_years(county_ids: Iterable[int]) -> dict[int, dict[int, list[datetime.date]]]:
    """The first days of the refresher courses each county held, by year: only those years
    count against anyone (no year before the county kept its training records here)."""
    held: dict[int, dict[int, list[datetime.date]]] = defaultdict(lambda: defaultdict(list))
    for county_id, year, starts_on in Course.objects.filter(
        county_id__in=set(county_ids), kind=CourseKind.REFRESHER
    ).values_list("county_id", "year", "starts_on"):
        held[county_id][year].append(starts_on)
    return held


class MissedRefresher:
    """The dismissal detector's provider for ``missed_refresher`` (contracts.detectors).

    A year counts against a director when (1) their county held a refresher course that
    year (years before the county recorded training here count against nobody); (2) they
    were in post on the first day of one of that year's refresher courses, so the course was
    theirs to attend; and (3) they attended no refresher course that year for at least the
    policy's ``refresher_min_days`` days (policy in force at the end of that year). The
    detector asks for years that have ended only (``until``)."""

    def years(self, *, person_ids: Iterable[int], until: int) -> dict[int, set[int]]:
        ids = list(set(person_ids))
        if not ids:
            return {}
        county_of = dict(Person.objects.filter(pk__in=ids).values_list("pk", "township__county_id"))
        held = _refresher_years(county_of.values())
        if not held:
            return {}
        periods = _service_periods(ids)
        attended: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
        for person_id, year, days in Attendance.objects.filter(
            person_id__in=ids, course__kind=CourseKind.REFRESHER, course__year__lte=until
        ).values_list("person_id", "course__year", "days"):
            attended[person_id][year].append(days)
        policies = _policies(held.keys(), {y for by_year in held.values() for y in by_year})
        found: dict[int, set[int]] = {}
        for person_id in ids:
            county_id = county_of.get(person_id)
            if county_id is None:
                continue
            missed = set()
            for year, first_days in held.get(county_id, {}).items():
                if year > until or not _in_post_on_any(periods.get(person_id, []), first_days):
                    continue
                policy = policies.get((county_id, year))
                spent = attended.get(person_id, {}).get(year, [])
                if policy is None or not any(d >= policy.refresher_min_days for d in spent):
                    missed.add(year)
            if missed:
                found[person_id] = missed
        return found


# The renewal review -------------------------------------------------------------------------


def _term_note(row: Compliance) -> str:
    parts = [f"知识更新培训{_days(row.refresher_days)}天", f"乡镇培训{row.township_sessions}次"]
    return "；".join(parts)


def _days(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


class TrainingTermRecords:
    """The renewal review's term records: training from here, the appraisal grades from the
    provider registered before (``previous``)."""

    def __init__(self, previous: TermRecords | None = None):
        self.previous: TermRecords = previous or NoTermRecords()

    def appraisal_grades(self, contract) -> list[dict] | None:
        return self.previous.appraisal_grades(contract)

    def training_compliance(self, contract) -> list[dict] | None:
        """One row per year of the term up to this year: whether the refresher requirement
        was met, with the refresher days and the sessions attended. ``None`` while the
        county has recorded no course."""
        county_id = contract.township.county_id
        if not Course.objects.filter(county_id=county_id).exists():
            return None
        today = timezone.localdate()
        years = range(contract.start_date.year, min(contract.end_date.year, today.year) + 1)
        rows = compliance_by_year([contract.person_id], years).get(contract.person_id, {})
        return [
            {"year": year, "attended": row.refresher_met, "note": _term_note(row)}
            for year, row in sorted(rows.items())
        ]


def directors_in_post(township_id: int):
    """The directors in post in a township (contracts in force), in pinyin order."""
    return (
        Contract.objects.filter(township_id=township_id, state__in=IN_FORCE_STATES)
        .select_related("person", "post__village")
        .order_by("person__name_pinyin", "pk")
    )


def courses_attended(person_id: int):
    return (
        Attendance.objects.filter(person_id=person_id)
        .select_related("course__township")
        .order_by("-course__starts_on", "-pk")
    )


# The lists of the training pages and their exports ------------------------------------------


def _kind_label(value: str) -> str:
    return str(CourseKind(value).label)


def _township_name(pk: int) -> str:
    township = Township.objects.filter(pk=pk).first()
    return township.name if township else str(pk)


@dataclasses.dataclass(frozen=True)
class CourseFilters(ListFilters):
    """The course list's filters: a year (2000–2100) and a kind."""

    year: int | None = dataclasses.field(default=None, metadata={"label": _("Year")})
    kind: str = dataclasses.field(default="", metadata={"label": _("Kind"), "show": _kind_label})

    @classmethod
    def from_query(cls, params: QueryDict) -> "CourseFilters":
        return cls(
            year=whole_number(params.get("year"), low=2000, high=2100),
            kind=choice(params.get("kind"), CourseKind.values),
        )


def courses_listed(user, filters: CourseFilters):
    """The courses ``user`` sees (county courses, and a township's own sessions), newest
    first, each with ``attendees``."""
    courses = (
        scoped(Course.objects.all(), user)
        .select_related("township")
        .annotate(attendees=Count("attendances"))
    )
    if filters.year is not None:
        courses = courses.filter(year=filters.year)
    if filters.kind:
        courses = courses.filter(kind=filters.kind)
    return courses.order_by("-starts_on", "-pk")


def attendances_listed(user, course: Course):
    """Who attended ``course``, of the people ``user`` sees, by the pinyin of the name."""
    return (
        scoped(Attendance.objects.filter(course=course), user)
        .select_related("person__township", "person__village")
        .order_by("person__name_pinyin", "pk")
    )


COMPLIANCE_SHOWS = {
    "met": _("Met every requirement of the year"),
    "unmet": _("Did not meet every requirement of the year"),
}


@dataclasses.dataclass(frozen=True)
class ComplianceFilters(ListFilters):
    """The compliance page's filters: the year (this year unless 2000–2100 is given) and one
    township of those the user sees."""

    year: int = dataclasses.field(default=2000, metadata={"label": _("Year")})
    township: int | None = dataclasses.field(
        default=None, metadata={"label": _("Township"), "show": _township_name}
    )
    # The dashboards' figures: who met every requirement of the year, or did not.
    show: str = dataclasses.field(
        default="", metadata={"label": _("Show"), "show": lambda v: COMPLIANCE_SHOWS[v]}
    )

    @classmethod
    def from_query(cls, params: QueryDict) -> "ComplianceFilters":
        this_year = timezone.localdate().year
        return cls(
            year=whole_number(params.get("year"), low=2000, high=2100) or this_year,
            township=record_id(params.get("township")),
            show=choice(params.get("show"), COMPLIANCE_SHOWS),
        )


def compliance_listed(user, filters: ComplianceFilters) -> list[tuple[Township, list[tuple]]]:
    """Township by township (of those ``user`` sees, in pinyin), each director in post's
    contract and ``Compliance`` in the year, by the pinyin of the name. A fixed number of
    queries."""
    shown = scoped(Township.objects.all(), user).order_by("name_pinyin", "pk")
    if filters.township is not None:
        shown = shown.filter(pk=filters.township)
    townships = list(shown)
    by_township: dict[int, list] = defaultdict(list)
    contracts = (
        Contract.objects.filter(township__in=townships, state__in=IN_FORCE_STATES)
        .select_related("person", "post__village", "township")
        .order_by("person__name_pinyin", "pk")
    )
    for contract in contracts:
        by_township[contract.township_id].append(contract)
    found = compliance([c.person_id for cs in by_township.values() for c in cs], filters.year)
    groups = []
    for township in townships:
        rows = [(c, found.get(c.person_id)) for c in by_township.get(township.pk, [])]
        if filters.show:
            met = filters.show == "met"
            rows = [(c, row) for c, row in rows if bool(row and row.met) == met]
        groups.append((township, rows))
    return groups


def courses_ahead(person, *, today: datetime.date, limit: int = 5) -> list[Course]:
    """The next courses of ``person``'s county (its induction and refresher courses) and of
    their township (its sessions) that start from ``today`` on and that they are not yet
    recorded as attending, soonest first: the training due to them. One query."""
    return list(
        Course.objects.filter(county_id=person.township.county_id, starts_on__gte=today)
        .filter(Q(township__isnull=True) | Q(township_id=person.township_id))
        .exclude(attendances__person=person)
        .select_related("township")
        .order_by("starts_on", "pk")[:limit]
    )
