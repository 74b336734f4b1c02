"""Drawing a what-if's figure in the frame its baseline's figure was laid out in.

The report lays every figure out with matplotlib's constrained layout, which measures every
tick label, title and legend and places the axes around them: more than half of a page
figure's drawing time. A what-if's figure has the baseline's texts at its margins (the same
site names, counts of the same number of digits, the same titles), so the layout would put
its axes exactly where it put the baseline's. `draw_framed` therefore lays out only the
first figure of a kind and keeps where its axes went (a `Frame`); a later figure of that kind
whose margin texts match is drawn with its axes put there, without a layout engine, giving
the SVG a fresh layout gives (byte for byte, or within a hundredth of a point). When the
texts differ (another scenario, longer numbers), the figure is laid out afresh and its frame
replaces the old one. A figure that measures itself while it is plotted (the map places its
names on the laid-out axes) cannot be framed: its caller lays it out every time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matplotlib.axis import Axis
from matplotlib.figure import Figure

from drawdown.report import render
from drawdown.report._style import FIGSIZE_IN

#: Tick labels that are numbers: DejaVu's digits share one width, so their length is their
#: width and a label of as many characters needs the same margin.
NUMERIC = re.compile(r"^[\s\d.,\u2212+\-%]*$")


@dataclass(frozen=True)
class Frame:
    """Where the layout put a figure's axes, and the margin texts it made room for."""

    bounds: tuple[tuple[float, float, float, float], ...]  # each axis, figure fraction
    texts: tuple[Any, ...]


def _ticks(axis: Axis) -> object:
    """What of an axis' tick labels the layout makes room for: numbers by their length, and
    the first and last where they sit (one at the axis' end reaches past it); words as they
    are."""
    # the ticks the next draw draws, placed and labelled as it will (matplotlib's own step)
    ticks = [t for t in axis._update_ticks() if t.label1.get_visible()]  # type: ignore[attr-defined]
    labels = [t.label1.get_text() for t in ticks]
    if not labels or not all(NUMERIC.match(s) for s in labels):
        return tuple(labels)
    low, high = sorted(axis.get_view_interval())
    span = (high - low) or 1.0
    # to 1/10,000 of the axis (a hundredth of a point): sums of means differ in their last bits
    ends = [round((float(t.get_loc()) - low) / span, 4) for t in (ticks[0], ticks[-1])]
    return (max(len(s) for s in labels), len(labels[0]), len(labels[-1]), *ends)


def margin_texts(fig: Figure) -> tuple[Any, ...]:
    """What the layout measures: titles, axis and tick labels, legend entries."""
    texts: list[Any] = []
    for ax in fig.axes:
        texts.append(
            (
                ax.get_visible(),
                ax.axison,
                ax.get_title(),
                ax.get_xlabel(),
                ax.get_ylabel(),
                _ticks(ax.xaxis),
                _ticks(ax.yaxis),
                ax.xaxis.get_offset_text().get_text(),
                ax.yaxis.get_offset_text().get_text(),
            )
        )
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    for legend in legends:
        if legend is not None:
            texts.append(tuple(t.get_text() for t in legend.get_texts()))
    return tuple(texts)


def frame_of(fig: Figure) -> Frame:
    """The frame of a figure already laid out (drawn or saved once)."""
    bounds = tuple(tuple(float(x) for x in ax.get_position().bounds) for ax in fig.axes)
    return Frame(bounds, margin_texts(fig))  # type: ignore[arg-type]


def draw_framed(plot: render.PlotFunction, data: Any, frame: Frame | None) -> tuple[Figure, bool]:
    """`plot(data)` on a new figure of the standard size, in `frame` when its margin texts
    match (True), else under the report's own layout (False: lay it out, then `frame_of`)."""
    if frame is not None:
        fig = Figure(figsize=FIGSIZE_IN)
        plot(data, ax=fig.add_subplot())
        if len(fig.axes) == len(frame.bounds) and margin_texts(fig) == frame.texts:
            for ax, bounds in zip(fig.axes, frame.bounds, strict=True):
                ax.set_position(bounds)
            return fig, True
    return render.draw(plot, data), False
