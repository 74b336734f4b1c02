"""What `plan/greedy.py` promises: fastest lanes to an exit, scored like the optimiser."""

from __future__ import annotations

from drawdown.network import build_network
from drawdown.plan import greedy_plan
from drawdown.plan.build import prepare
from drawdown.plan.greedy import greedy_targets

from .conftest import check_invariants, one_base


def test_greedy_targets_only_lanes_to_an_exit() -> None:
    """Open-ended targets sit on lanes that reach an exit (the one-base mission has one)."""
    s = one_base(people=30)
    data = prepare(s, build_network(s), 2)
    targets, priority = greedy_targets(data)
    assert data.lanes is not None
    used = targets.sum(axis=(0, 2)) > 0
    assert used.any()
    assert all(data.lanes.destination[i] == "port" for i in range(len(used)) if used[i])
    assert priority.shape == (len(data.lanes.route),)


def test_greedy_plan_is_marked_and_keeps_invariants() -> None:
    """The greedy plan says it is greedy, has no model figures, and keeps every invariant."""
    s = one_base(people=30, teu=4.0, value_usd=1e4)
    plan = greedy_plan(s)
    assert plan.method == "greedy" and plan.solver.layout == "greedy"
    assert plan.solver.model_gap != plan.solver.model_gap  # NaN: there is no model
    check_invariants(s, plan)
