"""Evacuations and diversions by air fly on the scenario's own aircraft, once cleared; by
road an evacuation is a convoy that meets the road's threats.

The tiny scenario with every road clearance refused: people are diverted by air, the
northern camp's 200 on a helicopter route. The one-base world closed early under attack:
its people evacuate by their only road.
"""

from __future__ import annotations

import numpy as np
import pytest
from plans import batch_plan

from drawdown.scenario.model import Aircraft, Scenario
from drawdown.simulate import simulate


def with_helicopter(world: Scenario, *, own_aircraft: bool, seats: int) -> Scenario:
    """One helicopter of `seats` seats flying one sortie a day (or unlimited lift)."""
    helo = Aircraft(id="helo", count=1, people_each=seats, sorties_per_day=1, min_runway_m=0)
    policy = world.manifest.policy.model_copy(update={"evacuation_uses_own_aircraft": own_aircraft})
    return world.replace(
        aircraft=(*world.aircraft[:-1], helo),
        manifest=world.manifest.model_copy(update={"policy": policy}),
    )


def test_diversions_take_the_seats_of_own_aircraft(roads_refused: Scenario) -> None:
    """20 seats a day fly the camp's 200 out over ten days, shared by its diversions;
    unlimited lift takes each diversion at once, so the camp closes over a week earlier."""
    north = [s.id for s in roads_refused.sites].index("north")
    closes = {}
    for own in (True, False):
        world = with_helicopter(roads_refused, own_aircraft=own, seats=20)
        result = simulate(world, batch_plan(world), runs=50, seed=2, check_hash=False)
        days = result.data.closure_day[:, north].astype(float)
        assert np.all(days >= 0)
        closes[own] = days
        assert np.all(result.data.runs["diverted_by_air_people"] > 0)
    assert np.all(closes[True] - closes[False] >= 7)


def test_the_reference_agrees_on_evacuation_seats(roads_refused: Scenario) -> None:
    """The SimPy reference closes the camp on the same days when diversions share seats."""
    import sys
    from pathlib import Path

    from test_simulate_oracle import _agree

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from reference_simpy import simulate_reference

    world = with_helicopter(roads_refused, own_aircraft=True, seats=20)
    plan = batch_plan(world)
    engine = simulate(world, plan, runs=1000, seed=4, check_hash=False)
    reference = simulate_reference(world, plan, runs=300, seed=5)
    for i, site in enumerate(engine.data.site_ids):
        if site in reference[0].closure_day:
            ref_days = [r.closure_day[site] for r in reference]
            _agree(engine.data.closure_day[:, i], ref_days, f"closure {site}")


def test_diversion_flights_meet_ground_fire_at_their_airfields(roads_refused: Scenario) -> None:
    """Ground fire at the northern camp's airfield (0.05 incidents a sortie, 1 killed each):
    the diversions' 10 sorties (200 people, 20 seats each) meet about half an incident a run
    on average, which killed people and counted as ground fire at the camp; without the
    threat none does. The plan has no air movement, so all of it is the diversions'."""
    from drawdown.scenario.model import Threat

    north = [s.id for s in roads_refused.sites].index("north")
    world = with_helicopter(roads_refused, own_aircraft=True, seats=20)
    start, end = world.manifest.start_date, world.manifest.deadline
    fire = Threat(
        target="north", kind="ground_fire", start=start, end=end, rate=0.05, killed_mean=1.0
    )
    plan = batch_plan(world)
    quiet = simulate(world, plan, runs=400, seed=6, check_hash=False)
    hot = simulate(world.replace(threats=(*world.threats, fire)), plan, runs=400, seed=6,
                   check_hash=False)  # fmt: skip
    assert quiet.data.inc_site[north, 0] == 0
    per_run = hot.data.inc_site[north, 0] / 400
    assert 0.3 < per_run < 0.7
    assert hot.data.runs["killed"].mean() > quiet.data.runs["killed"].mean() + 0.2


def _evacuated_under_bombs(tiny: Scenario, ied_rate_per_km: float) -> Scenario:
    """The one-base world attacked at once (about one attack a day at full garrison) and
    closed early after the first attack, with roadside bombs on its only road."""
    from test_withdrawal_semantics import END, START, one_base

    from drawdown.scenario.model import Threat

    threats = [
        Threat(target="camp", kind="base_attack", start=START, end=END, rate=1.0, killed_mean=0.0)
    ]
    if ied_rate_per_km > 0:
        threats.append(
            Threat(
                target="camp-port",
                kind="ied",
                start=START,
                end=END,
                rate=ied_rate_per_km,
                killed_mean=1.0,
            )
        )
    return one_base(tiny, threats=tuple(threats), early_close_attacks=1)


def _people_only_plan(world: Scenario):  # type: ignore[no-untyped-def]
    """The camp's 300 people planned out on day 20 in ten convoys, nothing else: by then it
    has closed early and evacuated by road in every run, and the abandoned, empty camp sends
    no convoy, so every incident on the road is the evacuation's."""
    from drawdown.plan.model import Movement, Plan

    people = Movement(20, 21, "camp", "port", "camp-port", "road", "troops", 10, 300, 0.0, 0)
    return Plan(
        scenario_name=world.name,
        scenario_hash=world.content_hash(),
        horizon_days=world.horizon_days,
        closure_day={"camp": 20},
        movements=(people,),
        dispositions=(),
        method="test-hand",
    )


def test_an_evacuation_by_road_meets_the_roads_bombs(tiny: Scenario) -> None:
    """The camp's 100 km road carries 0.005 roadside bombs a convoy-km: its evacuation convoy
    meets 0.5 a run on average (Poisson), each killing one; without the bombs none. The
    plan's ten convoys, had they driven out of the empty camp, would have met 5 more."""
    camp = 0
    quiet = _evacuated_under_bombs(tiny, 0.0)
    hot = _evacuated_under_bombs(tiny, 0.005)
    plan = _people_only_plan(hot)
    calm = simulate(quiet, plan, runs=2000, seed=11, check_hash=False)
    bombed = simulate(hot, plan, runs=2000, seed=11, check_hash=False)
    assert calm.early_closed_site[:, camp].mean() == 1.0
    assert bombed.early_closed_site[:, camp].mean() == 1.0
    assert calm.data.runs["incidents_ied"].sum() == 0
    ied = bombed.data.runs["incidents_ied"]
    assert 0.44 < ied.mean() < 0.56
    assert abs(ied.var() - ied.mean()) < 0.1  # Poisson: variance equals the mean
    assert bombed.data.runs["killed"].mean() == pytest.approx(ied.mean(), rel=0.15)
    assert bombed.data.inc_link[0, 0] == ied.sum()  # counted on the camp's road


def test_the_reference_agrees_on_road_evacuation_bombs(tiny: Scenario) -> None:
    """The SimPy reference's evacuation convoy meets as many bombs, and loses as many."""
    import sys
    from pathlib import Path

    from test_simulate_oracle import _agree

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from reference_simpy import simulate_reference

    hot = _evacuated_under_bombs(tiny, 0.005)
    plan = _people_only_plan(hot)
    engine = simulate(hot, plan, runs=3000, seed=12, check_hash=False)
    reference = simulate_reference(hot, plan, runs=800, seed=13)
    _agree(engine.data.runs["killed"], [r.killed for r in reference], "killed")
