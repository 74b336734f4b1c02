"""Fixtures of the report tests: a hand-made plan and simulation views for the tiny scenario.

The report only formats what the planner and the simulation computed, so these stand-ins
let every figure and section be tested on known numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the withdrawal stand-ins beside these tests
from withdrawal_fakes import with_lift, withdrawal_plan, withdrawal_result  # noqa: E402

from drawdown.plan.model import Disposition, Movement, Plan
from drawdown.plan.record import SolverRecord
from drawdown.report.build import build_from_views
from drawdown.report.data import FAN_LEVELS, SimulationViews
from drawdown.report.figure_data import CARGO_OUTCOMES
from drawdown.scenario.model import Scenario


@pytest.fixture(scope="session")
def tiny_plan(tiny: Scenario) -> Plan:
    """A feasible-looking plan for the tiny scenario: north, then east, then the hub."""
    moves = (
        Movement(1, 2, "north", "hub", "north-hub", "road", "troop-trucks", 2, 190, 0, 0),
        Movement(1, 2, "north", "hub", "north-hub", "road", "cargo-trucks", 1, 0, 40, 20),
        Movement(3, 3, "east", "port", "east-port-air", "air", "c130", 2, 140, 0, 0),
        Movement(4, 5, "east", "hub", "east-hub", "road", "cargo-trucks", 1, 10, 30, 15),
        Movement(8, 10, "hub", "port", "hub-port", "road", "cargo-trucks", 3, 0, 130, 65),
        Movement(12, 12, "hub", "port", "hub-port-air", "air", "c130", 4, 360, 0, 0),
        Movement(14, 14, "hub", "port", "hub-port-air", "air", "c130", 3, 200, 0, 0),
    )
    return Plan(
        scenario_name=tiny.name,
        scenario_hash=tiny.content_hash(),
        horizon_days=tiny.horizon_days,
        closure_day={"north": 1, "east": 4, "hub": 14},
        movements=moves,
        dispositions=(
            Disposition("north", "weapons", True, "destroy", 10, 0, 2_000_000),
            Disposition("north", "general", False, "repatriate", 40, 20, 4_000_000),
        ),
        objective={
            "casualties": 2.0e6,
            "cargo_lost": 2.0e6,
            "protection": 3.1e5,
            "running_cost": 1.5e6,
            "total": 5.81e6,
        },
        solver=SolverRecord(
            status="optimal",
            model_gap=0.0,
            notes=("escort capacity on corridor north (1 convoy/day) in days 1-4",),
        ),
    )


@pytest.fixture(scope="session")
def tiny_baseline(tiny_plan: Plan) -> Plan:
    """A greedy baseline that is worse on every term."""
    return Plan(
        **{
            **tiny_plan.__dict__,
            "method": "greedy",
            "objective": {k: v * 1.3 for k, v in tiny_plan.objective.items()},
        }
    )


# What the stress test recorded before it told abandoned cargo apart: `tiny_views` stand for
# such an older results folder (no withdrawal outcomes either).
OLDER_OUTCOMES = tuple(f for f in CARGO_OUTCOMES if f != "abandoned")


@pytest.fixture(scope="session")
def tiny_views() -> SimulationViews:
    """Simulation views of 200 made-up runs of the tiny plan, as an older folder holds them."""
    rng = np.random.default_rng(7)
    runs = 200
    days = np.arange(30)
    people = 700 * np.clip(1 - days / 15, 0, None)
    fan = pd.DataFrame({lvl: people * (0.7 + 0.6 * lvl) for lvl in FAN_LEVELS}, index=days)
    covered = np.where(days >= 1, 5000, 0) + np.where(days >= 4, 3000, 0)
    covered = covered + np.where(days >= 14, 20000, 0)
    teu = rng.uniform(0, 1, (runs, 5)) * np.array([130, 5, 10, 2, 1])
    outcomes = pd.DataFrame(
        {
            "all_out": rng.uniform(size=runs) < 0.9,
            "completion_day": rng.normal(16, 2, runs),
            "killed": rng.poisson(0.3, runs).astype(float),
            "wounded": rng.poisson(1.0, runs).astype(float),
            "cost_usd": rng.normal(3.2e6, 2e5, runs),
            "protection_gap_person_days": rng.normal(4.2e5, 3e4, runs),
            **{f"teu_{f}": teu[:, i] for i, f in enumerate(OLDER_OUTCOMES)},
        }
    )
    return SimulationViews(
        runs=runs,
        seed=7,
        closure=pd.DataFrame(
            {"p10": [1, 4, 13], "p50": [2, 5, 15], "p90": [4, 8, 19]},
            index=["north", "east", "hub"],
        ),
        people=fan,
        cargo_outcome_teu=pd.DataFrame(
            {
                "repatriated": [45, 28, 57],
                "handed_over": [0, 1, 2],
                "destroyed": [10, 1, 0],
                "lost": [0.5, 0, 0.2],
            },
            index=["north", "east", "hub"],
        ),
        incidents=pd.DataFrame(
            {"ied": [0.4, 0.1, 0.0], "ground_fire": [0.0, 0.0, 0.2]},
            index=["north-hub", "hub-port", "east"],
        ),
        uncovered=pd.DataFrame(
            {"p10": covered * 0.9, "centre": covered, "p90": covered * 1.05}, index=days
        ),
        outcomes=outcomes,
        duration_s=0.4,
    )


@pytest.fixture(scope="session")
def tiny_report(
    tmp_path_factory: pytest.TempPathFactory,
    tiny: Scenario,
    tiny_plan: Plan,
    tiny_views: SimulationViews,
    tiny_baseline: Plan,
) -> Path:
    """The tiny report built once, with PNGs."""
    out = tmp_path_factory.mktemp("tiny-report")
    return build_from_views(tiny, tiny_plan, tiny_views, out, baseline=tiny_baseline, png=True)


@dataclass
class Done:
    """Exit status and output of one command, with rich's line wrapping undone."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def drawdown_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Done]:
    """Run `drawdown ARGS...` in-process, as a user would type it."""
    from drawdown.cli import main

    def run(*args: str) -> Done:
        monkeypatch.setattr(sys, "argv", ["drawdown", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        out, err = capsys.readouterr()
        return Done(code, " ".join(out.split()), " ".join(err.split()))

    return run


def run_cli(*args: str) -> int:
    """Run `drawdown ARGS...` in-process outside a test (for fixtures); the exit status."""
    from drawdown.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["drawdown", *args])
        try:
            main()
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 0
    return 0


ACTUALS = (
    "kind,site,date,value,source\n"
    "closure,north,2023-07-05,,synthetic\n"
    "closure,east,2023-07-10,,synthetic\n"
    "closure,hub,2023-07-16,,synthetic\n"
    "killed,,2023-07-30,1,synthetic\n"
)
EVENTS = (
    "event_date,event_type,sub_event_type,latitude,longitude,inter1,notes\n"
    "2023-03-01,Explosions/Remote violence,Remote explosive/landmine/IED,15.5,0.0,3,IED\n"
    "2023-04-01,Explosions/Remote violence,Remote explosive/landmine/IED,14.5,-0.5,3,IED\n"
    "2023-05-01,Explosions/Remote violence,Remote explosive/landmine/IED,40.0,0.0,3,IED\n"
)
TINY_DIR = Path(__file__).parents[1] / "data" / "tiny"


@dataclass
class Analysed:
    """A real run folder of the tiny scenario after each analysis command wrote into it."""

    folder: Path
    steps: dict[str, str]  # analysis -> report HTML right after its command
    codes: dict[str, int]


@pytest.fixture(scope="session")
def analysed(tmp_path_factory: pytest.TempPathFactory, tiny: Scenario) -> Analysed:
    """A greedy run of tiny (200 runs), then compare, sensitivity, calibrate, check and a
    sweep (with a variant that cannot be planned) into it."""
    from drawdown.plan import greedy_plan
    from drawdown.report import build_report
    from drawdown.simulate import simulate

    root = tmp_path_factory.mktemp("analysed")
    folder = root / "results"
    plan = greedy_plan(tiny)
    build_report(tiny, plan, simulate(tiny, plan, runs=200, seed=1), folder, baseline=plan)
    (root / "actuals.csv").write_text(ACTUALS)
    (root / "events.csv").write_text(EVENTS)
    tiny_dir, out = str(TINY_DIR), str(folder)
    (root / "sweep.yaml").write_text(
        f"scenario: {tiny_dir}\nruns: 50\nseed: 1\nplanner: greedy\n"
        "grid:\n  clearance.road.approval: [0.5, 0.9]\n"
        "options:\n  nothing-moves: [trucks.*.count=0, aircraft.*.count=0]\nreplan: true\n"
    )
    commands = {
        "compare": (
            "compare",
            tiny_dir,
            "--set",
            "threat.ied.rate=*3",
            "--runs",
            "200",
            "--seed",
            "1",
            "--greedy",
            "-o",
            out,
        ),
        "sensitivity": (
            "sensitivity",
            tiny_dir,
            "--samples",
            "8",
            "--runs-per-set",
            "2",
            "--greedy",
            "--seed",
            "1",
            "-o",
            out,
        ),
        "calibration": (
            "calibrate",
            str(root / "events.csv"),
            "--scenario",
            tiny_dir,
            "-o",
            str(root / "threats.csv"),
            "--start",
            "2023-01-01",
            "--end",
            "2023-06-30",
            "--report-dir",
            out,
        ),
        "check": (
            "check",
            tiny_dir,
            "--actuals",
            str(root / "actuals.csv"),
            "--runs",
            "200",
            "--plan",
            out,
            "--seed",
            "1",
            "-o",
            out,
        ),
        "sweep": ("sweep", str(root / "sweep.yaml"), "-o", out, "--workers", "0"),
    }
    steps, codes = {}, {}
    for kind, args in commands.items():
        codes[kind] = run_cli(*args)
        steps[kind] = (folder / "report.html").read_text(encoding="utf-8")
    return Analysed(folder, steps, codes)


@dataclass(frozen=True)
class WithdrawalRun:
    """The tiny scenario with lift and an HQ, a plan and a result carrying issue 12's fields."""

    scenario: Scenario
    plan: Plan
    result: object


@pytest.fixture(scope="session")
def withdrawal_run(tiny: Scenario) -> WithdrawalRun:
    """A greedy plan of tiny (with a charter, a corridor and the hub as HQ), 200 real runs,
    and the withdrawal tables and outcomes of the data contract on top of them."""
    from drawdown.plan import greedy_plan
    from drawdown.simulate import simulate

    scenario = with_lift(tiny, hq="hub")
    plain = greedy_plan(scenario)
    plan = withdrawal_plan(scenario, plain)
    result = withdrawal_result(scenario, plan, simulate(scenario, plain, runs=200, seed=1))
    return WithdrawalRun(scenario, plan, result)


@pytest.fixture(scope="session")
def withdrawal_folder(
    tmp_path_factory: pytest.TempPathFactory, withdrawal_run: WithdrawalRun
) -> Path:
    """A results folder written by `build_report` from the withdrawal run, with PNGs."""
    from drawdown.report import build_report

    folder = tmp_path_factory.mktemp("withdrawal") / "results"
    build_report(
        withdrawal_run.scenario, withdrawal_run.plan, withdrawal_run.result, folder, png=True
    )
    return folder
