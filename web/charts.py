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
) -> Chart:
    y = _axis(y_title, minimum=y_min, maximum=y_max, reverse=y_reverse, integer=y_integer)
    x: dict[str, Any] = {}
    if stacked:
        x["stacked"] = y["stacked"] = True
    config = {
        "type": kind,
        "data": {"labels": [str(v) for v in labels], "datasets": _datasets(series, kind=kind)},
        "options": {
            "scales": {"x": x, "y": y},
            "plugins": {"legend": {"display": len(series) > 1}},
        },
    }
    return Chart(dom_id=dom_id, label=str(label), config=config)


def bar_chart(**kwargs) -> Chart:
    """Bars: ``labels`` along the bottom, one bar per series at each (``stacked`` stacks
    them). Keywords as ``_chart``."""
    return _chart("bar", **kwargs)


def line_chart(**kwargs) -> Chart:
    """Lines through ``labels`` (a missing value leaves a gap); ``y_reverse`` puts the
    smallest value on top, as a rank is read; ``y_integer`` ticks whole numbers only."""
    return _chart("line", **kwargs)
