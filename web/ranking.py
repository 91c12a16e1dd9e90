"""The monthly ranking on the dashboards (月排序): the last twelve published months as a heat
map (an HTML table whose cells are coloured by the score, so that it reads, prints and is
read out like any table) and the latest month as a ranking table under a bar chart.

- County: one row a township, one column a month; a cell is the mean of the month's
  published scores of the township's directors and its rank among the townships that
  published the month (1, 2, 2, 4). The latest month's ranking lists the townships by mean.
- Township: one row a director (the latest month's ranking order, at most ``DIRECTORS_SHOWN``),
  one column a month; a cell is the director's score and rank in the township, and the first
  row is the township's mean.

Every cell links to its township's month (``assessment:month``), where the scores are listed.
The colour scale runs from the policy's warning line (``warning_pass_line``, 60) to the
month's full marks (``monthly_score_max``, 100); a cell below the warning line is also
marked in words. A fixed number of queries whatever the number of scores.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.constants import COUNTED_STATES
from assessment.models import MonthlyScore
from assessment.pay import competition_ranks
from assessment.selectors import latest_counted_month, months_back, township_means
from web.charts import Chart, HeatStep, bar_chart, heat_colour, heat_steps

MONTHS_SHOWN = 12
DIRECTORS_SHOWN = 60


@dataclass(frozen=True)
class Cell:
    """One month of a row: the score (or mean), the rank, its page and its colour."""

    value: Decimal | None = None
    rank: int | None = None
    url: str = ""
    step: HeatStep | None = None
    below_line: bool = False
    scored: int = 0


@dataclass
class HeatRow:
    label: str
    cells: list[Cell]
    sub_label: str = ""
    mean_row: bool = False


@dataclass
class RankedLine:
    """A line of the latest month's ranking."""

    rank: int | None
    label: str
    value: Decimal | None
    url: str
    scored: int = 0
    sub_label: str = ""


@dataclass
class MonthlyRanking:
    months: list[tuple[int, int]] = field(default_factory=list)
    rows: list[HeatRow] = field(default_factory=list)
    latest: tuple[int, int] | None = None
    ranking: list[RankedLine] = field(default_factory=list)
    steps: list[HeatStep] = field(default_factory=list)
    line: Decimal | None = None  # the warning line
    chart: Chart | None = None
    more: int = 0  # directors not shown
    silent: list[str] = field(default_factory=list)  # townships that published no month shown

    @property
    def years(self) -> list[tuple[int, int]]:
        """(year, months of it shown), for the heat map's first header row."""
        found: list[tuple[int, int]] = []
        for year, _month in self.months:
            if found and found[-1][0] == year:
                found[-1] = (year, found[-1][1] + 1)
            else:
                found.append((year, 1))
        return found

    @property
    def month_numbers(self) -> list[str]:
        """The months under their year (11月), for the heat map's second header row."""
        return [
            pgettext("a month under its year", "%(month)s") % {"month": m} for _y, m in self.months
        ]

    @property
    def latest_label(self) -> str:
        return month_label(*self.latest) if self.latest else ""


def month_label(year: int, month: int) -> str:
    """2026年10月 (October 2026 in English)."""
    return date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")


def _scale(policy) -> tuple[Decimal, Decimal]:
    low = Decimal(policy.warning_pass_line) if policy else Decimal(60)
    high = Decimal(policy.monthly_score_max) if policy else Decimal(100)
    return low, high if high > low else low + 1


def _cell(value, *, rank, url, low, high, scored=0) -> Cell:
    return Cell(
        value=value,
        rank=rank,
        url=url,
        step=heat_colour(value, low, high),
        below_line=value is not None and value < low,
        scored=scored,
    )


def _month_url(month_id: int) -> str:
    return reverse("assessment:month", args=[month_id])


def county_ranking(townships: list, policy, *, today: datetime.date) -> MonthlyRanking:
    """Townships × the last twelve published months (module docstring)."""
    latest = latest_counted_month(townships)
    if latest is None:
        return MonthlyRanking()
    months = months_back(latest, MONTHS_SHOWN)
    low, high = _scale(policy)
    found = {(m.township_id, (m.year, m.month)): m for m in township_means(townships, months)}
    ranks: dict[tuple[int, tuple[int, int]], int] = {}
    for month in months:
        published = sorted(
            (m for (t, when), m in found.items() if when == month), key=lambda m: -m.mean
        )
        for found_mean, rank in zip(
            published, competition_ranks(m.mean for m in published), strict=True
        ):
            ranks[(found_mean.township_id, month)] = rank
    rows = []
    for township in townships:
        cells = []
        for month in months:
            mean = found.get((township.pk, month))
            cells.append(
                _cell(
                    mean.mean if mean else None,
                    rank=ranks.get((township.pk, month)),
                    url=_month_url(mean.month_id) if mean else "",
                    low=low,
                    high=high,
                    scored=mean.scored if mean else 0,
                )
            )
        if any(cell.value is not None for cell in cells):
            rows.append(HeatRow(label=township.name, cells=cells))
    ranking = sorted(
        (
            RankedLine(
                rank=ranks.get((t.pk, latest)),
                label=t.name,
                value=found[(t.pk, latest)].mean if (t.pk, latest) in found else None,
                url=_month_url(found[(t.pk, latest)].month_id) if (t.pk, latest) in found else "",
                scored=found[(t.pk, latest)].scored if (t.pk, latest) in found else 0,
            )
            for t in townships
        ),
        key=lambda line: (line.rank is None, line.rank or 0),
    )
    chart = _ranking_chart(
        _("Mean monthly score of each township, %(month)s") % {"month": month_label(*latest)},
        _("Mean score"),
        ranking,
        high,
    )
    return MonthlyRanking(
        months=months,
        rows=rows,
        latest=latest,
        ranking=ranking,
        steps=heat_steps(low, high),
        line=low,
        chart=chart,
        silent=[t.name for t in townships if not any((t.pk, m) in found for m in months)],
    )


def _ranking_chart(label: str, series: str, ranking: list, high) -> Chart:
    """The latest month's ranking as bars from 0 to ``high``, one bar per line."""
    return bar_chart(
        dom_id="ranking-chart",
        label=label,
        labels=[line.label for line in ranking],
        series=[(series, [line.value for line in ranking])],
        y_title=_("Score"),
        y_min=0,
        y_max=high,
    )


def township_ranking(township, policy, *, today: datetime.date) -> MonthlyRanking:
    """The township's directors × its last twelve published months (module docstring)."""
    latest = latest_counted_month([township])
    if latest is None:
        return MonthlyRanking()
    months = months_back(latest, MONTHS_SHOWN)
    low, high = _scale(policy)
    means = {(m.year, m.month): m for m in township_means([township], months)}
    if latest not in means:
        return MonthlyRanking()
    month_ids = {m.month_id: when for when, m in means.items()}
    latest_id = means[latest].month_id
    # The latest month's ranking order; the first DIRECTORS_SHOWN of it get their rows.
    ranked = list(
        MonthlyScore.objects.filter(month_id=latest_id, total__isnull=False)
        .select_related("person", "village")
        .order_by("rank", "person__name_pinyin", "pk")[:DIRECTORS_SHOWN]
    )
    shown = ranked
    scores = {
        (person_id, month_ids[month_id]): (total, rank)
        for person_id, month_id, total, rank in MonthlyScore.objects.filter(
            month_id__in=list(month_ids),
            month__state__in=COUNTED_STATES,
            person_id__in=[s.person_id for s in shown],
        ).values_list("person_id", "month_id", "total", "rank")
    }
    mean_row = HeatRow(
        label=_("Township mean"),
        mean_row=True,
        cells=[
            _cell(
                means[m].mean if m in means else None,
                rank=None,
                url=_month_url(means[m].month_id) if m in means else "",
                low=low,
                high=high,
                scored=means[m].scored if m in means else 0,
            )
            for m in months
        ],
    )
    rows = [mean_row]
    for score in shown:
        cells = []
        for month in months:
            total, rank = scores.get((score.person_id, month), (None, None))
            url = _month_url(means[month].month_id) if month in means and total is not None else ""
            cells.append(_cell(total, rank=rank, url=url, low=low, high=high))
        rows.append(HeatRow(label=score.person.name, sub_label=score.village.name, cells=cells))
    ranking = [
        RankedLine(
            rank=score.rank,
            label=score.person.name,
            value=score.total,
            url=_month_url(latest_id),
            sub_label=score.village.name,
        )
        for score in shown
    ]
    chart = _ranking_chart(
        _("Monthly scores of the township's directors, %(month)s")
        % {"month": month_label(*latest)},
        _("Score"),
        ranking,
        high,
    )
    return MonthlyRanking(
        months=months,
        rows=rows,
        latest=latest,
        ranking=ranking,
        steps=heat_steps(low, high),
        line=low,
        chart=chart,
        more=max(0, means[latest].scored - len(shown)),
    )
