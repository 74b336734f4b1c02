"""Equipment fate by site: repatriated, handed over, destroyed or lost (mean TEU)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.report._style import FATE_COLOURS, axis, tidy
from drawdown.report.figure_data import FATES, FateData


def plot_fate(data: FateData, *, ax: Axes | None = None) -> Axes:
    """Stacked bars per site of where its containers end up, averaged over runs."""
    ax = axis(ax)
    frame = data.teu.reindex(columns=list(FATES), fill_value=0.0)
    y = np.arange(len(frame))[::-1]
    left = np.zeros(len(frame))
    for fate in FATES:
        values = frame[fate].to_numpy(dtype=float)
        ax.barh(
            y,
            values,
            left=left,
            color=FATE_COLOURS[fate],
            height=0.65,
            label=fate.replace("_", " "),
        )
        left += values
    ax.set_yticks(y, [str(i) for i in frame.index], fontsize=7)
    ax.set_xlabel("containers (TEU, mean over runs)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    tidy(ax)
    ax.grid(False, axis="y")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title(f"Equipment fate by site ({data.runs} runs)", fontsize=9)
    return ax
