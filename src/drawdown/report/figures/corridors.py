"""Equipment out of the theatre by corridor: the plan against the simulated P10–P90."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from drawdown.report._style import (
    GRID,
    INK,
    MUTED,
    PLAN,
    SIM,
    axis,
    count_axis,
    legend_above,
    panels,
    tidy,
)
from drawdown.report.figure_data import CorridorData, CorridorOut


def plot_corridors(data: CorridorData, *, ax: Axes | None = None) -> Axes:
    """Containers (left) and vehicles (right) crossed per corridor over the withdrawal."""
    ax = axis(ax)
    left, right = panels(ax, 2)
    _draw(left, data.teu, "containers crossed (TEU)", labels=True)
    _draw(right, data.vehicles, "vehicles crossed", labels=False)
    handles = [
        Patch(facecolor="none", edgecolor=GRID, label="throughput × days of the withdrawal"),
        Patch(color=PLAN, alpha=0.85, label="plan"),
        Patch(color=SIM, alpha=0.45, label=f"simulated P10–P90 ({data.runs} runs)"),
        Line2D([], [], marker="|", linestyle="", color=INK, markersize=9, label="simulated median"),
    ]
    legend_above(ax, handles)
    if data.missing:
        ax.text(
            0,
            -0.14,
            f"Not available in this results folder: {data.missing}.",
            transform=ax.transAxes,
            fontsize=7,
            color=MUTED,
            va="top",
        )
    return ax


def _draw(panel: Axes, rows: tuple[CorridorOut, ...], title: str, *, labels: bool) -> None:
    y = np.arange(len(rows))
    values = {
        k: np.array([getattr(r, k) for r in rows], dtype=float)
        for k in ("capacity", "plan", "p10", "p50", "p90")
    }
    panel.barh(y, values["capacity"], height=0.8, facecolor="none", edgecolor=GRID)
    panel.barh(y - 0.15, values["plan"], height=0.3, color=PLAN, alpha=0.85)
    lo, hi = values["p10"], values["p90"]
    panel.barh(y + 0.15, np.maximum(hi - lo, 0), left=lo, height=0.3, color=SIM, alpha=0.45)
    panel.scatter(values["p50"], y + 0.15, marker="|", s=70, color=INK, zorder=4)
    panel.set_yticks(y, [r.name for r in rows] if labels else [""] * len(rows), fontsize=7)
    panel.set_ylim(len(rows) - 0.5, -0.5)
    panel.set_xlim(left=0)
    count_axis(panel)
    panel.tick_params(labelsize=7)
    panel.set_title(title, fontsize=8)
    tidy(panel)
    panel.grid(False, axis="y")
