"""Build the report folder: one HTML file, optional PNG figures, and the data beside them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drawdown.commands.common import atomic_dir
from drawdown.plan.model import Plan
from drawdown.report import render
from drawdown.report.data import SimulationViews, report_content
from drawdown.report.html import render_html
from drawdown.scenario.model import Scenario

REPORT_NAME = "report.html"
FIGURES_DIR = "figures"

# Writes data files (plan, summary, per-run outcomes) into a folder; returns their names.
DataWriter = Callable[[Path], list[str]]


def build_from_views(
    scenario: Scenario,
    plan: Plan,
    views: SimulationViews,
    out_dir: str | Path,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    png: bool = False,
    write_data: DataWriter | None = None,
) -> Path:
    """Write `report.html` (and PNGs, data files) into `out_dir`, atomically; return its path.

    Everything is written to a staging folder first and moved in place only at the end, so
    an interrupted build never leaves a half-written report where a good one was.
    """
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as staging:
        files = write_data(staging) if write_data else []
        if png:
            (staging / FIGURES_DIR).mkdir()
            files += [f"{FIGURES_DIR}/{k}.png" for k in _figure_keys()]
        content = report_content(
            scenario, plan, views, baseline=baseline, manifest=manifest, files=tuple(files)
        )
        svgs = {}
        for fig in content.figures:
            figure = render.draw(fig.plot, fig.data)  # type: ignore[arg-type]
            svgs[fig.key] = render.to_svg(figure, fig.key)
            if png:
                render.to_png(figure, staging / FIGURES_DIR / f"{fig.key}.png")
        (staging / REPORT_NAME).write_text(render_html(content, svgs), encoding="utf-8")
    return out_dir / REPORT_NAME


def _figure_keys() -> tuple[str, ...]:
    return ("map", "gantt", "fan", "fate", "incidents", "protection")
