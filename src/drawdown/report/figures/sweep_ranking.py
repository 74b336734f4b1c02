"""Variants of a sweep ranked by one key figure: mean and 95% interval, best at the top."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from drawdown.analyse.compare import FIGURES
from drawdown.report._style import MUTED, SIM, axis, tidy
from drawdown.results import SweepData

TOP = 20


def plot_sweep_ranking(data: SweepData, *, ax: Axes | None = None) -> Axes:
    """The `TOP` best variants by the sweep's `rank_by` figure (the summary's `rank`)."""
    ax = axis(ax)
    key = str(data.info.details.get("rank_by", "p_out_on_time"))
    label, unit = FIGURES[key]
    ranked = data.summary[data.summary["rank"].notna()].sort_values("rank").head(TOP)
    rows = ranked.iloc[::-1]
    y = np.arange(len(rows))
    value = rows[key].to_numpy(dtype=float)
    low = rows[f"{key}_low"].to_numpy(dtype=float)
    high = rows[f"{key}_high"].to_numpy(dtype=float)
    scale = 100.0 if unit == "probability" else 1.0
    ax.hlines(y, low * scale, high * scale, color=MUTED, linewidth=1.2)
    ax.plot(value * scale, y, "o", color=SIM, markersize=4)
    names = [
        f"[{v}] {_short(str(t))}"
        for v, t in zip(rows["variant"], rows["variant_label"], strict=True)
    ]
    ax.set_yticks(y, names, fontsize=6)
    ax.set_xlabel(f"{label} ({'%' if scale != 1 else unit})", fontsize=8)
    ax.tick_params(labelsize=7)
    tidy(ax)
    shown = f"best {len(rows)} of {len(data.summary)}" if len(data.summary) > TOP else "all"
    ax.set_title(f"Variants ranked by {label} ({shown} variants)", fontsize=9)
    return ax


def _short(text: str, width: int = 60) -> str:
    """A variant's label for the axis: `a.b.c=1, d.e=2` as `c=1, e=2`, cut to `width`."""
    parts = [p.partition("=") for p in text.split(", ")]
    if all(sep for _, sep, _ in parts):
        text = ", ".join(f"{name.rsplit('.', 1)[-1]}={value}" for name, _, value in parts)
    return text if len(text) <= width else text[: width - 1] + "…"
