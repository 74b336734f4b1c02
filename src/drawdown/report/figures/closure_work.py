"""Gantt of closing each site: packing, last loads, final steps and handover, HQ last."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from drawdown.report._style import (
    ACCENT,
    CLOSURE_PHASE_COLOURS,
    DEADLINE,
    INK,
    MUTED,
    SIM,
    as_dates,
    axis,
    date_axis,
    legend_above,
    tidy,
)
from drawdown.report.figure_data import ClosureWorkData

PHASES = (  # (colour key, from, to, legend)
    ("packing", "pack_start", "packed_by", "packing (plan)"),
    ("loading", "packed_by", "final_steps_start", "last loads leave (plan)"),
    ("final_steps", "final_steps_start", "handover", "final steps: inventory, clearance (plan)"),
    ("guard", "handover", "closure", "handed over, guard leaves (plan)"),
)
ROLE_TAG = {"hq": " (HQ)", "hub": " (hub)"}


def plot_closure_work(data: ClosureWorkData, *, ax: Axes | None = None) -> Axes:
    """One row per site, team sites first and the HQ at the bottom, in closing order."""
    ax = axis(ax)
    rows = data.sites
    n = len(rows)
    y = np.arange(n)
    start = data.start_date
    for key, first, last, _ in PHASES:
        a = np.array([getattr(r, first) for r in rows], dtype=float)
        b = np.array([getattr(r, last) for r in rows], dtype=float)
        ok = np.isfinite(a) & np.isfinite(b) & (b >= a)
        ax.barh(
            y[ok],
            np.maximum(b - a, 0.4)[ok],
            left=as_dates(start, a)[ok],
            height=0.5,
            color=CLOSURE_PHASE_COLOURS[key],
            edgecolor="white",
            linewidth=0.4,
        )
    for attribute, marker, face, size in (
        ("handover_p50", "D", SIM, 22),
        ("handover_p90", "D", "none", 22),
        ("closure_p50", "|", INK, 90),
        ("closure_p90", "|", MUTED, 90),
    ):
        days = np.array([getattr(r, attribute) for r in rows], dtype=float)
        colour = SIM if attribute.startswith("handover") else face
        ax.scatter(
            as_dates(start, days),
            y,
            marker=marker,
            s=size,
            facecolors=face if marker == "D" else colour,
            edgecolors=SIM if marker == "D" else None,
            color=None if marker == "D" else colour,
            linewidths=1.0,
            zorder=4,
        )
    # Team sites above the hubs and the HQ: a thin line where the supporting sites begin.
    first_support = next((i for i, r in enumerate(rows) if r.role in ROLE_TAG), None)
    if first_support:
        ax.axhline(first_support - 0.5, color=MUTED, linewidth=0.6, linestyle=":")
    right = blended_transform_factory(ax.transAxes, ax.transData)
    for row, r in zip(y, rows, strict=True):
        if r.binding:
            ax.text(
                1.01,
                float(row),
                r.binding.replace("_", " "),
                transform=right,
                fontsize=6,
                va="center",
                color=MUTED,
            )
    ax.set_yticks(y, [r.site + ROLE_TAG.get(r.role, "") for r in rows], fontsize=7)
    for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
        if r.role in ROLE_TAG:
            tick.set_color(ACCENT)
            tick.set_fontweight("bold")
    ax.set_ylim(n - 0.4, -0.6)
    deadline = as_dates(start, np.array([data.deadline_day]))[0]
    ax.axvline(deadline, color=DEADLINE, linewidth=1.2, linestyle="--")
    ax.text(deadline, -0.6, " deadline", color=DEADLINE, fontsize=7, va="bottom")
    date_axis(ax)
    tidy(ax)
    ax.grid(False, axis="y")
    ax.tick_params(axis="x", labelsize=7)
    title = "Closing each site: plan, with simulated handover and closure"
    if any(r.binding for r in rows):
        title += " (right: what binds)"
    ax.set_title(title, fontsize=9)
    handles = [
        *(Patch(color=CLOSURE_PHASE_COLOURS[k], label=label) for k, _, _, label in PHASES),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            color=SIM,
            markersize=5,
            label="handover, simulated median",
        ),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markerfacecolor="none",
            markeredgecolor=SIM,
            markersize=5,
            label="handover, simulated P90",
        ),
        Line2D(
            [],
            [],
            marker="|",
            linestyle="",
            color=INK,
            markersize=8,
            label="closure, simulated median",
        ),
        Line2D(
            [],
            [],
            marker="|",
            linestyle="",
            color=MUTED,
            markersize=8,
            label="closure, simulated P90",
        ),
    ]
    legend_above(ax, handles)
    notes = []
    if not data.planned:
        notes.append("the plan's closure-work table")
    if not data.simulated:
        notes.append("simulated packing and handover days")
    if notes:
        ax.text(
            0,
            -0.12,
            f"Not available in this results folder: {' and '.join(notes)}.",
            transform=ax.transAxes,
            fontsize=7,
            color=MUTED,
            va="top",
        )
    return ax
