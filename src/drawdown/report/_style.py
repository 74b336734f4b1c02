"""Shared look of every figure: size, colours, and an axis when the caller gives none."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from drawdown.report.figure_data import NotAvailable
from drawdown.scenario.kinds import THREAT_KINDS

# Slides: 8 x 4.5 in at 200 dpi is 1600 x 900 px (16:9). The HTML uses the same size as SVG.
FIGSIZE_IN = (8.0, 4.5)
PNG_DPI = 200

INK = "#222222"
MUTED = "#777777"
GRID = "#dddddd"
PLAN = "#1f4e79"
SIM = "#d9822b"
DEADLINE = "#c62828"
CARGO_OUTCOME_COLOURS = {
    "repatriated": "#2e7d32",
    "handed_over": "#1f77b4",
    "abandoned": "#8d4a2f",
    "destroyed": "#e0a526",
    "lost": "#c62828",
    "remaining": "#9e9e9e",
}
# Phases of closing a site (plan): packing, last loads leaving, final steps, guard leaving.
CLOSURE_PHASE_COLOURS = {
    "packing": "#8fb3d9",
    "loading": "#d5dee8",
    "final_steps": "#1f4e79",
    "guard": "#9e9e9e",
}
ACCENT = "#1f4e79"  # HQ and hubs in labels
# Options of a comparison, in the order given (cycled past six).
OPTION_COLOURS = ("#1f4e79", "#d9822b", "#2e7d32", "#8e24aa", "#c62828", "#00838f")
KIND_COLOURS = {k.name: k.colour for k in THREAT_KINDS}


def option_colour(i: int) -> str:
    """The colour of the `i`-th option of a comparison."""
    return OPTION_COLOURS[i % len(OPTION_COLOURS)]


def axis(ax: Axes | None) -> Axes:
    """The caller's axis, or a new one on a figure of the standard size."""
    if ax is not None:
        return ax
    fig = Figure(figsize=FIGSIZE_IN, layout="constrained")
    return fig.add_subplot()


def tidy(ax: Axes) -> None:
    """Light grid, no top/right frame."""
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def as_dates(start: dt.date, days: np.ndarray) -> np.ndarray:
    """Day indices to matplotlib date numbers (day d is start + d days)."""
    return np.asarray(mdates.date2num(start)) + np.asarray(days, dtype=float)


def date_axis(ax: Axes, which: str = "x") -> None:
    """Readable short dates on one axis."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    target = ax.xaxis if which == "x" else ax.yaxis
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))
    target.get_offset_text().set_fontsize(7)


def mark_deadline(ax: Axes, start: dt.date, deadline_day: int) -> None:
    """A dashed red line at the deadline, labelled along it, on a count axis from zero."""
    deadline = as_dates(start, np.array([deadline_day]))[0]
    ax.axvline(deadline, color=DEADLINE, linewidth=1.2, linestyle="--")
    ax.set_ylim(bottom=0)
    ax.text(
        deadline, 0, "deadline ", color=DEADLINE, fontsize=7, rotation=90, ha="right", va="bottom"
    )


def legend_beside(ax: Axes, **kwargs: Any) -> None:
    """The axis' legend outside it on the right, so it never covers bars or lines."""
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, **kwargs)


def stacked_barh(
    ax: Axes, frame: pd.DataFrame, colours: dict[str, str], xlabel: str, *, legend: bool = True
) -> None:
    """One horizontal bar per row of `frame`, stacked by column, first row on top."""
    y = np.arange(len(frame))[::-1]
    left = np.zeros(len(frame))
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        ax.barh(
            y,
            values,
            left=left,
            height=0.65,
            color=colours.get(str(column), MUTED),
            label=str(column).replace("_", " "),
        )
        left += values
    ax.set_yticks(y, [str(i) for i in frame.index], fontsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    tidy(ax)
    ax.grid(False, axis="y")
    if legend:
        legend_beside(ax)


def count_axis(ax: Axes, which: str = "x") -> None:
    """Counts with thousands separators, and a decimal only where the ticks need one."""
    target = ax.xaxis if which == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(
        FuncFormatter(lambda v, _: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}")
    )


def panels(ax: Axes, n: int, *, ncols: int | None = None, sharex: bool = False) -> list[Axes]:
    """`n` small multiples in the place of the caller's axis, the caller's axis first."""
    if n <= 1:
        return [ax]
    spec = ax.get_subplotspec()
    if spec is None:
        raise ValueError("small multiples need an axis made by add_subplot")
    ncols = ncols or n
    grid = spec.subgridspec(math.ceil(n / ncols), ncols)
    ax.set_subplotspec(grid[0, 0])
    figure = ax.get_figure()
    assert figure is not None
    return [ax] + [
        figure.add_subplot(grid[i // ncols, i % ncols], sharex=ax if sharex else None)
        for i in range(1, n)
    ]


def legend_above(ax: Axes, handles: list[Artist], *, ncol: int | None = None) -> None:
    """The figure's legend above its panels, so it never covers what they draw."""
    figure = ax.get_figure()
    assert figure is not None
    figure.legend(
        handles=handles,
        loc="outside upper center",
        ncol=ncol or min(len(handles), 4),
        fontsize=7,
        frameon=False,
    )


def not_available(data: NotAvailable, *, ax: Axes | None = None, title: str = "") -> Axes:
    """A figure whose data the results folder lacks: the reason, in words, on an empty axis."""
    ax = axis(ax)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        "\n".join(textwrap.wrap(data.sentence(), 48)),
        ha="center",
        va="center",
        fontsize=15,
        color=MUTED,
        transform=ax.transAxes,
    )
    ax.set_title(title or "Not available", fontsize=15)
    return ax
