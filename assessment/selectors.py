"""Reading the monthly assessment, for its pages and the apps above it (appraisal, early
warnings). Every function costs a fixed number of queries whatever the number of rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from assessment.constants import COUNTED_STATES, MonthState
from assessment.models import AssessmentMonth, MonthlyScore, ScoringScheme
from assessment.pay import competition_ranks


def scheme_in_use(*, county, year: int) -> ScoringScheme | None:
    """The scheme a month of ``year`` uses: the highest version of the year."""
    return (
        ScoringScheme.objects.filter(county=county, year=year)
        .order_by("-version")
        .prefetch_related("items")
        .first()
    )


def scheme_used(scheme: ScoringScheme) -> bool:
    """Whether a month or a score has used this version (it can no longer be changed)."""
    return scheme.months.exists() or scheme.scores.exists()


def counted_scores(person_ids, year: int) -> dict[int, list[MonthlyScore]]:
    """The published or settled monthly scores of each person in ``year``, by month (one
    query)."""
    found: dict[int, list[MonthlyScore]] = defaultdict(list)
    scores = (
        MonthlyScore.objects.filter(
            person_id__in=list(person_ids),
            month__year=year,
            month__state__in=COUNTED_STATES,
        )
        .select_related("month", "scheme")
        .order_by("person_id", "month__month", "id")
    )
    for score in scores:
        found[score.person_id].append(score)
    return dict(found)


def township_ranking(month: AssessmentMonth) -> list[MonthlyScore]:
    """The month's scores in ranking order (highest total first, then the pinyin of the
    name, then the record's order), each with ``listed_rank``: the stored rank once the
    month is published, else the competition rank the totals would give. Unscored
    directors come last, without a rank."""
    scores = list(
        MonthlyScore.objects.filter(month=month)
        .select_related("person", "village", "scheme")
        .order_by("person__name_pinyin", "person_id")
    )
    scored = sorted(
        (s for s in scores if s.total is not None), key=lambda s: s.total or 0, reverse=True
    )  # stable: the pinyin order stays within equal totals
    unscored = [s for s in scores if s.total is None]
    for score, rank in zip(scored, competition_ranks(s.total for s in scored), strict=True):
        counted = month.state in COUNTED_STATES and score.rank
        setattr(score, "listed_rank", score.rank if counted else rank)  # noqa: B010
    for score in unscored:
        setattr(score, "listed_rank", None)  # noqa: B010
    return scored + unscored


@dataclass(frozen=True)
class CountyRow:
    rank: int
    name: str
    township: str
    village: str
    total: Decimal | None
    township_rank: int | None
    pay: Decimal | None


def county_ranking(county, year: int, month: int) -> list[CountyRow]:
    """Every published or settled score of the county's townships for the month, ranked
    across the county (competition ranks; ties listed by the pinyin of the name). One
    query, plain rows: the ranking of 20,000 directors builds no model instances."""
    rows = (
        MonthlyScore.objects.filter(
            month__township__county=county,
            month__year=year,
            month__month=month,
            month__state__in=COUNTED_STATES,
            total__isnull=False,
        )
        .order_by("-total", "person__name_pinyin", "person_id")
        .values_list(
            "person__name", "month__township__name", "village__name", "total", "rank", "pay"
        )
    )
    listed = list(rows)
    ranks = competition_ranks(row[3] for row in listed)
    return [
        CountyRow(
            rank=rank,
            name=name,
            township=township,
            village=village,
            total=total,
            township_rank=township_rank,
            pay=pay,
        )
        for rank, (name, township, village, total, township_rank, pay) in zip(
            ranks, listed, strict=True
        )
    ]


def county_month_status(county, year: int, month: int) -> dict[str, int]:
    """How many townships of the county have the month in each state (for the county page:
    the county bulletin is issued once every opened month is published)."""
    counts = dict.fromkeys(MonthState.values, 0)
    for state in AssessmentMonth.objects.filter(
        township__county=county, year=year, month=month
    ).values_list("state", flat=True):
        counts[state] += 1
    return counts


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def person_scores(person, *, limit: int = 36) -> list[MonthlyScore]:
    """A director's published or settled scores, newest first (their own slips)."""
    return list(
        MonthlyScore.objects.filter(person=person, month__state__in=COUNTED_STATES)
        .select_related("month__township", "village")
        .order_by("-month__year", "-month__month")[:limit]
    )


# The monthly ranking over months (the dashboards' heat maps) ------------------------------


def months_back(last: tuple[int, int], count: int) -> list[tuple[int, int]]:
    """``count`` calendar months up to ``last`` (year, month), oldest first."""
    index = last[0] * 12 + last[1] - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def latest_counted_month(townships) -> tuple[int, int] | None:
    """The latest (year, month) that one of ``townships`` published."""
    return (
        AssessmentMonth.objects.filter(township__in=townships, state__in=COUNTED_STATES)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )


@dataclass(frozen=True)
class MonthMean:
    """A township's published month: its page's id, the mean of its directors' scores (two
    decimals half-up) and how many were scored."""

    month_id: int
    township_id: int
    year: int
    month: int
    mean: Decimal
    scored: int


def scores_mean(month_id: int) -> tuple[int, Decimal | None]:
    """How many directors of the month are scored and the mean of their totals, two
    decimals half-up (None without a score); stored on the month when it is published."""
    found = MonthlyScore.objects.filter(month_id=month_id, total__isnull=False).aggregate(
        mean=Avg("total"), scored=Count("pk")
    )
    mean = found["mean"]
    if mean is None:
        return 0, None
    return found["scored"], Decimal(str(mean)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def township_means(townships, months: list[tuple[int, int]]) -> list[MonthMean]:
    """The published (or settled) months of ``townships`` among ``months`` with the mean of
    their scores as published: one query whatever the number of scores."""
    if not months:
        return []
    (first_year, first_month), (last_year, last_month) = months[0], months[-1]
    rows = AssessmentMonth.objects.filter(
        township__in=townships, state__in=COUNTED_STATES, year__gte=first_year,
        year__lte=last_year, mean_total__isnull=False,
    ).values_list("pk", "township_id", "year", "month", "mean_total", "scored_count")  # fmt: skip
    return [
        MonthMean(*row)
        for row in rows
        if (first_year, first_month) <= (row[2], row[3]) <= (last_year, last_month)
    ]
