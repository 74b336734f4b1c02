"""Hand-solved one-base withdrawals: packing, handover, charters, corridors, early closure.

One camp (300 people, 100 TEU: 90 general, 10 sensitive) one day's road from a port that is
the exit for people and cargo; no clearance, threat or event unless a test adds one. Plans
are written by hand: a first cargo load on day 0 with every TEU, empty sweeper loads that
carry what is left (backlog) on the following days, then the people (the last guard).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drawdown.plan.model import ClosureWorkRow, Movement, Plan
from drawdown.scenario.model import (
    Clearance,
    ClosureWork,
    ContingentPolicy,
    Holding,
    Lift,
    Link,
    ResidualTask,
    Scenario,
    Site,
    Threat,
    Truck,
    Unit,
)
from drawdown.simulate import SimulationResult, simulate
from drawdown.simulate.inputs import charter_flights

START = dt.date(2023, 7, 1)
END = dt.date(2024, 12, 31)
CAMP, PORT = 0, 1


def one_base(
    tiny: Scenario,
    *,
    closure: ClosureWork | None = None,
    lift: tuple[Lift, ...] = (),
    clearances: tuple[Clearance, ...] = (),
    threats: tuple[Threat, ...] = (),
    early_close_attacks: int = 0,
) -> Scenario:
    """The one-base world; closure work is modelled when `closure` is given."""
    manifest = tiny.manifest.model_copy(
        update={
            "closure": closure,
            "sources": {"closure.teu_packed_per_person_day": "[E] test"} if closure else {},
            "policy": tiny.manifest.policy.model_copy(
                update={
                    "early_close_attacks": early_close_attacks,
                    "retry_delay_days": 2,
                    "max_retries": 3,
                }
            ),
        }
    )
    sites = (
        Site(id="camp", name="Camp", kind="base", lat=15.0, lon=0.0, region="north"),
        Site(
            id="port",
            name="Port",
            kind="exit",
            lat=14.0,
            lon=0.0,
            region="south",
            exit_for="all",
            airfield_class="airport",
            runway_m=3000,
            runway_surface="paved",
        ),
    )
    road = Link.model_validate(
        {
            "id": "camp-port",
            "from": "camp",
            "to": "port",
            "mode": "road",
            "km": 100,
            "dry_km_per_day": 100,
            "wet_km_per_day": 100,
        }
    )
    return Scenario(
        manifest=manifest,
        sites=sites,
        links=(road,),
        units=(
            Unit(
                id="bn",
                site="camp",
                contingent="alpha",
                kind="battalion",
                category="troops",
                people=300,
            ),
        ),
        holdings=(
            Holding(unit="bn", containers_teu=90.0),
            Holding(unit="bn", containers_teu=10.0, cargo_class="weapons", sensitive=True),
        ),
        trucks=(
            Truck(id="cargo", count=50, teu_each=2),
            Truck(id="troops", count=20, people_each=30),
        ),
        escorts=(),
        aircraft=(),
        clearances=clearances,
        threats=threats,
        lift=lift,
        # alpha's stores may be handed over, so what is left shows the handover's own rules
        # (handed over, or abandoned when refused); without it they would be destroyed
        contingents=(ContingentPolicy(id="alpha", handover_allowed=True, source="[E] test"),),
    )


def plan_for(
    scenario: Scenario, *, sweepers: int = 14, guard_day: int = 15, cargo_day: int = 0
) -> Plan:
    """Every TEU on `cargo_day` (0), empty sweeper loads on days 1..`sweepers`, the people on
    `guard_day`."""
    cargo = [
        Movement(
            cargo_day, cargo_day + 1, "camp", "port", "camp-port", "road", "cargo", 1, 0, 100.0, 0
        )
    ]
    cargo += [
        Movement(d, d + 1, "camp", "port", "camp-port", "road", "cargo", 1, 0, 0.0, 0)
        for d in range(1, sweepers + 1)
    ]
    people = Movement(
        guard_day, guard_day + 1, "camp", "port", "camp-port", "road", "troops", 10, 300, 0.0, 0
    )
    return Plan(
        scenario_name=scenario.name,
        scenario_hash=scenario.content_hash(),
        horizon_days=scenario.horizon_days,
        closure_day={"camp": guard_day},
        movements=(*cargo, people),
        dispositions=(),
        method="test-hand",
    )


def plan_with_loads(scenario: Scenario, loads: dict[int, float], guard_day: int = 25) -> Plan:
    """`plan_for` with cargo loads of the given TEU on the given days instead of one on day
    0 (and no sweepers), the people on `guard_day`."""
    base = plan_for(scenario, sweepers=0, guard_day=guard_day)
    cargo = tuple(
        dataclasses.replace(base.movements[0], day=day, arrival_day=day + 1, containers_teu=teu)
        for day, teu in loads.items()
    )
    return dataclasses.replace(base, movements=(*cargo, base.movements[-1]))


def cargo_cutoff(scenario: Scenario, day: int, *, deadline_day: int = 40) -> Scenario:
    """`scenario` with its deadline on `deadline_day` and the cargo cut-off on `day`."""
    m = scenario.manifest
    policy = m.policy.model_copy(update={"cutoff_days_before_deadline": deadline_day - day})
    deadline = START + dt.timedelta(days=deadline_day)
    return scenario.replace(manifest=m.model_copy(update={"deadline": deadline, "policy": policy}))


def run(scenario: Scenario, plan: Plan, runs: int = 20) -> SimulationResult:
    return simulate(scenario, plan, runs=runs, seed=3, timelines=True)


def test_packing_rate_bounds_the_cargo_and_the_closure(tiny: Scenario) -> None:
    """10 TEU packed a day: packing ends on day 9 and the last load leaves that day (what is
    packed today can leave today); the final steps start after it (the planner's rule: after
    the last load, not after the last people movement) and end on day 12, so the camp closes
    with its guard as planned on day 15."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=10.0, final_steps_days=3
    )
    scenario = one_base(tiny, closure=work)
    result = run(scenario, plan_for(scenario))
    assert np.all(result.packed_day[:, CAMP] == 9)
    assert np.all(result.data.runs["teu_shipped"] == 100.0)
    # the planned load leaves on day 0 with what is packed, sweepers take the rest up to
    # day 9, each restarting the final steps; they end on day 12, handed over at once
    assert np.all(result.handover_day[:, CAMP] == 12)
    assert np.all(result.data.closure_day[:, CAMP] == 15)
    # the same plan with packing at 5 TEU a day: 75 TEU loaded by day 14; the last sweeper
    # waits for the rest, packed on day 19, and takes it; the final steps end on day 22,
    # and the guard, waiting for them, closes the camp then
    slow = one_base(tiny, closure=work.model_copy(update={"max_teu_packed_per_day": 5.0}))
    slow_result = run(slow, plan_for(slow))
    assert np.all(slow_result.packed_day[:, CAMP] == 19)
    assert np.all(slow_result.data.runs["teu_shipped"] == 100.0)
    assert np.all(slow_result.handover_day[:, CAMP] == 22)
    assert np.all(slow_result.data.closure_day[:, CAMP] == 22)
    # ... unless the cargo cut-off comes first: the sweeper of day 14, on the cut-off, goes
    # with what is packed and the rest stays (handed over)
    cut = cargo_cutoff(slow, 14)
    cut_result = run(cut, plan_for(cut))
    assert np.all(cut_result.data.runs["teu_shipped"] == 75.0)
    assert np.all(cut_result.data.runs["teu_handed_over"] == 25.0)


def test_a_camp_is_packed_for_its_loads_and_what_stays_is_not_waited_for(tiny: Scenario) -> None:
    """The plan ships 50 TEU on day 10 and 40 on day 20 and leaves 10 (handed over). Packing
    10 a day, the camp packs to those loads (`simulate.call_forward`): from day 6, packed on
    day 20 with its last load, not on day 9 as at full rate from day 0. The 10 TEU the plan
    leaves are never packed, and the last load does not wait for them: the final steps end
    on day 23 and the 10 are handed over; the guard leaves on its planned day 25 (a plan
    without closure rows lets it go no sooner)."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=10.0, final_steps_days=3
    )
    scenario = one_base(tiny, closure=work)
    result = run(scenario, plan_with_loads(scenario, {10: 50.0, 20: 40.0}))
    assert np.all(result.packed_day[:, CAMP] == 20)
    assert np.all(result.data.runs["teu_shipped"] == 90.0)
    assert np.all(result.data.runs["teu_handed_over"] == 10.0)
    assert np.all(result.handover_day[:, CAMP] == 23)
    assert np.all(result.data.closure_day[:, CAMP] == 25)


def test_cargo_an_attack_burns_before_packing_is_lost_pro_rata(tiny: Scenario) -> None:
    """The plan ships 60 of 100 TEU (30 on days 10 and 20) and leaves 40. Attacks in the
    first three days, before any packing, burn a share of the camp: the schedule shrinks with
    it, so what is shipped and what stays lose alike (60:40 of what is left), and nothing
    the plan ships is stranded unpacked."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=10.0, final_steps_days=3
    )
    attack = Threat(
        target="camp",
        kind="base_attack",
        start=START,
        end=START + dt.timedelta(days=2),
        rate=1.0,
        cargo_lost_teu_mean=30.0,
    )
    scenario = one_base(tiny, closure=work, threats=(attack,))
    runs = run(scenario, plan_with_loads(scenario, {10: 30.0, 20: 30.0}), runs=100).data.runs
    kept = 100.0 - runs["teu_lost"]
    hit = runs["teu_lost"] > 1.0
    assert hit.sum() >= 30  # attacks burnt cargo in many runs
    assert np.allclose(runs["teu_shipped"][hit], 0.6 * kept[hit], atol=0.5)
    assert np.allclose(runs["teu_handed_over"][hit], 0.4 * kept[hit], atol=0.5)


def test_a_guard_goes_once_handed_over_and_final_steps_are_drawn(tiny: Scenario) -> None:
    """The plan times the guard for day 15, after its last load on day 9 and final steps
    planned from then. Handed
    over on day 12 (3 days of final steps, no wait for the host), the guard goes that day,
    not on its planned day. With the final steps drawn over 2 to 6 days, each run hands
    over between day 11 and day 15 and the guard leaves with the handover: every day of the
    range occurs, and no guard stays past its planned day for steps that ended sooner."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=10.0, final_steps_days=3
    )
    row = ClosureWorkRow("camp", 0, 9, 9, 12, 15, "packing")
    scenario = one_base(tiny, closure=work)
    plan = dataclasses.replace(plan_for(scenario, sweepers=9), closure_work=(row,))
    result = run(scenario, plan)
    assert np.all(result.handover_day[:, CAMP] == 12)
    assert np.all(result.data.closure_day[:, CAMP] == 12)
    drawn = one_base(
        tiny,
        closure=work.model_copy(update={"final_steps_days_low": 2, "final_steps_days_high": 6}),
    )
    plan = dataclasses.replace(plan, scenario_hash=drawn.content_hash())
    result = run(drawn, plan, runs=200)
    handed = result.handover_day[:, CAMP]
    assert set(np.unique(handed)) == set(range(11, 16))
    assert np.array_equal(result.data.closure_day[:, CAMP], handed)


def test_a_camp_comes_down_over_its_fewest_packing_days(tiny: Scenario) -> None:
    """300 people pack 300 TEU a day within the site's cap of 10, but its own 100 TEU take
    at least 20 days (`min_packing_days`): 5 a day, packed on day 19, the last sweeper
    takes the rest, and the final steps end on day 22."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0,
        max_teu_packed_per_day=10.0,
        min_packing_days=20.0,
        final_steps_days=3,
    )
    scenario = one_base(tiny, closure=work)
    result = run(scenario, plan_for(scenario, sweepers=19, guard_day=22))
    assert np.all(result.packed_day[:, CAMP] == 19)
    assert np.all(result.data.runs["teu_shipped"] == 100.0)
    assert np.all(result.handover_day[:, CAMP] == 22)


def test_without_closure_work_the_old_semantics_hold(tiny: Scenario) -> None:
    """A manifest that does not source closure rates loads everything on day 0."""
    scenario = one_base(tiny)
    result = run(scenario, plan_for(scenario))
    assert np.all(result.packed_day == -1)
    assert np.all(result.data.closure_day[:, CAMP] == 15)
    assert np.all(result.data.runs["teu_shipped"] == 100.0)


def test_a_refused_handover_delays_closure_and_abandons_what_is_left(tiny: Scenario) -> None:
    """Handover refused at every attempt: the guard leaves after the last refusal (3 retries
    2 days apart) and the unpacked general cargo is abandoned, the sensitive destroyed."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=5.0, final_steps_days=3
    )
    refused = Clearance(mode="handover", start=START, end=END, approval=0.0)
    # the cargo cut-off on day 14 stops the last sweeper waiting for the packing
    scenario = cargo_cutoff(one_base(tiny, closure=work, clearances=(refused,)), 14)
    result = run(scenario, plan_for(scenario))
    assert np.all(result.handover_day[:, CAMP] == -1)
    assert np.all(result.data.closure_day[:, CAMP] == 14 + 3 + 3 * 2)
    runs = result.data.runs
    assert np.all(runs["teu_shipped"] == 75.0)
    # sensitive goes first into loads, so all 25 TEU left are general: abandoned
    assert np.all(runs["teu_abandoned"] == 25.0)
    assert np.all(runs["teu_handed_over"] == 0.0)


def test_seats_a_day_bound_the_people_out_curve(tiny: Scenario) -> None:
    """One 20-seat charter a day; a week's unflown seats (140) may fly when people are there
    (`scenario.days.SEAT_BANK_DAYS`): of the 300 who reach the port on day 16, 140 fly that
    day on the week's banked seats, then 20 a day until day 24."""
    charter = Lift(id="charter", kind="charter", site="port", seats_each=20, flights_per_week=7)
    scenario = one_base(tiny, lift=(charter,))
    result = run(scenario, plan_for(scenario))
    timelines = result.data.timelines
    assert timelines is not None
    assert np.all(timelines[:, 15] == 300)
    assert np.all(timelines[:, 16:19] == [160, 140, 120])
    assert np.all(result.data.runs["completion_day"] == 24)
    seated = result.lift_people_by_day[0] / result.runs
    assert list(seated[15:18]) == [0.0, 140.0, 20.0] and seated.sum() == 300.0
    assert np.all(result.lift_seats_by_day[0] / result.runs == 20.0)


def test_refused_charter_flights_lose_their_seats(tiny: Scenario) -> None:
    """Air clearance at half: seats cleared average half the seats flown, and people wait
    longer than with every flight cleared (20 a day then: done on day 24)."""
    charter = Lift(id="charter", kind="charter", site="port", seats_each=20, flights_per_week=7)
    half = Clearance(mode="air", start=START, end=END, approval=0.5)
    scenario = one_base(tiny, lift=(charter,), clearances=(half,))
    result = run(scenario, plan_for(scenario), runs=400)
    share = result.lift_seats_by_day[0].sum() / (20.0 * result.runs * result.horizon)
    assert abs(share - 0.5) < 0.03
    assert np.all(result.data.runs["completion_day"] >= 24)
    assert result.data.runs["completion_day"].mean() > 30


def test_charter_flights_spread_over_the_week() -> None:
    """3.5 flights a week fly every other day; 7 a week fly daily."""
    assert list(charter_flights(3.5, 8)) == [0, 1, 0, 1, 0, 1, 0, 1]
    assert list(charter_flights(7.0, 3)) == [1, 1, 1]


def test_a_corridor_crosses_at_most_its_throughput(tiny: Scenario) -> None:
    """10 TEU a day cross, no border delay: the 100 TEU reaching the port on day 1 take 10 days."""
    corridor = Lift(id="road-out", kind="corridor", site="port", teu_per_day=10.0)
    scenario = one_base(tiny, lift=(corridor,))
    result = run(scenario, plan_for(scenario))
    assert np.all(result.lift_teu_crossed[:, 0] == 100.0)
    assert np.all(result.data.runs["teu_shipped"] == 100.0)
    # a border delay keeps cargo in theatre longer but loses nothing
    slow = one_base(tiny, lift=(corridor.model_copy(update={"border_delay_days_mean": 20.0}),))
    slow_result = run(slow, plan_for(slow))
    assert np.allclose(slow_result.data.runs["teu_shipped"], 100.0)


def test_teu_out_by_day_rise_as_the_corridor_crosses(tiny: Scenario) -> None:
    """All 100 TEU leave the camp on day 5 and reach the port on day 6, where 10 a day cross
    the corridor (no border delay): nothing is out on days 0-5, 10 more each day from day 6,
    all 100 by day 15 and after, as many as crossed and were shipped."""
    corridor = Lift(id="road-out", kind="corridor", site="port", teu_per_day=10.0)
    scenario = one_base(tiny, lift=(corridor,))
    result = run(scenario, plan_for(scenario, sweepers=0, cargo_day=5))
    by_day = result.data.teu_out_timelines
    assert by_day is not None and by_day.shape == (20, result.horizon)
    rising = 10.0 * np.arange(1, 11)  # days 6..15
    expected = np.concatenate([np.zeros(6), rising, np.full(result.horizon - 16, 100.0)])
    assert np.all(by_day == expected)
    assert np.all(result.lift_teu_crossed[:, 0] == 100.0)
    assert np.all(result.data.runs["teu_shipped"] == by_day[:, -1])
    # the streaming fan says the same without the timelines: every quantile on the one curve
    fan = result.teu_out_fan()
    for q in ("q05", "q50", "q95"):
        assert list(fan[q]) == list(expected)


def test_without_a_corridor_teu_are_out_as_they_reach_the_exit(tiny: Scenario) -> None:
    """The port is the exit for cargo and has no corridor: the 100 TEU leaving on day 0 are out
    the day they arrive (day 1), as `teu_shipped` counts them."""
    scenario = one_base(tiny)
    result = run(scenario, plan_for(scenario))
    by_day = result.data.teu_out_timelines
    assert by_day is not None
    assert np.all(by_day[:, 0] == 0) and np.all(by_day[:, 1:] == 100)
    assert list(result.teu_out_fan()["q50"][:3]) == [0.0, 100.0, 100.0]


def test_an_early_closure_abandons_and_never_hands_over(tiny: Scenario) -> None:
    """Attacked every day with early closure at 1 attack: general cargo left is abandoned,
    sensitive destroyed, nothing handed over; the closure is recorded by site and day."""
    attack = Threat(target="camp", kind="base_attack", start=START, end=END, rate=50.0)
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=5.0, final_steps_days=3
    )
    scenario = one_base(tiny, closure=work, threats=(attack,), early_close_attacks=1)
    plan = plan_for(scenario)
    result = run(scenario, plan)
    runs = result.data.runs
    assert np.all(result.early_closed_site[:, CAMP] == 1)
    assert np.all(result.early_close_day[:, CAMP] == 0)
    assert np.all(runs["teu_handed_over"] == 0.0)
    # day 0 loaded the 5 TEU packed, sensitive first: 5 sensitive left to destroy
    assert np.all(runs["teu_abandoned"] == 90.0)
    assert np.all(runs["teu_destroyed"] == 5.0)
    assert np.all(runs["teu_shipped"] == 5.0)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pack=st.floats(1.0, 30.0),
    steps=st.integers(0, 5),
    approval=st.floats(0.0, 1.0),
    seats=st.integers(0, 150),
    teu_per_day=st.floats(0.0, 40.0),
    border=st.floats(0.0, 5.0),
    attacks=st.floats(0.0, 0.3),
)
def test_people_and_cargo_are_conserved(
    tiny: Scenario,
    pack: float,
    steps: int,
    approval: float,
    seats: int,
    teu_per_day: float,
    border: float,
    attacks: float,
) -> None:
    """Out + lost + stranded = people; shipped + handed over + ... + abandoned = TEU; TEU out
    by day rise to at most the TEU shipped."""
    work = ClosureWork(
        teu_packed_per_person_day=1.0, max_teu_packed_per_day=pack, final_steps_days=steps
    )
    lift = (
        Lift(id="c", kind="charter", site="port", seats_each=seats, flights_per_week=5),
        Lift(
            id="r",
            kind="corridor",
            site="port",
            teu_per_day=teu_per_day,
            border_delay_days_mean=border,
        ),
    )
    clear = Clearance(mode="handover", start=START, end=END, approval=approval)
    threat = Threat(
        target="camp",
        kind="base_attack",
        start=START,
        end=END,
        rate=attacks,
        killed_mean=1.0,
        cargo_lost_teu_mean=2.0,
    )
    scenario = one_base(
        tiny,
        closure=work,
        lift=lift,
        clearances=(clear,),
        threats=(threat,),
        early_close_attacks=2,
    )
    result = run(scenario, plan_for(scenario), runs=30)
    runs = result.data.runs
    np.testing.assert_allclose(
        runs["people_out"] + runs["people_lost"] + runs["people_stranded"], 300, atol=1e-6
    )
    np.testing.assert_allclose(result.data.teu_fate.sum(axis=2)[:, CAMP], 100.0, atol=1e-3)
    assert np.all(result.data.teu_fate >= -1e-6)
    np.testing.assert_allclose(result.lift_teu_crossed[:, 1], runs["teu_shipped"], atol=1e-6)
    # TEU out never fall, and by the last day are at most what the run ships (some may cross
    # after it)
    teu_out = result.data.teu_out_timelines
    assert teu_out is not None and np.all(np.diff(teu_out, axis=1) >= 0)
    assert np.all(teu_out[:, -1] <= runs["teu_shipped"] + 0.5)


def test_the_hq_closes_last_and_a_residual_task_holds_a_site(tiny: Scenario) -> None:
    """The hub supporting both camps keeps its guard until both are empty; a residual task
    to 25 July keeps the east camp's guard until the day after."""
    from plans import batch_plan

    quiet = tiny.replace(clearances=(), threats=(), events=())
    plan = batch_plan(quiet)
    free = simulate(quiet, plan, runs=5, seed=1).data.closure_day[0]
    sites = tuple(
        s.model_copy(update={"role": "hq", "supported_by": ""})
        if s.id == "hub"
        else s.model_copy(update={"supported_by": "hub"})
        if s.kind == "base"
        else s
        for s in quiet.sites
    )
    held = quiet.replace(
        sites=sites,
        residual_tasks=(
            ResidualTask(site="east", task="protection of civilians", until=dt.date(2023, 7, 25)),
        ),
    )
    result = simulate(held, batch_plan(held), runs=5, seed=1, check_hash=False)
    closure = result.data.closure_day[0]
    ids = result.data.site_ids
    north, east, hub = (ids.index(k) for k in ("north", "east", "hub"))
    assert free[east] < 24 and closure[east] == 25  # the guard leaves the day after the task
    assert closure[hub] >= max(closure[north], closure[east])
    assert closure[hub] > free[hub]
