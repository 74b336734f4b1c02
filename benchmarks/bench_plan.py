"""Planner benchmark: MINUSMA and a 10x synthetic mission (run by hand, not by the tests).

Targets (issue 3, 2-core machine): MINUSMA within 0.5% of the solver's proven bound for the
model solved, with a feasible daily movement table, in <= 10 s; a 10x mission (130 sites,
130,000 people) within 1% in <= 120 s. Prints model size, build and solve times, the gap,
the greedy baseline's time (the reference measured in the same run) and the optimiser's gain
over it, and how far the daily table is from the model's objective.

    .venv/bin/python benchmarks/bench_plan.py [minusma|10x|all] [--whole-convoys]

`--whole-convoys` solves the model with whole convoys in it (the pre-relax-and-round default),
for comparison.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import drawdown
from drawdown.plan import greedy_plan, optimise
from drawdown.scenario.model import Scenario

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import synthetic_mission  # noqa: E402


def bench(
    name: str, scenario: Scenario, time_limit_s: float, target_gap: float, whole: bool
) -> None:
    t0 = time.perf_counter()
    base = greedy_plan(scenario)
    greedy_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = optimise(scenario, time_limit_s=time_limit_s, with_greedy=False, whole_convoys=whole)
    wall = time.perf_counter() - t0
    info = plan.solver
    gap = float(info["gap"])  # type: ignore[arg-type]
    gain = base.objective["total"] - plan.objective["total"]
    print(
        f"== {name}: {len(scenario.sites)} sites, {scenario.total_people:,} people, "
        f"{scenario.total_containers_teu:,.0f} TEU, {scenario.total_vehicles:,} vehicles, "
        f"{scenario.horizon_days} days"
    )
    print(
        f"model: {info['variables']:,} variables ({info['binaries']} closure binaries, "
        f"{info['integer_convoys']} integer convoys), {info['constraints']:,} constraints, "
        f"{info['periods']} periods, {info['lanes']} lanes, capacity factor "
        f"{info['capacity_factor']}"
    )
    print(
        f"build {info['build_s']} s, solve {info['solve_s']} s, daily schedule "
        f"{info['schedule_s']} s, optimise wall {wall:.1f} s (limit {time_limit_s:g} s); "
        f"greedy {greedy_s:.2f} s (optimise / greedy = {wall / max(greedy_s, 1e-9):.0f}x)"
    )
    for a in info.get("attempts", []):  # type: ignore[union-attr]
        print(
            f"  attempt: capacity x{a['capacity_factor']}, gap {100 * a['gap']:.3f}%, solve "
            f"{a['solve_s']} s, model {a['objective_model']:,.0f}, daily "
            f"{a['daily_total']:,.0f}, complete {a['complete']}"
        )
    if "whole_convoys_objective" in info:
        print(
            f"whole convoys for that closure order: model "
            f"{float(info['whole_convoys_objective']):,.0f}, "  # type: ignore[arg-type]
            f"{100 * float(info['whole_convoys_gap']):.3f}% above the proven bound, "  # type: ignore[arg-type]
            f"{info['whole_convoys_s']} s"
        )
    if "closure_search" in info:
        cs = info["closure_search"]
        print(
            f"closure search: {cs['lp_solves']} LP solves in {cs['seconds']} s; "  # type: ignore[index]
            f"LP bound {float(cs['lp_bound']):,.0f}"  # type: ignore[index]
        )
    print(
        f"gap {100 * gap:.3f}% of the proven bound (target {100 * target_gap:.1f}%): "
        f"{'met' if gap <= target_gap else 'NOT met'}; time target "
        f"{'met' if wall <= time_limit_s else 'NOT met'}"
    )
    print(
        f"daily table complete: {info['complete']} (stranded {info['stranded_people']}, "
        f"late {info['late_people']}); model objective {float(info['objective_model']):,.0f}"  # type: ignore[arg-type]
        f", daily plan {plan.objective['total']:,.0f}"
    )
    print(
        f"greedy total {base.objective['total']:,.0f} (complete: "
        f"{base.solver.get('complete')}); gain {gain:,.0f} "
        f"({100 * gain / max(abs(base.objective['total']), 1e-9):.1f}%)"
    )
    for key in ("casualties", "cargo_lost", "protection_gap", "running_cost", "base_attacks"):
        print(
            f"  {key:15s} optimised {plan.objective[key]:>16,.0f}   greedy "
            f"{base.objective[key]:>16,.0f}"
        )


def main(which: str, whole: bool) -> None:
    if which in ("minusma", "all"):
        bench("minusma-2023", drawdown.load_scenario("minusma-2023"), 10.0, 0.005, whole)
    if which in ("10x", "all"):
        s = synthetic_mission(130, 130_000, rng=np.random.default_rng(2023))
        bench("10x synthetic", s, 120.0, 0.01, whole)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(args[0] if args else "all", "--whole-convoys" in sys.argv)
