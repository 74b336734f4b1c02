"""Equipment fate by site: repatriated, handed over, destroyed or lost (mean TEU)."""

from __future__ import annotations

from matplotlib.axes import Axes

from drawdown.report._style import FATE_COLOURS, axis, stacked_barh
from drawdown.report.figure_data import FATES, FateData


def plot_fate(data: FateData, *, ax: Axes | None = None) -> Axes:
    """Stacked bars per site of where its containers end up, averaged over runs."""
    ax = axis(ax)
    frame = data.teu.reindex(columns=list(FATES), fill_value=0.0)
    stacked_barh(ax, frame, FATE_COLOURS, "containers (TEU, mean over runs)")
    ax.set_title(f"Equipment fate by site ({data.runs} runs)", fontsize=9)
    return ax
