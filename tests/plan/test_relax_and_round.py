"""Relax-and-round: the closure search, the proven bound and the whole-convoy rounding."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import highspy
import numpy as np
import pytest
from linopy.io import to_highspy

import drawdown
from drawdown.network import build_network
from drawdown.plan import optimise
from drawdown.plan.build import build_model, prepare, whole_convoy_lanes
from drawdown.plan.closures import Coupling, closure_search
from drawdown.plan.solve import (
    RETRY_MAX_COLUMNS,
    ROUND_GAP,
    ROUND_RETRY_GAP,
    SMALL_MODEL_COLUMNS,
    _columns,
    _retry_gap,
    _values,
    objective_scale,
    proven_bound,
    solve,
)
from drawdown.scenario.model import Scenario

TINY = Path(__file__).parents[1] / "data" / "tiny"


@pytest.fixture(scope="module")
def tiny_scenario() -> Scenario:
    return drawdown.load_scenario(TINY)


def _highs(scenario: Scenario, **changes: object):  # type: ignore[no-untyped-def]
    data = replace(prepare(scenario, build_network(scenario), 3), **changes)  # type: ignore[arg-type]
    strategic = build_model(data)
    highs = to_highspy(strategic.model)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("user_objective_scale", objective_scale(strategic))
    return strategic, highs


def test_closure_search_matches_branch_and_cut(tiny_scenario: Scenario) -> None:
    """On tiny the search's closure order is optimal: HiGHS proves nothing better, and
    the search's LP bound is below both."""
    strategic, highs = _highs(tiny_scenario)
    start = closure_search(highs, _columns(strategic, "open"))
    assert start is not None
    result = solve(strategic, time_limit_s=60, mip_gap=1e-6)
    assert result.status == "optimal"
    assert start.objective == pytest.approx(result.objective, rel=1e-6)
    assert start.lp_bound <= result.bound + 1e-6 * abs(result.bound)
    # The closure vector is the model's: open for t < closes, then closed for good.
    opened = _values(strategic, "open") > 0.5
    assert (opened.sum(axis=1) == start.closes).all()


def test_a_closure_move_drags_the_sites_it_is_tied_to() -> None:
    """Rows: 0 the HQ, 1 a hub, 2 and 3 team sites the hub supports (the HQ supports all).
    A team site moved later takes the hub and the HQ with it; the hub or the HQ moved earlier
    takes what it supports; no move leaves a site's bounds, and a start is lifted into them."""
    pairs = np.array([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)])
    tied = Coupling(lowest=np.array([1, 1, 2, 1]), highest=np.array([6, 6, 6, 4]), supports=pairs)
    closes = np.array([4, 4, 3, 2])
    assert tied.move(closes, 2, 2).tolist() == [5, 5, 5, 2]
    assert tied.move(closes, 1, -2).tolist() == [4, 2, 2, 2]
    assert tied.move(closes, 3, 3) is None  # team site 3 may not stay open past period 4
    assert tied.move(closes, 1, -3) is None  # would close team site 2 before it may
    assert tied.move(closes, 0, -1).tolist() == [3, 3, 3, 2]  # the HQ takes everything
    assert tied.move(np.array([2, 2, 2, 2]), 0, -1) is None  # team site 2 not before 2
    assert tied.later(np.array([1, 1, 1, 9])).tolist() == [4, 4, 2, 4]


def test_the_coupling_reads_the_bounds_of_the_open_columns() -> None:
    """A site whose first two periods are held open closes in period 2 at the earliest; one
    whose last periods may not be open closes by the first of them."""
    lp = highspy.HighsLp()
    lp.num_col_ = 6
    lp.col_lower_ = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    lp.col_upper_ = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    tied = Coupling.of(lp, np.arange(6).reshape(2, 3), None)
    assert tied.lowest.tolist() == [2, 1]
    assert tied.highest.tolist() == [3, 2]


def test_closure_search_starts_the_solve_and_is_reported(tiny_scenario: Scenario) -> None:
    """The solve starts from the search and says so; the gap is measured against the best
    bound proven, which the LP relaxation alone already gives."""
    strategic, _ = _highs(tiny_scenario)
    result = solve(strategic, time_limit_s=60)
    assert result.start is not None and result.start.lp_solves >= 1
    assert result.bound >= result.start.lp_bound - 1e-6 * abs(result.start.lp_bound)
    assert result.gap <= 0.005


def test_no_search_with_whole_convoys(tiny_scenario: Scenario) -> None:
    """With whole convoys the search's LP solutions are not solutions of the model: HiGHS
    searches alone."""
    strategic, _ = _highs(tiny_scenario, integer_convoys=True)
    result = solve(strategic, time_limit_s=60)
    assert result.start is None and result.has_solution


def test_rounding_gives_whole_convoys_for_the_same_closures(tiny_scenario: Scenario) -> None:
    """The rounded solution has whole convoys on every threatened or escorted lane, costs at
    least the relaxed optimum, and keeps the relaxed solution's closure order unless whole
    convoys for that order cost more than ROUND_RETRY_GAP above the bound (then the closures
    are searched again, and the result says so)."""
    strategic, _ = _highs(tiny_scenario)
    result = solve(strategic, time_limit_s=60, round_convoys=True)
    assert result.rounded is not None and strategic.relaxed is not None
    assert result.rounded.objective >= result.objective - 1e-6 * abs(result.objective)
    assert result.rounded.gap >= result.gap - 1e-9
    convoys = _values(strategic, "convoys_relaxed")
    whole = whole_convoy_lanes(strategic.data)
    assert np.allclose(convoys[whole], np.rint(convoys[whole]), atol=1e-6)
    rounded_open = _values(strategic, "open")
    strategic.solution = strategic.relaxed
    same = np.array_equal(np.rint(_values(strategic, "open")), np.rint(rounded_open))
    assert same is not result.rounded.closures_freed


def test_a_small_model_frees_its_closures_once_its_rounding_misses_the_gap() -> None:
    """A model of at most SMALL_MODEL_COLUMNS whole-convoy columns is searched again with
    its closures free as soon as its rounding is more than ROUND_GAP above the bound; a
    mission-size one at ROUND_RETRY_GAP; a larger one never. Barkhane's (213 columns):
    whole convoys for the relaxed closure order left Menaka's stores behind, written off at
    ten times their value; freed, its plan ships everything and is laid out near the bound."""
    assert _retry_gap(SMALL_MODEL_COLUMNS) == ROUND_GAP
    assert _retry_gap(SMALL_MODEL_COLUMNS + 1) == ROUND_RETRY_GAP
    assert _retry_gap(RETRY_MAX_COLUMNS) == ROUND_RETRY_GAP
    assert _retry_gap(RETRY_MAX_COLUMNS + 1) == np.inf
    plan = optimise(drawdown.load_scenario("barkhane-mali-2022"), with_greedy=False)
    assert plan.solver.layout == "whole convoys"
    assert plan.solver.laid_out_gap <= ROUND_GAP
    assert [d for d in plan.dispositions if d.fate != "repatriate"] == []
    assert plan.objective["write_off"] == 0.0


def test_minusma_plan_is_reproducible_and_proven() -> None:
    """The built-in scenario's plan is proven within 0.5% and, ended by the gap rather
    than the clock, is the same plan every time."""
    s = drawdown.load_scenario("minusma-2023")
    a = optimise(s, time_limit_s=60, with_greedy=False)
    b = optimise(s, time_limit_s=60, with_greedy=False)
    assert a.solver.gap <= 0.005
    assert a.solver.complete
    assert a.movements == b.movements and a.closure_day == b.closure_day
    assert a.objective == b.objective


def test_proven_bound_is_on_the_models_scale() -> None:
    """With the objective scaled for HiGHS, the bound read back is the model's own: between
    the LP relaxation's and the optimum, never above the objective."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    # min 3e8 x + 2e8 y, x + y >= 1.5, integers in [0, 2]: LP 3e8, optimum 4e8 (y = 2).
    highs.addVars(2, np.zeros(2), np.full(2, 2.0))
    highs.changeColsCost(2, np.array([0, 1], dtype=np.int32), np.array([3e8, 2e8]))
    highs.changeColsIntegrality(2, np.array([0, 1], dtype=np.int32), np.ones(2, dtype=np.uint8))
    highs.addRow(1.5, inf, 2, np.array([0, 1], dtype=np.int32), np.ones(2))
    highs.setOptionValue("user_objective_scale", -9)
    highs.run()
    objective = highs.getInfo().objective_function_value
    assert objective == pytest.approx(4e8)
    assert 3e8 - 1 <= proven_bound(highs) <= objective + 1e-6 * objective
