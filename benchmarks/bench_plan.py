"""Planner benchmark (run by hand, not by the tests): CPU time, gaps, gain over greedy, scaling.

Targets (issue 11, 2-core machine): MINUSMA within 0.5% of its proven bound in <= 5 s of CPU,
a re-plan after a one-parameter change in <= 3 s (warm start), the daily table within 5% of
the model's objective; synthetic missions 1x/2x/5x/10x with planning time growing no faster
than ~k^1.5, and 10x within 1% of its bound in <= 120 s. Each row gives its ratio against a
reference measured in the same run: the gap against the proven (LP or branch-and-cut) bound,
the daily total against the greedy baseline's, the CPU time against the greedy baseline's
and, for the scaling table, against the 1x mission's.

    .venv/bin/python benchmarks/bench_plan.py [minusma|what-ifs|scaling|all] [--max-k 10]

`what-ifs` plans eight one-parameter changes of MINUSMA cold, then re-plans each from the
built-in's plan (the workbench's and the sweeps' way), with its ratio to the cold plan. A
re-plan within the layout's 2% of its LP bound is laid out without branch and cut, so its
proven gap may be up to 2%: its target is the 3 s.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

import drawdown
from drawdown.plan import InfeasiblePlanError, Plan, greedy_plan, optimise
from drawdown.plan.solve import ROUND_GAP
from drawdown.scenario.model import Scenario

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import synthetic_mission  # noqa: E402


def _timed(f):  # type: ignore[no-untyped-def]
    t0 = time.process_time()
    out = f()
    return out, time.process_time() - t0


def _row(name: str, plan: Plan, cpu: float, base: Plan, greedy_cpu: float) -> str:
    r = plan.solver
    gain = 100 * (base.objective["total"] - plan.objective["total"]) / base.objective["total"]
    whole = 100 * r.laid_out_gap if math.isfinite(r.laid_out_gap) else math.nan
    return (
        f"{name:16s} {cpu:7.2f} {cpu / max(greedy_cpu, 1e-9):6.1f}x "
        f"{100 * r.model_gap:7.3f}% {whole:7.2f}% "
        f"{100 * r.daily_model_gap:8.2f}% {gain:7.1f}% {r.work.lp_solves:5d} "
        f"{r.work.simplex_iterations:8d} {r.work.bnb_nodes:5d} {str(r.time_limit_hit):5s} "
        f"{r.layout}{' / ' + r.fallback if r.fallback else ''}"
    )


HEADER = (
    f"{'case':16s} {'CPU s':>7s} {'/greedy':>7s} {'gap':>8s} {'whole':>8s} {'daily-':>9s} "
    f"{'gain':>8s} {'LPs':>5s} {'simplex':>8s} {'nodes':>5s} {'limit':5s} layout\n"
    f"{'':16s} {'':7s} {'':7s} {'(bound)':>8s} {'(bound)':>8s} {'model':>9s} "
    f"{'/greedy':>8s}"
)


def bench_minusma() -> None:
    s = drawdown.load_scenario("minusma-2023")
    base, greedy_cpu = _timed(lambda: greedy_plan(s))
    plan, cpu = _timed(lambda: optimise(s, with_greedy=False))
    # A one-parameter change: 10% more trucks in the first pool, re-planned warm and cold.
    pool = s.trucks[0]
    changed = replace_trucks(s, pool.id, int(round(pool.count * 1.1)))
    cold, cold_cpu = _timed(lambda: optimise(changed, with_greedy=False))
    warm, warm_cpu = _timed(lambda: optimise(changed, with_greedy=False, warm_start=plan))
    print(HEADER)
    print(_row("minusma", plan, cpu, base, greedy_cpu))
    print(_row("re-plan cold", cold, cold_cpu, base, greedy_cpu))
    print(_row("re-plan warm", warm, warm_cpu, base, greedy_cpu))
    print(f"CPU seconds by step: {_cpu_steps(plan)}; re-plan warm: {_cpu_steps(warm)}")
    print(
        f"objective (daily table): {plan.objective['total']:,.0f}; "
        f"model {plan.solver.model_objective:,.0f}"
    )
    print(f"closure days: {plan.closure_day}")
    print(
        f"re-plan warm / cold: {warm_cpu / max(cold_cpu, 1e-9):.2f} CPU; daily table warm "
        f"{warm.objective['total']:,.0f}, cold {cold.objective['total']:,.0f}"
    )
    print(
        f"targets: gap <= 0.5% {'met' if plan.solver.model_gap <= 0.005 else 'NOT met'}; "
        f"CPU <= 5 s {'met' if cpu <= 5 else f'NOT met ({cpu:.2f} s)'}; re-plan <= 3 s "
        f"{'met' if warm_cpu <= 3 else f'NOT met ({warm_cpu:.2f} s)'}; daily within 5% "
        f"{'met' if abs(plan.solver.daily_model_gap) <= 0.05 else 'NOT met'}"
    )


def _cpu_steps(plan: Plan) -> dict[str, float]:
    """CPU seconds of each step the plan recorded (information only, never saved)."""
    seconds = plan.solver.work.seconds
    return {k.removeprefix("cpu_"): v for k, v in seconds.items() if k.startswith("cpu_")}


def _plan_or_best(f):  # type: ignore[no-untyped-def]
    """The plan, or the best plan found when no daily table met the deadline (marked)."""
    try:
        return f(), ""
    except InfeasiblePlanError as e:
        if e.best_plan is None:
            raise
        stranded = e.best_plan.figures.get("stranded_people", 0)
        return e.best_plan, f" BEST FOUND ({stranded:.0f} stranded)"


def replace_trucks(s: Scenario, pool: str, count: int) -> Scenario:
    trucks = tuple(t.model_copy(update={"count": count}) if t.id == pool else t for t in s.trucks)
    return s.model_copy(update={"trucks": trucks})


# One-parameter what-ifs a planner tries on MINUSMA, each planned cold: the targets (5 s,
# 0.5 %, the daily table within 5 %) should hold for the built-in's plausible neighbours, not
# only for the built-in itself.
WHAT_IFS = {
    "trucks x1.1": ["trucks.*.count=*1.1"],
    "escorts x0.8": ["escort.*.convoys_per_day=*0.8"],
    "aircraft x0.7": ["aircraft.*.count=*0.7"],
    "road approval x0.6": ["clearance.road.approval=*0.6"],
    "deadline 1 Dec": ["deadline=2023-12-01"],
    "wet roads x0.8": ["speed.wet=*0.8"],
    "north tracks 80": ["link.north.dry_km_per_day=80", "link.north.wet_km_per_day=55"],
    # every contributor lets its stores be handed over: nothing is written off at ten times
    # its value, so the objective is a third of the base's and the other terms weigh more
    "handover allowed": ["contingents.*.handover_allowed=yes"],
}


def bench_what_ifs() -> None:
    from drawdown.scenario.overrides import apply_overrides, parse_overrides

    s = drawdown.load_scenario("minusma-2023")
    plan, ref_cpu = _timed(lambda: optimise(s, with_greedy=False))
    print(HEADER + f" {'/base':>6s}")
    print(_row("minusma", plan, ref_cpu, plan, ref_cpu) + f" {1.0:6.2f}")
    missed = []
    cold: dict[str, float] = {}
    for name, texts in WHAT_IFS.items():
        changed = apply_overrides(s, parse_overrides(texts, s))
        (p, note), cpu = _timed(
            lambda c=changed: _plan_or_best(lambda: optimise(c, with_greedy=False))
        )
        cold[name] = cpu
        print(_row(name, p, cpu, plan, ref_cpu) + f" {cpu / ref_cpu:6.2f}{note}")
        r = p.solver
        if (
            cpu > 5
            or r.model_gap > 0.005
            or abs(r.daily_model_gap) > 0.05
            or not r.layout.startswith("whole")
        ):
            missed.append(name)
    print(
        f"what-ifs outside the targets (5 s, gap 0.5%, daily 5%, whole convoys): {missed or 'none'}"
    )
    # The same what-ifs re-planned from the built-in's plan, as the workbench and sweeps do:
    # the re-plan target (3 s) is stated for a one-parameter change, and these are eight.
    print()
    print("re-planned from the built-in's plan (warm start):")
    print(HEADER + f" {'/cold':>6s}")
    slow = []
    for name, texts in WHAT_IFS.items():
        changed = apply_overrides(s, parse_overrides(texts, s))
        (p, note), cpu = _timed(
            lambda c=changed: _plan_or_best(lambda: optimise(c, with_greedy=False, warm_start=plan))
        )
        print(_row(name, p, cpu, plan, ref_cpu) + f" {cpu / cold[name]:6.2f}{note}")
        # A re-plan whose closure search ends within the layout's gap of the LP bound is laid
        # out without branch and cut (`solve._within_layout`): its proven gap is then
        # the LP's, up to ROUND_GAP, while a cold plan proves its 0.5%.
        if cpu > 3 or p.solver.model_gap > ROUND_GAP:
            slow.append(name)
    print(f"re-plans outside the target (3 s, gap {ROUND_GAP:.0%}): {slow or 'none'}")


def bench_scaling(max_k: int) -> None:
    print(HEADER + f" {'/1x CPU':>8s} {'k^1.5':>6s}")
    first = None
    for k in (1, 2, 5, 10):
        if k > max_k:
            break
        s = synthetic_mission(13 * k, 13_000 * k, rng=np.random.default_rng(2023))
        base, greedy_cpu = _timed(lambda s=s: greedy_plan(s))
        (plan, note), cpu = _timed(
            lambda s=s: _plan_or_best(lambda: optimise(s, with_greedy=False, mip_gap=0.01))
        )
        first = first or cpu
        print(
            _row(f"{k}x synthetic", plan, cpu, base, greedy_cpu)
            + f" {cpu / first:8.1f} {k**1.5:6.1f}{note}"
        )
        print(f"  CPU seconds by step: {_cpu_steps(plan)}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    which = args[0] if args else "all"
    max_k = int(sys.argv[sys.argv.index("--max-k") + 1]) if "--max-k" in sys.argv else 10
    if which in ("minusma", "all"):
        bench_minusma()
    if which in ("what-ifs", "all"):
        bench_what_ifs()
    if which in ("scaling", "all"):
        bench_scaling(max_k)
