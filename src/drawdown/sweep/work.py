"""What a worker does for a sweep: plan a variant, stress-test a variant. Pure functions.

They take the base scenario and a variant's overrides and return a small picklable record,
so the same code runs in this process, on a `LocalCluster` or on a remote Dask cluster, and
a variant's numbers depend only on its inputs and the seed: never on the worker, the order
tasks finish in or how many run at once. A variant that fails returns its reason; it never
stops the sweep.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from drawdown.errors import InputError
from drawdown.scenario.overrides import apply_overrides

if TYPE_CHECKING:
    import pandas as pd

    from drawdown.plan.model import Plan
    from drawdown.scenario.model import Scenario

Status = Literal["done", "failed", "error"]  # error: not the variant's fault, retried on resume
Figures = dict[str, tuple[float, float, float]]  # key figure -> (value, low, high)


@dataclass(frozen=True)
class PlanMade:
    """The plan of one scenario of a sweep (or why there is none)."""

    scenario_hash: str
    plan: Plan | None
    note: str = ""  # the plan is not the optimised one asked for (best found, greedy)
    reason: str = ""  # why no plan at all
    seconds: float = 0.0


@dataclass(frozen=True)
class VariantOutcome:
    """One variant's stress test: its key figures and per-run outcomes, or why it failed."""

    index: int
    status: Status
    reason: str = ""
    plan_note: str = ""
    plan_hash: str = ""
    scenario_hash: str = ""
    figures: Figures = field(default_factory=dict)
    runs: pd.DataFrame | None = None  # one row per run (`SimulationResult.runs_frame`)
    seconds: float = 0.0  # this variant's own work on its worker (not part of the results)
    cpu_seconds: float = 0.0  # the same in CPU time: what it costs whatever the load


def reason_of(exc: BaseException) -> str:
    """A failure's reason in the user's terms (the problems of an `InputError`)."""
    if isinstance(exc, InputError):
        return "; ".join(str(p) for p in exc.errors[:3]) or exc.title
    return f"{type(exc).__name__}: {exc}"


def make_plan(
    scenario: Scenario,
    overrides: tuple[str, ...],
    planner: str,
    seed: int,
    warm_start: PlanMade | None = None,
) -> PlanMade:
    """Plan the scenario with `overrides` applied (`plan_option`: a best plan still counts).

    `warm_start` is the base scenario's plan: a variant is a small change of it, so the
    optimiser re-plans from it (`optimise(warm_start=...)`: about two thirds of the CPU time)."""
    from drawdown.analyse.compare import plan_option
    from drawdown.plan import greedy_plan, optimise

    started = time.perf_counter()
    changed = apply_overrides(scenario, list(overrides))
    key = changed.content_hash()

    def planned(s: Scenario) -> Plan:
        if planner == "greedy":
            return greedy_plan(s)
        previous = warm_start.plan if warm_start else None
        # no gain over greedy (a sweep reports none): 2 s of a variant's plan
        return optimise(s, seed=seed, warm_start=previous, with_greedy=False)

    try:
        plan, note = plan_option(planned, changed)
    except InputError as exc:
        return PlanMade(key, None, reason="cannot be planned: " + reason_of(exc))
    return PlanMade(key, plan, note, seconds=time.perf_counter() - started)


def run_variant(
    index: int,
    scenario: Scenario,
    overrides: tuple[str, ...],
    made: PlanMade,
    runs: int,
    seed: int,
) -> VariantOutcome:
    """Stress-test `made.plan` in the scenario with `overrides`: `runs` runs from `seed`."""
    started = (time.perf_counter(), time.process_time())
    if made.plan is None:
        return VariantOutcome(index, "failed", made.reason, scenario_hash=made.scenario_hash)
    try:
        return _run(index, scenario, overrides, made, runs, seed, started)
    except InputError as exc:
        return VariantOutcome(index, "failed", reason_of(exc), made.note, made.plan.content_hash())


def _run(
    index: int,
    scenario: Scenario,
    overrides: tuple[str, ...],
    made: PlanMade,
    runs: int,
    seed: int,
    started: tuple[float, float],
) -> VariantOutcome:
    from drawdown.analyse.compare import Option, figures_frame
    from drawdown.simulate import simulate

    assert made.plan is not None
    changed = apply_overrides(scenario, list(overrides))
    key = changed.content_hash()
    # the base plan executed under a changed scenario (replan: false), as `compare --same-plan`
    own = made.plan.scenario_hash == key
    result = simulate(changed, made.plan, runs=runs, seed=seed, check_hash=own)
    table = figures_frame([Option(str(index), changed, made.plan, result, made.note)])
    figures = {
        str(r.figure): (float(r.value), float(r.low), float(r.high)) for r in table.itertuples()
    }
    return VariantOutcome(
        index,
        "done",
        plan_note=made.note,
        plan_hash=result.plan_hash,  # hashed by `simulate` already (13 ms for MINUSMA)
        scenario_hash=key,
        figures=figures,
        runs=result.runs_frame(),
        seconds=time.perf_counter() - started[0],
        cpu_seconds=time.process_time() - started[1],
    )


__all__ = ["PlanMade", "VariantOutcome", "make_plan", "reason_of", "run_variant"]
