"""Incidents by route and site: mean count per run, by kind."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.report._style import KIND_COLOURS, MUTED, axis, tidy
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
    y = np.arange(len(frame))[::-1]
    left = np.zeros(len(frame))
    for kind in frame.columns:
        values = frame[kind].to_numpy(dtype=float)
        ax.barh(
            y,
            values,
            left=left,
            height=0.65,
            color=KIND_COLOURS.get(str(kind), MUTED),
            label=str(kind).replace("_", " "),
        )
        left += values
    ax.set_yticks(y, [str(i) for i in frame.index], fontsize=7)
    ax.set_xlabel("incidents per run (mean)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    tidy(ax)
    ax.grid(False, axis="y")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title(f"Incidents by route and site ({data.runs} runs)", fontsize=9)
    return ax
