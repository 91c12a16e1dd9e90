"""The benchmark runner finds every bench module and prints figures as `name: value unit`."""

import importlib
import re
import shutil

import pytest
from django.utils import translation

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
    assert format_figure("paperwork.single_vs_floor", 1.234, "ratio") == (
        "paperwork.single_vs_floor: 1.23 ratio"
    )
    assert FIGURE.match(format_figure("x.count", 3, "items"))
    assert format_figure("paperwork.lo_per_doc_ms", None, "skipped: no soffice") == (
        "# paperwork.lo_per_doc_ms: skipped: no soffice"
    )


PAPERWORK_FIGURES = [
    ("paperwork.single_ms", "ms"),
    ("paperwork.batch_page_ms", "ms"),
    ("paperwork.floor_single_ms", "ms"),
    ("paperwork.floor_batch_page_ms", "ms"),
    ("paperwork.single_vs_floor", "ratio"),
    ("paperwork.batch_page_vs_floor", "ratio"),
]


@pytest.mark.django_db
def test_paperwork_bench_without_libreoffice_prints_a_note_instead(monkeypatch):
    from bench import paperwork

    monkeypatch.setattr(paperwork, "soffice", lambda: None)
    figures = list(paperwork.run(samples=1, batch=2))
    assert [(name, unit) for name, _value, unit in figures[:-1]] == PAPERWORK_FIGURES
    assert all(value is not None and value > 0 for _name, value, _unit in figures[:-1])
    for figure in figures[:-1]:
        assert FIGURE.match(format_figure(*figure))
    name, value, note = figures[-1]
    assert (name, value) == ("paperwork.lo_per_doc_ms", None)
    assert "not installed" in note
    assert format_figure(*figures[-1]).startswith("# paperwork.lo_per_doc_ms: ")


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_paperwork_bench_compares_with_libreoffice():
    from bench import paperwork

    figures = list(paperwork.run(samples=1, batch=2, lo_copies=2))
    assert [(name, unit) for name, _value, unit in figures] == [
        *PAPERWORK_FIGURES,
        ("paperwork.lo_per_doc_ms", "ms"),
        ("paperwork.batch_page_vs_lo", "ratio"),
    ]
    assert all(value is not None and value > 0 for _name, value, _unit in figures)


def test_the_floor_and_libreoffice_letters_carry_the_letters_words():
    from bench import paperwork

    with translation.override("zh-hans"):
        blocks = paperwork.plain_blocks()
    words = "".join(text for _role, text in blocks)
    for expected in [
        "聘用通知书",
        "刘䶮同志",
        "核验码",
        "关岭自治县关索街道办事处",
        "2026年11月22日",
    ]:
        assert expected in words
    assert [role for role, _text in blocks][:2] == ["h1", "p"]
    assert {"small", "right"} <= {role for role, _text in blocks}
    fodt = paperwork.plain_fodt(blocks)
    assert "刘䶮同志" in fodt and 'style:name="A4"' in fodt
    assert paperwork.plain_html(blocks, 3).count("<section>") == 3


@pytest.mark.django_db(transaction=True)
def test_assessment_bench_measures_a_small_county():
    from bench import assessment

    figures = dict(
        (name, value) for name, value, _unit in assessment.run(directors=200, database=False)
    )
    assert set(figures) == {"assessment.ranking_200_ms", "assessment.month_township_s"}


PORTAL_PAGES = ("dashboard", "contracts", "portal")


@pytest.mark.django_db(transaction=True)
def test_portal_bench_measures_the_pages_at_two_sizes():
    from bench import portal

    figures = list(portal.run(sizes=(20, 60), samples=1, database=False))
    assert [(name, unit) for name, _value, unit in figures] == [
        (f"portal.{page}_{figure}_{size}", unit)
        for size in (20, 60)
        for page in PORTAL_PAGES
        for figure, unit in (("ms", "ms"), ("queries", "queries"))
    ]
    values = {name: value for name, value, _unit in figures}
    for page in PORTAL_PAGES:
        assert values[f"portal.{page}_ms_60"] > 0
        # The queries of a page do not grow with the data.
        assert values[f"portal.{page}_queries_20"] == values[f"portal.{page}_queries_60"] > 0
    for figure in figures:
        assert FIGURE.match(format_figure(*figure))
