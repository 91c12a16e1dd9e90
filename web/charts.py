"""Charts described in Python, drawn in the browser by Chart.js from the project's static files
(``web/static/web/vendor/chartjs``, no network needed).

A view builds a ``Chart`` with ``bar_chart`` or ``line_chart`` and the page includes
``web/includes/chart.html`` with it; ``web/static/web/charts.js`` draws the canvas from the
configuration written beside it as JSON. A chart only shows what a table beneath it lists in
full: the chart is for comparing, the table for reading and for screen readers.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Distinguishable colours (Okabe–Ito), in the order series take them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Chart:
    """One chart: ``dom_id`` names its canvas and its JSON, ``label`` is its caption and its
    accessible name, ``config`` the Chart.js configuration (plain JSON values only)."""

    dom_id: str
    label: str
    config: dict[str, Any]


def _number(value: Number) -> float | None:
    return None if value is None else float(value)


def _datasets(series: Sequence[tuple[str, Sequence[Number]]], *, kind: str) -> list[dict]:
    datasets = []
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dataset: dict[str, Any] = {
            "label": str(name),
            "data": [_number(v) for v in values],
            "backgroundColor": colour,
            "borderColor": colour,
        }
        if kind == "line":
            dataset.update(fill=False, tension=0, spanGaps=False, pointRadius=3)
        else:  # a few bars stay bars, not walls
            dataset["maxBarThickness"] = 48
        datasets.append(dataset)
    return datasets


def _axis(
    title: str,
    *,
    minimum: Number = None,
    maximum: Number = None,
    reverse=False,
    integer=False,
) -> dict:
    axis: dict[str, Any] = {"title": {"display": bool(title), "text": str(title)}}
    if integer:  # whole numbers only on the ticks (ranks, counts)
        axis["ticks"] = {"precision": 0}
    if minimum is not None:
        axis["min"] = _number(minimum)
    if maximum is not None:
        axis["max"] = _number(maximum)
    if reverse:
        axis["reverse"] = True
    return axis


def _chart(
    kind: str,
    *,
    dom_id: str,
    label: str,
    labels: Sequence[object],
    series: Sequence[tuple[str, Sequence[Number]]],
    y_title: str = "",
    y_min: Number = None,
    y_max: Number = None,
    y_reverse: bool = False,
    y_integer: bool = False,
    stacked: bool = False,
    references: Sequence[tuple[str, Number]] = (),
) -> Chart:
    y = _axis(y_title, minimum=y_min, maximum=y_max, reverse=y_reverse, integer=y_integer)
    x: dict[str, Any] = {}
    if stacked:
        x["stacked"] = y["stacked"] = True
    datasets = _datasets(series, kind=kind)
    for index, (name, value) in enumerate(references):
        colour = PALETTE[(len(series) + index) % len(PALETTE)]
        datasets.append(
            {
                "type": "line",
                "label": str(name),
                "data": [_number(value)] * len(labels),
                "borderColor": colour,
                "backgroundColor": colour,
                "borderDash": [6, 4],
                "pointRadius": 0,
                "fill": False,
            }
        )
    config = {
        "type": kind,
        "data": {"labels": [str(v) for v in labels], "datasets": datasets},
        "options": {
            "scales": {"x": x, "y": y},
            "plugins": {"legend": {"display": len(datasets) > 1}},
        },
    }
    return Chart(dom_id=dom_id, label=str(label), config=config)


def bar_chart(**kwargs) -> Chart:
    """Bars: ``labels`` along the bottom, one bar per series at each (``stacked`` stacks
    them); ``references`` draws each (name, value) as a dashed level line, a target.
    Keywords as ``_chart``."""
    return _chart("bar", **kwargs)


def line_chart(**kwargs) -> Chart:
    """Lines through ``labels`` (a missing value leaves a gap); ``y_reverse`` puts the
    smallest value on top, as a rank is read; ``y_integer`` ticks whole numbers only."""
    return _chart("line", **kwargs)


# Heat maps: HTML tables whose cells are coloured by their value -------------------------------

# A sequential single-hue scale (ColorBrewer "Blues", 7 classes): it reads in grey print and
# for colour-blind readers, and every cell also prints its number.
HEAT_SCALE = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
DARK_FROM = 4  # the classes from here on take white text


@dataclass(frozen=True)
class HeatStep:
    """One class of the scale, for the legend: its colours and the values it holds
    (``low`` included, ``high`` excluded except in the last class)."""

    background: str
    text: str
    low: Decimal
    high: Decimal


def heat_steps(low: Number, high: Number) -> list[HeatStep]:
    """The scale's classes between ``low`` and ``high``, equal widths."""
    bottom, top = Decimal(str(low)), Decimal(str(high))
    width = (top - bottom) / len(HEAT_SCALE)
    return [
        HeatStep(
            background=colour,
            text="#fff" if index >= DARK_FROM else "#000",
            low=(bottom + width * index).quantize(Decimal("0.01")),
            high=(bottom + width * (index + 1)).quantize(Decimal("0.01")),
        )
        for index, colour in enumerate(HEAT_SCALE)
    ]


def heat_colour(value: Number, low: Number, high: Number) -> HeatStep | None:
    """The class of ``value`` on the scale from ``low`` to ``high`` (values beyond either end
    take the end's class); None for a missing value."""
    if value is None:
        return None
    steps = heat_steps(low, high)
    number = Decimal(str(value))
    for step in steps:
        if number < step.high:
            return step
    return steps[-1]
