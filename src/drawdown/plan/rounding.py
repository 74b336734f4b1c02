"""The round in relax-and-round: whole convoys for the closure order the relaxed model chose.

The strategic model is solved with continuous convoy counts (closure binaries only), which
HiGHS proves to 0.5% in a few seconds. Laid out day by day as it stands, that plan promises
fractions of convoys the dispatcher must round up one lane at a time; on MINUSMA such a plan
met the deadline in only 36% of simulated runs, against 97% from whole convoys. So, keeping
the closure order fixed, the same model is solved once more with whole convoys on every
threatened or escort-limited lane. With the closures fixed this is a far easier integer
program; its solution is a solution of the relaxed model too (a restriction of it), so the
relaxed model's proven bound bounds it as well.

The whole convoys are searched near the relaxed ones first: a lane whose relaxed count is
whole keeps it, a fractional one lies between its value rounded down and one more than
rounded up (RENS, a relaxation-induced neighbourhood, widened by one convoy so that a lane
can take what its neighbour rounded down). Only if that holds no whole-convoy plan near
enough to the bound (the caller's `good_enough`) is the full range searched too, from the
neighbourhood's plan, and the better kept. Keeping the whole lanes fixed makes the
neighbourhood a small problem (MINUSMA: 0.15 s of CPU instead of 1.1-2.0 s with every lane
free by a convoy; the 1x synthetic mission: 0.3 s instead of 3.3 s, and good enough there).
When it is not good enough, the full range finds the plan it would have found anyway
(MINUSMA: 3.4% above the bound, its convoys moved to other lanes of the same corridors).

A re-plan after a small change also has the previous plan's whole convoys (`warm`): the
neighbourhood then spans them too, and they are the start HiGHS completes; MINUSMA with 10%
more trucks finds a plan within its `good_enough` there and skips the full range.

The search ends at the caller's gap (2% of its own bound) or at the end of the root node,
never at the clock, so the same scenario gives the same plan on any machine. The
time limit is only a safety net; its status says when it ended the search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

# The closures-free retry (see `solve._round_closures_free`) ends after this many nodes.
RETRY_NODES = 200
# With the closure order fixed, the root's heuristics find the whole convoys laid out; the
# nodes after it only worked on the bound: the synthetic missions' rounding found the same
# solution at the root as after 200 nodes (1x: 6 s of CPU instead of 17 s; 2x: 15 s instead
# of 43 s, when the safety net ended it and the plan depended on the machine). MINUSMA's
# rounding ends at its root either way.
ROOT_ONLY = 1


@dataclass(frozen=True)
class Rounded:
    objective: float  # of the model (HiGHS reports primal objectives unscaled)
    values: np.ndarray  # by column
    status: str
    simplex_iterations: int = 0
    bnb_nodes: int = 0


def round_convoys(
    highs: highspy.Highs,
    open_cols: np.ndarray,
    convoy_cols: np.ndarray,
    values: np.ndarray,
    *,
    time_limit_s: float,
    mip_gap: float = 0.005,
    good_enough: float = math.inf,
    previous: np.ndarray | None = None,
) -> Rounded | None:
    """Re-solve `highs`' model (in place) with `open_cols` fixed at `values` and whole
    convoys in `convoy_cols`; None when no whole-convoy solution is found. A plan from the
    neighbourhood whose objective is above `good_enough` sends the search to the full range.
    `previous` (whole convoys by entry of `convoy_cols`, NaN where unknown: a previous plan's,
    see `warm_convoys`) widens the neighbourhood to hold them and is the search's start."""
    fixed_cols = np.asarray(open_cols, dtype=np.int32).ravel()
    fixed_cols = fixed_cols[fixed_cols >= 0]
    fixed = np.rint(values[fixed_cols])
    highs.changeColsBounds(fixed_cols.size, fixed_cols, fixed, fixed)
    cols = np.asarray(convoy_cols, dtype=np.int32).ravel()
    if cols.size:
        highs.changeColsIntegrality(cols.size, cols, np.ones(cols.size, dtype=np.uint8))
    highs.setOptionValue("time_limit", max(float(time_limit_s), 0.2))
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    highs.setOptionValue("mip_max_nodes", ROOT_ONLY)
    if not cols.size:
        highs.run()
        return read_rounded(highs)
    lp = highs.getLp()
    lower = np.asarray(lp.col_lower_)[cols]
    upper = np.asarray(lp.col_upper_)[cols]
    relaxed = values[cols]
    # The neighbourhood: a lane whose relaxed count is whole keeps it; a fractional one may
    # round down or up, or take one convoy more for what a neighbour rounded down.
    whole = np.abs(relaxed - np.rint(relaxed)) <= 1e-6
    near_lower = np.clip(np.where(whole, np.rint(relaxed), np.floor(relaxed)), lower, upper)
    near_upper = np.where(whole, np.rint(relaxed), np.ceil(relaxed) + 1.0)
    near_upper = np.clip(near_upper, near_lower, upper)
    known = np.zeros(cols.size, dtype=bool)
    if previous is not None:
        # A re-plan after a small change: the previous plan's convoys, moved into this model's
        # bounds, are a start HiGHS completes (fixing them, it solves the LP for the rest);
        # the neighbourhood spans them and the relaxed ones. MINUSMA with 10% more trucks:
        # 0.2 s of CPU and 0.01% above the cold plan's model objective, where the full range
        # took 2.7 s (the cold neighbourhood held nothing within `good_enough`).
        prev = np.asarray(previous, dtype=float).ravel()
        known = np.isfinite(prev)
        prev = np.clip(np.where(known, np.rint(prev), 0.0), lower, upper)
        near_lower = np.where(known, np.minimum(near_lower, prev), near_lower)
        near_upper = np.where(known, np.maximum(near_upper, prev), near_upper)
    highs.changeColsBounds(cols.size, cols, near_lower, near_upper)
    if known.any():
        picked = cols[known]
        highs.setSolution(int(picked.size), picked, prev[known])
    highs.run()
    near = read_rounded(highs)
    # The model is left with its own bounds, whatever the neighbourhood gave.
    highs.changeColsBounds(cols.size, cols, lower, upper)
    if near is not None and near.objective <= good_enough:
        return near
    # The neighbourhood held no good whole-convoy plan (MINUSMA: 11.8% above the bound,
    # where whole convoys on other lanes are 3.4% above): the full range is searched too,
    # from the neighbourhood's plan, and the better plan kept.
    if near is not None:
        start_from(highs, near.values)
    highs.run()
    full = read_rounded(highs)
    if near is None or (full is not None and full.objective < near.objective):
        return full
    return near


def start_from(highs: highspy.Highs, values: np.ndarray) -> None:
    """Give `highs`' next solve `values` (one per column) as its starting solution."""
    start = highspy.HighsSolution()
    start.col_value = values.tolist()
    start.value_valid = True
    highs.setSolution(start)


def read_rounded(highs: highspy.Highs) -> Rounded | None:
    """The solution `highs` just found, or None when it found none."""
    info = highs.getInfo()
    if int(info.primal_solution_status) != 2:
        return None
    objective = float(info.objective_function_value)
    if not math.isfinite(objective):
        return None
    status = highs.modelStatusToString(highs.getModelStatus()).lower()
    return Rounded(
        objective,
        np.asarray(highs.getSolution().col_value, dtype=float),
        status,
        int(info.simplex_iteration_count),
        int(info.mip_node_count),
    )
