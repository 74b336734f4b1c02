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
and cut only has to prove the bound. Everything here is deterministic: the budget is a
number of LP solves, with a wall-clock cap only as a safeguard for very large models.
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


@dataclass(frozen=True)
class ClosureStart:
    """The best closure vector found, its LP solution and what the search cost."""

    closes: IntArray  # (sites,) first closed period of each garrisoned site
    values: np.ndarray  # column values of the model at that closure vector
    objective: float  # of the model (HiGHS reports primal objectives unscaled)
    lp_bound: float  # the LP relaxation's objective: a lower bound on the model
    lp_solves: int
    seconds: float


def closure_search(
    highs: highspy.Highs,
    open_cols: IntArray,
    *,
    max_lp_solves: int = MAX_LP_SOLVES,
    time_cap_s: float = 5.0,
) -> ClosureStart | None:
    """Search closure vectors on a copy of `highs`' model; None if no LP is feasible.

    `open_cols` holds the column of `open[site, period]` (sites x periods). The copy keeps
    `highs`' options (objective scaling in particular) but is always solved as an LP.
    """
    started = time.perf_counter()
    lp = highs.getLp()
    n_cols = int(lp.num_col_)
    work = highspy.Highs()
    work.setOptionValue("output_flag", False)
    for name in ("user_objective_scale", "random_seed", "threads"):
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

    def evaluate(closes: IntArray) -> float:
        nonlocal solves
        fixed = (period < closes[:, None]).astype(float).ravel()
        work.changeColsBounds(flat_cols.size, flat_cols, fixed, fixed)
        work.run()
        solves += 1
        if work.getModelStatus() != highspy.HighsModelStatus.kOptimal:
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
    fractional = np.flatnonzero((np.abs(relaxed_open - np.rint(relaxed_open)) > 1e-6).any(axis=1))

    def out_of_budget() -> bool:
        return solves >= max_lp_solves or time.perf_counter() - started > time_cap_s

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
    )
