"""Turn a figure function and its data into inline SVG (for the HTML) or a PNG (for slides)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from drawdown.report import figure_data
from drawdown.report._style import FIGSIZE_IN, PNG_DPI

PlotFunction = Callable[..., Axes]

PNG_SIZE_PX = (round(FIGSIZE_IN[0] * PNG_DPI), round(FIGSIZE_IN[1] * PNG_DPI))  # (1600, 900)


def draw_all(
    figures: tuple[figure_data.Figure, ...], png_dir: Path | None = None
) -> dict[str, str]:
    """Each figure's inline SVG by key, and its PNG in `png_dir` when one is given."""
    svgs = {}
    for fig in figures:
        drawn = draw(fig.plot, fig.data)  # type: ignore[arg-type]
        svgs[fig.key] = to_svg(drawn, fig.key)
        if png_dir is not None:
            to_png(drawn, png_dir / f"{fig.key}.png")
    return svgs


def draw(plot: PlotFunction, data: Any) -> Figure:
    """A new figure of the standard size with `plot(data)` drawn on it."""
    fig = Figure(figsize=FIGSIZE_IN, layout="constrained")
    plot(data, ax=fig.add_subplot())
    return fig


def to_svg(fig: Figure, prefix: str) -> str:
    """The figure as an inline `<svg>` element: text kept as text, ids unique per figure."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # The RDF metadata element and its namespaces are of no use inline; drop them.
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns:(cc|dc|rdf)="[^"]*"', "", text)
    # Several SVGs share one HTML document: keep each one's ids (clip paths, glyphs) apart.
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', text)
    text = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", text, count=1)
    return text.replace("<svg ", f'<svg role="img" class="figure" data-figure="{prefix}" ', 1)


def to_png(fig: Figure, path: Path) -> Path:
    """Write the figure as a PNG of exactly PNG_SIZE_PX (no tight bbox: slides need one size)."""
    fig.savefig(path, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return path
