"""The page's figures are the report's: same registry entries, same SVG in workers."""

from __future__ import annotations

from drawdown.report import render
from drawdown.report.data import views_from_result
from drawdown.report.registry import FIGURES
from drawdown.report.select import ReportInputs
from drawdown.serve.figures import PAGE_FIGURES, Drawer, draw_figures
from drawdown.serve.workbench import Workbench


def test_page_figures_are_the_reports_own_svg(bench: Workbench) -> None:
    """Each page figure is the report registry's entry drawn by report.render, unchanged."""
    base = bench.variants.baseline
    page = draw_figures(base.scenario, base.plan, base.result, Drawer())
    assert [f["key"] for f in page["figures"]] == list(PAGE_FIGURES)
    inputs = ReportInputs(
        base.scenario, base.plan, views_from_result(base.scenario, base.plan, base.result)
    )
    entry = next(e for e in FIGURES if e.key == "gantt")
    (fig,) = entry.figures(inputs)
    expected = render.to_svg(render.draw(fig.plot, fig.data), fig.key)
    assert next(f["svg"] for f in page["figures"] if f["key"] == "gantt") == expected


def test_workers_draw_the_same_svg_and_the_cache_keeps_them(bench: Workbench) -> None:
    """Two drawing processes give byte-identical SVG; a second ask is served from the cache."""
    base = bench.variants.baseline
    inputs = ReportInputs(
        base.scenario, base.plan, views_from_result(base.scenario, base.plan, base.result)
    )
    figures = [f for e in FIGURES if e.key in PAGE_FIGURES for f in e.figures(inputs)]
    alone = Drawer().svgs(figures)
    pool = Drawer(workers=2)
    try:
        assert pool.svgs(figures) == alone
        assert pool.svgs(figures) == alone  # from the cache this time
    finally:
        pool.close()
