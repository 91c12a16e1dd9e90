"""Reading the monthly assessment, for its pages and the apps above it (appraisal, early
warnings). Every function costs a fixed number of queries whatever the number of rows."""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db.models import Avg, Count, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.constants import COUNTED_STATES, MonthState
from assessment.kinds import PAY_SLIP
from assessment.models import AssessmentMonth, MonthlyScore, ScoringScheme
from assessment.pay import competition_ranks
from core.filters import ListFilters, whole_number
from paperwork.models import Document


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


@dataclasses.dataclass(frozen=True)
class CountyMonthFilters(ListFilters):
    """The month of the county ranking (and its export): the last month unless a year
    (2000–2100) and a month (1–12) are both given."""

    year: int = dataclasses.field(default=2000, metadata={"label": _("Year")})
    month: int = dataclasses.field(default=1, metadata={"label": _("Month")})

    @classmethod
    def from_query(cls, params: QueryDict) -> "CountyMonthFilters":
        default = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        year = whole_number(params.get("year", default.year), low=2000, high=2100)
        month = whole_number(params.get("month", default.month), low=1, high=12)
        if year is None or month is None:
            return cls(year=default.year, month=default.month)
        return cls(year=year, month=month)


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
        .select_related("month__township", "village", "person")
        .order_by("-month__year", "-month__month")[:limit]
    )


def scores_with_slips(person, *, limit: int = 24) -> list[tuple[MonthlyScore, Document | None]]:
    """A director's last ``limit`` published or settled scores, newest first, each with its
    current pay slip (None while the background job has not issued it). Two queries."""
    scores = person_scores(person, limit=limit)
    slips = {
        d.object_id: d
        for d in Document.objects.filter(
            kind=PAY_SLIP,
            person=person,
            object_id__in=[s.pk for s in scores],
            superseded_by__isnull=True,
        )
    }
    return [(score, slips.get(score.pk)) for score in scores]


@dataclass(frozen=True)
class Standing:
    """Where one published score stands in its month: the rank in the township (stored when
    the month was published) and in the county (a competition rank among the scores of
    every township that has published the month), each out of how many were ranked."""

    township_rank: int | None
    township_ranked: int
    county_rank: int | None
    county_ranked: int


def standing(score: MonthlyScore) -> Standing:
    """The township and county ranks of ``score`` (loaded with ``month__township``). One
    aggregate query whatever the number of directors: the county rank is one more than the
    number of higher totals, as ``county_ranking`` ranks them."""
    month = score.month
    ranked = MonthlyScore.objects.filter(
        month__township__county_id=month.township.county_id,
        month__year=month.year,
        month__month=month.month,
        month__state__in=COUNTED_STATES,
        total__isnull=False,
    )
    above = Q(total__gt=score.total) if score.total is not None else Q(pk__in=[])
    figures = ranked.aggregate(
        county_above=Count("pk", filter=above),
        county_ranked=Count("pk"),
        township_ranked=Count("pk", filter=Q(month_id=month.pk)),
    )
    counted = month.state in COUNTED_STATES and score.total is not None
    return Standing(
        township_rank=score.rank if counted else None,
        township_ranked=figures["township_ranked"],
        county_rank=figures["county_above"] + 1 if counted else None,
        county_ranked=figures["county_ranked"],
    )


@dataclass(frozen=True)
class BulletinRow:
    """A line of the township's published ranking as a director may read it: the rank, the
    name, the village and the score, nothing else (as the monthly bulletin prints them)."""

    rank: int
    name: str
    village: str
    total: Decimal
    own: bool = False


@dataclass(frozen=True)
class BulletinExcerpt:
    """The top of a township's published month and the lines around one director's: ``gap``
    says whether some directors are left out between the two."""

    top: list[BulletinRow]
    around: list[BulletinRow]
    gap: bool


BULLETIN_TOP = 10
BULLETIN_AROUND = 2
# Lines read at most for each part: equal totals share a rank, so more than BULLETIN_TOP may
# rank in the top ten; the excerpt stays this short whatever the ties.
BULLETIN_LINES = 20


def _bulletin_rows(score: MonthlyScore, condition: Q) -> list[BulletinRow]:
    lines = (
        MonthlyScore.objects.filter(month_id=score.month_id, total__isnull=False)
        .filter(condition)
        .order_by("rank", "person__name_pinyin", "person_id")
        .values_list("person_id", "rank", "person__name", "village__name", "total")
    )
    return [  # the conditions ask for ranks, and totals are never empty once ranked
        BulletinRow(
            rank=cast(int, r),
            name=name,
            village=village,
            total=cast(Decimal, total),
            own=pid == score.person_id,
        )
        for pid, r, name, village, total in lines[:BULLETIN_LINES]
    ]


def bulletin_excerpt(
    score: MonthlyScore, *, top: int = BULLETIN_TOP, around: int = BULLETIN_AROUND
) -> BulletinExcerpt:
    """The first ``top`` ranks of ``score``'s published month in its township, and the
    ranks within ``around`` of its own after them: names, villages and scores only. Two
    queries of at most ``BULLETIN_LINES`` lines each, whatever the size of the township;
    the director's own line is always there."""
    if score.month.state not in COUNTED_STATES or score.rank is None or score.total is None:
        return BulletinExcerpt([], [], gap=False)
    rank = score.rank
    first = _bulletin_rows(score, Q(rank__lte=top))
    # Read even when it cannot find anyone (the director is in the top): the page runs the
    # same queries for every director.
    rest = _bulletin_rows(score, Q(rank__gt=top, rank__gte=rank - around, rank__lte=rank + around))
    if not any(row.own for row in first + rest):  # many equal totals: the list was cut
        own = BulletinRow(rank, score.person.name, score.village.name, score.total, own=True)
        (first if rank <= top else rest).append(own)
    # A competition rank r has exactly r - 1 directors above it: someone is left out between
    # the top and the lines around the director when more rank above the first of those
    # lines than the top lists.
    gap = bool(rest) and rest[0].rank - 1 > len(first)
    return BulletinExcerpt(first, rest, gap)


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
