"""The report: one self-contained offline HTML file with map, Gantt and fan charts.

`build_report` writes a results folder (report, data, figures); `report` is the same front
door under the stage's name; `rebuild_report` remakes a report from a saved folder. Figures
live one per module in `drawdown.report.figures`, each `plot_x(data, *, ax=None)`, and are
named in one registry (`drawdown.report.registry`). Matplotlib is imported only when a
report is built, so `import drawdown` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from drawdown.analyse.calibrate import CalibrationResult
    from drawdown.plan.model import Plan
    from drawdown.scenario.model import Scenario

# Slides: figures are 8 x 4.5 in at 200 dpi (see drawdown.report._style).
PNG_SIZE_PX = (1600, 900)


def build_report(
    scenario: Scenario,
    plan: Plan,
    result: Any,
    out_dir: str | Path,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    png: bool = False,
    calibration: CalibrationResult | None = None,
) -> Path:
    """Write the results folder of one run and its `report.html`; return the report's path.

    Parameters
    ----------
    result
        What `drawdown.simulate.simulate(scenario, plan, ...)` returned.
    baseline
        The greedy plan, to show the optimiser's gain over it.
    manifest
        Extra rows for the run manifest (e.g. stage times).
    png
        Also write each figure as a 1600x900 PNG in `figures/` for slides.
    calibration
        The calibration the scenario's threats rest on, saved as `calibration/` and shown
        (`drawdown.analyse.calibrate.builtin_calibration`); the report never makes one.
    """
    from drawdown.report.build import build_report as build

    return build(
        scenario,
        plan,
        result,
        out_dir,
        baseline=baseline,
        manifest=manifest,
        png=png,
        calibration=calibration,
    )


def rebuild_report(folder: str | Path, *, png: bool = False) -> Path:
    """Rebuild the report of a saved results folder (refuses incomplete or foreign ones)."""
    from drawdown.report.build import rebuild_report as rebuild

    return rebuild(folder, png=png)


def add_analysis(results: str | Path, kind: str, write: Callable[[Path], object]) -> Path | None:
    """Write RESULTS/KIND/ with `write(folder)`; rebuild the report if RESULTS holds a run."""
    from drawdown.report.build import add_analysis as add

    return add(results, kind, write)


report = build_report

__all__ = ["PNG_SIZE_PX", "add_analysis", "build_report", "rebuild_report", "report"]
