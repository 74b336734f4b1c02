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


# Fewest examples that must actually be checked (not skipped as infeasible): a run in which
# no example could be planned must fail, not pass. Derandomised, so the count is fixed.
MIN_GREEDY_CHECKED = 15
MIN_OPTIMISED_CHECKED = 4


def test_greedy_plans_keep_invariants() -> None:
    """Greedy plans: everything accounted for, links and capacities kept (or a clear error),
    on enough examples that were actually planned."""
    checked: list[int] = []

    @settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(missions)
    def check(kw: dict[str, object]) -> None:
        s = one_base(**kw)  # type: ignore[arg-type]
        try:
            plan = greedy_plan(s)
        except InputError:
            return
        if plan.figures["stranded_people"] or plan.figures["late_people"]:
            return  # the baseline may fail a tight deadline; the optimiser must not
        check_invariants(s, plan)
        checked.append(1)

    check()
    assert len(checked) >= MIN_GREEDY_CHECKED, f"only {len(checked)} examples checked"


def test_optimised_plans_keep_invariants() -> None:
    """Optimised plans keep every invariant, or the scenario is explained as infeasible, on
    enough examples that were actually planned."""
    checked: list[int] = []

    @settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(missions)
    def check(kw: dict[str, object]) -> None:
        s = one_base(**kw)  # type: ignore[arg-type]
        try:
            plan = optimise(s, period_days=2, with_greedy=False)
        except InputError:
            return
        check_invariants(s, plan)
        checked.append(1)

    check()
    assert len(checked) >= MIN_OPTIMISED_CHECKED, f"only {len(checked)} examples checked"
