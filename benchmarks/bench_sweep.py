"""Sweep benchmark (run by hand, not by the tests): 2 local Dask workers against 1.

Target (issue 16, 2-core machine): the same sweep on 2 workers at least 1.7x as fast as on
1 worker. Printed, each against a reference measured in the same run:

- speed-up: wall time on 1 worker / on 2 workers (warm clusters reached by address, as
  `--scheduler` does; and cold, with `--workers N` starting its own cluster);
- scheduling overhead per variant (wall time x workers - the variants' own work, per variant)
  against a variant's own work, and against the same sweep run in this process;
- runs/s per worker; the cost per variant the docs scale from (work seconds, bytes written,
  worker memory).

    .venv/bin/python benchmarks/bench_sweep.py [--runs 2000] [--scenario minusma-2023]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import drawdown
from drawdown.plan import optimise
from drawdown.plan.io import save_plan
from drawdown.sweep import SweepResult, run_sweep
from drawdown.sweep.spec import SweepSpec, parse_spec

GRID = {
    "clearance.road.approval": [0.5, 0.7, 0.9],
    "trucks.contracted-trucks.count": [200, 300],
    "threat.ied.rate": ["*1", "*2"],
}


def _spec(scenario: str, runs: int) -> SweepSpec:
    return parse_spec({"scenario": scenario, "runs": runs, "seed": 1, "grid": GRID})


def _folder(root: Path, name: str, plan_dir: Path, scenario_hash: str) -> Path:
    """A fresh results folder whose plan cache already holds the base plan (not timed)."""
    folder = root / name
    shutil.copytree(plan_dir, folder / "sweep" / "plans" / scenario_hash)
    return folder


def _warm() -> float:
    """Load the engine's compiled code on a worker (what a first variant would pay)."""
    # imported here: the function is sent to the workers by value
    from pathlib import Path

    from drawdown.plan import greedy_plan
    from drawdown.scenario.io import load_scenario
    from drawdown.simulate import simulate

    tiny = Path(__file__).parents[1] / "tests" / "data" / "tiny"
    s = load_scenario(tiny)
    simulate(s, greedy_plan(s), runs=10, seed=0)
    return time.perf_counter()


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(spec: SweepSpec, folder: Path, **where: object) -> tuple[SweepResult, float]:
    t0 = time.perf_counter()
    result = run_sweep(spec, folder, **where)  # type: ignore[arg-type]
    return result, time.perf_counter() - t0


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in (folder / "runs").rglob("*") if p.is_file()) + sum(
        p.stat().st_size for p in (folder / "done").glob("*.json")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--scenario", default="minusma-2023")
    args = parser.parse_args()

    import dask
    from distributed import Client, LocalCluster

    spec = _spec(args.scenario, args.runs)
    scenario = drawdown.load_scenario(args.scenario)
    n_variants = 3 * 2 * 2
    root = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    load = os.getloadavg()  # other work on the machine slows the workers it shares cores with
    try:
        t0 = time.perf_counter()
        plan = optimise(scenario, seed=spec.seed)
        plan_s = time.perf_counter() - t0
        plan_dir = save_plan(plan, root / "plan")
        (plan_dir / "note.txt").write_text("")
        key = scenario.content_hash()

        _warm()  # this process loads the engine once, as each warm worker has
        here, here_s = _timed(spec, _folder(root, "here", plan_dir, key), workers=0)
        cold = {
            n: _timed(spec, _folder(root, f"cold{n}", plan_dir, key), workers=n) for n in (1, 2)
        }
        warm: dict[int, tuple[SweepResult, float, float]] = {}
        busiest: dict[int, float] = {}
        for n in (1, 2):
            with (
                dask.config.set({"distributed.worker.profile.enabled": False}),  # as `connect`
                LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR,
                ) as cluster,
                Client(cluster) as client,
            ):
                client.run(_warm)
                cpu0 = client.run(time.process_time)
                result, wall = _timed(
                    spec,
                    _folder(root, f"warm{n}", plan_dir, key),
                    scheduler=cluster.scheduler_address,
                )
                cpu1 = client.run(time.process_time)
                rss = max(client.run(_max_rss_mb).values())
            warm[n] = (result, wall, rss)
            # CPU each worker spent on the sweep: the busiest one bounds the wall time when
            # every worker has a core of its own, whatever else the machine runs meanwhile
            busiest[n] = max(cpu1[w] - cpu0[w] for w in cpu1)
        written = _bytes(here.folder)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    runs_total = n_variants * args.runs
    work_per_variant = here.work_seconds / n_variants
    cpu_per_variant = here.work_cpu_seconds / n_variants
    print(
        f"sweep of {args.scenario}: {n_variants} variants x {args.runs:,} runs "
        f"(base plan made once in {plan_s:.1f} s, outside the timings); load average "
        f"{load[0]:.1f} before, {os.getloadavg()[0]:.1f} after on {os.cpu_count()} cores"
    )
    print(f"in this process:        {here_s:7.2f} s   {runs_total / here_s:8,.0f} runs/s")
    for n in (1, 2):
        result, wall, rss = warm[n]
        overhead = (wall * n - result.work_seconds) / n_variants
        print(
            f"warm cluster, {n} worker: {wall:7.2f} s   {runs_total / wall / n:8,.0f} runs/s per "
            f"worker   overhead {overhead:6.3f} s/variant = {overhead / work_per_variant:5.1%} "
            f"of a variant's work   worker peak RSS {rss:,.0f} MB"
        )
    for n in (1, 2):
        result, wall = cold[n]
        print(f"cold --workers {n}:       {wall:7.2f} s   (cluster start and first load included)")
    speedup_warm = warm[1][1] / warm[2][1]
    speedup_cold = cold[1][1] / cold[2][1]
    print(f"speed-up 2 workers vs 1 (warm): {speedup_warm:.2f}x   target >= 1.7")
    print(f"speed-up 2 workers vs 1 (cold): {speedup_cold:.2f}x")
    print(
        f"speed-up in CPU of the busiest worker (1 worker: {busiest[1]:.1f} s, 2 workers: "
        f"{busiest[2]:.1f} s): {busiest[1] / busiest[2]:.2f}x, what 2 idle cores would give"
    )
    print(
        f"Dask against this process: 1 warm worker takes {warm[1][1] / here_s:.2f}x the time of "
        "the in-process sweep"
    )
    print(
        f"cost per variant: {work_per_variant:.3f} s of work ({cpu_per_variant:.3f} s CPU, "
        f"{cpu_per_variant / args.runs * 1e3:.3f} ms CPU per run), "
        f"{written / n_variants / 1024:,.0f} KiB written "
        f"({written / runs_total:,.0f} bytes per run)"
    )


if __name__ == "__main__":
    main()
