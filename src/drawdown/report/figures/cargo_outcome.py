"""Cargo outcome by site: repatriated, handed over, destroyed, lost or remaining (mean TEU)."""

from __future__ import annotations

from matplotlib.axes import Axes

from drawdown.report._style import CARGO_OUTCOME_COLOURS, axis, stacked_barh
from drawdown.report.figure_data import CARGO_OUTCOMES, CargoOutcomeData


def plot_cargo_outcome(data: CargoOutcomeData, *, ax: Axes | None = None) -> Axes:
    """Stacked bars per site of where its containers end up, averaged over runs."""
    ax = axis(ax)
    frame = data.teu.reindex(columns=list(CARGO_OUTCOMES), fill_value=0.0)
    stacked_barh(ax, frame, CARGO_OUTCOME_COLOURS, "containers (TEU, mean over runs)")
    ax.set_title(f"Cargo outcome by site ({data.runs} runs)", fontsize=9)
    return ax
