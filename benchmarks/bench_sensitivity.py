"""Benchmark: a 10-parameter Sobol analysis of minusma-2023 (target: <= 60 s on 2 cores).

Run: .venv/bin/python benchmarks/bench_sensitivity.py [N_BASE] [RUNS_PER_SET] [--optimised]

Prints the time of `drawdown.analyse.sensitivity` (Saltelli design of N x (10 + 2) parameter
sets, each executed RUNS_PER_SET times with common random numbers, Sobol indices with 95%
bootstrap intervals) and the widths of the total-order intervals. As a reference measured in
the same run, the same parameter sets are evaluated one at a time through the public API
(`apply_overrides` then `simulate(...)`) on a subset, scaled up to the whole design, with the
ratio. The plan is the greedy baseline by default (deterministic and quick); `--optimised`
uses the optimiser's plan. Either way the plan is fixed and only its execution varies.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
from SALib.sample import sobol as sobol_sample

import drawdown
from drawdown.analyse.sensitivity import sensitivity
from drawdown.plan import greedy_plan, optimise
from drawdown.scenario.overrides import apply_overrides, uncertainty_override
from drawdown.simulate import simulate

PARAMETERS = [
    "clearance.road.approval",
    "clearance.air.approval",
    "clearance.road.delay_mean_days",
    "threat.ied.rate",
    "threat.ambush.rate",
    "threat.base_attack.rate",
    "threat.base_attack.garrison_elasticity",
    "link.road.wet_km_per_day",
    "trucks.contracted-trucks.count",
    "holdings.*.containers_teu",
]
REFERENCE_SETS = 24


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_base = int(args[0]) if args else 512
    runs_per_set = int(args[1]) if len(args) > 1 else 16
    scenario = drawdown.load_scenario("minusma-2023")
    started = time.perf_counter()
    plan = optimise(scenario) if "--optimised" in sys.argv else greedy_plan(scenario)
    took = time.perf_counter() - started
    print(f"plan ({plan.method}): {len(plan.movements)} movements, {took:.1f} s")
    # warm the compiled engine so neither measurement pays for compilation
    sensitivity(scenario, plan, samples=2, runs_per_set=2, seed=1, parameters=PARAMETERS)

    result = sensitivity(
        scenario, plan, samples=n_base, runs_per_set=runs_per_set, seed=1, parameters=PARAMETERS
    )
    print(
        f"Sobol, {len(PARAMETERS)} parameters: N = {n_base}, {result.parameter_sets} parameter "
        f"sets x {runs_per_set} runs = {result.parameter_sets * runs_per_set:,} runs "
        f"in {result.seconds:.1f} s (target <= 60 s)"
    )
    for output in dict.fromkeys(result.indices["output"]):
        rows = result.ranking(output)
        widths = 2 * rows["ST_conf"]
        top = rows.iloc[0]
        print(
            f"  {output:<13} top {top['parameter']} ST {top['ST']:.2f} ± {top['ST_conf']:.2f}; "
            f"95% interval width of ST: mean {widths.mean():.3f}, max {widths.max():.3f}; "
            f"output mean {result.outputs[output].mean():.3g}"
        )

    # reference: the same sets one at a time through the public front doors
    declared = {u.parameter: u for u in scenario.manifest.uncertainties}
    params = [declared[p] for p in PARAMETERS]
    problem = {
        "num_vars": len(params),
        "names": PARAMETERS,
        "bounds": [[u.low, u.high] for u in params],
    }
    design = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=1)
    picks = np.random.default_rng(0).choice(len(design), REFERENCE_SETS, replace=False)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in picks:
            overrides = [
                uncertainty_override(u, float(v), scenario)
                for u, v in zip(params, design[i], strict=True)
            ]
            changed = apply_overrides(scenario, overrides)
            simulate(changed, plan, runs=runs_per_set, seed=1, check_hash=False)
    per_set = (time.perf_counter() - started) / REFERENCE_SETS
    reference = per_set * len(design)
    print(
        f"reference: one set at a time through apply_overrides + simulate(): "
        f"{per_set * 1000:.0f} ms a set on {REFERENCE_SETS} sets, scaled to {len(design)} sets "
        f"= {reference:.0f} s; ratio {reference / result.seconds:.1f}x"
    )


if __name__ == "__main__":
    main()
