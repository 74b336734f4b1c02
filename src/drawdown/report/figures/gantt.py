"""Gantt of base closures: the plan's closure day against the simulated P10–P90."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from drawdown.report._style import INK, PLAN, SIM, as_dates, axis, date_axis, legend_above, tidy
from drawdown.report.figure_data import ClosureData


def plot_gantt(data: ClosureData, *, ax: Axes | None = None) -> Axes:
    """One row per site: open until the plan closes it; the band is where runs closed it."""
    ax = axis(ax)
    n = len(data.sites)
    y = np.arange(n)[::-1]
    start = as_dates(data.start_date, np.zeros(n))
    plan_end = as_dates(data.start_date, data.plan_day)
    ax.barh(y, plan_end - start, left=start, height=0.35, color=PLAN, alpha=0.85)
    # A site the plan never closes stays open to the deadline: drawn hatched, not omitted.
    unclosed = np.isnan(data.plan_day)
    if unclosed.any():
        end = as_dates(data.start_date, np.full(n, float(data.deadline_day)))
        ax.barh(
            y[unclosed],
            (end - start)[unclosed],
            left=start[unclosed],
            height=0.35,
            facecolor="none",
            edgecolor=PLAN,
            hatch="////",
            linewidth=0.6,
        )
    lo = as_dates(data.start_date, data.p10)
    hi = as_dates(data.start_date, data.p90)
    ax.barh(
        y,
        np.maximum(hi - lo, 0.6),
        left=lo - np.where(hi - lo < 0.6, 0.3, 0.0),
        height=0.7,
        color=SIM,
        alpha=0.45,
    )
    ax.scatter(as_dates(data.start_date, data.p50), y, marker="|", s=120, color=INK, zorder=4)
    deadline = as_dates(data.start_date, np.array([data.deadline_day]))[0]
    ax.axvline(deadline, color="#c62828", linewidth=1.2, linestyle="--")
    ax.text(deadline, n - 0.4, " deadline", color="#c62828", fontsize=7, va="bottom")
    ax.set_yticks(y, data.sites, fontsize=7)
    ax.set_ylim(-0.7, n - 0.2)
    date_axis(ax)
    tidy(ax)
    ax.grid(False, axis="y")
    ax.tick_params(axis="x", labelsize=7)
    handles = [
        Patch(color=PLAN, alpha=0.85, label="open (plan)"),
        *(
            [Patch(facecolor="none", edgecolor=PLAN, hatch="////", label="plan never closes it")]
            if unclosed.any()
            else []
        ),
        Patch(color=SIM, alpha=0.45, label=f"closed, simulated P10–P90 ({data.runs} runs)"),
        Line2D([], [], marker="|", linestyle="", color=INK, markersize=9, label="simulated median"),
    ]
    legend_above(ax, handles)  # above the rows: a legend inside would cover some bars
    ax.set_title("Base closures: plan against simulation", fontsize=9)
    return ax
