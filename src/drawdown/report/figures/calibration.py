"""Chart of a threat calibration: posterior incident rate per link or site, with its interval."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.report._style import INK, KIND_COLOURS, MUTED, axis, legend_beside, tidy
from drawdown.results import CalibrationData

MAX_TARGETS = 24


def plot_calibration(data: CalibrationData, *, ax: Axes | None = None) -> Axes:
    """Posterior mean rate (dot) and credible interval (line) of the targets with most events.

    Targets are ranked by their own events, then by the events they pool with; the number
    right of each line is the target's own event count. Rates of different kinds have
    different units (per convoy-km, site-day or sortie), so each kind keeps its colour.
    """
    ax = axis(ax)
    rates = data.rates.sort_values(
        ["events", "pooled_events", "mean"], ascending=[False, False, False]
    ).head(MAX_TARGETS)
    rates = rates.iloc[::-1]
    y = np.arange(len(rates))
    for i, r in enumerate(rates.itertuples()):
        colour = KIND_COLOURS.get(str(r.kind), INK)
        ax.plot([r.low, r.high], [i, i], color=colour, linewidth=1.2)
        ax.scatter([r.mean], [i], color=colour, s=16, zorder=3)
        ax.annotate(
            f"{int(r.events)}",
            (r.high, i),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=6,
            va="center",
            color=MUTED,
        )
    for kind in dict.fromkeys(rates["kind"]):
        ax.scatter([], [], color=KIND_COLOURS.get(str(kind), INK), s=16, label=str(kind))
    ax.set_xscale("log")
    ax.set_yticks(y, [f"{t} ({k})" for t, k in zip(rates["target"], rates["kind"], strict=True)])
    ax.tick_params(labelsize=7)
    credible = float(data.info.details.get("credible", 0.9))
    ax.set_xlabel(
        f"incident rate per unit of exposure (posterior mean, {credible:.0%} interval)", fontsize=8
    )
    tidy(ax)
    legend_beside(ax)  # outside: never over a bar or a point
    ax.set_title(
        f"Calibrated rates from {data.info.details.get('file', 'the incident file')} "
        f"({data.info.details.get('matched', '?')} events matched; number: a target's own)",
        fontsize=9,
    )
    return ax
