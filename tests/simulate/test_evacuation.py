"""Evacuations and diversions by air fly on the scenario's own aircraft, once cleared.

The tiny scenario with every road clearance refused: people are diverted by air, the
northern camp's 200 on a helicopter route.
"""

from __future__ import annotations

import numpy as np
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
