"""What-if speed of the workbench against the same question asked through the CLI (by hand).

    .venv/bin/python benchmarks/bench_serve.py [--runs 2000] [--whatifs 5] [--no-replan]
        [--draw-workers N]

Starts `drawdown serve minusma-2023` (its optimised plan, 2,000 runs) on 127.0.0.1, warms it
with one what-if, then times what-ifs on the fixed plan (road approval at several values),
each from the request to the answer carrying the rendered SVG figures, with the server's
CPU time per answer (its drawing workers' included) read from /proc, so the load of other
processes on the machine does not count. The reference, measured in the same run, is the
CLI's way to the same answer:
`drawdown compare minusma-2023 --set clearance.road.approval=V --same-plan --runs 2000 -o DIR`
(plans once, simulates both options, writes the tables and figures). The floor, also
measured in the same run, is the engine alone on the same what-if (the baseline export's
scenario and plan, in this process): what the workbench adds to it is the paired
statistics, the report's numbers, the figures and HTTP. A re-plan through the page is timed
against `drawdown plan minusma-2023` followed by that same compare.
Target (issue 15): a what-if of 2,000 runs on a fixed plan answers in <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SCRIPT = Path(sys.executable).with_name("drawdown")
DRAWDOWN = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "drawdown"]
TARGET_S = 1.0
TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system, every thread) process `pid` and its live children (the
    drawing and planning workers) have used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    total = (int(fields[11]) + int(fields[12])) / TICK
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        total += sum(cpu_of(int(child)) for child in children)
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start_server(
    runs: int, exports: Path, workers: int | None
) -> tuple[subprocess.Popen[str], str]:
    command = [*DRAWDOWN, "serve", "minusma-2023", "--port", "0", "--runs", str(runs)]
    command += ["--exports", str(exports)]
    command += [] if workers is None else ["--draw-workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        print("  server:", line.rstrip())
        if "drawdown workbench: http://" in line:
            return process, line.split("workbench: ")[1].split()[0].rstrip("/")
    raise SystemExit("the workbench did not start")


def whatif(client: httpx.Client, origin: str, value: str, runs: int) -> tuple[dict, float]:
    """One what-if as the page asks it: the numbers first, then the figures; returns the
    variant and the seconds to its numbers."""
    body = {"changes": [{"name": "clearance.road.approval", "value": value}], "runs": runs}
    started = time.perf_counter()
    answer = client.post(
        f"{origin}/api/simulate?figures=later", json=body, headers={"Origin": origin}
    )
    answer.raise_for_status()
    numbers_s = time.perf_counter() - started
    variant = answer.json()["variant"]
    drawn = client.get(f"{origin}/api/variants/{variant['id']}/figures").json()
    assert len(drawn["figures"]) == 5 and all(f["svg"] for f in drawn["figures"])
    return {**variant, "seconds": drawn["seconds"]}, numbers_s


def replan(client: httpx.Client, origin: str, value: str, runs: int) -> float:
    body = {"changes": [{"name": "clearance.road.approval", "value": value}], "runs": runs}
    started = time.perf_counter()
    job = client.post(f"{origin}/api/replan", json=body, headers={"Origin": origin}).json()["job"]
    while job["state"] in ("planning", "simulating"):
        time.sleep(0.2)
        job = client.get(f"{origin}/api/jobs/{job['id']}").json()["job"]
    if job["state"] != "done":
        raise SystemExit(f"re-plan ended {job['state']}: {job.get('error')}")
    return time.perf_counter() - started


def engine_alone(folder: Path, value: str, runs: int, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of the engine alone on the same what-if (the floor under
    the workbench's answer): the baseline export's scenario and plan, in this process,
    through the same variant front door the workbench calls, after one warm-up."""
    from drawdown.results import load_run
    from drawdown.simulate.variant_results import VariantSimulator

    run = load_run(folder)
    sim = VariantSimulator(run.scenario, run.plan)
    walls, cpus = [], []
    for i in range(repeats + 1):
        cpu, started = time.process_time(), time.perf_counter()
        sim.run([sim.prepare([f"clearance.road.approval={value}"])], runs=runs, seed=1)
        if i:  # the first run compiles and warms caches
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def cli(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one CLI command."""
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run([*DRAWDOWN, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--whatifs", type=int, default=5)
    parser.add_argument("--no-replan", action="store_true")
    parser.add_argument(
        "--draw-workers",
        type=int,
        default=None,
        help="the server's --draw-workers (0: in-process; default: the server's default)",
    )
    args = parser.parse_args()
    values = ["0.5", "0.6", "0.7", "0.55", "0.65", "0.45", "0.75", "0.35"][: args.whatifs]
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        process, origin = start_server(args.runs, tmp / "exports", args.draw_workers)
        try:
            with httpx.Client(timeout=600) as client:
                whatif(client, origin, "0.8", args.runs)  # warm: first figures, caches
                walls, cpus, parts, numbers = [], [], [], []
                for value in values:
                    cpu, started = cpu_of(process.pid), time.perf_counter()
                    variant, numbers_s = whatif(client, origin, value, args.runs)
                    walls.append(time.perf_counter() - started)
                    numbers.append(numbers_s)
                    cpus.append(cpu_of(process.pid) - cpu)
                    parts.append(variant["seconds"])
                    print(
                        f"  what-if road approval {value}: numbers {numbers[-1]:.2f} s, "
                        f"figures too {walls[-1]:.2f} s wall, "
                        f"{cpus[-1]:.2f} s CPU (simulate {parts[-1]['simulate']:.2f} s, "
                        f"figures {parts[-1]['figures']:.2f} s)"
                    )
                replan_s = None if args.no_replan else replan(client, origin, "0.6", args.runs)
                exported = client.post(
                    f"{origin}/api/variants/baseline/export", headers={"Origin": origin}
                ).json()["export"]
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        compare = ["compare", "minusma-2023", "--set", "clearance.road.approval=0.5"]
        compare += ["--same-plan", "--runs", str(args.runs), "-o", str(tmp / "cli")]
        cli_wall, cli_cpu = cli(compare)
        print(f"  CLI compare --same-plan: {cli_wall:.2f} s wall, {cli_cpu:.2f} s CPU")
        results = Path(exported["report"]).parent
        engine_wall, engine_cpu = engine_alone(results, "0.5", args.runs, 3)
        print(f"  engine alone (same what-if): {engine_wall:.2f} s wall, {engine_cpu:.2f} s CPU")
        if replan_s is not None:
            plan_wall, _ = cli(["plan", "minusma-2023", "-o", str(tmp / "plan")])
            print(f"  CLI plan: {plan_wall:.2f} s wall")
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print()
    print(f"what-if of {args.runs:,} runs on a fixed plan, request to rendered figures")
    print(f"  workbench median: {wall:.2f} s wall, {cpu:.2f} s CPU  (target <= {TARGET_S:.1f} s)")
    print(
        f"    the numbers (headline, paired differences) after {statistics.median(numbers):.2f} s"
    )
    simulate_s = statistics.median(p["simulate"] for p in parts)
    figures_s = statistics.median(p["figures"] for p in parts)
    print(f"    of which simulate {simulate_s:.2f} s, figures {figures_s:.2f} s (server clock)")
    print(f"  CLI (compare --same-plan -o): {cli_wall:.2f} s wall, {cli_cpu:.2f} s CPU")
    print(f"  ratio workbench / CLI: {wall / cli_wall:.3f} wall, {cpu / cli_cpu:.3f} CPU")
    print(f"  engine alone: {engine_wall:.2f} s wall, {engine_cpu:.2f} s CPU (the floor)")
    print(
        f"  ratio workbench / engine alone: {wall / engine_wall:.2f} wall, "
        f"{cpu / engine_cpu:.2f} CPU"
    )
    print(f"  target met: {'yes' if wall <= TARGET_S else 'no'} ({wall:.2f} s)")
    if replan_s is not None:
        print(f"re-plan through the page (plan + stress test): {replan_s:.1f} s")
        print(f"  CLI plan + compare: {plan_wall + cli_wall:.1f} s")
        print(f"  ratio: {replan_s / (plan_wall + cli_wall):.2f}")


if __name__ == "__main__":
    main()
