"""LP-guided closure search: a primal heuristic that hands HiGHS a good plan to start from.

In the strategic model the hard integer decision is the closure period of each garrisoned
site (`open[n, t]` is 1 for `t < c[n]`). The LP relaxation already settles most of them: on
MINUSMA 185 of 208 `open` values are integral, and the rest belong to a handful of sites
(Kidal and Tessalit, whose cargo trickles out under scarce northern escorts). With the
closure vector fixed, what remains is an LP that a warm-started dual simplex re-solves in a
few hundredths of a second. So the search:

1. solves the LP relaxation;
2. starts every site at the closure period its LP values add up to (sum over t of open),
   and also at the last period its LP values are positive (shortened a period at a time
   until it fits: the LP keeps the HQ and hubs a few percent open to the end; where the
   sites they support do not fit that long together, those are taken halfway back);
3. moves the closure of each site with fractional LP values one or two periods earlier or
   later, repeating a move while it helps, until no move helps.

Closures are coupled: the HQ and the hubs stay open while a site they support is open, and
the bounds of a site's `open` columns limit its closure. A move therefore carries the sites
it drags along (a hub moved later takes the HQ with it; moved earlier, the sites it
supports), and every start and move keeps each site inside its bounds. Moving one site at a
time without this, every move of a hub or the HQ was infeasible, and MINUSMA's search
stopped at 1.67e9, 76% above the optimum, which branch and cut then took 64 nodes (9 s of
CPU) to find. With it, MINUSMA's search reaches 9.436e8 in 38 LP solves (about 3 s of CPU),
below what branch and cut had found, and the root proves it within 0.5%. Solutions already
seen are not solved again, and a direction whose one-period move does not fit is not tried
two periods out.

The result is a complete solution that HiGHS checks and starts from (`setSolution`), so branch
and cut only has to prove the bound. Everything here is deterministic: the search ends on a
number of LP solves or when no move helps, never on the clock (a safety-net time limit on
each LP only stops a runaway solve, and is then reported). A warm start (the closure order
of a previous plan, e.g. before a one-parameter change) is tried against the LP's own
rounding, and the search moves on from the better of the two (from the warm start, within
`WARM_LP_SOLVES`). Its first LP starts from the previous relaxation's basis when the model has
the same shape (`LpBasis`): after 10% more trucks MINUSMA's re-plan then takes 18,666 simplex
iterations instead of 24,717 (its first LP afresh takes about 6,000) and 2.8 s of CPU
instead of 3.2 s.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from drawdown.network import IntArray

#: An LP basis as HiGHS's status codes (`HighsBasisStatus`) of the columns and the rows.
LpBasis = tuple[np.ndarray, np.ndarray]

MOVES = (-1, 1, -2, 2)
IPM_FROM_COLUMNS = 40_000  # first LP by interior point for models this large
# The budget that normally ends the search, so that the plan does not depend on the clock:
# MINUSMA needs 30 LP solves; the 10x mission is within 0.1% of its LP bound after about 25.
MAX_LP_SOLVES = 60
# A re-plan whose previous closure order beats the LP's starts only adjusts it: MINUSMA with
# 10% more trucks reaches the cold search's plan (byte for byte) within 8 to 30 LP solves,
# while 60 walked on to another order whose daily table was worse.
WARM_LP_SOLVES = 10
MAX_SWEEPS = 6  # full passes over the fractional sites
LASTING_TRIES = 3  # periods the longest-lasting start may be shortened to fit
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
    lp_basis: LpBasis | None = None  # the relaxation's optimal basis: a re-plan's start


def closure_search(
    highs: highspy.Highs,
    open_cols: IntArray,
    *,
    max_lp_solves: int = MAX_LP_SOLVES,
    warm_lp_solves: int = WARM_LP_SOLVES,
    safety_limit_s: float = 60.0,
    warm_closes: IntArray | None = None,
    warm_basis: LpBasis | None = None,
    supports: IntArray | None = None,
) -> ClosureStart | None:
    """Search closure vectors on a copy of `highs`' model; None if no LP is feasible.

    `open_cols` holds the column of `open[site, period]` (sites x periods). The copy keeps
    `highs`' options (objective scaling in particular) but is always solved as an LP.
    `warm_closes` (first closed period per site) is evaluated as a second start; when it is
    the better start, the search ends after `warm_lp_solves` LP solves instead. `warm_basis`
    (a previous relaxation's basis) starts the first LP when it fits the model's shape.
    `supports` holds (supporter, supported) rows of `open_cols`: the supporter closes no
    earlier than the site it supports.
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
    if _set_basis(work, warm_basis):
        # simplex from that basis: presolve would solve a reduced model afresh
        work.setOptionValue("solver", "simplex")
        work.setOptionValue("presolve", "off")
    work.run()
    iterations = int(work.getInfo().simplex_iteration_count)
    if work.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    lp_basis = _basis_of(work)
    # Re-solves change only bounds: warm-started simplex without presolve, which would
    # otherwise throw the basis away (1.8 s instead of 30+ s on the 10x mission).
    work.setOptionValue("solver", "simplex")
    work.setOptionValue("presolve", "off")
    lp_bound = float(work.getInfo().objective_function_value)
    relaxed_open = np.asarray(work.getSolution().col_value)[open_cols]
    n_sites, n_periods = open_cols.shape
    coupled = Coupling.of(lp, open_cols, supports)
    solves = 1
    flat_cols = open_cols.ravel().astype(np.int32)
    period = np.arange(n_periods)[None, :]

    hit = False
    seen: dict[bytes, float] = {}

    def evaluate(closes: IntArray, *, far: bool = False) -> float:
        """The model's LP at `closes`. A `far` move (a whole new start) is solved afresh
        with presolve: from the last basis it took MINUSMA 4.8 s of CPU, afresh 0.5 s; a
        one-site move re-solves from the basis."""
        nonlocal solves, iterations, hit
        key = closes.tobytes()
        if key in seen:
            # Every value seen was compared with the best when it was solved, and the best
            # only falls: a vector seen before can never be an improvement.
            return seen[key]
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
        value = np.inf
        if status == highspy.HighsModelStatus.kOptimal:
            value = float(work.getInfo().objective_function_value)
        seen[key] = value
        return value

    # The rounded start is far from the relaxation's basis too: afresh, MINUSMA's takes 0.15 s
    # of CPU instead of 0.52 s.
    closes = coupled.later(np.rint(relaxed_open.sum(axis=1)).astype(np.int64))
    best = evaluate(closes, far=True)
    best_values = np.asarray(work.getSolution().col_value) if np.isfinite(best) else None
    if not np.isfinite(best):
        # Rounding to the nearest period can close a site before it can empty: keep every
        # site open for as long as its LP values are positive instead.
        closes = coupled.later((relaxed_open > 1e-6).sum(axis=1))
        best = evaluate(closes)
        if not np.isfinite(best):
            return None
        best_values = np.asarray(work.getSolution().col_value)
    # Rounded to the nearest period, a site the LP half-closes can close before it empties
    # and write off what is left (MINUSMA with closure work: 2.3x the LP bound). Keeping every
    # site open while its LP values are positive is the other natural start: the better one
    # is searched from.
    lasting = coupled.later((relaxed_open > 1e-6).sum(axis=1))
    rounded = closes
    for shorter in range(LASTING_TRIES):
        # The LP keeps the HQ and hubs a few percent open to the end: wholly open that long
        # they may not fit before the deadline (MINUSMA: one period too long), so the
        # longest-lasting sites are shortened a period at a time until the start fits.
        capped = np.minimum(lasting, lasting.max() - shorter)
        trial = coupled.later(capped)
        if np.array_equal(trial, closes):
            break
        value = evaluate(trial, far=True)
        if not np.isfinite(value):
            # Every site the hubs support kept open while the LP has it a little open may
            # not fit either, though the hubs' closures do. Those sites are then taken
            # halfway back to the rounded start, the hubs kept: with MINUSMA's desert tracks
            # at 90 km a day the whole start did not fit at any hub closure, the search
            # walked on from the rounded start to a plan 11% above the optimum, and branch
            # and cut took 14 nodes (8 s of CPU) instead of proving it at its root.
            halfway = coupled.later(np.where(coupled.leaves, (capped + rounded + 1) // 2, capped))
            if not np.array_equal(halfway, trial):
                trial, value = halfway, evaluate(halfway, far=True)
        if np.isfinite(value):
            if value < best - 1e-9 * max(abs(best), 1.0):
                best, closes = value, trial
                best_values = np.asarray(work.getSolution().col_value)
            break
    warm = False
    if warm_closes is not None and warm_closes.shape == closes.shape:
        trial = coupled.later(np.asarray(warm_closes, dtype=np.int64))
        if not np.array_equal(trial, closes):
            value = evaluate(trial, far=True)
            if value < best - 1e-9 * max(abs(best), 1.0):
                best, closes, warm = value, trial, True
                best_values = np.asarray(work.getSolution().col_value)
    fractional = np.flatnonzero((np.abs(relaxed_open - np.rint(relaxed_open)) > 1e-6).any(axis=1))

    # A previous plan's order that beats the LP's own starts only needs adjusting; one that
    # does not is searched from as far as a cold plan is.
    budget = warm_lp_solves if warm else max_lp_solves

    def out_of_budget() -> bool:
        return solves >= budget or hit

    if best - lp_bound <= CLOSE_ENOUGH * max(abs(best), 1.0):
        fractional = fractional[:0]  # branch and cut closes the rest at its root

    for _sweep in range(MAX_SWEEPS):
        improved = False
        for site in (int(x) for x in fractional):
            blocked: set[int] = set()  # directions whose shorter move did not fit
            for step in MOVES:
                if out_of_budget():
                    break
                move = coupled.move(closes, site, step)
                if move is None or np.sign(step) in blocked:
                    continue
                trial, value = move, evaluate(move)
                if not np.isfinite(value):
                    blocked.add(int(np.sign(step)))
                moved = False
                while value < best - 1e-9 * max(abs(best), 1.0):
                    best, closes, moved = value, trial, True
                    best_values = np.asarray(work.getSolution().col_value)
                    # The same move again while it helps (a hub and the HQ walked later
                    # together: MINUSMA's hubs close four periods after the LP rounding).
                    again = coupled.move(closes, site, step)
                    if again is None or out_of_budget():
                        break
                    trial, value = again, evaluate(again)
                if moved:
                    improved = True
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
        lp_basis=lp_basis,
    )


def _basis_of(work: highspy.Highs) -> LpBasis | None:
    basis = work.getBasis()
    if not basis.valid:
        return None
    cols = np.fromiter((int(s) for s in basis.col_status), dtype=np.uint8)
    rows = np.fromiter((int(s) for s in basis.row_status), dtype=np.uint8)
    return cols, rows


def _set_basis(work: highspy.Highs, basis: LpBasis | None) -> bool:
    """Start `work`'s next solve from `basis` if it has the model's shape and HiGHS takes it
    (a basis of another model of that shape is still a start: HiGHS repairs a singular one)."""
    if basis is None:
        return False
    cols, rows = basis
    lp = work.getLp()
    if cols.size != int(lp.num_col_) or rows.size != int(lp.num_row_):
        return False
    start = highspy.HighsBasis()
    status = highspy.HighsBasisStatus
    start.col_status = [status(int(s)) for s in cols]
    start.row_status = [status(int(s)) for s in rows]
    start.valid = True
    return bool(work.setBasis(start) == highspy.HighsStatus.kOk)


@dataclass(frozen=True)
class Coupling:
    """What ties closure vectors: each site's earliest and latest first-closed period (from
    the bounds of its `open` columns) and the support pairs between sites."""

    lowest: IntArray  # (sites,) the leading periods whose `open` is fixed at 1, at least 1
    highest: IntArray  # (sites,) one past the last period whose `open` may be 1
    supports: IntArray  # (pairs, 2) rows of `open`: supporter, supported

    @classmethod
    def of(cls, lp: highspy.HighsLp, open_cols: IntArray, supports: IntArray | None) -> Coupling:
        held = np.asarray(lp.col_lower_)[open_cols] >= 0.5
        may = np.asarray(lp.col_upper_)[open_cols] >= 0.5
        n_periods = open_cols.shape[1]
        # Periods held open from the start: the first period not held.
        lowest = np.where(held.all(axis=1), n_periods, np.argmin(held, axis=1))
        # One past the last period that may be open.
        highest = np.where(may.any(axis=1), n_periods - np.argmax(may[:, ::-1], axis=1), 0)
        lowest = np.maximum(lowest, 1)
        pairs = np.zeros((0, 2)) if supports is None else np.asarray(supports)
        return cls(
            lowest.astype(np.int64),
            np.maximum(highest, lowest).astype(np.int64),
            pairs.astype(np.int64).reshape(-1, 2),
        )

    @property
    def leaves(self) -> np.ndarray:
        """(sites,) whether a site supports no other (a team site, not a hub or the HQ)."""
        return ~np.isin(np.arange(self.lowest.size), self.supports[:, 0])

    def later(self, closes: IntArray) -> IntArray:
        """`closes` inside the bounds, each supporter kept open as long as what it supports."""
        out = np.clip(np.asarray(closes, dtype=np.int64), self.lowest, self.highest)
        supporter, supported = self.supports[:, 0], self.supports[:, 1]
        for _ in range(len(out)):  # a chain of supports is shorter than the list of sites
            short = out[supporter] < out[supported]
            if not short.any():
                break
            np.maximum.at(out, supporter[short], out[supported[short]])
        return np.minimum(out, self.highest)

    def earlier(self, closes: IntArray) -> IntArray:
        """`closes` with every supported site closed no later than its supporter."""
        out = np.asarray(closes, dtype=np.int64).copy()
        supporter, supported = self.supports[:, 0], self.supports[:, 1]
        for _ in range(len(out)):
            over = out[supported] > out[supporter]
            if not over.any():
                break
            np.minimum.at(out, supported[over], out[supporter[over]])
        return out

    def move(self, closes: IntArray, site: int, step: int) -> IntArray | None:
        """`site` closed `step` periods later (or earlier) with the sites it drags along:
        moved later, its supporters; moved earlier, the sites it supports. None when the
        move leaves a site's bounds or changes nothing."""
        out = np.asarray(closes, dtype=np.int64).copy()
        out[site] += step
        if not self.lowest[site] <= out[site] <= self.highest[site]:
            return None
        out = self.later(out) if step > 0 else self.earlier(out)
        inside = (out >= self.lowest).all() and (out <= self.highest).all()
        ordered = (out[self.supports[:, 0]] >= out[self.supports[:, 1]]).all()
        if not (inside and ordered) or np.array_equal(out, closes):
            return None
        return out
