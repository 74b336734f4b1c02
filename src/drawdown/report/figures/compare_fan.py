"""Overlaid fan charts of a comparison: people in theatre by day for each option."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.analyse.compare import Comparison
from drawdown.report._style import as_dates, axis, date_axis, option_colour, tidy
from drawdown.report.select import compare_data
from drawdown.results import CompareData


def plot_compare_fan(comparison: Comparison | CompareData, *, ax: Axes | None = None) -> Axes:
    """People in theatre over time for each option: median and 25–75% band, overlaid."""
    ax = axis(ax)
    comparison = compare_data(comparison)
    fan = comparison.fan
    for i, (label, start) in enumerate(zip(comparison.labels, comparison.start_dates, strict=True)):
        rows = fan[fan["option"] == label]
        x = as_dates(start, rows["day"].to_numpy())
        colour = option_colour(i)
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
