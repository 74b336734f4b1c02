"""A re-plan warm-started from a previous plan: it reads what still applies, and the same
previous plan always gives the same re-plan, from memory or from its files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import drawdown
from drawdown.network import build_network
from drawdown.plan import load_plan, optimise, save_plan
from drawdown.plan.build import prepare, whole_convoy_lanes
from drawdown.plan.warm import lane_key, warm_convoys

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
    changed = _more_trucks(s)
    warm = optimise(changed, with_greedy=False, warm_start=plan)
    assert warm.solver.warm_start
    assert optimise(changed, with_greedy=False, warm_start=loaded).content_hash() == (
        warm.content_hash()
    )
    assert warm.solver.complete
