"""Tornado chart of a sensitivity analysis: which uncertain input drives an output."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.analyse.sensitivity import SensitivityResult
from drawdown.report._style import MUTED, PLAN, SIM, axis, legend_beside, tidy


def plot_tornado(
    result: SensitivityResult, *, output: str | None = None, ax: Axes | None = None
) -> Axes:
    """Parameters ranked by total effect on one output, with 95% intervals.

    Sobol: total-order (ST) bar with the first-order (S1) part inside it; Morris: mu*.
    """
    ax = axis(ax)
    output = output or str(result.indices["output"].iloc[0])
    rows = result.ranking(output).iloc[::-1]
    y = np.arange(len(rows))
    if result.method == "sobol":
        ax.barh(
            y,
            rows["ST"],
            xerr=rows["ST_conf"],
            color=SIM,
            alpha=0.8,
            label="total (ST)",
            error_kw={"ecolor": MUTED, "elinewidth": 0.8},
        )
        ax.barh(y, rows["S1"].clip(lower=0), height=0.4, color=PLAN, label="first order (S1)")
        ax.set_xlabel("share of output variance", fontsize=8)
        ax.set_xlim(left=0)
    else:
        ax.barh(
            y,
            rows["mu_star"],
            xerr=rows["mu_star_conf"],
            color=SIM,
            alpha=0.8,
            label="mu* (mean |elementary effect|)",
            error_kw={"ecolor": MUTED},
        )
        ax.set_xlabel(f"mu* ({output} units)", fontsize=8)
    ax.set_yticks(y, rows["parameter"], fontsize=7)
    ax.tick_params(labelsize=7)
    tidy(ax)
    legend_beside(ax)  # outside: never over a bar or a point
    ax.set_title(
        f"What drives {output} ({result.method}, {result.parameter_sets} sets x "
        f"{result.runs_per_set} runs)",
        fontsize=9,
    )
    return ax
