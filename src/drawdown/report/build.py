"""Build the report folder: one HTML file, optional PNG figures, and the data beside them."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from drawdown.commands.common import atomic_dir
from drawdown.plan.model import Plan
from drawdown.report import render
from drawdown.report.analyses import CALIBRATION_DIR, Analyses, load_analyses, save_calibration
from drawdown.report.content import report_content
from drawdown.report.data import SimulationViews, views_from_result
from drawdown.report.html import render_html
from drawdown.report.results import (
    BASELINE_DIR,
    GEOJSON_FILE,
    PLAN_DIR,
    RUN_FILE,
    SCENARIO_DIR,
    SIMULATION_DIR,
    RunInfo,
    check_folder,
    check_same_scenario,
)
from drawdown.scenario.model import Scenario

REPORT_NAME = "report.html"
FIGURES_DIR = "figures"


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
) -> Path:
    """Write the whole results folder and its report; return the report's path.

    `result` is what `drawdown.simulate.simulate` returned for this scenario and plan.
    Beside `report.html` go run.json, the scenario (YAML + CSV and GeoJSON), the plan and
    baseline (the plan io module's CSV/Parquet) and the simulation's summary and per-run
    outcomes (the simulation io module's files). Everything is staged and moved in place at
    the end, so an interrupted build never leaves a half-written report where a good one was.
    """
    import json

    from drawdown import __version__
    from drawdown.scenario.geojson import scenario_features
    from drawdown.scenario.io import save_scenario

    out_dir = Path(out_dir)
    views = views_from_result(scenario, plan, result)
    info = RunInfo(
        version=__version__,
        scenario_name=scenario.name,
        scenario_hash=scenario.content_hash(),
        seed=views.seed,
        runs=views.runs,
        manifest=dict(manifest or {}),
    )
    with atomic_dir(out_dir) as staging:
        save_scenario(scenario, staging / SCENARIO_DIR)
        (staging / GEOJSON_FILE).write_text(json.dumps(scenario_features(scenario)) + "\n")
        _save_plan(plan, staging / PLAN_DIR, scenario)
        if baseline is not None:
            _save_plan(baseline, staging / BASELINE_DIR, scenario)
        _save_result(result, staging / SIMULATION_DIR)
        (staging / RUN_FILE).write_text(info.to_json(), encoding="utf-8")
        if not (out_dir / CALIBRATION_DIR).exists():
            save_builtin_calibration(scenario, staging / CALIBRATION_DIR)
        analyses = _analyses(staging, out_dir, scenario)
        write_report(
            staging,
            scenario,
            plan,
            views,
            baseline=baseline,
            manifest=info.manifest,
            png=png,
            analyses=analyses,
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


def save_builtin_calibration(scenario: Scenario, folder: Path) -> bool:
    """Save the calibration behind the scenario's threats when they cite the shipped sample.

    The built-in scenario's IED rates come from the incident sample shipped with drawdown;
    redoing that calibration takes a tenth of a second, so every report of such a scenario
    shows the rates, the events and the file its threats rest on. Other scenarios get a
    calibration section only from `drawdown calibrate ... --report-dir`.
    """
    from drawdown.analyse.calibrate import SAMPLE, calibrate_builtin

    if not any(SAMPLE.name in t.source for t in scenario.threats):
        return False
    result = calibrate_builtin(scenario)
    note = (
        "The scenario's threat table cites this calibration: its IED rates are these "
        "posterior means (its other threats keep their own sources)."
    )
    save_calibration(result, folder, scenario, notes={"use": note})
    return True


def rebuild_report(folder: str | Path, *, png: bool = False) -> Path:
    """Rebuild the report of a results folder from its saved scenario, plans and results.

    Refuses (InputError) a folder that is incomplete, from another drawdown version, or
    whose parts belong to different scenarios, analyses included (compare/, sensitivity/,
    calibration/, check/: each shown in its own section).
    """
    from drawdown.scenario.io import load_scenario

    folder = Path(folder)
    info = check_folder(folder)
    scenario = load_scenario(folder / SCENARIO_DIR, strict=False)
    plan = _load_plan(folder / PLAN_DIR)
    plans = {PLAN_DIR: plan}
    baseline = None
    if (folder / BASELINE_DIR).exists():
        baseline = _load_plan(folder / BASELINE_DIR)
        plans[BASELINE_DIR] = baseline
    result = _load_result(folder / SIMULATION_DIR)
    check_same_scenario(folder, info, scenario, plans, _result_hash(result))
    analyses = load_analyses(folder, scenario.content_hash(), scenario.name)  # refuses others
    views = views_from_result(scenario, plan, result)
    with atomic_dir(folder) as staging:
        if analyses.calibration is None and save_builtin_calibration(
            scenario, staging / CALIBRATION_DIR
        ):
            analyses = _analyses(staging, folder, scenario)
        write_report(
            staging,
            scenario,
            plan,
            views,
            baseline=baseline,
            manifest=info.manifest,
            png=png,
            analyses=analyses,
            listed=folder,
        )
    return folder / REPORT_NAME


# The plan and simulation io modules are the other stages' own: reuse their writers.
def _save_plan(plan: Plan, folder: Path, scenario: Scenario) -> None:
    from drawdown.plan import save_plan

    save_plan(plan, folder, scenario=scenario)  # with routes.geojson for GIS


def _load_plan(folder: Path) -> Plan:
    from drawdown.plan import load_plan

    return load_plan(folder)


def _save_result(result: Any, folder: Path) -> None:
    from drawdown.simulate.io import save

    save(result, folder)


def _load_result(folder: Path) -> Any:
    from drawdown.simulate.io import load

    return load(folder)


def _result_hash(result: Any) -> str:
    meta = getattr(result, "meta", None)
    return str(getattr(meta, "scenario_hash", "") or "")
