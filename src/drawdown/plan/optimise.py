"""The planner's front door: prepare, build, solve, assign; repair when the days fall short.

`optimise` is deterministic: the same scenario, options and seed give the same plan, byte
for byte, whatever the load on the machine. Every step ends on counts or gaps (see `solve`);
repairs try a fixed list of capacity factors in turn. `time_limit_s` is a safety net over
the whole call: if it ends a step, the plan's record says so (`time_limit_hit`) and the
commands print it.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from drawdown.errors import Problem
from drawdown.network import build_network
from drawdown.plan.assign import assign
from drawdown.plan.build import PlanData, Strategic, build_model, prepare
from drawdown.plan.diagnose import explain, precheck
from drawdown.plan.errors import InfeasiblePlanError, NoPlanFoundError, Shortfall
from drawdown.plan.model import Plan
from drawdown.plan.record import Attempt, SolverRecord
from drawdown.plan.schedule import dispatch, to_plan
from drawdown.plan.solve import RETRY_MAX_COLUMNS, _quota, _values, solve, whole_convoy_columns
from drawdown.plan.warm import warm_basis, warm_closes, warm_convoys
from drawdown.scenario.model import Scenario

# Capacity factors tried in turn when the daily table leaves people behind (whole convoys
# must wait for escorts and trucks day by day). All are tried until one is complete: a
# count, not a clock, ends the repairs.
REPAIR_FACTORS = (1.0, 0.85, 0.7)
# A complete daily table this far above the solution it lays out (0.5: half again its cost)
# has fallen short of it as surely as one that strands people: the model ran trucks and
# escorts at capacity to the last days, and whole convoys, back only after whole round trips,
# could not keep up, so the cargo it ships is written off at ten times its value. The next
# factor is tried once, from this plan's closure order, and the cheaper table kept: the 2x
# synthetic mission's table 728 M -> 326 M (MINUSMA's is 3% above its solution).
# Once, because at 10x a third solve cost 55 s of CPU for a table 5 times dearer; only for
# tables of whole convoys laid out from whole convoys (10x lays out continuous ones, and its
# derated solve, 96 s of CPU, ran into the safety net); and, like the rounding's retry, only
# in models of a mission's size (`solve.RETRY_MAX_COLUMNS`): the 5x mission's second solve
# (2,089 M -> 1,314 M) took its plan to 107 s of the 120 s net, so that a slower machine
# would have ended it on the clock. A size, not the clock, decides.
DAILY_SHORTFALL = 0.5
DEFAULT_TIME_LIMIT_S = 120.0  # a safety net: MINUSMA needs a few seconds


def optimise(
    scenario: Scenario,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mip_gap: float = 0.005,
    seed: int = 0,
    period_days: int | None = None,
    with_greedy: bool = True,
    base_attacks: bool = True,
    whole_convoys: bool = False,
    warm_start: Plan | None = None,
) -> Plan:
    """The optimised withdrawal plan of `scenario`, with a feasible daily movement table.

    Solves the strategic model (closure order, flows, disposition by period), lays it out day
    by day, and if the daily table misses the deadline re-solves with derated capacity. Raises
    `InfeasiblePlanError` (carrying the best plan found, marked `solver.best_found`) when the
    deadline cannot be met, `NoPlanFoundError` when no plan at all was found.
    `with_greedy` also scores the greedy baseline and records the gain over it.
    `base_attacks` keeps the expected base-attack deaths in the model's objective, as the
    daily table is scored (False: leave them out of the model, a faster and blinder plan
    that keeps sites open for no reason it sees). `whole_convoys` makes convoys per lane and period
    integer in the model itself; by default they are continuous there (relax-and-round) and
    the daily table lays out whole convoys. `warm_start` (a previous plan of a similar
    scenario, e.g. before a one-parameter change) gives the closure search its closure order
    as a second start and a shorter budget, its first LP the previous relaxation's basis,
    and the rounding its whole convoys (see `warm`):
    a re-plan in about two thirds of the CPU time after a small change (`bench_plan.py
    what-ifs`: 0.57-1.54 of cold over eight), which may differ from a cold plan of the changed
    scenario as any two near-optimal plans do.
    `seed` is HiGHS's random seed. `time_limit_s` is a safety net, not a budget.
    """
    started = time.perf_counter()
    t0 = time.process_time()
    net = build_network(scenario)
    data = replace(
        prepare(scenario, net, period_days),
        base_attacks=base_attacks,
        integer_convoys=whole_convoys,
    )
    precheck(data)
    deadline_s = started + time_limit_s
    best: tuple[float, Plan] | None = None
    attempts: list[Attempt] = []
    start_from = warm_start
    for attempt, factor in enumerate(REPAIR_FACTORS):
        trial = replace(data, capacity_factor=factor)
        t_build, c_build = time.perf_counter(), time.process_time()
        strategic = build_model(trial)
        build_s = time.perf_counter() - t_build
        c_solve = time.process_time()
        warm = warm_closes(trial, strategic, start_from) if start_from is not None else None
        convoys = warm_convoys(trial, start_from) if start_from is not None else None
        result = solve(
            strategic,
            time_limit_s=max(deadline_s - time.perf_counter(), 1.0),
            mip_gap=mip_gap,
            seed=seed,
            round_convoys=True,
            warm_closes=warm,
            warm_convoys=convoys,
            warm_basis=warm_basis(start_from) if start_from is not None else None,
        )
        if result.status == "infeasible":
            if best is not None:
                break  # derating made it infeasible: keep the plan we have
            raise _infeasible(trial, time_limit_s, seed)
        if not result.has_solution:
            if best is not None:
                break
            raise NoPlanFoundError(
                Problem(
                    "scenario",
                    "",
                    f"the solver found no plan within its safety-net time limit of "
                    f"{time_limit_s:g} s ({result.message})",
                    "allow more time (--time-limit)",
                ),
                "no plan found",
                time_limit_s,
            )
        t_lay, c_lay = time.perf_counter(), time.process_time()
        seconds = {
            "build": round(build_s, 3),
            "solve": round(result.solve_s, 3),
            # CPU seconds too: on a shared machine they, not the clock, say what a step costs.
            "cpu_build": round(c_solve - c_build, 3),
            "cpu_solve": round(c_lay - c_solve, 3),
        }
        if result.rounded is not None:
            seconds["round"] = round(result.rounded.seconds, 3)
            seconds["cpu_round"] = round(result.rounded.cpu_seconds, 3)
        if result.start is not None:
            seconds["cpu_closures"] = round(result.start.cpu_seconds, 3)
        candidate, _layout = assign(
            trial,
            strategic,
            result,
            seed=seed,
            time_limit_s=time_limit_s,
            seconds=seconds,
            # (a derated attempt started from the first one's order is no re-plan)
            warm_start=warm_start is not None
            and (
                bool(result.start is not None and result.start.warm_start)
                or bool(result.rounded is not None and result.rounded.warm_start)
            ),
        )
        seconds["schedule"] = round(time.perf_counter() - t_lay, 3)
        seconds["cpu_schedule"] = round(time.process_time() - c_lay, 3)
        work = replace(candidate.solver.work, seconds=seconds)
        candidate = replace(candidate, solver=replace(candidate.solver, work=work))
        if factor < 1.0:
            fallback = ", ".join(
                x for x in (candidate.solver.fallback, f"derated capacity x{factor:g}") if x
            )
            candidate = replace(candidate, solver=replace(candidate.solver, fallback=fallback))
        complete = candidate.solver.complete
        attempts.append(
            Attempt(factor, result.gap, result.objective, candidate.objective["total"], complete)
        )
        # A complete plan beats an incomplete one; then the lower total, scored daily.
        score = candidate.objective["total"] + (0.0 if complete else 1e18)
        if best is None or score < best[0]:
            best = (score, candidate)
        if complete and (attempt > 0 or not _fell_short(candidate, strategic)):
            break  # a table that fell short is derated once
        if complete and warm_start is None:
            start_from = candidate  # derate from the order this plan found
        if candidate.solver.time_limit_hit or attempt == len(REPAIR_FACTORS) - 1:
            break  # the safety net is spent: keep the best plan so far
    assert best is not None
    plan = best[1]
    record = replace(plan.solver, attempts=tuple(attempts))
    if not record.complete:
        record = replace(record, best_found=True)
        raise _stranded(replace(plan, solver=record, method="optimised (best found)"))
    if with_greedy:
        from drawdown.plan.greedy import greedy_plan

        base = greedy_plan(scenario, data=data)
        g_total = base.objective["total"]
        gain = g_total - plan.objective["total"]
        record = replace(
            record,
            greedy_total=g_total,
            greedy_complete=base.solver.complete,
            gain_over_greedy=gain,
            gain_over_greedy_pct=100.0 * gain / max(abs(g_total), 1e-9),
        )
    seconds = dict(record.work.seconds)
    seconds["total"] = round(time.perf_counter() - started, 3)
    seconds["cpu"] = round(time.process_time() - t0, 3)
    record = replace(record, work=replace(record.work, seconds=seconds))
    return replace(plan, solver=record)


def _fell_short(plan: Plan, strategic: Strategic) -> bool:
    """A daily table of whole convoys far above the whole-convoy solution it lays out
    (`DAILY_SHORTFALL`), in a model of a mission's size (`RETRY_MAX_COLUMNS`). A table laid
    out from continuous convoys is measured against a model without them, so its gap is not
    the days falling short of it."""
    record = plan.solver
    if not np.isfinite(record.laid_out_objective):
        return False
    if whole_convoy_columns(strategic) > RETRY_MAX_COLUMNS:
        return False
    return bool(np.isfinite(record.daily_model_gap) and record.daily_model_gap > DAILY_SHORTFALL)


def _stranded(plan: Plan) -> InfeasiblePlanError:
    """The model met the deadline but no daily table kept it: say where people remain."""
    stranded = int(plan.figures.get("stranded_people", 0))
    late = int(plan.figures.get("late_people", 0))
    problems = [
        Problem(
            "scenario",
            "",
            f"the plan meets the deadline by period, but no day-by-day schedule of whole convoys "
            f"and sorties kept it: {stranded} people would remain in theatre and {late} would "
            "leave after their contingent's deadline",
            "add escorts, trucks or sorties, or move the deadline; the best plan found is reported",
        )
    ]
    return InfeasiblePlanError(
        problems,
        "the deadline cannot be met day by day",
        plan,
        (Shortfall("", stranded + late, "daily schedule"),),
    )


def _infeasible(data: PlanData, time_limit_s: float, seed: int) -> InfeasiblePlanError:
    """Solve the elastic model and turn what it strands into an explanation."""
    strategic = build_model(data, elastic=True)
    result = solve(strategic, time_limit_s=max(time_limit_s, 5.0), mip_gap=0.01, seed=seed)
    if not result.has_solution:
        return explain(data, np.zeros((len(data.people), len(data.nodes))), None)
    stranded = _values(strategic, "stranded")
    schedule = dispatch(
        data, _values(strategic, "load"), _values(strategic, "left"), quota=_quota(strategic)
    )
    best = to_plan(
        data,
        schedule,
        method="optimised (best found)",
        solver=SolverRecord(
            method="elastic strategic MILP + daily dispatch",
            status="infeasible",
            layout="continuous convoys",
            model_objective=result.objective,
            model_bound=result.bound,
            model_gap=result.gap,
            seed=seed,
            complete=schedule.complete,
            stranded_people=int(sum(schedule.stranded_people.values())),
            late_people=int(schedule.late_people),
            best_found=True,
            time_limit_hit=result.time_limit_hit,
        ),
    )
    return explain(data, stranded, best)


__all__ = ["DAILY_SHORTFALL", "REPAIR_FACTORS", "optimise"]
