"""A forecast over the scenario's declared uncertainties: each parameter set planned afresh.

The stress test draws what happens to a plan (clearances, incidents, packing, final steps);
it does not draw the scenario's declared ranges (`uncertainties:`), which `sensitivity`
ranks. A forecast made from estimates is uncertain in those too: Barkhane's fleet at Gao is
not in the sources, and with half the estimated air fleet the forecast of Gao's handover is
five days later. So here each of `sets` parameter sets (a Latin hypercube over the declared
ranges, SALib) is planned afresh, as a re-plan of the scenario's own plan, and
stress-tested, and the runs are pooled into one distribution (`drawdown check --declared`).
`sensitivity --replan` runs its own design through the same `simulate_replanned`.

Why planned afresh rather than the one plan run under each set: the engine executes the
convoys and sorties a plan commits to, so a smaller fleet or fewer escorts leave a fixed
plan's execution unchanged (Barkhane's plan under half its aircraft closes Gao on the same
days). The planners of the case knew their own fleet; the forecaster knew only its range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from drawdown.analyse.check import CheckResult, Observation, check_pooled
from drawdown.analyse.compare import plan_option
from drawdown.analyse.sensitivity import declared, design_variants, sample_design
from drawdown.errors import InputError, Problem
from drawdown.plan import InfeasiblePlanError, NoPlanFoundError, greedy_plan, optimise
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import Override, apply_overrides
from drawdown.simulate import SimulationResult, simulate
from drawdown.simulate.variants import VariantRuns

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
    # each set its own stream of runs: a pooled distribution of independent runs
    seeds = np.random.SeedSequence(seed).generate_state(sets, dtype=np.uint32)
    return simulate_replanned(
        scenario,
        design_variants(scenario, params, design),
        runs=runs // sets,
        seeds=[int(x) for x in seeds],
        greedy=greedy,
        progress=progress,
    )


def simulate_replanned(
    scenario: Scenario,
    variants: Sequence[Sequence[Override]],
    *,
    runs: int,
    seeds: Sequence[int],
    greedy: bool = False,
    progress: Callable[[int, int], None] | None = None,
    base: Plan | None = None,
) -> list[DeclaredSet]:
    """Each variant of `scenario` planned (as `compare` plans an option: `plan_option`; a
    re-plan from `base`, or from the scenario's own plan, unless `greedy`) and
    stress-tested `runs` times with its seed."""
    planner = greedy_plan if greedy else _optimiser(scenario, base)
    done: list[DeclaredSet] = []
    for k, (overrides, seed) in enumerate(zip(variants, seeds, strict=True)):
        variant = apply_overrides(scenario, list(overrides))
        plan, note = plan_option(planner, variant)
        result = simulate(variant, plan, runs=runs, seed=seed)
        done.append(DeclaredSet(k + 1, tuple(overrides), variant, plan, result, note))
        if progress is not None:
            progress(k + 1, len(variants))
    return done


def replanned_runs(sets: Sequence[DeclaredSet]) -> VariantRuns:
    """The per-run outcomes of re-planned sets as `simulate_variants` gives a fixed plan's."""
    runs = [one.result.data.runs for one in sets]
    return VariantRuns(
        horizon_days=np.array([one.result.data.horizon for one in sets], dtype=np.int64),
        completion_day=np.stack([np.asarray(r["completion_day"], dtype=np.int64) for r in runs]),
        killed=np.stack([np.asarray(r["killed"], dtype=float) for r in runs]),
        wounded=np.stack([np.asarray(r["wounded"], dtype=float) for r in runs]),
        destroyed_teu=np.stack([np.asarray(r["teu_destroyed"], dtype=float) for r in runs]),
        destroyed_vehicles=np.stack(
            [np.asarray(r["vehicles_destroyed"], dtype=float) for r in runs]
        ),
        patched=np.zeros(len(sets), dtype=bool),
    )


def check_declared(
    name: str, sets: Sequence[DeclaredSet], observations: list[Observation]
) -> CheckResult:
    """`observations` scored against the runs of every set, as one distribution."""
    pairs = [(one.scenario, one.result) for one in sets]
    return check_pooled(name, pairs, observations, declared_sets=len(sets))


def _optimiser(scenario: Scenario, base: Plan | None = None) -> Callable[[Scenario], Plan]:
    """Each set planned from the scenario's own plan (`optimise(warm_start=...)`, as the
    workbench re-plans): MINUSMA's sets, twenty parameters moved at once, took 13-44 s of
    CPU cold and 6.5-18 s so, at objectives within a few percent either way."""
    if base is None:
        try:
            base = optimise(scenario, with_greedy=False)
        except InfeasiblePlanError as exc:
            base = exc.best_plan
        except NoPlanFoundError:
            base = None

    def plan(variant: Scenario) -> Plan:
        return optimise(variant, with_greedy=False, warm_start=base)

    return plan
