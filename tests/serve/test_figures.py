"""The page's figures are the report's: same registry entries, same SVG in workers."""

from __future__ import annotations

from drawdown.report import render
from drawdown.report.data import views_from_result
from drawdown.report.registry import FIGURES
from drawdown.report.select import ReportInputs
from drawdown.serve.figures import (
    DRAWING,
    PAGE_FIGURES,
    Drawer,
    draw_figures,
    draw_svg,
    page_inputs,
)
from drawdown.serve.frames import Frame, draw_framed
from drawdown.serve.workbench import Workbench


def test_page_figures_are_the_reports_own_svg(bench: Workbench) -> None:
    """Each page figure is the report registry's entry drawn by report.render, unchanged."""
    base = bench.variants.baseline
    page = draw_figures(page_inputs(base.scenario, base.plan, base.result), Drawer())
    assert [f["key"] for f in page["figures"]] == list(PAGE_FIGURES)
    inputs = ReportInputs(
        base.scenario, base.plan, views_from_result(base.scenario, base.plan, base.result)
    )
    entry = next(e for e in FIGURES if e.key == "gantt")
    (fig,) = entry.figures(inputs)
    with DRAWING:  # the server's what-ifs of other tests may be drawing in this process
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


def _page_figures(bench: Workbench, record_id: str) -> list:  # type: ignore[type-arg]
    record = bench.variants.get(record_id)
    assert record is not None
    inputs = page_inputs(record.scenario, record.plan, record.result)
    return [f for key in PAGE_FIGURES for e in FIGURES if e.key == key for f in e.figures(inputs)]


def test_a_whatif_drawn_in_the_baselines_frame_is_the_reports_own_svg(bench: Workbench) -> None:
    """A what-if's figures, drawn in the frame the baseline's were laid out in (the map, which
    places its names as it is plotted, laid out afresh), are byte for byte what the report's
    own layout draws of them."""
    changes = [
        {"name": "clearance.road.approval", "value": "0.5"},
        {"name": "threat.ied.rate", "value": "*3"},  # new route colours: the map is redrawn
    ]
    record = bench.simulate(bench.read({"changes": changes}), draw=False)
    figures = _page_figures(bench, record.id)
    drawer = Drawer()
    drawer.svgs(_page_figures(bench, "baseline"))  # learns each kind's frame
    framed = drawer.svgs(figures)
    with DRAWING:
        expected = [render.to_svg(render.draw(f.plot, f.data), f.key) for f in figures]
    assert framed == expected
    assert [f["svg"] for f in bench.figures_of(record.id)] == expected  # the page's own
    baseline_map = next(f for f in _page_figures(bench, "baseline") if f.key == "map")
    assert baseline_map.data.routes != figures[0].data.routes  # type: ignore[attr-defined]


def test_a_figure_whose_margins_differ_is_laid_out_afresh(bench: Workbench) -> None:
    """A frame whose margin texts do not match the new figure is not used: the report's
    layout draws it, and its frame replaces the old one."""
    gantt = next(f for f in _page_figures(bench, "baseline") if f.key == "gantt")
    with DRAWING:
        svg, frame = draw_svg(gantt.plot, gantt.data, gantt.key)
        other = Frame(frame.bounds, (*frame.texts[:-1], ("another legend",)))
        fig, framed = draw_framed(gantt.plot, gantt.data, other)
        again, kept = draw_svg(gantt.plot, gantt.data, gantt.key, other)
    assert not framed
    assert again == svg and kept == frame


def test_pages_drawn_ahead_are_bounded(bench: Workbench) -> None:
    """At most MAX_LATER pages are drawn ahead of their request; past that a page is drawn
    when asked, so answers whose figures nobody fetches cannot pile up work."""
    from drawdown.serve.figures import MAX_LATER

    base = bench.variants.baseline
    inputs = page_inputs(base.scenario, base.plan, base.result)
    drawer = Drawer()
    try:
        with DRAWING:  # nothing gets drawn while the queue fills
            ahead = [drawer.later(inputs) for _ in range(MAX_LATER)]
            assert all(f is not None for f in ahead)
            assert drawer.later(inputs) is None
        pages = [f.result()[0] for f in ahead if f is not None]
        assert all(p["figures"] == pages[0]["figures"] for p in pages)
        assert drawer.later(inputs) is not None  # room again once they are drawn
    finally:
        drawer.close()
