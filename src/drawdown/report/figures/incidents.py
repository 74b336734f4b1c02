"""Incidents by route and site: mean count per run, by kind."""

from __future__ import annotations

from matplotlib.axes import Axes

from drawdown.report._style import KIND_COLOURS, MUTED, axis, stacked_barh
from drawdown.report.figure_data import IncidentData


def plot_incidents(data: IncidentData, *, ax: Axes | None = None) -> Axes:
    """Stacked bars: where incidents happen and of what kind (places with none left out)."""
    ax = axis(ax)
    frame = data.mean
    if frame.empty or float(frame.to_numpy().sum()) == 0.0:
        ax.text(
            0.5,
            0.5,
            "no incidents in any run",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color=MUTED,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"Incidents by route and site ({data.runs} runs)", fontsize=9)
        return ax
    stacked_barh(ax, frame, KIND_COLOURS, "incidents per run (mean)")
    ax.set_title(f"Incidents by route and site ({data.runs} runs)", fontsize=9)
    return ax
