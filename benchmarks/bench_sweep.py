"""Sweep benchmark (run by hand, not by the tests): 2 local Dask workers against 1.

Target (issue 16, 2-core machine): the same sweep on 2 workers at least 1.7x as fast as on
1 worker. Printed, each against a reference measured in the same run:

- speed-up: wall time on 1 worker / on 2 workers, on warm local clusters reached by address
  (as `--scheduler` does), the best and the median of `--repeats` alternating tries; and
  cold, with `--workers N` starting its own cluster;
- what the CPU account says 2 idle cores would give, and how many cores the sweep got and
  other work on the machine took during each try (from /proc/stat). Linux shares the cores
  fairly between sessions (autogroups), not between processes: while other sessions keep
  the cores busy, a second worker gets no more of the machine, and the wall-clock speed-up
  means something only when other work took close to 0 cores;
- scheduling overhead per variant (wall time x workers - the variants' own work, per variant)
  against a variant's own work, and against the same sweep run in this process;
- runs/s per worker; the cost per variant the docs scale from (work seconds, bytes written,
  worker memory).

    .venv/bin/python benchmarks/bench_sweep.py [--runs 2000] [--repeats 3] [--scenario S]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import drawdown
from drawdown.plan import optimise
from drawdown.plan.io import save_plan
from drawdown.sweep import SweepResult, run_sweep
from drawdown.sweep.cluster import connect
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


def _machine_cpu_s() -> float | None:
    """CPU seconds every process on the machine has used since boot (Linux), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            ticks = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Try:
    """One timed sweep on a warm cluster, with the CPU every party spent meanwhile."""

    workers: int
    result: SweepResult
    wall_s: float
    worker_cpu_s: tuple[float, ...]  # each worker process
    client_cpu_s: float  # this process: client, scheduler and nannies
    others_cores: float | None  # cores other work on the machine kept busy, on average
    rss_mb: float

    @property
    def ours_cpu_s(self) -> float:
        return self.client_cpu_s + sum(self.worker_cpu_s)


def _try(n: int, spec: SweepSpec, folder: Path) -> Try:
    """Time the sweep on a fresh warm local cluster of `n` workers (as `--workers n` makes)."""
    with connect(None, n) as client:
        client.run(_warm)
        cpu0, own0, all0 = client.run(time.process_time), time.process_time(), _machine_cpu_s()
        t0 = time.perf_counter()
        result = run_sweep(spec, folder, scheduler=client.cluster.scheduler_address)
        wall = time.perf_counter() - t0
        cpu1, own1, all1 = client.run(time.process_time), time.process_time(), _machine_cpu_s()
        rss = max(client.run(_max_rss_mb).values())
    workers = tuple(cpu1[w] - cpu0[w] for w in cpu1)
    others = None
    if all0 is not None and all1 is not None:
        others = max(0.0, (all1 - all0) - (own1 - own0) - sum(workers)) / wall
    return Try(n, result, wall, workers, own1 - own0, others, rss)


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in (folder / "runs").rglob("*") if p.is_file()) + sum(
        p.stat().st_size for p in (folder / "done").glob("*.json")
    )


def _others(t: Try) -> str:
    return "n/a" if t.others_cores is None else f"{t.others_cores:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default="minusma-2023")
    args = parser.parse_args()

    spec = _spec(args.scenario, args.runs)
    scenario = drawdown.load_scenario(args.scenario)
    n_variants = 3 * 2 * 2
    cores = os.cpu_count() or 1
    root = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    load = os.getloadavg()
    try:
        t0 = time.perf_counter()
        plan = optimise(scenario, seed=spec.seed)
        plan_s = time.perf_counter() - t0
        plan_dir = save_plan(plan, root / "plan")
        (plan_dir / "note.txt").write_text("")
        key = scenario.content_hash()

        _warm()  # this process loads the engine once, as each warm worker has
        t0 = time.perf_counter()
        here = run_sweep(spec, _folder(root, "here", plan_dir, key), workers=0)
        here_s = time.perf_counter() - t0
        cold = {}
        for n in (1, 2):
            t0 = time.perf_counter()
            run_sweep(spec, _folder(root, f"cold{n}", plan_dir, key), workers=n)
            cold[n] = time.perf_counter() - t0
        # 1 and 2 workers in turn, so that a change of load on the machine meets both alike
        tries: dict[int, list[Try]] = {1: [], 2: []}
        for r in range(args.repeats):
            for n in (1, 2):
                tries[n].append(_try(n, spec, _folder(root, f"warm{n}-{r}", plan_dir, key)))
        written = _bytes(here.folder)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    runs_total = n_variants * args.runs
    work_per_variant = here.work_seconds / n_variants
    cpu_per_variant = here.work_cpu_seconds / n_variants
    print(
        f"sweep of {args.scenario}: {n_variants} variants x {args.runs:,} runs "
        f"(base plan made once in {plan_s:.1f} s, outside the timings); load average "
        f"{load[0]:.1f} before, {os.getloadavg()[0]:.1f} after on {cores} cores"
    )
    print(f"in this process:          {here_s:7.2f} s   {runs_total / here_s:8,.0f} runs/s")
    for n in (1, 2):
        for t in tries[n]:
            overhead = (t.wall_s * n - t.result.work_seconds) / n_variants
            print(
                f"warm cluster, {n} worker{'s' if n > 1 else ' '}: {t.wall_s:7.2f} s   "
                f"{runs_total / t.wall_s / n:8,.0f} runs/s per worker   CPU s: workers "
                f"{' + '.join(f'{c:.2f}' for c in t.worker_cpu_s)}, client+scheduler "
                f"{t.client_cpu_s:.2f}, so the sweep got {t.ours_cpu_s / t.wall_s:.2f} cores and "
                f"other work {_others(t)} of {cores}   "
                f"overhead {overhead:.3f} s/variant = {overhead / work_per_variant:.1%} of a "
                f"variant's work   worker peak RSS {t.rss_mb:,.0f} MB"
            )
    for n in (1, 2):
        print(f"cold --workers {n}:         {cold[n]:7.2f} s   (cluster start, first load)")
    best = {n: min(tries[n], key=lambda t: t.wall_s) for n in (1, 2)}
    median = {n: statistics.median(t.wall_s for t in tries[n]) for n in (1, 2)}
    print(
        f"speed-up 2 workers vs 1 (warm, best of {args.repeats}): "
        f"{best[1].wall_s / best[2].wall_s:.2f}x   target >= 1.7   (other work took "
        f"{_others(best[1])} and {_others(best[2])} of {cores} cores meanwhile)"
    )
    print(f"speed-up 2 workers vs 1 (warm, median):    {median[1] / median[2]:.2f}x")
    print(f"speed-up 2 workers vs 1 (cold):            {cold[1] / cold[2]:.2f}x")
    # on idle cores a try lasts as long as its busiest worker, unless all our processes
    # together need more CPU than the cores give; CPU time changes little with the load
    idle = {
        n: statistics.median(
            max(max(t.worker_cpu_s), t.ours_cpu_s / min(cores, n + 1)) for t in tries[n]
        )
        for n in (1, 2)
    }
    print(
        f"speed-up on {cores} idle cores, from the CPU account (1 worker: {idle[1]:.1f} s, "
        f"2 workers: {idle[2]:.1f} s): {idle[1] / idle[2]:.2f}x"
    )
    print(
        f"Dask against this process: 1 warm worker (best) takes "
        f"{best[1].wall_s / here_s:.2f}x the time of the in-process sweep"
    )
    print(
        f"cost per variant: {work_per_variant:.3f} s of work ({cpu_per_variant:.3f} s CPU, "
        f"{cpu_per_variant / args.runs * 1e3:.3f} ms CPU per run), "
        f"{written / n_variants / 1024:,.0f} KiB written "
        f"({written / runs_total:,.0f} bytes per run)"
    )


if __name__ == "__main__":
    main()
