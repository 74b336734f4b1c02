"""The planner plans the planners' world: closure work, units, lift, roles and owners.

Each scenario is small enough to solve by hand: one base (or tiny's two bases and hub), a
one-day road to the exit, and one resource made scarce so that the answer is known.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drawdown.plan import greedy_plan, optimise
from drawdown.plan.model import Plan
from drawdown.scenario.io import load_scenario
from drawdown.scenario.model import (
    ClosureWork,
    ContingentPolicy,
    Holding,
    Lift,
    ResidualTask,
    Scenario,
    Unit,
)

from .conftest import one_base

TINY = Path(__file__).parents[1] / "data" / "tiny"


def _with_closure(s: Scenario, **rates: float) -> Scenario:
    closure = ClosureWork(**{**ClosureWork().model_dump(), **rates})  # precedent defaults
    return s.replace(manifest=s.manifest.model_copy(update={"closure": closure}))


def _row(plan: Plan, site: str):  # noqa: ANN202
    return next(r for r in plan.closure_work if r.site == site)


def _teu_out_by_day(plan: Plan, site: str, days: int) -> np.ndarray:
    out = np.zeros(days)
    for m in plan.movements:
        if m.origin == site:
            out[m.day] += m.containers_teu
    return np.cumsum(out)


def _people_out_by_day(s: Scenario, plan: Plan) -> np.ndarray:
    exits = {x.id for x in s.sites if x.kind == "exit"}
    out = np.zeros(s.horizon_days)
    for m in plan.movements:
        if m.destination in exits:
            out[m.arrival_day] += m.people
    return np.cumsum(out)


@pytest.mark.parametrize(
    ("cap", "fewest_days", "per_day", "earliest"),
    [(5.0, 0.0, 5.0, 11), (60.0, 20.0, 3.0, 19)],
    ids=["site cap", "fewest packing days"],
)
def test_packing_rate_bounds_the_closure_day(
    cap: float, fewest_days: float, per_day: float, earliest: int
) -> None:
    """100 people pack 10 TEU a day. Behind a site cap of 5 a day, or a camp whose own 60
    TEU take at least 20 days to come down (`min_packing_days`, 3 a day), no more leave a
    day than that: packed by day 11 (12 days of 5) or day 19 (20 of 3) at the earliest, so
    no last load before then. The camp packs to its loads (`simulate.call_forward`): its
    row's packing ends on its last load's day, no faster than its rate allows, and the base
    closes only after the last load and the 3 days of final steps."""
    s = _with_closure(
        one_base(days=40, people=100, teu=60.0, value_usd=1e7, cargo_trucks=20),
        teu_packed_per_person_day=0.1,
        max_teu_packed_per_day=cap,
        min_packing_days=fewest_days,
        final_steps_days=3,
    )
    plan = optimise(s, period_days=4, with_greedy=False)
    cum = _teu_out_by_day(plan, "camp", s.horizon_days)
    assert (cum <= per_day * (np.arange(s.horizon_days) + 1) + 1e-6).all(), cum
    assert cum[-1] == 60.0
    row = _row(plan, "camp")
    last_load = max(m.day for m in plan.movements if m.origin == "camp" and m.containers_teu)
    assert last_load >= earliest
    assert row.packed_by_day == last_load
    assert (row.packed_by_day - row.pack_start_day + 1) * per_day >= 60.0 - 1e-6
    assert plan.closure_day["camp"] >= last_load + 3
    assert row.final_steps_start_day >= last_load
    assert row.handover_day == row.final_steps_start_day + 3 <= plan.closure_day["camp"]


def test_seats_a_day_bound_the_people_out_curve() -> None:
    """One charter of 50 seats a day at the port: by day d at most 50 (d + 1) people are
    out, and all 300 are out by the deadline."""
    s = one_base(days=20, people=300, troop_trucks=20)
    s = s.replace(
        lift=(
            Lift(
                id="charter",
                kind="charter",
                site="port",
                seats_each=50,
                flights_per_week=7,
                source="[E] test",
            ),
        )
    )
    plan = optimise(s, period_days=2, with_greedy=False)
    curve = _people_out_by_day(s, plan)
    assert (curve <= 50.0 * (np.arange(s.horizon_days) + 1) + 1e-6).all(), curve
    assert curve[-1] == 300
    used = {r.day: r.seats_used for r in plan.lift_use if r.lift_id == "charter"}
    assert sum(used.values()) == 300
    assert all(r.seats_available == 50.0 for r in plan.lift_use)


def _two_units(teu: float = 40.0) -> Scenario:
    """A base with a company that has equipment and a civilian office that has none."""
    s = _with_closure(one_base(days=30, people=1, cargo_trucks=4, troop_trucks=10))
    units = (
        Unit(
            id="coy",
            site="camp",
            contingent="alpha",
            kind="company",
            category="troops",
            people=200,
            rear_party_people=20,
            source="[E] test",
        ),
        Unit(
            id="office",
            site="camp",
            contingent="mission",
            kind="civilian",
            category="civilian",
            people=50,
            source="[E] test",
        ),
    )
    holdings = (Holding(unit="coy", containers_teu=teu, value_usd=1e7, source="[E] test"),)
    return _rebuilt(s, units=units, holdings=holdings)


def _rebuilt(s: Scenario, **changes: object) -> Scenario:
    """A scenario validated again (holdings take their unit's site and contingent)."""
    fields = {f: getattr(s, f) for f in Scenario.model_fields}
    return Scenario(**{**fields, **changes})


def test_a_unit_does_not_leave_before_its_equipment() -> None:
    """The company's main body (180) leaves only as its 40 TEU leave (at most in proportion),
    its rear party (20) only after the last load and the final steps; the civilians (50),
    who hold no equipment, may leave at any time."""
    s = _two_units()
    plan = optimise(s, period_days=3, with_greedy=False)
    H = s.horizon_days
    people = np.zeros(H)
    teu = np.zeros(H)
    for m in plan.movements:
        if m.origin == "camp":
            assert m.unit in ("coy", "office", "")  # "" only for a load shared by both
            people[m.day] += m.people
            if m.containers_teu:
                assert m.unit == "coy"  # the equipment is the company's
                teu[m.day] += m.containers_teu
    gone, shipped = np.cumsum(people), np.cumsum(teu) / 40.0
    assert shipped[-1] == 1.0 and gone[-1] == 250
    last_load = int(np.flatnonzero(teu)[-1])
    handover = last_load + s.manifest.closure.final_steps_days
    before = np.arange(H) < handover
    assert (gone[before] <= 50 + 180 * shipped[before] + 1e-6).all(), (gone, shipped)
    assert int(np.flatnonzero(people)[-1]) >= handover  # the rear party


def test_the_hq_closes_last() -> None:
    """With the hub as HQ supporting both bases, the HQ closes after each of them."""
    s = load_scenario(TINY)
    sites = tuple(
        x.model_copy(update={"role": "hq"})
        if x.id == "hub"
        else x.model_copy(update={"supported_by": "hub"})
        if x.kind == "base"
        else x
        for x in s.sites
    )
    plan = optimise(s.replace(sites=sites), with_greedy=False)
    hq = plan.closure_day["hub"]
    assert all(d <= hq for s_id, d in plan.closure_day.items() if s_id != "hub")
    assert plan.closure_order()[-1][0] == "hub"


def test_a_residual_task_holds_a_site_open() -> None:
    """A base that would close within days stays open through its residual task's last day."""
    s = one_base(days=30, people=60)
    free = optimise(s, period_days=3, with_greedy=False)
    assert free.closure_day["camp"] < 20
    task = ResidualTask(
        site="camp", task="protection of civilians", until=s.date_of(20), source="[E] test"
    )
    held = optimise(s.replace(residual_tasks=(task,)), period_days=3, with_greedy=False)
    assert held.closure_day["camp"] >= 20
    assert _row(held, "camp").binding == "residual_task"


def _cargo_to_leave(owner: str, sensitive: bool, allowed: bool) -> Scenario:
    """USD 100,000 of cargo on a road where its convoy costs about USD 500,000 of expected
    deaths: worth leaving if it may be handed over, not worth writing off at ten times its
    value (fast packing, so that it could all leave)."""
    s = one_base(
        days=12,
        people=40,
        teu=20.0,
        value_usd=1e5,
        sensitive=sensitive,
        threat_rate=0.0005,
        weights={"per_expected_death": 1e7},
    )
    s = _with_closure(s, teu_packed_per_person_day=1.0, final_steps_days=1)
    holdings = tuple(h.model_copy(update={"owner": owner}) for h in s.holdings)
    contingents = (ContingentPolicy(id="alpha", handover_allowed=allowed, source="[E] test"),)
    return s.replace(holdings=holdings, contingents=contingents)


def test_sensitive_never_handed_over_and_coe_repatriated_unless_allowed() -> None:
    """UN-owned cargo on a deadly road is handed over; COE is repatriated unless its
    contingent allows a handover; sensitive cargo is never handed over."""
    un = optimise(_cargo_to_leave("un", False, False), period_days=2, with_greedy=False)
    assert any(d.fate == "hand_over" and d.group == "hand_over" for d in un.dispositions)
    coe = optimise(_cargo_to_leave("coe", False, False), period_days=2, with_greedy=False)
    assert all(d.fate == "repatriate" for d in coe.dispositions), coe.dispositions
    allowed = optimise(_cargo_to_leave("coe", False, True), period_days=2, with_greedy=False)
    assert any(d.fate == "hand_over" and d.owner == "coe" for d in allowed.dispositions)
    for owner in ("un", "coe"):
        plan = optimise(_cargo_to_leave(owner, True, True), period_days=2, with_greedy=False)
        assert not any(d.sensitive and d.fate == "hand_over" for d in plan.dispositions)


@settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(teu=st.sampled_from([0.0, 8.0, 40.0]), office=st.integers(0, 120), coy=st.integers(40, 300))
def test_people_and_cargo_conserved_per_unit(teu: float, office: int, coy: int) -> None:
    """In the daily table, no unit moves more people or TEU out of its site than it has, and
    unit rows plus mixed rows account for everyone who reaches the exit."""
    s = _two_units(teu)
    units = tuple(
        u.model_copy(update={"people": coy if u.id == "coy" else office})
        for u in s.units
        if (u.id == "coy" or office > 0)
    )
    s = _rebuilt(s, units=units, holdings=s.holdings if teu else ())
    plan = greedy_plan(s)
    size = {u.id: u.people for u in s.units}
    out_people: dict[str, int] = {}
    out_teu: dict[str, float] = {}
    for m in plan.movements:
        if m.destination == "port":
            out_people[m.unit] = out_people.get(m.unit, 0) + m.people
            out_teu[m.unit] = out_teu.get(m.unit, 0.0) + m.containers_teu
    for unit, n in out_people.items():
        assert unit == "" or n <= size[unit]
    assert out_teu.get("coy", 0.0) <= teu + 1e-6
    if plan.solver.complete:
        assert sum(out_people.values()) == sum(size.values())
        mixed = out_people.get("", 0)
        for unit, n in size.items():
            assert out_people.get(unit, 0) + mixed >= n


def test_too_few_seats_say_so_and_keep_the_best_plan() -> None:
    """300 people and 10 seats a day for 20 days: the error names the seats and how many are
    missing, and carries the best plan found, marked as such."""
    import pytest

    from drawdown.plan.errors import InfeasiblePlanError

    s = one_base(days=20, people=300, troop_trucks=20)
    charter = Lift(
        id="charter",
        kind="charter",
        site="port",
        seats_each=10,
        flights_per_week=7,
        source="[E] test",
    )
    with pytest.raises(InfeasiblePlanError) as caught:
        optimise(s.replace(lift=(charter,)), period_days=2, with_greedy=False)
    err = caught.value
    assert any(f.resource == "seats" for f in err.shortfalls)
    text = " ".join(p.message for p in err.problems)
    assert "200 seats" in text and "short by 100 seats" in text
    assert err.best_plan is not None and err.best_plan.solver.best_found


def test_no_load_leaves_too_late_for_the_final_steps() -> None:
    """A camp whose 300 TEU need 30 days at 10 a day, with 5 days of final steps and a
    20-day horizon: no load may leave after day 20 - 2 - 5 - 0 (handover at once) - 1 (the
    road out) = 12, in the model and in the daily table alike; what is still there then is
    left (handed over or destroyed), and the camp still closes by the deadline."""
    from drawdown.network import build_network
    from drawdown.plan.build import last_load_days, prepare

    s = _with_closure(
        one_base(days=20, people=100, teu=300.0, value_usd=1e5, cargo_trucks=40),
        teu_packed_per_person_day=1.0,
        max_teu_packed_per_day=10.0,
        final_steps_days=5,
    )
    data = prepare(s, build_network(s), period_days=4)
    assert last_load_days(data).tolist() == [12]
    # a period ends at the policy's cut-off for cargo, so the model's last loads fall in it
    cutoff = s.horizon_days - 1 - s.manifest.policy.cutoff_days_before_deadline
    assert cutoff + 1 in data.period_start.tolist()
    plan = optimise(s, period_days=4, with_greedy=False)
    loads = [m.day for m in plan.movements if m.origin == "camp" and m.containers_teu > 0]
    assert loads and max(loads) <= 12
    left = sum(d.containers_teu for d in plan.dispositions if d.fate != "repatriate")
    assert left > 0
    assert plan.closure_day["camp"] < s.horizon_days


def test_the_reserve_brings_the_whole_plan_forward() -> None:
    """With policy.reserve_days_before_deadline = 6 on a 20-day withdrawal, everyone reaches
    the exit by day 20 - 1 - 6 = 13 (the stress test still counts against day 19)."""
    s = one_base(days=20, people=100, teu=20.0, value_usd=1e5, cargo_trucks=20)
    policy = s.manifest.policy.model_copy(update={"reserve_days_before_deadline": 6})
    s = s.replace(manifest=s.manifest.model_copy(update={"policy": policy}))
    plan = optimise(s, period_days=4, with_greedy=False)
    exits = {x.id for x in s.sites if x.kind == "exit"}
    arrivals = [m.arrival_day for m in plan.movements if m.destination in exits and m.people]
    assert arrivals and max(arrivals) <= 13, arrivals
    assert sum(m.people for m in plan.movements if m.destination in exits) == 100


def _own_loads(plan: Plan, site: str) -> tuple[list[int], list[int]]:
    """Days of the people and the cargo legs that start at `site` (not those passing it)."""
    mine = [m for m in plan.movements if m.origin == site and m.route.split(">")[0] == site]
    return [m.day for m in mine if m.people], [
        m.day for m in mine if m.containers_teu or m.vehicles
    ]


def test_no_cargo_leaves_a_site_after_its_last_people() -> None:
    """Cargo is loaded and escorted by the people there: in the optimised and the greedy
    daily tables alike, no site's cargo leaves after its guard has gone."""
    s = load_scenario(TINY)
    for plan in (optimise(s, with_greedy=False), greedy_plan(s)):
        for site in ("north", "east", "hub"):
            people, cargo = _own_loads(plan, site)
            if cargo:
                assert people and max(cargo) <= max(people), (plan.method, site, people, cargo)


def test_a_closure_team_packs_its_bases_one_after_another() -> None:
    """Tiny's two bases share one closure team: the plan packs the second of the round only
    once the first is packed, and each still closes after its own packing. The team reaches
    the second within a day of the day the model opened its window: the model keeps the
    first site's people until it is packed (thinned early, it packed until day 15 and the
    team came six days late). The day late: the model's first period has seats for the
    people the daily table flies out in its first days, and the few fewer pack a day longer."""
    from drawdown.scenario.closure_teams import planned_pack_start, rounds

    tiny = _with_closure(load_scenario(TINY), teu_packed_per_person_day=0.02)
    teamed = tiny.replace(
        sites=tuple(
            s.model_copy(update={"closure_team": "engineers"}) if s.kind == "base" else s
            for s in tiny.sites
        )
    )
    first, second = rounds(teamed)["engineers"]
    plan = optimise(teamed, with_greedy=False)
    a, b = _row(plan, first), _row(plan, second)
    assert a.pack_start_day == 0 and b.pack_start_day > a.packed_by_day
    planned = planned_pack_start(teamed)[second]
    assert planned <= b.pack_start_day <= planned + 1
    assert plan.closure_day[second] > b.packed_by_day
    alone = optimise(tiny, with_greedy=False)
    assert _row(alone, second).pack_start_day == 0
