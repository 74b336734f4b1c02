"""Closure bars of a comparison: each base and hub by option, median and 5–95%."""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.axes import Axes

from drawdown.analyse.compare import Comparison
from drawdown.report._style import (
    INK,
    as_dates,
    axis,
    date_axis,
    legend_beside,
    option_colour,
    tidy,
)
from drawdown.report.select import compare_data
from drawdown.results import CompareData


def plot_compare_gantt(comparison: Comparison | CompareData, *, ax: Axes | None = None) -> Axes:
    """Closure of each base and hub by option: bar from start to median, 5–95% whisker."""
    ax = axis(ax)
    comparison = compare_data(comparison)
    gantt = comparison.gantt
    sites = list(dict.fromkeys(gantt["site"]))
    n = len(comparison.labels)
    height = 0.8 / max(1, n)
    start = comparison.start_dates[0]
    for i, (label, own_start) in enumerate(
        zip(comparison.labels, comparison.start_dates, strict=True)
    ):
        rows = gantt[gantt["option"] == label].set_index("site")
        offset = own_start - start
        for j, site in enumerate(sites):
            if site not in rows.index:
                continue
            y = j + (i - (n - 1) / 2) * height
            median, low, high = (float(rows.at[site, k]) for k in ("q50", "q05", "q95"))
            days = offset / dt.timedelta(days=1)
            x0 = as_dates(start, np.array([days]))[0]
            if not np.isfinite(median):  # most runs never close it
                ax.text(
                    x0 + 1,
                    y,
                    "not closed in most runs",
                    fontsize=6,
                    va="center",
                    color=option_colour(i),
                )
                continue
            ax.barh(
                y,
                median,
                left=x0,
                height=height * 0.9,
                color=option_colour(i),
                alpha=0.75,
                label=label if j == 0 else None,
            )
            if np.isfinite(high):
                ax.plot([x0 + low, x0 + high], [y, y], color=INK, linewidth=0.8)
    ax.set_yticks(range(len(sites)), sites, fontsize=7)
    ax.invert_yaxis()
    ax.tick_params(labelsize=7)
    date_axis(ax)
    tidy(ax)
    legend_beside(ax)  # outside: never over a bar or a point
    ax.set_title("Closure by option (bar: median, line: 5–95%)", fontsize=9)
    return ax
