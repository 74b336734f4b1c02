"""Solve a strategic model with HiGHS; the solver's status is normalised here, once.

Every step ends on deterministic criteria: the closure search on a count of LP solves, branch
and cut on the proven gap or a node limit, the whole-convoy rounding on its own gap or at the
end of its root. HiGHS runs on one thread with a fixed random seed, so the same model gives
the same solution on any machine, however loaded. The wall-clock limit is only a safety net:
when it ends a step, `SolveResult.time_limit_hit` says so and the plan records it.
"""

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

from drawdown.network import IntArray
from drawdown.plan.build import Strategic, whole_convoy_lanes
from drawdown.plan.closures import ClosureStart, LpBasis, closure_search
from drawdown.plan.rounding import (
    RETRY_NODES,
    Rounded,
    read_rounded,
    round_convoys,
    start_from,
)

Status = Literal["optimal", "feasible", "infeasible", "no_solution", "error"]

# Branch and cut ends at the gap target or after this many nodes. With the closure search's
# plan as incumbent MINUSMA closes the gap at the root; the whole-convoy model needs nodes.
MAX_NODES = 5_000
# The whole-convoy rounding stops within 2% of its own bound: on MINUSMA at its root. Laid
# out from the relaxed solution instead, MINUSMA's plan met the deadline in 36% of
# simulated runs, not 96%; stopped at 10% it met it in 46%.
ROUND_GAP = 0.02
# When whole convoys for the relaxed closure order cost more than this above the relaxed
# bound, that order was only good for fractional convoys (tiny: 80% above, a plan worse
# than greedy's): the closures are freed and the whole-convoy model searched again from the
# rounded plan, within `RETRY_NODES` nodes. MINUSMA's rounding is 2% above: never retried.
ROUND_RETRY_GAP = 0.10
# The retry is for models of a mission's size: with clearances at 60% MINUSMA's (2,385
# whole-convoy columns) found a plan 10.6% cheaper at its root in 13 s of CPU. The 5x
# synthetic mission's (5,616 columns) had not finished its second node when the safety net
# ended it after 98 s, so its plan depended on the machine, and was no better laid out.
# Larger models keep their fixed-order rounding: a size, not the clock, decides.
RETRY_MAX_COLUMNS = 4_000
# A small model is retried as soon as its rounding misses `ROUND_GAP`: there the retry costs
# a fraction of a second, and a fixed order that whole convoys cannot fit is paid for in
# cargo. Barkhane's (213 columns) rounding was 8.0% above the bound: whole convoys for the
# relaxed closure order left 65 TEU of Menaka's stores behind, written off at ten times
# their value; closures freed, 0.7% above, everything shipped, a daily table 7.8% cheaper,
# for 0.4 s more CPU. The 1x synthetic mission's (856 columns) retry took 34 s more and
# laid out a worse table (53% above its model, not 28%), so it keeps the mission rule.
SMALL_MODEL_COLUMNS = 500
# With the closure search's plan as incumbent, HiGHS's primal heuristics only spend time:
# with RINS, RENS, shifting, ZI rounding and root reduced-cost fixing off, MINUSMA's root
# proves 0.44% in 1.2 s of CPU instead of 8.0 s, at the same bound (measured, 1 thread).
HEURISTICS_OFF = (
    "mip_heuristic_run_root_reduced_cost",
    "mip_heuristic_run_rins",
    "mip_heuristic_run_rens",
    "mip_heuristic_run_zi_round",
    "mip_heuristic_run_shifting",
)


@dataclass(frozen=True)
class SolveResult:
    """How a solve ended: status, objective and proven bound (constants included), work."""

    status: Status
    objective: float
    bound: float
    gap: float
    solve_s: float  # information only
    message: str
    start: ClosureStart | None = None  # the closure search's plan HiGHS started from
    rounded: RoundedResult | None = None  # the whole-convoy plan, when one was found
    simplex_iterations: int = 0
    bnb_nodes: int = 0
    time_limit_hit: bool = False

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def lp_solves(self) -> int:
        return self.start.lp_solves if self.start is not None else 0


@dataclass(frozen=True)
class RoundedResult:
    """The whole-convoy solution laid out instead of the relaxed one (relax-and-round)."""

    objective: float  # of the model, unscaled
    gap: float  # to the relaxed model's proven bound, which bounds this solution too
    seconds: float
    message: str
    simplex_iterations: int = 0
    bnb_nodes: int = 0
    time_limit_hit: bool = False
    closures_freed: bool = False  # the relaxed closure order was re-searched (ROUND_RETRY_GAP)
    cpu_seconds: float = 0.0  # information only
    warm_start: bool = False  # started from a previous plan's whole convoys


def solve(
    strategic: Strategic,
    *,
    time_limit_s: float = 60.0,
    mip_gap: float = 0.005,
    seed: int = 0,
    round_convoys: bool = False,
    warm_closes: IntArray | None = None,
    warm_convoys: np.ndarray | None = None,
    warm_basis: LpBasis | None = None,
) -> SolveResult:
    """Solve `strategic`; `strategic.solution` then holds the solution by variable label.

    With `round_convoys` and continuous convoys, a whole-convoy solution for the same closure
    order (see `rounding`) replaces it when one is found. `warm_closes` (first closed period
    of each garrisoned site, e.g. from a previous plan) is tried by the closure search first,
    which searches less from it when it is the better start (`WARM_LP_SOLVES`);
    `warm_convoys` (a previous plan's whole convoys, by whole-convoy lane and period, NaN
    where unknown) starts the rounding, and `warm_basis` (a previous relaxation's basis) the
    closure search's first LP.
    `time_limit_s` is a safety net for the whole call, not a stopping rule.
    """
    m = strategic.model
    # The clock only times the call and arms the safety net (`time_limit_s`); no step ends on
    # it, and a plan that hits the net records `time_limit_hit` and says so.
    started = time.perf_counter()
    deadline = started + float(time_limit_s)
    scale = objective_scale(strategic)
    options: dict[str, object] = {
        "time_limit": float(time_limit_s),
        "mip_rel_gap": float(mip_gap),
        "mip_max_nodes": MAX_NODES,
        "random_seed": int(seed),
        "threads": 1,  # one thread: the same model gives the same answer on any load
        "output_flag": False,
        "log_to_console": False,
        "presolve": "on",
    }
    fast_replan = _fast_replan(strategic, warm_closes)
    if fast_replan:
        # A re-plan's branch and cut does not restart its root once reduced-cost fixing has
        # fixed some closures (HiGHS presolves and cuts the root again): on MINUSMA's
        # what-ifs re-planned warm that second root was most of the work. Wet roads x0.8:
        # 8.6 -> 5.2 s of CPU, a daily table 0.8% cheaper; handover allowed 4.9 -> 3.6 s,
        # the same table; road approval x0.6 the same time, 0.9% dearer. A cold plan keeps
        # the restart: off, wet roads cold laid out a table 1.8% dearer.
        options["mip_allow_restart"] = False
    if scale:
        # Costs span ~2e2..6e8 (the constant carrier is the largest): HiGHS warns and its
        # cut loop works better on a scaled objective. The objective, bound and gap it
        # reports are unscaled again.
        options["user_objective_scale"] = scale
    strategic.solution = None
    strategic.relaxed = None
    first: ClosureStart | None = None
    iterations, nodes = 0, 0
    try:
        with warnings.catch_warnings(), _native_stdout_silenced():
            warnings.simplefilter("ignore")
            # HiGHS starts one thread pool per process, sized by the first run; a run asking
            # for another size (ours: one thread) then fails with no solution. Reset it so a
            # HiGHS run elsewhere in the process (a user's, linopy's) cannot break ours.
            highspy.Highs.resetGlobalScheduler(True)
            highs = to_highspy(m)
            for key, value in options.items():
                highs.setOptionValue(key, value)  # type: ignore[arg-type]
            first = _closure_start(strategic, highs, time_limit_s, warm_closes, warm_basis)
            if first is not None:
                for key in HEURISTICS_OFF:
                    highs.setOptionValue(key, False)
                highs.setOptionValue("time_limit", _left(deadline))
            if first is not None and _proven_by_lp(first, mip_gap):
                # Already within the gap of the LP bound: branch and cut, which does not see
                # that bound, would only spend time (10x: 60 s).
                model_status = "optimal"
                feasible, objective, dual = True, first.objective, math.nan
                values: np.ndarray | None = first.values
            elif first is not None and round_convoys and fast_replan and _within_layout(first):
                model_status = "feasible (re-plan: the closure search's plan)"
                feasible, objective, dual = True, first.objective, math.nan
                values = first.values
            else:
                highs.run()
                model_status = highs.modelStatusToString(highs.getModelStatus()).lower()
                info = highs.getInfo()
                iterations = int(info.simplex_iteration_count)
                nodes = int(info.mip_node_count)
                feasible = int(info.primal_solution_status) == 2
                objective = float(info.objective_function_value) if feasible else math.nan
                values = (
                    np.asarray(highs.getSolution().col_value, dtype=float) if feasible else None
                )
                dual = proven_bound(highs)
    except Exception as exc:  # the solver failing is reported, never raised at the user
        return SolveResult(
            "error",
            math.nan,
            math.nan,
            math.nan,
            time.perf_counter() - started,
            f"solver error: {exc}",
        )
    hit = "time limit" in model_status or bool(first is not None and first.time_limit_hit)
    if first is not None:
        iterations += first.simplex_iterations
    condition = model_status
    if first is not None and (not feasible or not objective <= first.objective):
        # HiGHS keeps the search's plan as its incumbent, but when its presolve or root
        # already meets the gap on a large model it may report no solution of its own.
        feasible, objective, values = True, first.objective, first.values
        condition = f"{condition} (closure search)"
    optimal = model_status == "optimal"
    solved = feasible and math.isfinite(objective) and "infeasible" not in condition
    elapsed = time.perf_counter() - started
    if "infeasible" in condition or not solved or values is None:
        status: Status = "infeasible" if "infeasible" in condition else "no_solution"
        nan = math.nan
        return SolveResult(
            status, nan, nan, nan, elapsed, condition, None, None, iterations, nodes, hit
        )
    vlabels = np.asarray(m.matrices.vlabels)
    by_label = np.full(int(vlabels.max()) + 1 if vlabels.size else 0, np.nan)
    by_label[vlabels] = values
    strategic.solution = by_label
    # Without a bound from HiGHS (it did not run) the closure search's LP bound stands.
    bound = objective if first is None else -math.inf
    if math.isfinite(dual):
        bound = dual
    if first is not None:
        # The search's LP relaxation bounds the model too: on a model too large for branch
        # and cut to finish its root, it is the bound proven.
        bound = max(bound, first.lp_bound)
    bound = min(bound, objective)
    gap = abs(objective - bound) / max(abs(objective), 1e-9)
    normal: Status = "optimal" if optimal or gap <= 1e-9 else "feasible"
    result = SolveResult(
        normal,
        objective,
        bound,
        gap,
        elapsed,
        condition,
        first,
        simplex_iterations=iterations,
        bnb_nodes=nodes,
        time_limit_hit=hit,
    )
    if round_convoys and _only_closures_integer(strategic):
        rounded = _round(strategic, highs, by_label[vlabels], bound, _left(deadline), warm_convoys)
        if rounded is not None:
            strategic.relaxed = by_label.copy()
            by_label[vlabels] = rounded[1]
            result = replace(result, rounded=rounded[0])
    return result


def _left(deadline: float) -> float:
    """Seconds left of the safety net (never less than a second: the net is not a budget)."""
    return max(deadline - time.perf_counter(), 1.0)


def _round(
    strategic: Strategic,
    highs: highspy.Highs,
    values: np.ndarray,
    bound: float,
    time_limit_s: float,
    previous: np.ndarray | None = None,
) -> tuple[RoundedResult, np.ndarray] | None:
    """Whole convoys for the relaxed solution's closure order, or None if none is found."""
    cols = _columns(strategic, "convoys_relaxed")
    cols = cols[whole_convoy_lanes(strategic.data)]
    started, cpu_started = time.perf_counter(), time.process_time()
    for key in HEURISTICS_OFF:  # the rounding needs HiGHS's heuristics to find whole convoys
        highs.setOptionValue(key, True)
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
                # within the retry gap of the relaxed bound, or the full range is searched
                good_enough=bound / (1.0 - ROUND_RETRY_GAP) if bound > 0 else math.inf,
                previous=None if previous is None else previous[cols >= 0],
            )
    except Exception:  # the rounding is an improvement: without it the relaxed plan stands
        return None
    if out is None:
        return None
    gap = abs(out.objective - bound) / max(abs(out.objective), 1e-9)
    freed = False
    if gap > _retry_gap(whole_convoy_columns(strategic)):
        retried = _round_closures_free(strategic, highs, out, time_limit_s)
        freed, out = retried is not out, retried
        gap = abs(out.objective - bound) / max(abs(out.objective), 1e-9)
    seconds = time.perf_counter() - started
    result = RoundedResult(
        out.objective,
        gap,
        seconds,
        out.status,
        out.simplex_iterations,
        out.bnb_nodes,
        "time limit" in out.status,
        freed,
        time.process_time() - cpu_started,
        previous is not None,
    )
    return result, out.values


def _retry_gap(columns: int) -> float:
    """How far above the relaxed bound whole convoys for the relaxed closure order may be
    before the closures are freed and searched again, for a model of `columns` whole-convoy
    columns (`SMALL_MODEL_COLUMNS`, `ROUND_RETRY_GAP`; never above `RETRY_MAX_COLUMNS`)."""
    if columns <= SMALL_MODEL_COLUMNS:
        return ROUND_GAP
    return ROUND_RETRY_GAP if columns <= RETRY_MAX_COLUMNS else math.inf


def _round_closures_free(
    strategic: Strategic, highs: highspy.Highs, rounded: Rounded, time_limit_s: float
) -> Rounded:
    """The whole-convoy model with its closures free again, started from `rounded`; the
    better of the two (the search ends on the gap or after `RETRY_NODES` nodes)."""
    cols = np.asarray(_columns(strategic, "open"), dtype=np.int32).ravel()
    cols = cols[cols >= 0]
    try:
        with warnings.catch_warnings(), _native_stdout_silenced():
            warnings.simplefilter("ignore")
            highs.changeColsBounds(cols.size, cols, np.zeros(cols.size), np.ones(cols.size))
            start_from(highs, rounded.values)
            highs.setOptionValue("time_limit", max(float(time_limit_s), 0.2))
            highs.setOptionValue("mip_max_nodes", RETRY_NODES)
            highs.run()
            found = read_rounded(highs)
            if found is None or not found.objective < rounded.objective:
                return rounded
            return replace(
                found,
                simplex_iterations=rounded.simplex_iterations + found.simplex_iterations,
                bnb_nodes=rounded.bnb_nodes + found.bnb_nodes,
            )
    except Exception:  # an improvement only: the fixed-order rounding stands
        return rounded


def proven_bound(highs: highspy.Highs) -> float:
    """The dual bound of HiGHS's last MIP run, on the model's own (unscaled) objective.

    HiGHS logs the bound of the scaled objective but reports it unscaled, like the primal
    objective. Scaling it again (x 2^10 on MINUSMA) put the bound above the objective, and
    the plan reported a proven gap of 0% where HiGHS had proven 0.48%.
    """
    return float(getattr(highs.getInfo(), "mip_dual_bound", math.nan))


def objective_scale(strategic: Strategic) -> int:
    """Power of two (HiGHS `user_objective_scale`) bringing the largest cost near 1e6."""
    coeffs = strategic.model.objective.coeffs.values
    finite = np.abs(coeffs[np.isfinite(coeffs)])
    largest = float(finite.max()) if finite.size else 0.0
    if largest <= 1e6:
        return 0
    return -min(int(math.ceil(math.log2(largest / 1e6))), 30)


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


def _fast_replan(strategic: Strategic, warm_closes: IntArray | None) -> bool:
    """Whether this solve is a re-plan (from a previous plan's closures) that is worked for
    speed: one of a model above `SMALL_MODEL_COLUMNS`. A small model's branch and cut
    costs a fraction of a second, so it is solved as a cold plan is."""
    return warm_closes is not None and whole_convoy_columns(strategic) > SMALL_MODEL_COLUMNS


def _within_layout(start: ClosureStart) -> bool:
    """Whether a re-plan (`_fast_replan`) lays out the closure search's plan as it stands,
    without branch and cut.

    The whole-convoy layout stops within `ROUND_GAP` of its own bound, so a closure order
    less than that better in the relaxed model is below what the layout resolves. A re-plan
    (from a previous plan's closures) whose search ends within it of the LP bound is laid
    out as it stands; its bound is then the LP's, and its gap says so. On MINUSMA's what-ifs
    (`bench_plan.py what-ifs`) branch and cut from within 2% only proved the bound: the
    plans laid out were the same, in half the CPU. A cold plan keeps branch and cut, to
    prove its model within `mip_gap`, and so does a small model (`_fast_replan`).
    """
    if not np.isfinite(start.objective):
        return False
    return start.objective - start.lp_bound <= ROUND_GAP * max(abs(start.objective), 1e-9)


def _only_closures_integer(strategic: Strategic) -> bool:
    """Whether the closure binaries are the model's only integer variables."""
    convoys = strategic.model.variables["convoys"].labels.values
    return bool(strategic.model.variables["open"].size) and not (convoys >= 0).any()


def _closure_start(
    strategic: Strategic,
    highs: highspy.Highs,
    time_limit_s: float,
    warm_closes: IntArray | None,
    warm_basis: LpBasis | None = None,
) -> ClosureStart | None:
    """Give HiGHS the closure search's plan to start from, when it is a solution of the model.

    With whole convoys the search's LP solutions are not integral, so HiGHS searches alone.
    """
    if not _only_closures_integer(strategic):
        return None
    cols = _columns(strategic, "open")
    start = closure_search(
        highs,
        cols,
        safety_limit_s=time_limit_s,
        warm_closes=warm_closes,
        warm_basis=warm_basis,
        supports=_support_rows(strategic),
    )
    if start is not None:
        start_from(highs, start.values)
    return start


def _support_rows(strategic: Strategic) -> IntArray:
    """(supporter, supported) rows of the `open` variable for the model's support pairs."""
    nodes = strategic.model.variables["open"].labels.coords["node"].values.tolist()
    row = {n: i for i, n in enumerate(nodes)}
    work = strategic.data.work
    pairs = [] if work is None else work.supports
    rows = [(row[a], row[b]) for a, b in pairs if a in row and b in row]
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


def whole_convoy_columns(strategic: Strategic) -> int:
    """The rounding's whole-convoy columns: the size that decides whether a model of this
    size is searched again (`RETRY_MAX_COLUMNS`), not the clock."""
    if "convoys_relaxed" not in strategic.model.variables:
        return 0
    labels = strategic.model.variables["convoys_relaxed"].labels.values
    return int((labels[whole_convoy_lanes(strategic.data)] >= 0).sum())


def _columns(strategic: Strategic, name: str) -> np.ndarray:
    """HiGHS column of each entry of variable `name` (linopy's matrices order them)."""
    vlabels = np.asarray(strategic.model.matrices.vlabels)
    col = np.full(int(vlabels.max()) + 1, -1, dtype=np.int64)
    col[vlabels] = np.arange(vlabels.size)
    labels = strategic.model.variables[name].labels.values
    return np.where(labels >= 0, col[np.maximum(labels, 0)], -1).astype(np.int32)


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
