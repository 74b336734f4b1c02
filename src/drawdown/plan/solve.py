"""Solve a strategic model with HiGHS; the solver's status is normalised here, once."""

from __future__ import annotations

import math
import os
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal

import highspy
import numpy as np
from linopy.io import to_highspy

from drawdown.errors import InputError, Problem
from drawdown.network import build_network
from drawdown.plan.build import PlanData, Strategic, build_model, prepare, whole_convoy_lanes
from drawdown.plan.closures import ClosureStart, closure_search
from drawdown.plan.diagnose import InfeasiblePlanError, NoPlanFoundError, explain, precheck
from drawdown.plan.model import Plan
from drawdown.plan.portfolio import Helper
from drawdown.plan.rounding import round_convoys
from drawdown.plan.schedule import Schedule, dispatch, to_plan
from drawdown.scenario.model import Scenario

Status = Literal["optimal", "feasible", "infeasible", "no_solution", "error"]


@dataclass(frozen=True)
class SolveResult:
    """How a solve ended: status, objective and proven bound (constants included), times."""

    status: Status
    objective: float
    bound: float
    gap: float
    solve_s: float
    message: str
    start: ClosureStart | None = None  # the closure search's plan HiGHS started from
    rounded: RoundedResult | None = None  # the whole-convoy plan, when one was found

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")


@dataclass(frozen=True)
class RoundedResult:
    """The whole-convoy solution laid out instead of the relaxed one (relax-and-round)."""

    objective: float  # of the model, unscaled
    gap: float  # to the relaxed model's proven bound, which bounds this solution too
    seconds: float
    message: str


def solve(
    strategic: Strategic,
    *,
    time_limit_s: float = 10.0,
    mip_gap: float = 0.005,
    seed: int = 0,
    threads: int | None = None,
    round_s: float = 0.0,
) -> SolveResult:
    """Solve `strategic`; `strategic.solution` then holds the solution by variable label.

    With `round_s` > 0 and continuous convoys, a whole-convoy solution for the same closure
    order (see `rounding`) replaces it when one is found within `round_s` seconds of the
    start (the rounding gets what the first solve leaves of them).
    """
    m = strategic.model
    options: dict[str, object] = {
        "time_limit": float(time_limit_s),
        "mip_rel_gap": float(mip_gap),
        "random_seed": int(seed),
        "output_flag": False,
        "log_to_console": False,
        "presolve": "on",
    }
    scale = objective_scale(strategic)
    if scale:
        # Costs span ~2e2..6e8 (the constant carrier is the largest): HiGHS warns and its
        # heuristics and cut loop work better on a scaled objective. Measured on MINUSMA
        # with the same time: gap 0.21% instead of 0.83%. The objective, bound and gap it
        # reports are unscaled again (checked against linopy's objective below).
        options["user_objective_scale"] = scale
    if threads:
        options["threads"] = int(threads)
    start = time.perf_counter()
    strategic.solution = None
    strategic.relaxed = None
    helper = None
    first: ClosureStart | None = None
    try:
        with warnings.catch_warnings(), _native_stdout_silenced():
            warnings.simplefilter("ignore")
            # linopy's own matrices (columns in `vlabels` order); we drive HiGHS ourselves so
            # that the same model can also be handed to a second search (`portfolio`).
            highs = to_highspy(m)
            if _use_helper(strategic):
                helper = _start_helper(highs, options, seed)
            for key, value in options.items():
                highs.setOptionValue(key, value)  # type: ignore[arg-type]
            first = _closure_start(strategic, highs, time_limit_s)
            if first is not None:  # the search's time counts against the limit
                highs.setOptionValue("time_limit", max(time_limit_s - first.seconds, 0.5))
            if first is not None and _proven_by_lp(first, mip_gap):
                # Already within the gap of the LP bound: branch and cut, which does not see
                # that bound, would only spend the time the rounding needs (10x: 60 s).
                model_status = "optimal"
                feasible, objective, dual = True, first.objective, math.nan
                values: np.ndarray | None = first.values
            else:
                highs.run()
                model_status = highs.modelStatusToString(highs.getModelStatus()).lower()
                info = highs.getInfo()
                feasible = int(info.primal_solution_status) == 2
                objective = float(info.objective_function_value) if feasible else math.nan
                values = (
                    np.asarray(highs.getSolution().col_value, dtype=float) if feasible else None
                )
                dual = float(getattr(info, "mip_dual_bound", math.nan))
    except Exception as exc:  # the solver failing is reported, never raised at the user
        if helper is not None:
            helper.cancel()
        return SolveResult(
            "error",
            math.nan,
            math.nan,
            math.nan,
            time.perf_counter() - start,
            f"solver error: {exc}",
        )
    condition = model_status
    if first is not None and (not feasible or not objective <= first.objective):
        # HiGHS keeps the search's plan as its incumbent, but when its presolve or root
        # already meets the gap on a large model it may report no solution of its own.
        feasible, objective, values = True, first.objective, first.values
        condition = f"{condition} (closure search)"
    optimal = model_status == "optimal"
    solved = feasible and math.isfinite(objective) and "infeasible" not in condition
    if helper is not None and solved and not optimal:
        # The first search hit its time limit: the second one ends about now as well.
        other = helper.result()
    else:
        other = None
        if helper is not None:
            helper.cancel()  # the gap target is met (or there is nothing to improve)
    elapsed = time.perf_counter() - start
    if "infeasible" in condition:
        return SolveResult("infeasible", math.nan, math.nan, math.nan, elapsed, condition)
    if not solved or values is None:
        return SolveResult("no_solution", math.nan, math.nan, math.nan, elapsed, condition)
    vlabels = np.asarray(m.matrices.vlabels)
    by_label = np.full(int(vlabels.max()) + 1 if vlabels.size else 0, np.nan)
    by_label[vlabels] = values
    strategic.solution = by_label
    # Without a bound from HiGHS (it did not run) the closure search's LP bound stands.
    bound = objective if first is None else -math.inf
    if math.isfinite(dual):
        # HiGHS reports the dual bound of the scaled objective (the primal is unscaled).
        bound = math.ldexp(dual, -scale)
    if other is not None:
        # Both searches solved the same model: the higher bound is proven for it, and the
        # better incumbent is a solution of it.
        bound = max(bound, math.ldexp(other.bound, -scale))
        if other.objective < objective - 1e-9 * max(abs(objective), 1.0):
            objective = other.objective
            by_label[vlabels] = other.values
        condition = f"{condition}+helper"
    if first is not None:
        # The search's LP relaxation bounds the model too: on a model too large for branch
        # and cut to finish its root in time, it is the bound proven.
        bound = max(bound, first.lp_bound)
    bound = min(bound, objective)
    gap = abs(objective - bound) / max(abs(objective), 1e-9)
    normal: Status = "optimal" if optimal or gap <= 1e-9 else "feasible"
    result = SolveResult(normal, objective, bound, gap, elapsed, condition, first)
    if round_s > 0 and _only_closures_integer(strategic):
        left_s = max(round_s - (time.perf_counter() - start), ROUND_MIN_S)
        # ... but never most of the budget: on the 10x mission it finds its whole convoys
        # in 21-29 s or not at all, and the daily layouts still need their time.
        left_s = min(left_s, max(ROUND_MIN_S, ROUND_SHARE * round_s))
        rounded = _round(strategic, highs, by_label[vlabels], bound, left_s)
        if rounded is not None:
            strategic.relaxed = by_label.copy()
            by_label[vlabels] = rounded[1]
            result = replace(result, rounded=rounded[0])
    return result


def _round(
    strategic: Strategic,
    highs: highspy.Highs,
    values: np.ndarray,
    bound: float,
    time_limit_s: float,
) -> tuple[RoundedResult, np.ndarray] | None:
    """Whole convoys for the relaxed solution's closure order, or None if none is found."""
    lanes = strategic.data.lanes
    assert lanes is not None
    cols = _columns(strategic, "convoys_relaxed")
    cols = cols[whole_convoy_lanes(strategic.data)]
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(), _native_stdout_silenced():
            warnings.simplefilter("ignore")
            out = round_convoys(
                highs,
                _columns(strategic, "open"),
                cols[cols >= 0],
                values,
                time_limit_s=time_limit_s,
                mip_gap=ROUND_GAP,
            )
    except Exception:  # rounding is an improvement; the relaxed plan stands without it
        return None
    if out is None or "time" in out.status:
        # Cut short by the clock: which whole convoys it found would depend on the machine's
        # speed, so the plan is laid out from the relaxed solution alone.
        return None
    objective = out.objective  # HiGHS reports the primal objective unscaled
    gap = abs(objective - bound) / max(abs(objective), 1e-9)
    seconds = time.perf_counter() - started
    return RoundedResult(objective, gap, seconds, out.status), out.values


def objective_scale(strategic: Strategic) -> int:
    """Power of two (HiGHS `user_objective_scale`) bringing the largest cost near 1e6."""
    coeffs = strategic.model.objective.coeffs.values
    finite = np.abs(coeffs[np.isfinite(coeffs)])
    largest = float(finite.max()) if finite.size else 0.0
    if largest <= 1e6:
        return 0
    return -min(int(math.ceil(math.log2(largest / 1e6))), 30)


# Capacity factors tried in turn when the daily table leaves people behind (whole convoys
# must wait for escorts and trucks day by day); a retry starts only with time left.
REPAIR_FACTORS = (1.0, 0.85, 0.7)
REPAIR_BUDGET = 0.6  # start a retry only within the first 60% of the time limit
# The whole-convoy rounding stops within 2% of its own bound: on MINUSMA at its root, in
# 2.4 s (4.1 s to 0.5%), and by gap, not by the clock, so the plan is reproducible.
ROUND_GAP = 0.02
# The rounding always gets this long, even past the time limit: laid out from the relaxed
# solution instead, MINUSMA's plan met the deadline in 36% of simulated runs, not 96%.
ROUND_MIN_S = 3.5
ROUND_SHARE = 0.3


@contextmanager
def _native_stdout_silenced() -> Iterator[None]:
    """Silence what native code prints to stdout (HiGHS prints its banner despite options)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a captured or replaced stdout
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _proven_by_lp(start: ClosureStart, mip_gap: float) -> bool:
    """Whether the closure search's plan is within `mip_gap` of its own LP bound."""
    if not np.isfinite(start.objective):
        return False
    return start.objective - start.lp_bound <= mip_gap * max(abs(start.objective), 1e-9)


def _only_closures_integer(strategic: Strategic) -> bool:
    """Whether the closure binaries are the model's only integer variables."""
    convoys = strategic.model.variables["convoys"].labels.values
    return bool(strategic.model.variables["open"].size) and not (convoys >= 0).any()


def _closure_start(
    strategic: Strategic, highs: highspy.Highs, time_limit_s: float
) -> ClosureStart | None:
    """Give HiGHS the closure search's plan to start from, when it is a solution of the model.

    With whole convoys the search's LP solutions are not integral, so HiGHS searches alone.
    """
    if not _only_closures_integer(strategic):
        return None
    cols = _columns(strategic, "open")
    start = closure_search(highs, cols, time_cap_s=0.5 * time_limit_s)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start.values.tolist()
        solution.value_valid = True
        highs.setSolution(solution)
    return start


def _columns(strategic: Strategic, name: str) -> np.ndarray:
    """HiGHS column of each entry of variable `name` (linopy's matrices order them)."""
    vlabels = np.asarray(strategic.model.matrices.vlabels)
    col = np.full(int(vlabels.max()) + 1, -1, dtype=np.int64)
    col[vlabels] = np.arange(vlabels.size)
    labels = strategic.model.variables[name].labels.values
    return np.where(labels >= 0, col[np.maximum(labels, 0)], -1).astype(np.int32)


def _use_helper(strategic: Strategic) -> bool:
    """A second search (another seed) for a model with whole convoys, on a second core.

    Without whole convoys the closure search already gives the branch and cut its plan, and
    a second search would only make the result depend on timing.
    """
    return (
        (os.cpu_count() or 1) >= 2
        and not _only_closures_integer(strategic)
        and bool(strategic.model.variables["open"].size)
    )


def _start_helper(highs: object, options: dict[str, object], seed: int) -> Helper | None:
    try:
        return Helper(highs, {**options, "random_seed": int(seed) + 1, "threads": 1})
    except Exception:  # the helper is an extra: without it the first search still runs
        return None


def _values(strategic: Strategic, name: str) -> np.ndarray:
    """A variable's solution as an array (0 where masked)."""
    var = strategic.model.variables[name]
    sol = strategic.solution
    if sol is None:
        return np.zeros(var.labels.shape)
    labels = var.labels.values
    ok = (labels >= 0) & (labels < sol.size)
    values = np.where(ok, sol[np.where(ok, labels, 0)], np.nan)
    return np.nan_to_num(values, nan=0.0)


def _quota(strategic: Strategic) -> np.ndarray:
    """Convoys (road) or sorties (air) of each lane by period in the solution."""
    lanes = strategic.data.lanes
    assert lanes is not None
    road = _values(strategic, "convoys") + _values(strategic, "convoys_relaxed")
    return np.where(lanes.is_air[:, None], _values(strategic, "units"), road)


def optimise(
    scenario: Scenario,
    *,
    time_limit_s: float = 10.0,
    mip_gap: float = 0.005,
    seed: int = 0,
    period_days: int | None = None,
    with_greedy: bool = True,
    base_attacks: bool = False,
    whole_convoys: bool = False,
) -> Plan:
    """The optimised withdrawal plan of `scenario`, with a feasible daily movement table.

    Solves the strategic model (closure order, flows, disposition by period), lays it out day
    by day, and if the daily table misses the deadline re-solves with derated capacity. Raises
    `InputError` (an `InfeasiblePlanError` carrying the best plan) when the deadline cannot
    be met. `with_greedy` also scores the greedy baseline and records the gain over it.
    `base_attacks` adds the expected base-attack deaths to the model's objective (the daily
    table is always scored with them). `whole_convoys` makes convoys per lane and period
    integer in the model itself; by default they are continuous there (relax-and-round) and
    the daily table lays out whole convoys.
    """
    started = time.perf_counter()
    net = build_network(scenario)
    data = replace(
        prepare(scenario, net, period_days),
        base_attacks=base_attacks,
        integer_convoys=whole_convoys,
    )
    precheck(data)
    deadline_s = started + time_limit_s
    best: tuple[float, Plan] | None = None
    attempts: list[dict[str, object]] = []
    for attempt, factor in enumerate(REPAIR_FACTORS):
        if attempt and time.perf_counter() > started + REPAIR_BUDGET * time_limit_s:
            break  # no time left to repair: keep the best plan so far
        trial = replace(data, capacity_factor=factor)
        t0 = time.perf_counter()
        strategic = build_model(trial)
        build_s = time.perf_counter() - t0
        # Keep a tenth of the limit for the daily schedule.
        remaining = max(deadline_s - time.perf_counter() - 0.1 * time_limit_s, 1.0)
        result = solve(
            strategic,
            time_limit_s=remaining,
            mip_gap=mip_gap,
            seed=seed,
            round_s=remaining,
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
                    f"no plan found within {time_limit_s:g} s ({result.message})",
                    "allow more time (`time_limit_s`)",
                ),
                "no plan found",
            )
        t1 = time.perf_counter()
        schedule, laid_out, guard_waived = _lay_out(trial, strategic)
        info: dict[str, object] = {
            "method": "strategic MILP + daily dispatch",
            "status": result.status,
            "objective_model": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "build_s": round(build_s, 3),
            "solve_s": round(result.solve_s, 3),
            "schedule_s": round(time.perf_counter() - t1, 3),
            "variables": int(strategic.model.nvars),
            "constraints": int(strategic.model.ncons),
            "binaries": int(strategic.model.variables["open"].size),
            "integer_convoys": int((strategic.model.variables["convoys"].labels.values >= 0).sum()),
            "periods": int(trial.n_periods),
            "lanes": int(len(trial.lanes.route)) if trial.lanes is not None else 0,
            "capacity_factor": factor,
            "whole_convoys": trial.integer_convoys,
            "base_attacks": trial.base_attacks,
            "complete": schedule.complete,
            "stranded_people": int(sum(schedule.stranded_people.values())),
            "late_people": schedule.late_people,
            "seed": seed,
        }
        info["laid_out"] = laid_out
        if result.rounded is not None:
            info["whole_convoys_objective"] = result.rounded.objective
            info["whole_convoys_gap"] = result.rounded.gap
            info["whole_convoys_s"] = round(result.rounded.seconds, 3)
        if result.start is not None:
            info["closure_search"] = {
                "lp_solves": result.start.lp_solves,
                "seconds": round(result.start.seconds, 3),
                "lp_bound": result.start.lp_bound,
            }
        if guard_waived:
            info["guard_waived"] = True
        candidate = to_plan(data, schedule, method="optimised", solver=info)
        attempts.append(
            {
                "capacity_factor": factor,
                "gap": result.gap,
                "solve_s": round(result.solve_s, 3),
                "objective_model": result.objective,
                "daily_total": candidate.objective["total"],
                "complete": schedule.complete,
            }
        )
        # A complete plan beats an incomplete one; then the lower total, scored daily.
        score = candidate.objective["total"] + (0.0 if schedule.complete else 1e18)
        if best is None or score < best[0]:
            best = (score, candidate)
        if schedule.complete:
            break
    assert best is not None
    plan = best[1]
    info = dict(plan.solver)
    info["attempts"] = attempts
    if not info["complete"]:
        raise _stranded(plan)
    if with_greedy:
        from drawdown.plan.greedy import greedy_plan

        base = greedy_plan(scenario, data=data)
        g_total = base.objective["total"]
        info["greedy_total"] = g_total
        info["greedy_complete"] = base.solver.get("complete")
        info["gain_over_greedy"] = g_total - plan.objective["total"]
        info["gain_over_greedy_pct"] = (
            100.0 * (g_total - plan.objective["total"]) / max(abs(g_total), 1e-9)
        )
    info["total_s"] = round(time.perf_counter() - started, 3)
    return replace(plan, solver=info)


def _lay_out(data: PlanData, strategic: Strategic) -> tuple[Schedule, str, bool]:
    """The daily table, its source solution and whether the guard had to be waived.

    The whole-convoy solution is laid out when the rounding found one: the dispatcher lays
    out whole convoys, and fractional quotas rounded up lane by lane gave MINUSMA a plan that
    met the deadline in only 36% of simulated runs (97% from the rounded solution, at about
    the same daily score). Only if it strands people are the relaxed solution, then both
    with the guard free to leave whenever a convoy can take it, then both without the
    model's convoy quotas, tried in turn; the first complete table is kept (else the first
    one, with what it strands).
    """
    rounded = strategic.solution
    label = "whole convoys" if strategic.relaxed is not None else "continuous convoys"
    sources = [(label, rounded)]
    if strategic.relaxed is not None:
        sources.append(("continuous convoys", strategic.relaxed))
    first: tuple[Schedule, str, bool] | None = None
    # Last of all, the convoy quotas are lifted too: lanes may then send whatever their
    # escorts, trucks and aircraft allow toward the same targets.
    for keep_guard, quota in ((True, True), (False, True), (False, False)):
        for label, values in sources:
            strategic.solution = values
            schedule = dispatch(
                data,
                _values(strategic, "load"),
                _values(strategic, "left"),
                quota=_quota(strategic) if quota else None,
                keep_guard=keep_guard,
            )
            if schedule.complete:
                return schedule, label, not keep_guard
            first = first or (schedule, label, not keep_guard)
    strategic.solution = rounded
    assert first is not None
    return first


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
            "allow more time (--time-limit), add escorts, trucks or sorties, or move the "
            "deadline; the best plan found is reported",
        )
    ]
    return InfeasiblePlanError(problems, "the deadline cannot be met day by day", plan)


def _infeasible(data: PlanData, time_limit_s: float, seed: int) -> InputError:
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
        method="optimised (elastic)",
        solver={
            "method": "elastic strategic MILP + daily dispatch",
            "status": "infeasible",
            "stranded_people": int(sum(schedule.stranded_people.values())),
        },
    )
    return explain(data, stranded, best)
