"""Invariants hold for every plan, over random small missions (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drawdown.errors import InputError
from drawdown.plan import greedy_plan, optimise

from .conftest import check_invariants, one_base

missions = st.fixed_dictionaries(
    {
        "days": st.integers(6, 14),
        "people": st.integers(1, 400),
        "teu": st.sampled_from([0.0, 5.0, 37.5, 120.0]),
        "vehicles": st.integers(0, 40),
        "value_usd": st.sampled_from([0.0, 1e4, 1e7]),
        "sensitive": st.booleans(),
        "km_per_day": st.sampled_from([50.0, 100.0, 400.0]),
        "escorts_per_day": st.sampled_from([0.5, 1.0, 3.0]),
        "threat_rate": st.sampled_from([0.0, 1e-5, 1e-3]),
        "population": st.sampled_from([0, 5000]),
        "running_cost": st.sampled_from([0.0, 1e5]),
    }
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(missions)
def test_greedy_plans_keep_invariants(kw: dict[str, object]) -> None:
    """Greedy plans: everything accounted for, links and capacities kept (or a clear error)."""
    s = one_base(**kw)  # type: ignore[arg-type]
    try:
        plan = greedy_plan(s)
    except InputError:
        return
    if plan.figures["stranded_people"] or plan.figures["late_people"]:
        return  # the baseline may fail a tight deadline; the optimiser must not
    check_invariants(s, plan)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(missions)
def test_optimised_plans_keep_invariants(kw: dict[str, object]) -> None:
    """Optimised plans keep every invariant, or the scenario is explained as infeasible."""
    s = one_base(**kw)  # type: ignore[arg-type]
    try:
        plan = optimise(s, period_days=2, with_greedy=False, time_limit_s=5)
    except InputError:
        return
    check_invariants(s, plan)
