"""A run's artefacts in a results folder: scenario, plans, simulation and run.json.

`write_run` puts them into a folder the caller stages (the report is written beside them in
the same staging folder, so a results folder and its report change together); `load_run`
reads them back and refuses an incomplete, foreign-version or mixed-scenario folder. The
plan and simulation keep their own format-specific writers (`drawdown.plan.io`,
`drawdown.simulate.io`); this module decides where they go.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drawdown._version import __version__
from drawdown.jsonout import dumps_strict
from drawdown.results.layout import (
    BASELINE_DIR,
    CALIBRATION_DIR,
    GEOJSON_FILE,
    PLAN_DIR,
    RUN_FILE,
    SCENARIO_DIR,
    SIMULATION_DIR,
    RunInfo,
    check_folder,
    check_same_scenario,
)

if TYPE_CHECKING:
    from drawdown.analyse.calibrate import CalibrationResult
    from drawdown.plan.model import Plan
    from drawdown.scenario.model import Scenario
    from drawdown.simulate.result import SimulationResult

# What analysis.json says of the calibration a run saves beside its scenario.
THREATS_NOTE = (
    "The scenario's threat table cites this calibration: its IED rates are these "
    "posterior means (its other threats keep their own sources)."
)


@dataclass(frozen=True)
class SavedRun:
    """Everything a results folder holds about its run (analyses apart)."""

    info: RunInfo
    scenario: Scenario
    plan: Plan
    baseline: Plan | None
    result: SimulationResult


def run_info(scenario: Scenario, result: SimulationResult, manifest: dict[str, str]) -> RunInfo:
    """The run.json record of a simulation of `scenario`."""
    return RunInfo(
        version=__version__,
        scenario_name=scenario.name,
        scenario_hash=scenario.content_hash(),
        seed=result.meta.seed,
        runs=result.meta.runs,
        manifest=dict(manifest),
    )


def write_run(
    folder: Path,
    scenario: Scenario,
    plan: Plan,
    result: SimulationResult,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    calibration: CalibrationResult | None = None,
) -> RunInfo:
    """Write a run's artefacts into `folder` (the caller stages it); return run.json's record.

    `calibration` is the calibration the scenario's threats rest on, when the caller has one
    (`drawdown.analyse.calibrate.builtin_calibration`): it is saved as `calibration/`.
    """
    from drawdown.plan.io import save_plan
    from drawdown.results.analyses import save_calibration
    from drawdown.scenario.geojson import scenario_features
    from drawdown.scenario.io import save_scenario
    from drawdown.simulate.io import save

    info = run_info(scenario, result, manifest or {})
    save_scenario(scenario, folder / SCENARIO_DIR)
    (folder / GEOJSON_FILE).write_text(dumps_strict(scenario_features(scenario)) + "\n")
    save_plan(plan, folder / PLAN_DIR, scenario=scenario)  # with routes.geojson for GIS
    if baseline is not None:
        save_plan(baseline, folder / BASELINE_DIR, scenario=scenario)
    save(result, folder / SIMULATION_DIR)
    if calibration is not None:
        notes = {"use": THREATS_NOTE}
        save_calibration(calibration, folder / CALIBRATION_DIR, scenario, notes=notes)
    (folder / RUN_FILE).write_text(info.to_json(), encoding="utf-8")
    return info


def load_run(folder: str | Path, *, per_run: bool = True) -> SavedRun:
    """Read a results folder's run; refuse it when incomplete, of another drawdown version,
    or when its scenario, plans and simulation belong to different scenarios.

    With `per_run=False` the simulation's per-run tables are not read into memory (its
    summaries are): what rebuilding a report of any number of runs needs."""
    from drawdown.plan.io import load_plan
    from drawdown.scenario.io import load_scenario
    from drawdown.simulate.io import load

    folder = Path(folder)
    info = check_folder(folder)
    scenario = load_scenario(folder / SCENARIO_DIR, strict=False)
    plan = load_plan(folder / PLAN_DIR)
    plans = {PLAN_DIR: plan}
    baseline = None
    if (folder / BASELINE_DIR).exists():
        baseline = load_plan(folder / BASELINE_DIR)
        plans[BASELINE_DIR] = baseline
    result = load(folder / SIMULATION_DIR, per_run=per_run)
    check_same_scenario(folder, info, scenario, plans, _scenario_hash(result))
    return SavedRun(info, scenario, plan, baseline, result)


def load_saved_plan(folder: str | Path) -> Plan:
    """The plan in a plan folder, or the optimised plan of a results folder (its `plan/`)."""
    from drawdown.plan.io import load_plan

    inner = Path(folder) / PLAN_DIR
    return load_plan(inner if inner.is_dir() else folder)


def _scenario_hash(result: Any) -> str:
    meta = getattr(result, "meta", None)
    return str(getattr(meta, "scenario_hash", "") or "")
