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

from drawdown.analyse.compare import plan_option
from drawdown.analyse.sensitivity import declared, design_variants, sample_design
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
    note: str = ""  # how its plan fell short, when it did (`compare.plan_option`)


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
    runs follow from `seed`. Each set is planned as `compare` plans an option
    (`compare.plan_option`): a set whose deadline cannot be met runs its best plan, one with
    no plan found the greedy baseline, and its note says so. `greedy` plans each set with
    the greedy baseline."""
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
    design = sample_design(params, sets, method="lhs", seed=seed)
    per_set = runs // sets
    # each set its own stream of runs: a pooled distribution of independent runs
    seeds = np.random.SeedSequence(seed).generate_state(sets, dtype=np.uint32)
    planner = greedy_plan if greedy else _optimiser(scenario)
    done: list[DeclaredSet] = []
    for k, overrides in enumerate(design_variants(scenario, params, design)):
        variant = apply_overrides(scenario, overrides)
        plan, note = plan_option(planner, variant)  # as `compare` plans each option
        result = simulate(variant, plan, runs=per_set, seed=int(seeds[k]))
        done.append(DeclaredSet(k + 1, tuple(overrides), variant, plan, result, note))
        if progress is not None:
            progress(k + 1, sets)
    return done


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
