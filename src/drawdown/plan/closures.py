"""LP-guided closure search: a primal heuristic that hands HiGHS a good plan to start from.

In the strategic model the hard integer decision is the closure period of each garrisoned
site (`open[n, t]` is 1 for `t < c[n]`). The LP relaxation already settles most of them: on
MINUSMA 185 of 208 `open` values are integral, and the rest belong to a handful of sites
(Kidal and Tessalit, whose cargo trickles out under scarce northern escorts). With the
closure vector fixed, what remains is an LP that a warm-started dual simplex re-solves in a
few hundredths of a second. So the search:

1. solves the LP relaxation;
2. starts every site at the closure period its LP values add up to (sum over t of open);
3. moves the closure of each site with fractional LP values one or two periods earlier or
   later, keeping any move that lowers the objective, until no move helps.

On MINUSMA this finds the optimum of the relaxed-convoy model in about 30 LP solves, where
HiGHS's own sub-MIP heuristics take 6-9 s to find it and depend on the random seed. The
result is a complete solution that HiGHS checks and starts from (`setSolution`), so branch
and cut only has to prove the bound. Everything here is deterministic: the search ends on a
number of LP solves or when no move helps, never on the clock (a safety-net time limit on
each LP only stops a runaway solve, and is then reported). A warm start (the closure order
of a previous plan, e.g. before a one-parameter change) is tried against the LP's own
rounding, and the search moves on from the better of the two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from drawdown.network import IntArray

MOVES = (-1, 1, -2, 2)
IPM_FROM_COLUMNS = 40_000  # first LP by interior point for models this large
# The budget that normally ends the search, so that the plan does not depend on the clock:
# MINUSMA needs 30 LP solves; the 10x mission is within 0.1% of its LP bound after about 25.
MAX_LP_SOLVES = 60
MAX_SWEEPS = 6  # full passes over the fractional sites
# A start this close to the LP bound is left to branch and cut, which closes such a gap at
# its root faster than one LP solve per move (MINUSMA with closure work: 1.6% at the start).
CLOSE_ENOUGH = 0.02


@dataclass(frozen=True)
class ClosureStart:
    """The best closure vector found, its LP solution and what the search cost."""

    closes: IntArray  # (sites,) first closed period of each garrisoned site
    values: np.ndarray  # column values of the model at that closure vector
    objective: float  # of the model (HiGHS reports primal objectives unscaled)
    lp_bound: float  # the LP relaxation's objective: a lower bound on the model
    lp_solves: int
    seconds: float  # information only
    simplex_iterations: int = 0
    time_limit_hit: bool = False
    warm_start: bool = False  # the search started from the caller's closure order
    cpu_seconds: float = 0.0  # information only


def closure_search(
    highs: highspy.Highs,
    open_cols: IntArray,
    *,
    max_lp_solves: int = MAX_LP_SOLVES,
    safety_limit_s: float = 60.0,
    warm_closes: IntArray | None = None,
) -> ClosureStart | None:
    """Search closure vectors on a copy of `highs`' model; None if no LP is feasible.

    `open_cols` holds the column of `open[site, period]` (sites x periods). The copy keeps
    `highs`' options (objective scaling in particular) but is always solved as an LP.
    `warm_closes` (first closed period per site) is evaluated as a second start.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = started + safety_limit_s
    lp = highs.getLp()
    n_cols = int(lp.num_col_)
    work = highspy.Highs()
    work.setOptionValue("output_flag", False)
    for name in ("user_objective_scale", "random_seed", "threads", "time_limit"):
        _status, value = highs.getOptionValue(name)
        work.setOptionValue(name, value)
    work.passModel(lp)
    all_cols = np.arange(n_cols, dtype=np.int32)
    work.changeColsIntegrality(n_cols, all_cols, np.zeros(n_cols, dtype=np.uint8))
    if n_cols > IPM_FROM_COLUMNS:
        # The 10x mission's first LP takes 37-76 s by dual simplex and 20 s by interior
        # point (with crossover, so the re-solves below still start from a basis).
        work.setOptionValue("solver", "ipm")
    work.run()
    iterations = int(work.getInfo().simplex_iteration_count)
    if work.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    # Re-solves change only bounds: warm-started simplex without presolve, which would
    # otherwise throw the basis away (1.8 s instead of 30+ s on the 10x mission).
    work.setOptionValue("solver", "simplex")
    work.setOptionValue("presolve", "off")
    lp_bound = float(work.getInfo().objective_function_value)
    relaxed_open = np.asarray(work.getSolution().col_value)[open_cols]
    n_sites, n_periods = open_cols.shape
    solves = 1
    flat_cols = open_cols.ravel().astype(np.int32)
    period = np.arange(n_periods)[None, :]

    hit = False

    def evaluate(closes: IntArray, *, far: bool = False) -> float:
        """The model's LP at `closes`. A `far` move (a whole new start) is solved afresh
        with presolve: from the last basis it took MINUSMA 4.8 s of CPU, afresh 0.5 s; a
        one-site move re-solves from the basis."""
        nonlocal solves, iterations, hit
        fixed = (period < closes[:, None]).astype(float).ravel()
        work.changeColsBounds(flat_cols.size, flat_cols, fixed, fixed)
        work.setOptionValue("time_limit", max(deadline - time.perf_counter(), 1.0))
        if far:
            work.setOptionValue("presolve", "on")
            work.clearSolver()
        work.run()
        if far:
            work.setOptionValue("presolve", "off")
        solves += 1
        iterations += int(work.getInfo().simplex_iteration_count)
        status = work.getModelStatus()
        hit = hit or status == highspy.HighsModelStatus.kTimeLimit
        if status != highspy.HighsModelStatus.kOptimal:
            return np.inf
        return float(work.getInfo().objective_function_value)

    closes = np.clip(np.rint(relaxed_open.sum(axis=1)), 1, n_periods).astype(np.int64)
    best = evaluate(closes)
    best_values = np.asarray(work.getSolution().col_value) if np.isfinite(best) else None
    if not np.isfinite(best):
        # Rounding to the nearest period can close a site before it can empty: keep every
        # site open for as long as its LP values are positive instead.
        closes = np.clip((relaxed_open > 1e-6).sum(axis=1), 1, n_periods).astype(np.int64)
        best = evaluate(closes)
        if not np.isfinite(best):
            return None
        best_values = np.asarray(work.getSolution().col_value)
    # Rounded to the nearest period, a site the LP half-closes can close before it empties
    # and write off what is left (MINUSMA with closure work: 2.3x the LP bound). Keeping every
    # site open while its LP values are positive is the other natural start: the better one
    # is searched from.
    lasting = np.clip((relaxed_open > 1e-6).sum(axis=1), 1, n_periods).astype(np.int64)
    if not np.array_equal(lasting, closes):
        value = evaluate(lasting, far=True)
        if value < best - 1e-9 * max(abs(best), 1.0):
            best, closes = value, lasting
            best_values = np.asarray(work.getSolution().col_value)
    warm = False
    if warm_closes is not None and warm_closes.shape == closes.shape:
        trial = np.clip(np.asarray(warm_closes, dtype=np.int64), 1, n_periods)
        if not np.array_equal(trial, closes):
            value = evaluate(trial, far=True)
            if value < best - 1e-9 * max(abs(best), 1.0):
                best, closes, warm = value, trial, True
                best_values = np.asarray(work.getSolution().col_value)
    fractional = np.flatnonzero((np.abs(relaxed_open - np.rint(relaxed_open)) > 1e-6).any(axis=1))

    def out_of_budget() -> bool:
        return solves >= max_lp_solves or hit

    if best - lp_bound <= CLOSE_ENOUGH * max(abs(best), 1.0):
        fractional = fractional[:0]  # branch and cut closes the rest at its root

    for _sweep in range(MAX_SWEEPS):
        improved = False
        for site in fractional:
            for step in MOVES:
                if out_of_budget():
                    break
                trial = closes.copy()
                trial[site] += step
                if not 1 <= trial[site] <= n_periods:
                    continue
                value = evaluate(trial)
                if value < best - 1e-9 * max(abs(best), 1.0):
                    best, closes, improved = value, trial, True
                    best_values = np.asarray(work.getSolution().col_value)
                    break  # first improvement: move on to the next site
        if not improved or out_of_budget():
            break
    assert best_values is not None
    return ClosureStart(
        closes=closes,
        values=best_values,
        objective=best,
        lp_bound=lp_bound,
        lp_solves=solves,
        seconds=time.perf_counter() - started,
        simplex_iterations=iterations,
        time_limit_hit=hit,
        warm_start=warm,
        cpu_seconds=time.process_time() - cpu_started,
    )
