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
