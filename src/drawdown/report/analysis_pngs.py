"""PNG figures written beside an analysis's tables (for slides), one set per analysis kind.

The analysis commands save a comparison, a sensitivity study or a check into a results
folder; these functions draw the same figures the report shows, as 1600x900 PNGs.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from drawdown.report import render


def _png(plot: Any, data: Any, path: Path) -> None:
    render.to_png(render.draw(plot, data), path)


def compare_pngs(comparison: Any, folder: Path) -> None:
    """compare_fan.png and compare_gantt.png of a `Comparison`."""
    from drawdown.report.figures.compare_fan import plot_compare_fan
    from drawdown.report.figures.compare_gantt import plot_compare_gantt

    _png(plot_compare_fan, comparison, folder / "compare_fan.png")
    _png(plot_compare_gantt, comparison, folder / "compare_gantt.png")


def sensitivity_pngs(result: Any, folder: Path, outputs: tuple[str, ...]) -> None:
    """tornado_<output>.png of a `SensitivityResult`, one per output."""
    from drawdown.report.figures.tornado import plot_tornado

    for output in outputs:
        _png(partial(plot_tornado, output=output), result, folder / f"tornado_{output}.png")


def check_pngs(result: Any, folder: Path) -> None:
    """check.png of a `CheckResult`."""
    from drawdown.report.figures.check import plot_check

    _png(plot_check, result, folder / "check.png")
