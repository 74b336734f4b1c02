"""Cargo outcome by site: repatriated, handed over, destroyed, lost or remaining (mean TEU
and mean vehicles, side by side)."""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from drawdown.report._style import CARGO_OUTCOME_COLOURS, axis, legend_above, panels, stacked_barh
from drawdown.report.figure_data import CARGO_OUTCOMES, CargoOutcomeData


def plot_cargo_outcome(data: CargoOutcomeData, *, ax: Axes | None = None) -> Axes:
    """Stacked bars per site of where its containers (and vehicles) end up, over runs."""
    ax = axis(ax)
    # Only the outcomes the results record: an older folder has no abandoned column.
    teu = data.teu[[c for c in CARGO_OUTCOMES if c in data.teu.columns]]
    if data.vehicles is None or data.vehicles.empty or ax.get_subplotspec() is None:
        stacked_barh(ax, teu, CARGO_OUTCOME_COLOURS, "containers (TEU, mean over runs)")
        ax.set_title(f"Cargo outcome by site ({data.runs} runs)", fontsize=9)
        return ax
    vehicles = data.vehicles[[c for c in teu.columns if c in data.vehicles.columns]]
    first, second = panels(ax, 2)
    stacked_barh(first, teu, CARGO_OUTCOME_COLOURS, "containers (TEU, mean)", legend=False)
    stacked_barh(second, vehicles, CARGO_OUTCOME_COLOURS, "vehicles (mean)", legend=False)
    first.set_title(f"Cargo outcome by site: containers ({data.runs} runs)", fontsize=9)
    second.set_title("… and vehicles", fontsize=9)
    handles: list[Artist] = [
        Patch(color=CARGO_OUTCOME_COLOURS.get(str(c), "#999999"), label=str(c).replace("_", " "))
        for c in teu.columns
    ]
    legend_above(first, handles, ncol=len(handles))
    return first
