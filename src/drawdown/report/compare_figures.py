"""Figures of a comparison: overlaid fan charts and closure bars, one function per concern.

Both take a fresh `Comparison` or the `CompareData` read back from a results folder.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.axes import Axes

from drawdown.analyse.compare import Comparison
from drawdown.report._style import INK, as_dates, axis, date_axis, tidy
from drawdown.results import CompareData

OPTION_COLOURS = ("#1f4e79", "#d9822b", "#2e7d32", "#8e24aa", "#c62828", "#00838f")


def _colour(i: int) -> str:
    return OPTION_COLOURS[i % len(OPTION_COLOURS)]


def compare_data(comparison: Comparison | CompareData) -> CompareData:
    """The tables and dates the figures draw, from a fresh or a saved comparison."""
    if isinstance(comparison, CompareData):
        return comparison
    return CompareData(
        labels=tuple(comparison.labels),
        start_dates=tuple(o.scenario.manifest.start_date for o in comparison.options),
        deadline=comparison.options[0].scenario.manifest.deadline,
        runs=comparison.runs,
        seed=comparison.seed,
        figures=comparison.figures,
        fan=comparison.fan_frame(),
        gantt=comparison.gantt_frame(),
    )


def plot_compare_fan(comparison: Comparison | CompareData, *, ax: Axes | None = None) -> Axes:
    """People in theatre over time for each option: median and 25–75% band, overlaid."""
    ax = axis(ax)
    comparison = compare_data(comparison)
    fan = comparison.fan
    for i, (label, start) in enumerate(zip(comparison.labels, comparison.start_dates, strict=True)):
        rows = fan[fan["option"] == label]
        x = as_dates(start, rows["day"].to_numpy())
        colour = _colour(i)
        ax.fill_between(x, rows["q25"], rows["q75"], color=colour, alpha=0.18, linewidth=0)
        ax.plot(x, rows["q50"], color=colour, linewidth=1.4, label=label)
    deadline = comparison.deadline
    ax.axvline(as_dates(deadline, np.array([0]))[0], color="#c62828", linewidth=1.0, ls="--")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("people in theatre (median, 25–75%)", fontsize=8)
    ax.yaxis.set_major_formatter("{x:,.0f}")
    ax.tick_params(labelsize=7)
    date_axis(ax)
    tidy(ax)
    ax.legend(fontsize=7, loc="upper right", framealpha=0.9)
    ax.set_title(f"People remaining by option ({comparison.runs} runs each)", fontsize=9)
    return ax


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
                    x0 + 1, y, "not closed in most runs", fontsize=6, va="center", color=_colour(i)
                )
                continue
            ax.barh(
                y,
                median,
                left=x0,
                height=height * 0.9,
                color=_colour(i),
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
    ax.legend(fontsize=7, loc="lower right", framealpha=0.9)
    ax.set_title("Closure by option (bar: median, line: 5–95%)", fontsize=9)
    return ax
