"""The whole loop for one scenario: validate, plan (and a greedy baseline), simulate, report.

`run_scenario` is what `drawdown run` calls. It holds the run's policy in one place: when the
deadline cannot be met, the planner's best plan is stress-tested (so the report shows the
consequences); when the optimiser finds no plan in its time, the greedy baseline is. Either
way the run goes on and says so in the manifest and in `RunOutcome.note`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from drawdown.defaults import DEFAULT_SEED

if TYPE_CHECKING:
    from drawdown.errors import Problem
    from drawdown.plan.model import Plan
    from drawdown.scenario.model import Scenario
    from drawdown.simulate.result import SimulationResult

T = TypeVar("T")
# (stage key, its work) -> its value; the CLI passes one that draws a progress line
StageRunner = Callable[[str, Callable[[], Any]], Any]
STAGES = ("validate", "baseline", "optimise", "simulate", "report")

DEFAULT_RUNS = 5000  # sized so minusma-2023 runs end to end in well under a minute on 2 cores

DEFAULT_TIME_LIMIT_S = 120.0  # a safety net: the planner ends on gaps and counts


@dataclass(frozen=True)
class RunOutcome:
    """What one run made: its inputs, plans and results, the report, and what it noted."""

    scenario: Scenario
    plan: Plan
    baseline: Plan
    result: SimulationResult
    report: Path
    times_s: dict[str, float]
    note: str = ""  # set when the reported plan is not the optimiser's proven one
    warnings: list[Problem] = field(default_factory=list)


def _plain(key: str, work: Callable[[], T]) -> T:
    return work()


def run_scenario(
    scenario: str | Path,
    out_dir: str | Path | None = None,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    png: bool = False,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    stage: StageRunner = _plain,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[list[Problem]], None] | None = None,
) -> RunOutcome:
    """Plan and stress-test a scenario, then write its results folder and report.

    Parameters
    ----------
    out_dir
        The results folder (default: results/<scenario name>). Analyses already there must
        be of this scenario: one of another is refused before any work.
    stage
        Runs each stage's work (keys in `STAGES`); lets a caller show and time them.
    progress
        Called with (runs done, runs) while simulating.
    warn
        Called with warnings as they arise (the scenario's, and why the deadline cannot be
        met); they are also in `RunOutcome.warnings`.
    """
    from drawdown.analyse.calibrate import builtin_calibration
    from drawdown.atomic import scratch_dir
    from drawdown.plan import greedy_plan
    from drawdown.report import build_report
    from drawdown.results import SIMULATION_DIR, check_analyses
    from drawdown.scenario.io import validate_scenario
    from drawdown.simulate import simulate

    times: dict[str, float] = {}
    warnings: list[Problem] = []

    def timed(key: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        value: T = stage(key, work)
        times[key] = time.perf_counter() - started
        return value

    def noted(problems: list[Problem]) -> None:
        warnings.extend(problems)
        if warn is not None and problems:
            warn(problems)

    s, problems = timed("validate", lambda: validate_scenario(scenario))
    noted([p for p in problems if p.severity == "warning"])
    out = Path(out_dir) if out_dir is not None else Path("results") / s.name
    if out.is_dir():  # refuse early: analyses saved there must be of this scenario
        check_analyses(out, s.content_hash(), s.name)
    baseline = timed("baseline", lambda: greedy_plan(s))
    plan, note = timed("optimise", lambda: _plan(s, baseline, time_limit_s, seed, noted))
    # The runs stream to Parquet beside the results folder (memory flat in `runs`), and
    # the folder takes them in with the report in one swap.
    with scratch_dir(out) as scratch:
        result = timed(
            "simulate",
            lambda: simulate(s, plan, runs=runs, seed=seed, progress=progress, out=scratch),
        )
        manifest = {f"{k} time": f"{v:.1f} s" for k, v in times.items()}
        if note:
            manifest["plan note"] = note
        report = timed(
            "report",
            lambda: build_report(
                s,
                plan,
                result,
                out,
                baseline=baseline,
                manifest=manifest,
                png=png,
                calibration=builtin_calibration(s),
            ),
        )
    result = replace(result, source=out / SIMULATION_DIR)
    return RunOutcome(s, plan, baseline, result, report, times, note, warnings)


def _plan(
    scenario: Scenario,
    baseline: Plan,
    time_limit_s: float,
    seed: int,
    warn: Callable[[list[Problem]], None],
) -> tuple[Plan, str]:
    """The optimised plan, or the plan the run falls back on, with a note saying why."""
    from drawdown.errors import Problem
    from drawdown.plan import InfeasiblePlanError, NoPlanFoundError, optimise

    try:
        plan = optimise(scenario, time_limit_s=time_limit_s, with_greedy=False, seed=seed)
        return plan, ""
    except InfeasiblePlanError as exc:
        if exc.best_plan is None:
            raise
        warn([replace(p, severity="warning") for p in exc.problems])
        return exc.best_plan, f"deadline cannot be met: {exc.title}; best plan reported"
    except NoPlanFoundError:
        note = (
            f"the optimiser found no plan within {time_limit_s:g} s; the greedy baseline is "
            "reported instead (allow more time: `time_limit_s`)"
        )
        warn([Problem("time_limit_s", "", note, severity="warning")])
        return baseline, note
