"""A results folder: everything one `drawdown run` made, enough to rebuild its report.

Layout (all written atomically, beside the report):

    run.json        drawdown version, scenario name and hash, seed, runs, stage times
    scenario/       the scenario as run (YAML + CSV), so the folder stands alone
    scenario.geojson  sites and links for GIS
    plan/           the optimised plan (the plan io module's files: CSV/Parquet)
    baseline/       the greedy baseline plan, when one was made
    simulation/     the simulation results (the simulation io module's files)
    report.html     the report; figures/*.png with --png
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario

RUN_FILE = "run.json"
SCENARIO_DIR = "scenario"
PLAN_DIR = "plan"
BASELINE_DIR = "baseline"
SIMULATION_DIR = "simulation"
GEOJSON_FILE = "scenario.geojson"
REQUIRED = (RUN_FILE, SCENARIO_DIR, PLAN_DIR, SIMULATION_DIR)


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
        return json.dumps(self.__dict__, indent=2) + "\n"

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


def check_folder(folder: Path) -> RunInfo:
    """Refuse a folder that is incomplete or was made by another drawdown version."""
    from drawdown import __version__

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
    found = {"run.json": info.scenario_hash, SIMULATION_DIR: result_hash}
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
