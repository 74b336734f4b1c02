"""Chart of a check against observed outcomes: where each observation fell in its forecast."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.analyse.check import CheckResult
from drawdown.report._style import INK, SIM, axis, legend_beside, tidy


def plot_check(result: CheckResult, *, ax: Axes | None = None) -> Axes:
    """Each observation's place in its simulated distribution, against the 50% and 80% bands.

    The x axis is the share of simulated runs below the observation (0.5: the median), so
    observations of any unit share one axis; a well-calibrated model puts about half of the
    dots in the dark band and four in five in the light one.
    """
    ax = axis(ax)
    scores = result.scores
    y = np.arange(len(scores))
    ax.axvspan(0.1, 0.9, color=SIM, alpha=0.15, linewidth=0, label="80% interval")
    ax.axvspan(0.25, 0.75, color=SIM, alpha=0.3, linewidth=0, label="50% interval")
    ax.axvline(0.5, color=INK, linewidth=0.8)
    colours = np.where(scores["in_80"], INK, "#c62828")
    ax.scatter(scores["pit"], y, color=colours, s=14, zorder=3)
    labels = [
        f"{k} {s}".strip() + ("" if k == "closure" else f" {d}")
        for k, s, d in zip(scores["kind"], scores["site"], scores["date"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=6 if len(y) > 25 else 7)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of simulated runs below the observed value", fontsize=8)
    ax.tick_params(labelsize=7)
    tidy(ax)
    legend_beside(ax)  # outside: never over a bar or a point
    ax.set_title(
        f"Observed vs simulated: {result.coverage_50:.0%} in 50%, {result.coverage_80:.0%} "
        f"in 80% intervals ({result.runs} runs)",
        fontsize=9,
    )
    return ax
