"""The results folder's layout, its manifests (run.json, analysis.json) and its checks.

One place says what a results folder holds and when a folder is refused: incomplete, made
by another drawdown version, or holding parts (plans, simulation, analyses) of different
scenarios. `drawdown.results.reference` turns `FILES` into docs/reference/results-folder.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drawdown._version import __version__
from drawdown.errors import InputError, Problem
from drawdown.jsonout import dumps_strict

if TYPE_CHECKING:
    from drawdown.plan.model import Plan
    from drawdown.scenario.model import Scenario

RUN_FILE = "run.json"
SCENARIO_DIR = "scenario"
GEOJSON_FILE = "scenario.geojson"
PLAN_DIR = "plan"
BASELINE_DIR = "baseline"
SIMULATION_DIR = "simulation"
REPORT_FILE = "report.html"
FIGURES_DIR = "figures"
REQUIRED = (RUN_FILE, SCENARIO_DIR, PLAN_DIR, SIMULATION_DIR)

INFO_FILE = "analysis.json"
COMPARE_DIR = "compare"
SENSITIVITY_DIR = "sensitivity"
CALIBRATION_DIR = "calibration"
CHECK_DIR = "check"
SWEEP_DIR = "sweep"  # written variant by variant (drawdown.sweep.store); analysis.json last
ANALYSIS_KINDS = (COMPARE_DIR, SENSITIVITY_DIR, CALIBRATION_DIR, CHECK_DIR, SWEEP_DIR)


@dataclass(frozen=True)
class RunInfo:
    """What run.json records about a run."""

    version: str
    scenario_name: str
    scenario_hash: str
    seed: int | None
    runs: int
    manifest: dict[str, str] = field(default_factory=dict)  # extra rows: stage times, ...

    def to_json(self) -> str:
        return dumps_strict(self.__dict__, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> RunInfo:
        raw: dict[str, Any] = json.loads(text)
        return cls(
            version=str(raw["version"]),
            scenario_name=str(raw["scenario_name"]),
            scenario_hash=str(raw["scenario_hash"]),
            seed=None if raw.get("seed") is None else int(raw["seed"]),
            runs=int(raw["runs"]),
            manifest={str(k): str(v) for k, v in raw.get("manifest", {}).items()},
        )


@dataclass(frozen=True)
class AnalysisInfo:
    """What analysis.json records: which scenario, which analysis, how it was run."""

    kind: str
    version: str
    scenario_name: str
    scenario_hash: str
    seed: int | None = None
    runs: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, kind: str, scenario_name: str, scenario_hash: str, **rest: Any) -> AnalysisInfo:
        """The record of an analysis made now, by this drawdown version."""
        return cls(kind, __version__, scenario_name, scenario_hash, **rest)

    def to_json(self) -> str:
        return dumps_strict(self.__dict__, indent=2) + "\n"

    @classmethod
    def read(cls, path: Path) -> AnalysisInfo:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                kind=str(raw["kind"]),
                version=str(raw["version"]),
                scenario_name=str(raw["scenario_name"]),
                scenario_hash=str(raw["scenario_hash"]),
                seed=None if raw.get("seed") is None else int(raw["seed"]),
                runs=None if raw.get("runs") is None else int(raw["runs"]),
                details=dict(raw.get("details") or {}),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                Problem(str(path), "", f"unreadable ({exc})", "run the analysis again"),
                title="unreadable analysis folder",
            ) from exc


# --- checks of a run -----------------------------------------------------------------------


def check_folder(folder: Path) -> RunInfo:
    """Refuse a folder that is incomplete or was made by another drawdown version."""
    where = str(folder)
    if not folder.is_dir():
        raise InputError(
            Problem(where, "", "is not a folder", "give the -o folder of a `drawdown run`"),
            title="no results folder",
        )
    missing = [name for name in REQUIRED if not (folder / name).exists()]
    if missing:
        raise InputError(
            Problem(
                where,
                "",
                f"incomplete results folder: missing {', '.join(missing)}",
                "run `drawdown run SCENARIO -o FOLDER` again; an interrupted run leaves "
                "nothing half-written, so this folder never finished",
            ),
            title="incomplete results folder",
        )
    try:
        info = RunInfo.from_json((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            Problem(f"{where}/{RUN_FILE}", "", f"unreadable ({exc})", "run the scenario again"),
            title="unreadable results folder",
        ) from exc
    if info.version != __version__:
        raise InputError(
            Problem(
                f"{where}/{RUN_FILE}",
                "version",
                f"made by drawdown {info.version}, this is drawdown {__version__}",
                "rebuild it with the same version, or run the scenario again with this one",
            ),
            title="results from another version",
        )
    return info


def check_same_scenario(
    folder: Path, info: RunInfo, scenario: Scenario, plans: dict[str, Plan], result_hash: str
) -> None:
    """Refuse a folder whose scenario, plans and simulation do not all belong together."""
    expected = scenario.content_hash()
    found = {RUN_FILE: info.scenario_hash, SIMULATION_DIR: result_hash}
    found.update({name: plan.scenario_hash for name, plan in plans.items()})
    wrong = {k: v for k, v in found.items() if v and v != expected}
    if wrong:
        parts = ", ".join(f"{k} is for {v}" for k, v in wrong.items())
        raise InputError(
            Problem(
                str(folder),
                "scenario hash",
                f"the saved scenario is {scenario.name} ({expected}) but {parts}",
                "these files come from different runs; run the scenario again into a fresh folder",
            ),
            title="results from another scenario",
        )


# --- checks of analyses --------------------------------------------------------------------


def refuse_other_scenario(folder: Path, info: AnalysisInfo, expected: str, name: str) -> None:
    """Refuse an analysis of another scenario than the results folder's.

    A calibration also fits the run of the scenario that uses the threats it wrote.
    """
    if expected not in (info.scenario_hash, info.details.get("calibrated_hash")):
        raise InputError(
            Problem(
                str(folder),
                "scenario hash",
                f"this {info.kind} analysis is of {info.scenario_name} ({info.scenario_hash}) "
                f"but the results folder is of {name} ({expected})",
                f"run the analysis on {name} into this folder, or move {folder.name}/ away",
            ),
            title="analysis of another scenario",
        )


def check_target(results: Path, scenario: Scenario, kind: str) -> bool:
    """Before an analysis runs: is `results` a run's folder, and of this scenario?

    Returns whether it holds a run (whose report is then rebuilt); refuses, before any
    work, a run of another scenario.
    """
    path = results / RUN_FILE
    if not path.exists():
        return False
    try:
        run = RunInfo.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError):
        return True  # `drawdown report` says what is wrong with it
    here = AnalysisInfo.new(kind, scenario.name, scenario.content_hash())
    refuse_other_scenario(results / kind, here, run.scenario_hash, run.scenario_name)
    return True


def check_analyses(results: Path, scenario_hash: str, scenario_name: str) -> list[str]:
    """The analysis folders present in `results`; refuse any from another scenario."""
    found = []
    for kind in ANALYSIS_KINDS:
        path = results / kind / INFO_FILE
        if path.exists():
            refuse_other_scenario(
                path.parent, AnalysisInfo.read(path), scenario_hash, scenario_name
            )
            found.append(kind)
    return found
