"""Speed and memory of the simulation engine against the SimPy reference, on one core.

    NUMBA_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        .venv/bin/python benchmarks/bench_simulate.py [--runs 20000] [--reference-runs 200]

Uses the built-in minusma-2023 scenario and its greedy plan (`--plan optimised`: its
optimised plan, or the greedy one if the optimiser is unavailable or fails). Prints runs a
second of both engines and their ratio, then the peak memory of 100,000 runs without
timelines (tracemalloc counts numpy buffers).
Targets (issue 4): >= 5,000 runs/s, >= 200x SimPy, 100,000 runs in <= 1 GB.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).parent))

import drawdown  # noqa: E402
from drawdown.simulate import simulate  # noqa: E402
from reference_simpy import simulate_reference  # noqa: E402


def _plan(scenario: drawdown.Scenario, kind: str):  # type: ignore[no-untyped-def]
    from drawdown.plan import greedy_plan, optimise

    if kind == "optimised":
        try:
            return optimise(scenario), "optimised"
        except Exception as exc:  # the benchmark measures the engine, not the planner
            print(f"optimiser unavailable ({type(exc).__name__}: {exc}); using the greedy plan")
    return greedy_plan(scenario), "greedy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="minusma-2023")
    parser.add_argument("--plan", choices=("optimised", "greedy"), default="greedy")
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--reference-runs", type=int, default=100)
    parser.add_argument("--memory-runs", type=int, default=100_000)
    args = parser.parse_args()

    scenario = drawdown.load_scenario(args.scenario)
    plan, kind = _plan(scenario, args.plan)
    print(f"{scenario.name}: {kind} plan, {len(plan.movements)} movements, one core")

    simulate(scenario, plan, runs=64, seed=0)  # compile (or load the numba cache)
    started = time.perf_counter()
    simulate(scenario, plan, runs=args.runs, seed=1)
    engine = args.runs / (time.perf_counter() - started)

    started = time.perf_counter()
    simulate_reference(scenario, plan, runs=args.reference_runs, seed=1)
    reference = args.reference_runs / (time.perf_counter() - started)

    print(f"vectorised engine: {engine:10,.0f} runs/s  ({args.runs:,} runs)")
    print(f"SimPy reference:   {reference:10,.1f} runs/s  ({args.reference_runs:,} runs)")
    print(f"ratio:             {engine / reference:10,.0f}x")

    tracemalloc.start()
    started = time.perf_counter()
    simulate(scenario, plan, runs=args.memory_runs, seed=2)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{args.memory_runs:,} runs without timelines: peak {peak / 1024**2:,.0f} MB "
        f"(tracemalloc), {elapsed:.1f} s"
    )
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak RSS: {rss:,.0f} MB (includes Python, numba and the scenario)")
    except ImportError:  # pragma: no cover - not on POSIX
        pass


if __name__ == "__main__":
    main()
