"""A route's convoy in the stress test: cleared once at its origin, and going on through a hub
only once it is there.

The planner reads a route's clearance as its first leg's (`network`: the request is made at
the origin). The engine asked again at every leg, so Barkhane's convoys from Gossi and
Menaka on through Gao to Niamey were refused about twice as often as the plan allowed for;
and a later leg left on its planned day with whatever was at hand, empty when its convoy
had been held upstream.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest
from plans import batch_plan, roads_refused

import drawdown
from drawdown.plan import Plan, optimise
from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate
from drawdown.simulate.inputs import Compiled, compile_inputs

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from reference_simpy import simulate_reference  # noqa: E402


@pytest.fixture(scope="module")
def barkhane() -> tuple[Scenario, Plan, Compiled]:
    scenario = drawdown.load_scenario("barkhane-mali-2022")
    plan = optimise(scenario, with_greedy=False)
    return scenario, plan, compile_inputs(scenario, plan)


def test_a_later_leg_follows_its_own_convoy(barkhane: tuple[Scenario, Plan, Compiled]) -> None:
    """Every later leg of a route names the leg of the same convoy into its origin: same
    route and unit, from the route's previous site, arriving the day the later leg leaves."""
    _, plan, c = barkhane
    mv = [plan.movements[i] for i in c.mv_index]
    later = [k for k in range(len(mv)) if not c.mv_own[k]]
    assert len(later) > 20  # Gossi's and Menaka's convoys go on from Gao
    for k in later:
        up = int(c.mv_upstream[k])
        assert up >= 0, mv[k]
        sites = mv[k].route.split(">")
        previous = sites[sites.index(mv[k].origin) - 1]
        assert (mv[up].route, mv[up].unit) == (mv[k].route, mv[k].unit)
        assert (mv[up].origin, mv[up].destination) == (previous, mv[k].origin)
        assert mv[up].arrival_day == mv[k].day
    assert (c.mv_upstream[c.mv_own] == -1).all()


def test_a_route_is_cleared_once_at_its_origin(barkhane: tuple[Scenario, Plan, Compiled]) -> None:
    """A later leg is asked for no clearance of its own (approved at once, no wait); a
    route's first leg keeps its rules, refusals and all."""
    _, _, c = barkhane
    later = ~c.mv_own
    assert (c.mv_approval[later] == 1.0).all()
    assert (c.mv_delay_mean[later] == 0.0).all()
    assert np.array_equal(c.mv_request_day[later], c.mv_earliest_day[later])
    assert (c.mv_approval[c.mv_own] < 1.0).any()  # the first legs are refused at times


def _routed(plan: Plan) -> Plan:
    """The hand-made plan with each batch's legs named by their route, as the planner names
    them: a base's leg to the hub and the same convoy's leg on to the port."""
    movements, legs = [], list(plan.movements)
    for i, m in enumerate(legs):
        if m.destination == "hub":
            route = f"{m.origin}>hub>port"
            movements += [dataclasses.replace(m, route=route)]
            movements += [dataclasses.replace(legs[i + 1], route=route)]
        elif not (i and legs[i - 1].destination == "hub"):
            movements.append(dataclasses.replace(m, route="hub>port"))
    return dataclasses.replace(plan, movements=tuple(movements))


def test_a_convoy_goes_on_from_the_hub_only_once_there(tiny: Scenario) -> None:
    """The bases' road clearances refused for the first five days: their convoys leave on
    day 6 or 7, reach the hub two days later and go on to the port with their own people.
    Nobody is out before day 9 in any run; the hub's own garrison keeps to its days.
    Leaving on their planned days (3 to 6) with whatever was at hand, the later legs took
    100 of the hub's people out by day 5 and 300 by day 8 while the bases' people had not
    left yet. The SimPy reference gives the same days."""
    world = roads_refused(tiny, "north", 5)
    plan = _routed(batch_plan(world))
    timelines = simulate(world, plan, runs=20, seed=3, timelines=True).data.timelines
    assert timelines is not None and (timelines == timelines[0]).all()  # nothing left to chance
    expected = [700] * 9 + [600, 550, 250, 150, 50, 0]
    assert timelines[0][: len(expected)].tolist() == expected
    reference = simulate_reference(world, plan, runs=3, seed=3)
    assert all(r.remaining[: len(expected)].tolist() == expected for r in reference)
