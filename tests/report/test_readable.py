"""The report stays readable: map names apart, a scale bar, legends off the bars, and the
cargo outcome in vehicles as well as containers."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import drawdown
from drawdown.plan import greedy_plan
from drawdown.report.content import figures
from drawdown.report.data import views_from_result
from drawdown.report.render import draw
from drawdown.report.select import ReportInputs
from drawdown.simulate import simulate


@pytest.fixture(scope="module")
def minusma_inputs() -> ReportInputs:
    """minusma-2023, its greedy plan and 40 runs of it: a crowded map."""
    scenario = drawdown.load_scenario("minusma-2023")
    plan = greedy_plan(scenario)
    result = simulate(scenario, plan, runs=40, seed=1)
    return ReportInputs(scenario, plan, views_from_result(scenario, plan, result))


def _drawn(inputs: ReportInputs, key: str) -> Figure:
    fig = next(f for f in figures(inputs) if f.key == key)
    drawn = draw(fig.plot, fig.data)  # type: ignore[arg-type]
    drawn.draw_without_rendering()
    return drawn


def _site_labels(ax: Axes, names: set[str]) -> list:  # type: ignore[type-arg]
    return [t for t in ax.texts if t.get_text().split(". ", 1)[-1] in names]


def test_map_labels_do_not_overlap(minusma_inputs: ReportInputs) -> None:
    """No two site names on the MINUSMA map overlap (adjustText moved them apart)."""
    from drawdown.report.scenario_data import short_name

    figure = _drawn(minusma_inputs, "map")
    ax = figure.axes[0]
    names = {short_name(s.name) for s in minusma_inputs.scenario.sites if s.kind != "waypoint"}
    labels = _site_labels(ax, names)
    assert len(labels) >= 10
    renderer = figure._get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlaps = [
        (a.get_text(), b.get_text())
        for (a, box_a), (b, box_b) in itertools.combinations(zip(labels, boxes, strict=True), 2)
        if box_a.overlaps(box_b)
    ]
    assert not overlaps


def test_map_has_a_scale_bar(minusma_inputs: ReportInputs) -> None:
    """The map carries a scale bar labelled in round kilometres."""
    ax = _drawn(minusma_inputs, "map").axes[0]
    scale = [t.get_text() for t in ax.texts if t.get_text().endswith(" km")]
    assert scale and scale[0].split()[0].replace(",", "") in {"100", "200", "500", "1000"}


@pytest.mark.parametrize("key", ["cargo-outcome", "map", "gantt", "incidents"])
def test_legends_do_not_cover_bars(minusma_inputs: ReportInputs, key: str) -> None:
    """No legend box lies over a bar (or, on the map, over a site)."""
    if key not in {f.key for f in figures(minusma_inputs)}:
        pytest.skip(f"no {key} figure in this report")
    figure = _drawn(minusma_inputs, key)
    renderer = figure._get_renderer()  # type: ignore[attr-defined]
    legends = [ax.get_legend() for ax in figure.axes if ax.get_legend()] + list(figure.legends)
    boxes = [legend.get_window_extent(renderer) for legend in legends]
    for ax in figure.axes:
        bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
        points = [c for c in ax.collections if c.get_offsets().size]
        for box in boxes:
            for bar in bars:
                assert not box.overlaps(bar.get_window_extent(renderer)), key
            for collection in points:
                xy = ax.transData.transform(collection.get_offsets())
                assert not any(box.contains(x, y) for x, y in xy), key


def test_cargo_outcome_in_vehicles_too(minusma_inputs: ReportInputs) -> None:
    """The cargo outcome figure has a containers panel and a vehicles panel."""
    figure = _drawn(minusma_inputs, "cargo-outcome")
    labels = [ax.get_xlabel() for ax in figure.axes]
    assert any("TEU" in x for x in labels) and any("vehicles" in x for x in labels)


def test_analysis_legends_do_not_cover_bars(analysed) -> None:  # type: ignore[no-untyped-def]
    """In the compare, sensitivity, calibration and check figures of a real folder, no
    legend lies over a bar or a point."""
    from drawdown.report.content import report_content
    from drawdown.results import load_analyses, load_run

    run = load_run(analysed.folder, per_run=False)
    s = run.scenario
    views = views_from_result(s, run.plan, run.result)
    analyses = load_analyses(analysed.folder, s.content_hash(), s.name)
    base = {f.key for f in figures(ReportInputs(s, run.plan, views))}
    content = report_content(s, run.plan, views, analyses=analyses)
    extra = [f for f in content.drawn() if f.key not in base]
    assert len(extra) >= 4
    for fig in extra:
        figure = draw(fig.plot, fig.data)  # type: ignore[arg-type]
        figure.draw_without_rendering()
        renderer = figure._get_renderer()  # type: ignore[attr-defined]
        boxes = [
            ax.get_legend().get_window_extent(renderer) for ax in figure.axes if ax.get_legend()
        ]
        for ax in figure.axes:
            bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
            for box in boxes:
                assert not any(box.overlaps(b.get_window_extent(renderer)) for b in bars), fig.key
                for collection in ax.collections:
                    xy = ax.transData.transform(collection.get_offsets())
                    assert not any(box.contains(x, y) for x, y in xy), fig.key
