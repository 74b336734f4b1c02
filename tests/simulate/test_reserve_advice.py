"""The summary's advice when a plan aimed at the deadline itself misses it in many runs."""

from __future__ import annotations

from plans import batch_plan, roads_refused

from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate


def test_a_plan_without_reserve_whose_deadline_is_at_risk_is_pointed_to_one(
    tiny: Scenario,
) -> None:
    """When runs miss the deadline of a plan aimed at the deadline itself, the summary's
    advice names the policy's reserve and the what-if that tries it, on the scenario as the
    user named it; with a reserve, or on time, there is no advice."""
    refused = roads_refused(tiny, "north", tiny.horizon_days)
    late = simulate(refused, batch_plan(refused), runs=20, seed=3)
    assert late.summary_record()["p_all_out_by_deadline"] < 0.9
    advice = late.reserve_advice(0, "my-mission")  # the folder the user named
    assert advice is not None
    assert "drawdown compare my-mission --set policy.reserve_days_before_deadline=10" in advice
    assert late.reserve_advice(5, "my-mission") is None
    on_time = simulate(tiny, batch_plan(tiny), runs=20, seed=3)
    assert on_time.summary_record()["p_all_out_by_deadline"] >= 0.9
    assert on_time.reserve_advice(0, "my-mission") is None
