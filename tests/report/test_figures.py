"""Each figure draws on the caller's axis from ready-made data, and copes with empty data."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from drawdown.plan.model import Plan
from drawdown.report.content import figures
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import IncidentData
from drawdown.report.figures.incidents import plot_incidents
from drawdown.report.select import ReportInputs
from drawdown.scenario.model import Scenario


def test_every_figure_draws_on_the_given_axis(
    tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews
) -> None:
    """plot_x(data, ax=ax) draws on `ax` and returns it, with something on it."""
    for fig in figures(ReportInputs(tiny, tiny_plan, tiny_views)):
        ax = Figure().add_subplot()
        assert fig.plot(fig.data, ax=ax) is ax, fig.key  # type: ignore[operator]
        assert ax.get_children() and ax.get_title(), fig.key


def test_no_incidents_says_so() -> None:
    """A run set with no incident at all shows a plain message, not an empty chart."""
    ax = plot_incidents(IncidentData(mean=pd.DataFrame(), runs=10))
    assert any("no incidents" in t.get_text() for t in ax.texts)


def test_map_names_the_host_country(tiny: Scenario, tiny_plan: Plan, tiny_views) -> None:  # type: ignore[no-untyped-def]
    """The tiny scenario lies in Mali: the map marks Mali as host and draws its neighbours."""
    data = next(
        f.data for f in figures(ReportInputs(tiny, tiny_plan, tiny_views)) if f.key == "map"
    )
    hosts = [o.name for o in data.outlines if o.host]  # type: ignore[attr-defined]
    assert hosts == ["Mali"]
    assert len(data.outlines) >= 3  # type: ignore[attr-defined]


def test_map_names_placed_once_are_placed_the_same_again(
    tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews
) -> None:
    """A map redrawn with other route colours (a what-if on threats) reuses where the names
    went and is byte for byte the map drawn from scratch."""
    import dataclasses

    from drawdown.report import render
    from drawdown.report.figures import map as site_map

    fig = next(f for f in figures(ReportInputs(tiny, tiny_plan, tiny_views)) if f.key == "map")
    routes = tuple(
        dataclasses.replace(r, incidents_per_convoy=r.incidents_per_convoy * 3 + 0.01)
        for r in fig.data.routes  # type: ignore[attr-defined]
    )
    hotter = dataclasses.replace(fig.data, routes=routes)  # type: ignore[type-var]

    def svg(data: object) -> str:
        return render.to_svg(render.draw(fig.plot, data), fig.key)  # type: ignore[arg-type]

    site_map._PLACED.clear()
    first, again = svg(fig.data), svg(hotter)
    assert len(site_map._PLACED) == 1  # the names were placed once
    site_map._PLACED.clear()
    assert again == svg(hotter) and again != first
