"""Peak memory of a stress test and its report against the number of runs: flat, not growing.

    .venv/bin/python benchmarks/bench_memory.py [--sizes 10000 100000 1000000]

On the built-in minusma-2023 scenario with its greedy plan, each size runs in its own
subprocess: the runs are streamed to a results folder (`simulate(..., out=...)`, what
`drawdown simulate -o` and `drawdown run` do), then the folder's report is built from the
streamed result. The child reports its peak resident memory (`ru_maxrss`); a first child
that only loads the scenario, the plan and the compiled engine gives the fixed part. Prints
each peak and its ratio to the smallest size's: bounded memory means ratios near 1.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(scenario_name: str, plan_dir: str, runs: int, out: str) -> None:
    """Simulate `runs` runs streamed to `out`, build the report; print the peak memory."""
    import drawdown
    from drawdown.report import build_report
    from drawdown.simulate import simulate

    scenario = drawdown.load_scenario(scenario_name)
    plan = drawdown.load_plan(plan_dir)
    simulate(scenario, plan, runs=16, seed=0, keep_runs=False)  # load the compiled engine
    if runs == 0:
        print(f"PEAK {_peak_mb():.1f} SECONDS 0")
        return
    started = time.perf_counter()
    stream = Path(out) / "stream"
    result = simulate(scenario, plan, runs=runs, seed=1, out=stream)
    build_report(scenario, plan, result, Path(out) / "results")
    print(f"PEAK {_peak_mb():.1f} SECONDS {time.perf_counter() - started:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="minusma-2023")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--child", nargs=4, metavar=("SCENARIO", "PLAN", "RUNS", "OUT"))
    args = parser.parse_args()
    if args.child:
        name, plan_dir, runs, out = args.child
        child(name, plan_dir, int(runs), out)
        return

    import drawdown
    from drawdown.plan import greedy_plan, save_plan

    scenario = drawdown.load_scenario(args.scenario)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        plan_dir = Path(tmp) / "plan"
        save_plan(greedy_plan(scenario), plan_dir)
        print(f"{scenario.name}: greedy plan; peak RSS of one subprocess per size")
        peaks: dict[int, float] = {}
        for runs in [0, *args.sizes]:
            out = Path(tmp) / f"out-{runs}"
            out.mkdir()
            cmd = [sys.executable, __file__, "--child", args.scenario, str(plan_dir)]
            done = subprocess.run(
                [*cmd, str(runs), str(out)], capture_output=True, text=True, check=True
            )
            line = next(x for x in done.stdout.splitlines() if x.startswith("PEAK"))
            _, peak, _, seconds = line.split()
            peaks[runs] = float(peak)
            what = "fixed part (scenario, plan, engine)" if runs == 0 else f"{runs:>9,} runs"
            print(f"  {what:<36} peak {float(peak):8.1f} MB   ({seconds} s)")
        smallest = min(args.sizes)
        for runs in args.sizes:
            ratio = peaks[runs] / peaks[smallest]
            above = (peaks[runs] - peaks[0]) / max(peaks[smallest] - peaks[0], 1e-9)
            print(
                f"  ratio {runs:>9,} / {smallest:,} runs: {ratio:5.2f} of the peak, "
                f"{above:5.2f} of the part above the fixed one"
            )


if __name__ == "__main__":
    main()
