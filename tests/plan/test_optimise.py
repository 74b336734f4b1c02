"""The optimiser on scenarios solvable by hand, and the invariants of every plan it makes."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest

import drawdown
from drawdown.plan import greedy_plan, optimise
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario, Threat

from .conftest import check_invariants, one_base

TINY = Path(__file__).parents[1] / "data" / "tiny"
# The module (the package's `optimise` is its function).
optimiser = importlib.import_module("drawdown.plan.optimise")


@pytest.fixture(scope="module")
def tiny_scenario() -> Scenario:
    return drawdown.load_scenario(TINY)


@pytest.fixture(scope="module")
def tiny_plan(tiny_scenario: Scenario) -> Plan:
    return optimise(tiny_scenario, time_limit_s=20, mip_gap=0.01)


def test_leaves_at_once_when_only_running_cost_counts() -> None:
    """With running cost and no protection value, everyone leaves on day 0 in one convoy."""
    s = one_base(people=60, running_cost=1000.0, population=0)
    plan = optimise(s, period_days=1, with_greedy=False)
    assert plan.closure_day == {"camp": 0}
    assert [(m.day, m.arrival_day, m.convoys, m.people) for m in plan.movements] == [(0, 1, 1, 60)]
    # Each person is in theatre one day: the day's cost, shared by everyone.
    assert plan.objective["running_cost"] == pytest.approx(1000.0)
    check_invariants(s, plan)


def test_protection_keeps_the_base_open_to_the_last_day() -> None:
    """Civilians covered and no running cost: the base closes on the last day that still
    lets its convoy reach the exit (day 8 of 10 for a one-day road)."""
    s = one_base(days=10, people=60, population=10_000, running_cost=0.0)
    plan = optimise(s, period_days=1, with_greedy=False)
    assert plan.closure_day == {"camp": 8}
    assert plan.objective["protection_gap"] == pytest.approx(10_000 * 1.0)
    check_invariants(s, plan)


@pytest.mark.parametrize("sensitive, fate", [(False, "hand_over"), (True, "destroy")])
def test_cheap_cargo_is_left_when_a_convoy_is_deadly(sensitive: bool, fate: str) -> None:
    """A cargo convoy costing an expected 0.01 deaths (USD 100,000) is not worth USD 1,000 of
    cargo: it is left (handed over, or destroyed if sensitive); people still leave."""
    s = one_base(
        people=30,
        teu=20.0,
        value_usd=1000.0,
        sensitive=sensitive,
        threat_rate=1e-4,
        killed_mean=1.0,
        km=100.0,
    )
    plan = optimise(s, period_days=1, with_greedy=False)
    left = [d for d in plan.dispositions if d.fate != "repatriate"]
    assert [(d.fate, d.containers_teu, d.value_usd) for d in left] == [(fate, 20.0, 1000.0)]
    assert plan.figures["expected_deaths"] == pytest.approx(0.01)  # the people's convoy only
    check_invariants(s, plan)


def test_valuable_cargo_is_repatriated() -> None:
    """The same convoy is worth it for USD 10 M of cargo: everything is repatriated."""
    s = one_base(people=30, teu=20.0, value_usd=10_000_000.0, threat_rate=1e-4)
    plan = optimise(s, period_days=1, with_greedy=False)
    assert all(d.fate == "repatriate" for d in plan.dispositions)
    check_invariants(s, plan)


def test_tiny_plan_keeps_every_invariant(tiny_scenario: Scenario, tiny_plan: Plan) -> None:
    """The tiny scenario's optimised plan: everyone out in time, capacities and links kept."""
    check_invariants(tiny_scenario, tiny_plan)
    assert set(tiny_plan.closure_day) == {"north", "east", "hub"}
    assert tiny_plan.scenario_hash == tiny_scenario.content_hash()
    assert tiny_plan.solver.gap <= 0.01 + 1e-9


def test_a_table_far_above_its_plan_is_derated_and_the_cheaper_kept(
    tiny_scenario: Scenario, tiny_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A complete daily table more than `DAILY_SHORTFALL` above the solution it lays out has
    fallen short of it: the next capacity factor is tried, once, and the cheaper complete
    table kept, its derating named in the record."""
    assert [a.capacity_factor for a in tiny_plan.solver.attempts] == [1.0]
    assert tiny_plan.solver.daily_model_gap <= optimiser.DAILY_SHORTFALL
    monkeypatch.setattr(optimiser, "DAILY_SHORTFALL", -1.0)  # every table falls short
    plan = optimise(tiny_scenario, time_limit_s=20, mip_gap=0.01, with_greedy=False)
    attempts = plan.solver.attempts
    assert [a.capacity_factor for a in attempts] == list(optimiser.REPAIR_FACTORS[:2])
    kept = min((a for a in attempts if a.complete), key=lambda a: a.daily_total)
    assert plan.objective["total"] == pytest.approx(kept.daily_total)
    assert plan.solver.capacity_factor == kept.capacity_factor
    assert ("derated capacity" in plan.solver.fallback) == (kept.capacity_factor < 1.0)
    assert not plan.solver.warm_start  # derating from its own first order is no re-plan
    check_invariants(tiny_scenario, plan)
    # A model above a mission's size is not solved again: a size, not the clock, decides.
    monkeypatch.setattr(optimiser, "RETRY_MAX_COLUMNS", 0)
    plan = optimise(tiny_scenario, time_limit_s=20, mip_gap=0.01, with_greedy=False)
    assert [a.capacity_factor for a in plan.solver.attempts] == [1.0]


def test_tiny_greedy_keeps_every_invariant(tiny_scenario: Scenario) -> None:
    """The greedy baseline keeps the same invariants."""
    plan = greedy_plan(tiny_scenario)
    check_invariants(tiny_scenario, plan)
    assert plan.method == "greedy"


def test_optimiser_beats_greedy_on_tiny(tiny_scenario: Scenario, tiny_plan: Plan) -> None:
    """The optimiser's plan scores no worse than the greedy baseline, both scored the same
    way, day by day: the default plan (base attacks weighed, as scored) on the full total,
    and a plan blind to base attacks on the terms its model weighs (on tiny, its thin rear
    guard at `north` is attacked)."""
    base = greedy_plan(tiny_scenario)

    def weighed(plan: Plan) -> float:
        return plan.objective["total"] - plan.objective["base_attacks"]

    assert tiny_plan.solver.gain_over_greedy >= 0
    blind = optimise(tiny_scenario, time_limit_s=20, mip_gap=0.01, base_attacks=False)
    assert weighed(blind) <= weighed(base)


def test_weighing_base_attacks_thins_them(tiny_scenario: Scenario, tiny_plan: Plan) -> None:
    """Planned against base attacks (the default), the daily table is attacked less than a
    plan blind to them, and scores better on the full total: north's main body leaves with
    its last cargo instead of days before it, leaving a thin rear guard to be attacked."""
    blind = optimise(tiny_scenario, time_limit_s=20, mip_gap=0.01, base_attacks=False)
    assert tiny_plan.objective["base_attacks"] < blind.objective["base_attacks"]
    assert tiny_plan.objective["total"] < blind.objective["total"]


def test_a_base_under_attack_keeps_its_garrison_until_its_last_cargo(
    tiny_scenario: Scenario, tiny_plan: Plan
) -> None:
    """Tiny's north is under base attack: no one leaves it before its last cargo of the
    closing period, and its vehicles leave with their people, not in a convoy of their own."""
    north = [m for m in tiny_plan.movements if m.origin == "north"]
    last_cargo = max(m.day for m in north if m.containers_teu > 0)
    assert min(m.day for m in north if m.people > 0) >= last_cargo
    assert all(m.people > 0 or m.containers_teu > 0 for m in north)


def test_same_scenario_same_plan() -> None:
    """Determinism: solving twice gives the same plan."""
    s = one_base(people=90, teu=10.0, value_usd=1e6, population=1000, running_cost=100.0)
    a = optimise(s, period_days=1, with_greedy=False, seed=3)
    b = optimise(s, period_days=1, with_greedy=False, seed=3)
    assert a.movements == b.movements and a.closure_day == b.closure_day
    assert a.dispositions == b.dispositions


def test_base_attacks_scored_and_optionally_planned() -> None:
    """Base attacks (rate rising as the garrison thins) are scored on the daily table as their
    own term; with them in the model the plan's expected base-attack deaths do not rise."""
    s = one_base(days=20, people=600, teu=40.0, value_usd=1e5, guard=50)
    start = s.manifest.start_date
    attack = Threat(
        target="camp",
        kind="base_attack",
        start=start,
        end=start + dt.timedelta(days=19),
        rate=0.05,
        killed_mean=2.0,
        garrison_elasticity=1.0,
        source="[E] test",
    )
    s = s.model_copy(update={"threats": (attack,)})
    plain = optimise(s, with_greedy=False, base_attacks=False)
    w = s.manifest.objective.per_expected_death
    deaths = plain.figures["expected_base_attack_deaths"]
    assert deaths > 0
    assert plain.objective["base_attacks"] == pytest.approx(w * deaths)
    terms = [k for k in plain.objective if k != "total"]
    assert plain.objective["total"] == pytest.approx(sum(plain.objective[k] for k in terms))
    aware = optimise(s, with_greedy=False, base_attacks=True)
    assert aware.figures["expected_base_attack_deaths"] <= deaths + 1e-9
