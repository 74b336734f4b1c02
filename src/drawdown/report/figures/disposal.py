"""Equipment left in theatre by site: handed over against abandoned, destroyed apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from drawdown.report._style import (
    CARGO_OUTCOME_COLOURS,
    INK,
    axis,
    count_axis,
    legend_above,
    panels,
    tidy,
)
from drawdown.report.figure_data import DisposalData

BARS = (  # (column, offset in a row, hatch, legend)
    ("handed_over", -0.27, "", "handed over (with inventory)"),
    ("abandoned", 0.0, "", "abandoned (no handover)"),
    ("destroyed", 0.27, "////", "destroyed (sensitive items are never handed over)"),
)


def plot_disposal(data: DisposalData, *, ax: Axes | None = None) -> Axes:
    """Per site, mean over runs: what was handed over, abandoned, and (apart) destroyed."""
    ax = axis(ax)
    frames = [(data.teu, data.plan_handover_teu, "containers (TEU, mean over runs)")]
    if data.vehicles is not None:
        frames.append((data.vehicles, data.plan_handover_vehicles, "vehicles (mean over runs)"))
    axes = panels(ax, len(frames))
    for i, (panel, (frame, planned, title)) in enumerate(zip(axes, frames, strict=True)):
        _draw(panel, frame, planned, title, labels=i == 0)
    handles = [
        *(
            Patch(
                facecolor=CARGO_OUTCOME_COLOURS[c] if not hatch else "white",
                hatch=hatch,
                edgecolor=CARGO_OUTCOME_COLOURS[c],
                label=label,
            )
            for c, _, hatch, label in BARS
        ),
        Line2D(
            [],
            [],
            marker="|",
            linestyle="",
            color=INK,
            markersize=9,
            label="handover the plan intends",
        ),
    ]
    legend_above(ax, handles, ncol=2)
    return ax


def _draw(
    panel: Axes, frame: pd.DataFrame, planned: pd.Series | None, title: str, *, labels: bool
) -> None:
    y = np.arange(len(frame))
    for column, offset, hatch, _ in BARS:
        colour = CARGO_OUTCOME_COLOURS[column]
        panel.barh(
            y + offset,
            frame[column].to_numpy(dtype=float),
            height=0.26,
            color="white" if hatch else colour,
            edgecolor=colour,
            hatch=hatch,
            linewidth=0.6,
        )
    if planned is not None:
        plan = planned.reindex(frame.index).to_numpy(dtype=float)
        panel.scatter(plan, y - 0.27, marker="|", s=60, color=INK, zorder=4)
    panel.set_yticks(y, [str(s) for s in frame.index] if labels else [""] * len(y), fontsize=7)
    panel.set_ylim(len(frame) - 0.5, -0.5)
    panel.set_xlim(left=0)
    count_axis(panel)
    panel.tick_params(labelsize=7)
    panel.set_title(title, fontsize=8)
    tidy(panel)
    panel.grid(False, axis="y")
