"""A route's convoy in the stress test: cleared once at its origin, and going on through a hub
only once it is there.

The planner reads a route's clearance as its first leg's (`network`: the request is made at
the origin). The engine asked again at every leg, so Barkhane's convoys from Gossi and
Menaka on through Gao to Niamey were refused about twice as often as the plan allowed for;
and a later leg left on its planned day with whatever was at hand, empty when its convoy
had been held upstream.
"""

from __future__ import annotations

import numpy as np
import pytest

import drawdown
from drawdown.plan import Plan, optimise
from drawdown.scenario.model import Scenario
from drawdown.simulate.inputs import Compiled, compile_inputs


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
