"""Seats used against seats available at each charter airport, week by week."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from drawdown.report._style import (
    MUTED,
    PLAN,
    SIM,
    as_dates,
    axis,
    count_axis,
    date_axis,
    legend_above,
    mark_deadline,
    panels,
    tidy,
)
from drawdown.report.figure_data import LiftData

AVAILABLE = "#f2dcc4"


def plot_exit_lift(data: LiftData, *, ax: Axes | None = None) -> Axes:
    """One panel per charter airport: people seated each week against the seats there."""
    ax = axis(ax)
    n = len(data.exits)
    axes = panels(ax, n, ncols=2 if n > 2 else n, sharex=True)
    for panel, exit_ in zip(axes, data.exits, strict=True):
        x = as_dates(data.start_date, exit_.week_day)
        width = exit_.week_days.astype(float)  # the last week may be short
        if exit_.seats_available is not None:
            panel.bar(x, exit_.seats_available, width=width, align="edge", color=AVAILABLE)
        if exit_.seats_used is not None:
            panel.bar(
                x + 0.15 * width, exit_.seats_used, width=0.7 * width, align="edge", color=SIM
            )
        for values, style in (
            (exit_.plan_seats_available, "--"),
            (exit_.plan_seats_used, "-"),
        ):
            if values is not None:
                steps = np.append(values, values[-1:])
                edges = np.append(x, x[-1:] + width[-1:])
                panel.step(edges, steps, where="post", color=PLAN, linewidth=1.1, linestyle=style)
        mark_deadline(panel, data.start_date, data.deadline_day)
        title = exit_.name
        if exit_.seats_used is not None and exit_.seats_available is not None:
            used, seats = float(exit_.seats_used.sum()), float(exit_.seats_available.sum())
            share = f" ({used / seats:.0%})" if seats > 0 else ""
            title += f"\nseated {used:,.0f} of {seats:,.0f} seats{share}, mean run"
        panel.set_title(title, fontsize=8)
        panel.set_ylabel("people a week", fontsize=7)
        count_axis(panel, "y")
        panel.tick_params(labelsize=7)
        date_axis(panel)
        tidy(panel)
    handles = [
        Patch(color=AVAILABLE, label="seats available after clearance (simulated)"),
        Patch(color=SIM, label=f"people seated (simulated, mean of {data.runs} runs)"),
        Line2D([], [], color=PLAN, linestyle="--", label="seats the plan counts on"),
        Line2D([], [], color=PLAN, label="people the plan seats"),
    ]
    legend_above(ax, handles, ncol=2)
    if data.missing:
        ax.text(
            0,
            -0.22,
            f"Not available in this results folder: {data.missing}.",
            transform=ax.transAxes,
            fontsize=7,
            color=MUTED,
            va="top",
        )
    return ax
