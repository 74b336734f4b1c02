"""Build the report folder: one HTML file, optional PNG figures, and the data beside them.

The report only renders what it is given: the run's artefacts and analyses are saved and
read by `drawdown.results`; nothing here computes an analysis.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drawdown.atomic import atomic_dir
from drawdown.plan.model import Plan
from drawdown.report import render
from drawdown.report.content import report_content
from drawdown.report.data import SimulationViews, views_from_result
from drawdown.report.html import render_html
from drawdown.results import (
    FIGURES_DIR,
    REPORT_FILE,
    RUN_FILE,
    Analyses,
    check_analyses,
    load_analyses,
    load_run,
    write_analysis,
    write_run,
)
from drawdown.scenario.model import Scenario

if TYPE_CHECKING:
    from collections.abc import Callable

    from drawdown.analyse.calibrate import CalibrationResult

REPORT_NAME = REPORT_FILE


def write_report(
    folder: Path,
    scenario: Scenario,
    plan: Plan,
    views: SimulationViews,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    png: bool = False,
    analyses: Analyses | None = None,
    listed: Path | None = None,
) -> Path:
    """Write `report.html` (and `figures/*.png`) into an existing folder; return its path.

    `analyses` are the saved analyses to show in their own sections; `listed` is the
    folder whose files the manifest lists (default: `folder`).
    """
    started = time.perf_counter()
    names = {p.name: p for p in (listed or folder).iterdir()} | {
        p.name: p for p in folder.iterdir()
    }
    files = sorted(
        name + ("/" if p.is_dir() else "") for name, p in names.items() if not name.startswith(".")
    )
    content = report_content(
        scenario, plan, views, baseline=baseline, manifest=manifest, analyses=analyses
    )
    if png:
        (folder / FIGURES_DIR).mkdir(exist_ok=True)
        files += [f"{FIGURES_DIR}/{fig.key}.png" for fig in content.drawn()]
    content = replace(content, files=tuple(files))
    svgs = render.draw_all(content.drawn(), folder / FIGURES_DIR if png else None)
    content.manifest["report time"] = f"{time.perf_counter() - started:.1f} s"
    path = folder / REPORT_NAME
    path.write_text(render_html(content, svgs), encoding="utf-8")
    return path


def build_from_views(
    scenario: Scenario,
    plan: Plan,
    views: SimulationViews,
    out_dir: str | Path,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    png: bool = False,
) -> Path:
    """Write only the report for ready-made views into `out_dir`, atomically."""
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as staging:
        write_report(staging, scenario, plan, views, baseline=baseline, manifest=manifest, png=png)
    return out_dir / REPORT_NAME


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
    """Write the whole results folder and its report; return the report's path.

    `result` is what `drawdown.simulate.simulate` returned for this scenario and plan. The
    run's artefacts go in through `drawdown.results.write_run` (with `calibration`, the one
    the scenario's threats rest on, when the caller made it); analyses already in `out_dir`
    are kept and shown. Everything is staged and moved in place at the end, so an
    interrupted build never leaves a half-written report where a good one was.
    """
    out_dir = Path(out_dir)
    if out_dir.is_dir():  # analyses there must be of this scenario: refuse before any work
        check_analyses(out_dir, scenario.content_hash(), scenario.name)
    views = views_from_result(scenario, plan, result)
    with atomic_dir(out_dir) as staging:
        info = write_run(
            staging,
            scenario,
            plan,
            result,
            baseline=baseline,
            manifest=manifest,
            calibration=calibration,
        )
        write_report(
            staging,
            scenario,
            plan,
            views,
            baseline=baseline,
            manifest=info.manifest,
            png=png,
            analyses=_analyses(staging, out_dir, scenario),
            listed=out_dir if out_dir.is_dir() else None,
        )
    return out_dir / REPORT_NAME


def _analyses(staging: Path, out_dir: Path, scenario: Scenario) -> Analyses:
    """The analyses a new report shows: those already in `out_dir` and any just staged."""
    found = (
        load_analyses(out_dir, scenario.content_hash(), scenario.name) if out_dir.is_dir() else None
    )
    fresh = load_analyses(staging, scenario.content_hash(), scenario.name)
    if found is None:
        return fresh
    return Analyses(
        **{
            k: getattr(fresh, k) if getattr(fresh, k) is not None else getattr(found, k)
            for k in Analyses.__dataclass_fields__
        }
    )


def rebuild_report(folder: str | Path, *, png: bool = False) -> Path:
    """Rebuild the report of a results folder from its saved scenario, plans and results.

    Refuses (InputError) a folder that is incomplete, from another drawdown version, or
    whose parts belong to different scenarios, analyses included (compare/, sensitivity/,
    calibration/, check/: each shown in its own section).
    """
    folder = Path(folder)
    run = load_run(folder, per_run=False)  # memory flat in the run count
    scenario = run.scenario
    analyses = load_analyses(folder, scenario.content_hash(), scenario.name)  # refuses others
    views = views_from_result(scenario, run.plan, run.result)
    with atomic_dir(folder) as staging:
        write_report(
            staging,
            scenario,
            run.plan,
            views,
            baseline=run.baseline,
            manifest=run.info.manifest,
            png=png,
            analyses=analyses,
            listed=folder,
        )
    return folder / REPORT_NAME


def add_analysis(results: str | Path, kind: str, write: Callable[[Path], object]) -> Path | None:
    """Write RESULTS/KIND/ (`write(folder)` saves the tables and figures) and, when RESULTS
    holds a run, rebuild its report with the new section; return the report's path, if any.

    Call `drawdown.results.check_target` first, so an analysis of another scenario is
    refused before its work is done.
    """
    results = Path(results)
    write_analysis(results, kind, write)
    if not (results / RUN_FILE).exists():
        return None
    return rebuild_report(results)
