"""The benchmark runner finds every bench module and prints figures as `name: value unit`."""

import importlib
import re

import pytest

from bench.__main__ import area_names, format_figure

FIGURE = re.compile(r"^[a-z0-9_.]+: -?\d+(\.\d+)? \S+$")


def test_every_bench_module_imports_and_has_run():
    names = area_names()
    assert "paperwork" in names
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        assert callable(module.run)
        assert module.__doc__, f"bench/{name}.py must explain its figures in its docstring"


def test_figures_print_one_a_line():
    assert format_figure("paperwork.single_ms", 71.234, "ms") == "paperwork.single_ms: 71.2 ms"
    assert FIGURE.match(format_figure("x.count", 3, "items"))


@pytest.mark.django_db
def test_paperwork_bench_yields_its_three_figures_on_a_small_run():
    from bench import paperwork

    figures = list(paperwork.run(samples=1, batch=2))
    assert [name for name, _value, _unit in figures] == [
        "paperwork.single_ms",
        "paperwork.batch_page_ms",
        "paperwork.latin_floor_ms",
    ]
    assert all(value > 0 and unit == "ms" for _name, value, unit in figures)
    for figure in figures:
        assert FIGURE.match(format_figure(*figure))
