"""Cargo outcome by site: repatriated, handed over, destroyed, lost or remaining (mean TEU)."""

from __future__ import annotations

from matplotlib.axes import Axes

from drawdown.report._style import CARGO_OUTCOME_COLOURS, axis, stacked_barh
from drawdown.report.figure_data import CARGO_OUTCOMES, CargoOutcomeData


def plot_cargo_outcome(data: CargoOutcomeData, *, ax: Axes | None = None) -> Axes:
    """Stacked bars per site of where its containers end up, averaged over runs."""
    ax = axis(ax)
    # Only the outcomes the results record: an older folder has no abandoned column.
    frame = data.teu[[c for c in CARGO_OUTCOMES if c in data.teu.columns]]
    stacked_barh(ax, frame, CARGO_OUTCOME_COLOURS, "containers (TEU, mean over runs)")
    ax.set_title(f"Cargo outcome by site ({data.runs} runs)", fontsize=9)
    return ax
