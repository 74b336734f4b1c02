"""The engine keeps every person and container accounted for and executes plans faithfully."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plans import batch_plan, planned_remaining

from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import Multipliers, SimulationResult, simulate


def _check_conservation(scenario: Scenario, result: SimulationResult) -> None:
    runs = result.data.runs
    total = scenario.total_people
    np.testing.assert_allclose(
        runs["people_out"] + runs["people_lost"] + runs["people_stranded"], total, atol=1e-6
    )
    d = result.data
    np.testing.assert_allclose(
        d.teu_fate.sum(axis=2), np.broadcast_to(d.teu0, d.teu_fate.shape[:2]), atol=1e-3
    )
    np.testing.assert_allclose(
        d.veh_fate.sum(axis=2), np.broadcast_to(d.veh0, d.veh_fate.shape[:2]), atol=1e-3
    )
    assert np.all(d.teu_fate >= -1e-6) and np.all(d.veh_fate >= -1e-6)
    assert np.all(runs["people_remaining_at_deadline"] >= 0)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32),
    approval=st.floats(0.05, 1.5),
    threat=st.floats(0.0, 60.0),
    speed=st.floats(0.3, 2.0),
)
def test_conservation_in_every_run(
    tiny: Scenario, tiny_plan: Plan, seed: int, approval: float, threat: float, speed: float
) -> None:
    """People, TEU and vehicles: shipped + handed over + destroyed + lost + remaining = initial."""
    runs = 40
    mult = Multipliers(
        approval=np.full(runs, approval),
        threat=np.full(runs, max(threat, 1e-9)),
        speed=np.full(runs, speed),
    )
    result = simulate(tiny, tiny_plan, runs=runs, seed=seed, multipliers=mult)
    _check_conservation(tiny, result)


def test_conservation_when_roads_are_refused(roads_refused: Scenario) -> None:
    """Conservation also holds when every movement is diverted or cancelled."""
    result = simulate(roads_refused, batch_plan(roads_refused), runs=100, seed=3)
    _check_conservation(roads_refused, result)


def test_without_disruption_the_plan_runs_exactly(quiet: Scenario, quiet_plan: Plan) -> None:
    """With no clearance, threat or event, every run closes sites and moves people as planned."""
    result = simulate(quiet, quiet_plan, runs=20, seed=5, timelines=True)
    d = result.data
    for i, site in enumerate(d.site_ids):
        if site in quiet_plan.closure_day:
            assert np.all(d.closure_day[:, i] == quiet_plan.closure_day[site]), site
    expected = planned_remaining(quiet, quiet_plan)
    assert d.timelines is not None
    assert np.array_equal(d.timelines, np.broadcast_to(expected, d.timelines.shape))
    assert d.runs["all_out_by_deadline"].all()
    assert np.all(d.runs["teu_shipped"] == pytest.approx(quiet.total_containers_teu))
    assert d.runs["killed"].sum() == 0


@pytest.mark.parametrize("block", [1, 7, 64])
def test_same_seed_same_results_whatever_the_block_size(
    tiny: Scenario, tiny_plan: Plan, block: int
) -> None:
    """Per-run streams sit at fixed offsets: splitting runs into blocks never changes a bit."""
    reference = simulate(tiny, tiny_plan, runs=150, seed=11, timelines=True)
    other = simulate(tiny, tiny_plan, runs=150, seed=11, timelines=True, block_size=block)
    for name, values in reference.data.runs.items():
        assert np.array_equal(values, other.data.runs[name]), name
    assert np.array_equal(reference.data.closure_day, other.data.closure_day)
    assert np.array_equal(reference.data.teu_fate, other.data.teu_fate)
    assert np.array_equal(reference.data.fan_hist, other.data.fan_hist)
    assert np.array_equal(reference.data.timelines, other.data.timelines)


def test_runs_are_a_prefix_of_longer_simulations(tiny: Scenario, tiny_plan: Plan) -> None:
    """Run r draws the same chance whether 50 or 120 runs are made."""
    short = simulate(tiny, tiny_plan, runs=50, seed=2)
    long = simulate(tiny, tiny_plan, runs=120, seed=2)
    assert np.array_equal(short.data.closure_day, long.data.closure_day[:50])
    assert np.array_equal(short.data.runs["killed"], long.data.runs["killed"][:50])


def test_different_seeds_differ(tiny: Scenario, tiny_plan: Plan) -> None:
    """A different seed draws different chance."""
    a = simulate(tiny, tiny_plan, runs=100, seed=1).data.closure_day
    b = simulate(tiny, tiny_plan, runs=100, seed=2).data.closure_day
    assert not np.array_equal(a, b)


def test_disruption_delays_closures(tiny: Scenario, tiny_plan: Plan) -> None:
    """Refusals and incidents only ever make the withdrawal later on average."""
    result = simulate(tiny, tiny_plan, runs=300, seed=4)
    closure = result.closure_quantiles().set_index("site")
    for site, day in tiny_plan.closure_day.items():
        assert closure.loc[site, "q50"] >= day
    assert result.data.runs["incidents_ied"].sum() > 0


def test_without_disruption_a_greedy_plan_runs_exactly(quiet: Scenario) -> None:
    """The planner's own plans (air legs, cargo after the last people) also run as planned."""
    from drawdown.plan import greedy_plan

    plan = greedy_plan(quiet)
    result = simulate(quiet, plan, runs=5, seed=1, timelines=True)
    for i, site in enumerate(result.data.site_ids):
        if result.data.site_kinds[i] == "base":  # (the greedy plan dates hubs by their cargo)
            assert np.all(result.data.closure_day[:, i] == plan.closure_day[site]), site
    assert result.data.timelines is not None
    assert np.array_equal(result.data.timelines[0], planned_remaining(quiet, plan))
