"""A re-plan warm-started from a previous plan: it reads what still applies, and the same
previous plan always gives the same re-plan, from memory or from its files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import highspy
import numpy as np
import pytest

import drawdown
from drawdown.network import build_network
from drawdown.plan import load_plan, optimise, save_plan
from drawdown.plan.build import Strategic, build_model, prepare, whole_convoy_lanes
from drawdown.plan.closures import _set_basis
from drawdown.plan.solve import to_highspy
from drawdown.plan.warm import encode_basis, lane_key, warm_basis, warm_convoys

TINY = Path(__file__).parents[1] / "data" / "tiny"


def _more_trucks(s: drawdown.Scenario) -> drawdown.Scenario:
    pool = s.trucks[0]
    trucks = tuple(
        t.model_copy(update={"count": t.count + 2}) if t.id == pool.id else t for t in s.trucks
    )
    return s.model_copy(update={"trucks": trucks})


def test_a_plan_records_its_whole_convoys_by_lane() -> None:
    """The record holds the rounded solution's whole convoys by lane key and period, and a
    model built again for a changed scenario reads them back onto its own lanes."""
    s = drawdown.load_scenario(TINY)
    plan = optimise(s, with_greedy=False)
    data = prepare(s, build_network(s))
    whole = np.flatnonzero(whole_convoy_lanes(data))
    recorded = plan.solver.model_convoys
    assert sorted(recorded) == sorted(lane_key(data, int(li)) for li in whole)
    assert all(len(v) == data.n_periods and min(v) >= 0 for v in recorded.values())
    assert sum(map(sum, recorded.values())) > 0  # tiny's threatened road carries convoys
    changed = _more_trucks(s)
    again = warm_convoys(prepare(changed, build_network(changed)), plan)
    assert again is not None
    assert again.tolist() == [recorded[lane_key(data, int(li))] for li in whole]


def test_nothing_is_read_from_a_plan_of_another_period_layout() -> None:
    """Counts by period mean nothing in a model whose periods are others."""
    s = drawdown.load_scenario(TINY)
    plan = optimise(s, with_greedy=False)
    other = prepare(s, build_network(s), period_days=10)
    assert other.n_periods != len(next(iter(plan.solver.model_convoys.values())))
    assert warm_convoys(other, plan) is None


def test_a_warm_re_plan_is_the_same_from_memory_and_from_the_plan_files(tmp_path: Path) -> None:
    """The plan files carry what a warm start reads: re-planning the changed scenario from
    the loaded plan gives the plan re-planned from the plan in memory, byte for byte."""
    s = drawdown.load_scenario(TINY)
    plan = optimise(s, with_greedy=False)
    save_plan(plan, tmp_path / "plan")
    loaded = load_plan(tmp_path / "plan")
    assert loaded.solver.model_convoys == plan.solver.model_convoys
    assert loaded.solver.model_basis == plan.solver.model_basis != ""
    changed = _more_trucks(s)
    warm = optimise(changed, with_greedy=False, warm_start=plan)
    assert warm.solver.warm_start
    assert optimise(changed, with_greedy=False, warm_start=loaded).content_hash() == (
        warm.content_hash()
    )
    assert warm.solver.complete


def _model_as_optimise_builds(s: drawdown.Scenario) -> Strategic:
    return build_model(replace(prepare(s, build_network(s)), base_attacks=True))


def test_a_plan_records_its_relaxation_basis_and_a_re_plan_starts_from_it() -> None:
    """The record's basis is the relaxation's optimal basis: the same LP started from it
    needs no simplex iteration, and the plan files carry it unchanged."""
    s = drawdown.load_scenario(TINY)
    plan = optimise(s, with_greedy=False)
    basis = warm_basis(plan)
    assert basis is not None
    strategic = _model_as_optimise_builds(s)
    lp = to_highspy(strategic.model).getLp()
    assert (basis[0].size, basis[1].size) == (lp.num_col_, lp.num_row_)
    work = highspy.Highs()
    work.setOptionValue("output_flag", False)
    work.passModel(lp)
    work.changeColsIntegrality(
        lp.num_col_, np.arange(lp.num_col_, dtype=np.int32), np.zeros(lp.num_col_, np.uint8)
    )
    assert _set_basis(work, basis)
    work.setOptionValue("presolve", "off")
    work.run()
    assert work.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert work.getInfo().simplex_iteration_count == 0


def test_a_basis_of_another_shape_or_a_damaged_one_is_no_start() -> None:
    """A basis of another model's shape is not set, and a record that is not a basis gives
    none: the re-plan only loses its head start."""
    s = drawdown.load_scenario(TINY)
    plan = optimise(s, with_greedy=False)
    cols, rows = warm_basis(plan) or (np.zeros(0), np.zeros(0))
    assert encode_basis((cols, rows)) == plan.solver.model_basis
    strategic = _model_as_optimise_builds(s)
    work = highspy.Highs()
    work.setOptionValue("output_flag", False)
    work.passModel(to_highspy(strategic.model).getLp())
    assert not _set_basis(work, (cols[:-1], rows))
    for text in ("", "3,4", "1,1,not base64!", f"{cols.size + 1},{rows.size},AAAA"):
        damaged = replace(plan, solver=replace(plan.solver, model_basis=text))
        assert warm_basis(damaged) is None
    damaged = replace(plan, solver=replace(plan.solver, model_basis="x,y,AAAA"))
    assert warm_basis(damaged) is None
    assert optimise(_more_trucks(s), with_greedy=False, warm_start=damaged).solver.complete


def test_a_re_plan_near_its_lp_bound_is_laid_out_without_branch_and_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MINUSMA with 10% more trucks, re-planned from the built-in's plan: its closure search
    ends within the layout's 2% of the LP bound, so it is laid out as it stands, its gap the
    LP's; branch and cut would only prove the bound, laying out the same daily table."""
    from drawdown.plan import solve
    from drawdown.scenario.overrides import apply_overrides, parse_overrides

    s = drawdown.load_scenario("minusma-2023")
    plan = optimise(s, with_greedy=False)
    assert plan.solver.model_gap <= 0.005  # a cold plan is still proven to its 0.5%
    changed = apply_overrides(s, parse_overrides(["trucks.*.count=*1.1"], s))
    warm = optimise(changed, with_greedy=False, warm_start=plan)
    assert warm.solver.warm_start and warm.solver.status == "feasible"
    assert 0.005 < warm.solver.model_gap <= solve.ROUND_GAP
    monkeypatch.setattr(solve, "_within_layout", lambda *args: False)
    proved = optimise(changed, with_greedy=False, warm_start=plan)
    assert proved.solver.model_gap <= 0.005
    assert proved.solver.work.bnb_nodes > warm.solver.work.bnb_nodes
    assert warm.objective["total"] == pytest.approx(proved.objective["total"], rel=1e-9)
