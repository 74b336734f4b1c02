"""A forecast over the scenario's declared uncertainties: each parameter set planned afresh.

The stress test draws what happens to a plan (clearances, incidents, packing, final steps);
it does not draw the scenario's declared ranges (`uncertainties:`), which `sensitivity`
ranks. A forecast made from estimates is uncertain in those too: Barkhane's fleet at Gao is
not in the sources, and with half the estimated air fleet the forecast of Gao's handover is
five days later. So here each of `sets` parameter sets (a Latin hypercube over the declared ranges,
SALib) is planned afresh and stress-tested, and the runs are pooled into one distribution.

Why planned afresh rather than the one plan run under each set: the engine executes the
convoys and sorties a plan commits to, so a smaller fleet or fewer escorts leave a fixed
plan's execution unchanged (Barkhane's plan under half its aircraft closes Gao on the same
days). The planners of the case knew their own fleet; the forecaster knew only its range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from SALib.sample import latin

from drawdown.analyse.sensitivity import _problem, declared, design_variants
from drawdown.errors import InputError, Problem
from drawdown.plan import InfeasiblePlanError, NoPlanFoundError, greedy_plan, optimise
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import Override, apply_overrides
from drawdown.simulate import SimulationResult, simulate

MIN_SETS = 2


@dataclass(frozen=True)
class DeclaredSet:
    """One parameter set of the design: its overrides, the scenario they make, its plan and
    that plan's stress test."""

    number: int  # its row of the design, from 1
    overrides: tuple[Override, ...]
    scenario: Scenario
    plan: Plan
    result: SimulationResult
    note: str = ""  # how the plan fell short, when it did ("" when it is a complete plan)


def declared_forecast(
    scenario: Scenario,
    *,
    sets: int,
    runs: int,
    seed: int,
    greedy: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[DeclaredSet]:
    """`sets` parameter sets of `scenario`'s declared uncertainties, each planned and
    stress-tested with `runs // sets` runs (at least one each). The design and each set's
    runs follow from `seed`. A set whose deadline cannot be met runs the best plan found
    (noted); a set with no plan at all is left out, and if no set has a plan the error is
    raised. `greedy` plans each set with the greedy baseline."""
    if sets < MIN_SETS:
        raise InputError(
            Problem("--declared", str(sets), f"needs at least {MIN_SETS} parameter sets", "try 20")
        )
    if runs < sets:
        raise InputError(
            Problem(
                "--runs",
                str(runs),
                f"gives {sets} parameter sets fewer than one run each",
                f"give at least {sets} runs, or fewer sets",
            )
        )
    params = declared(scenario)
    design = latin.sample(_problem(params), sets, seed=seed)
    per_set = runs // sets
    # each set its own stream of runs: a pooled distribution of independent runs
    seeds = np.random.SeedSequence(seed).generate_state(sets, dtype=np.uint32)
    planner = greedy_plan if greedy else _optimiser(scenario)
    done: list[DeclaredSet] = []
    last_error: Exception | None = None
    for k, overrides in enumerate(design_variants(scenario, params, design)):
        variant = apply_overrides(scenario, overrides)
        try:
            plan, note = _plan_of(variant, planner)
        except (InfeasiblePlanError, NoPlanFoundError) as exc:  # no plan at all: left out
            last_error = exc
        else:
            result = simulate(variant, plan, runs=per_set, seed=int(seeds[k]))
            done.append(DeclaredSet(k + 1, tuple(overrides), variant, plan, result, note))
        if progress is not None:
            progress(k + 1, sets)
    if not done:
        assert last_error is not None
        raise last_error
    return done


def _plan_of(variant: Scenario, planner: Callable[[Scenario], Plan]) -> tuple[Plan, str]:
    """The set's plan, or the best plan found when its deadline cannot be met (noted)."""
    try:
        return planner(variant), ""
    except InfeasiblePlanError as exc:
        if exc.best_plan is None:
            raise
        stranded = exc.best_plan.figures.get("stranded_people", 0.0)
        return exc.best_plan, f"deadline not met: best plan found, {stranded:,.0f} people stranded"


def _optimiser(scenario: Scenario) -> Callable[[Scenario], Plan]:
    """Each set planned from the scenario's own plan (`optimise(warm_start=...)`, as the
    workbench re-plans): MINUSMA's sets, twenty parameters moved at once, took 13-44 s of
    CPU cold and 6.5-18 s so, at objectives within a few percent either way."""
    try:
        base: Plan | None = optimise(scenario, with_greedy=False)
    except InfeasiblePlanError as exc:
        base = exc.best_plan
    except NoPlanFoundError:
        base = None

    def plan(variant: Scenario) -> Plan:
        return optimise(variant, with_greedy=False, warm_start=base)

    return plan
