"""When each unit's last person leaves the theatre: the plan against the simulated P10–P90."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from drawdown.report._style import (
    ACCENT,
    DEADLINE,
    INK,
    MUTED,
    PLAN,
    SIM,
    as_dates,
    axis,
    date_axis,
    legend_above,
    panels,
    tidy,
)
from drawdown.report.figure_data import UnitOut, UnitOutData

ROWS_PER_PANEL = 27  # readable at 6 pt on a 4.5 in figure
MAX_PANELS = 3
ROLE_TAG = {"hq": "HQ", "hub": "hub"}


def plot_units_out(data: UnitOutData, *, ax: Axes | None = None) -> Axes:
    """Units sorted by when their last person leaves, in columns; HQ and hub units in blue."""
    ax = axis(ax)
    units = list(data.units)
    hidden = max(0, len(units) - ROWS_PER_PANEL * MAX_PANELS)
    units = units[hidden:]  # the earliest are left out first: the latest matter most
    n_panels = max(1, math.ceil(len(units) / ROWS_PER_PANEL))
    per_panel = math.ceil(len(units) / n_panels) if units else 0
    axes = panels(ax, n_panels, sharex=True)
    for i, panel in enumerate(axes):
        _draw(panel, units[i * per_panel : (i + 1) * per_panel], data, per_panel)
    handles = [
        Patch(color=SIM, alpha=0.45, label=f"simulated P10–P90 ({data.runs} runs)"),
        Line2D([], [], marker="|", linestyle="", color=INK, markersize=8, label="simulated median"),
        Line2D([], [], marker="D", linestyle="", color=PLAN, markersize=4, label="plan"),
        Patch(color=ACCENT, label="HQ and hub units (blue labels)"),
    ]
    legend_above(ax, handles)
    notes = []
    if hidden:
        notes.append(f"the {hidden} units out earliest are not shown")
    if not data.simulated:
        notes.append("simulated days not available in this results folder")
    if not data.planned:
        notes.append("planned days not available in this results folder (no unit on movements)")
    if notes:
        ax.text(
            0,
            -0.1,
            "; ".join(notes).capitalize() + ".",
            transform=ax.transAxes,
            fontsize=6.5,
            color=MUTED,
            va="top",
        )
    return ax


def _draw(panel: Axes, units: list[UnitOut], data: UnitOutData, rows: int) -> None:
    y = np.arange(len(units))
    horizon = float(data.horizon_day)

    def days(values: list[float]) -> np.ndarray:
        return np.minimum(np.array(values, dtype=float), horizon)

    p10, p50, p90 = (days([getattr(u, k) for u in units]) for k in ("p10", "p50", "p90"))
    lo = as_dates(data.start_date, p10)
    hi = as_dates(data.start_date, p90)
    panel.barh(y, np.maximum(hi - lo, 0.8), left=lo - 0.4, height=0.6, color=SIM, alpha=0.45)
    panel.scatter(as_dates(data.start_date, p50), y, marker="|", s=40, color=INK, zorder=3)
    plan = days([u.plan_day for u in units])
    panel.scatter(as_dates(data.start_date, plan), y, marker="D", s=9, color=PLAN, zorder=4)
    for row, u in zip(y, units, strict=True):
        if u.never > 0:  # some runs never got all its people out: say how many
            share = f"{u.never:.0%}" if u.never >= 0.005 else "<1%"
            panel.text(
                hi[row] + 1,
                float(row),
                f"{share} not out",
                fontsize=5.5,
                va="center",
                color=DEADLINE,
            )
    labels = [u.id + (f" · {ROLE_TAG[u.role]}" if u.role in ROLE_TAG else "") for u in units]
    panel.set_yticks(y, labels, fontsize=6)
    for tick, u in zip(panel.get_yticklabels(), units, strict=True):
        if u.role in ROLE_TAG:
            tick.set_color(ACCENT)
            tick.set_fontweight("bold")
    panel.set_ylim(rows - 0.5, -0.7)  # first (earliest) at the top, same row height everywhere
    deadline = as_dates(data.start_date, np.array([data.deadline_day]))[0]
    panel.axvline(deadline, color=DEADLINE, linewidth=1.0, linestyle="--")
    panel.set_title("Last person of each unit out", fontsize=8)
    panel.tick_params(axis="x", labelsize=6.5)
    date_axis(panel)
    tidy(panel)
    panel.grid(False, axis="y")
