"""How often each site closed early under attack, with the rule that closed it and its source."""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
from matplotlib.axes import Axes

from drawdown.report._style import DEADLINE, INK, MUTED, axis, tidy
from drawdown.report.figure_data import EarlyClosureData

SOURCE_LINES = 4  # the rule's source under the chart, wrapped; longer ones are cut


def plot_early_closures(data: EarlyClosureData, *, ax: Axes | None = None) -> Axes:
    """Share of runs in which each site closed early under attack, and the median day."""
    ax = axis(ax)
    n = len(data.sites)
    rule = (
        f"Rule: a base closes early after {data.threshold} attacks on it "
        "(policy early_close_attacks)"
        if data.threshold
        else "Rule: off (policy early_close_attacks is 0: no base closes early under attack)"
    )
    if n:
        rule += "; sites not listed never closed early"
    source = data.source or "the scenario gives no source for this threshold"
    lines = textwrap.wrap(f"Source: {source}", 150)
    if len(lines) > SOURCE_LINES:
        lines = [*lines[: SOURCE_LINES - 1], lines[SOURCE_LINES - 1][:146] + " …"]
    if n:
        y = np.arange(n)
        ax.barh(y, data.share * 100, height=0.6, color=DEADLINE, alpha=0.8)
        for row, share, day in zip(y, data.share, data.day_p50, strict=True):
            when = (
                f"  {share:.0%}, median {(data.start_date + dt.timedelta(days=int(day))):%d %b}"
                if np.isfinite(day)
                else f"  {share:.0%}"
            )
            ax.text(share * 100, float(row), when, va="center", fontsize=7, color=INK)
        ax.set_yticks(y, list(data.sites), fontsize=7)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, min(100.0, max(10.0, float(data.share.max()) * 100 * 1.35)))
        ax.set_xlabel(
            f"share of the {data.runs} runs in which the site closed early (%)", fontsize=8
        )
        tidy(ax)
        ax.grid(False, axis="y")
    else:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.6,
            f"No site closed early under attack in any of the {data.runs} runs.",
            ha="center",
            va="center",
            fontsize=10,
            transform=ax.transAxes,
        )
    ax.tick_params(labelsize=7)
    ax.text(
        0,
        -0.16 if n else 0.35,
        "\n".join([rule, *lines]),
        transform=ax.transAxes,
        fontsize=6.5,
        color=MUTED,
        va="top",
        wrap=False,
    )
    ax.set_title("Early closures under attack", fontsize=9)
    return ax
