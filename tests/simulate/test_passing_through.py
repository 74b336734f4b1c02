"""People and cargo passing through a base on another site's route do not hold it open.

In the built-in MINUSMA plan, Menaka's convoys to Niamey stop at Ansongo for weeks after
Ansongo's own garrison has left (a leg `ansongo > niamey` of the route `menaka > ansongo >
niamey`). Ansongo's last guard leaves on its own last movement and does not wait for those
legs; its closure is the day its own units' people have gone, as in the plan.
"""

from __future__ import annotations

import numpy as np
import pytest

import drawdown
from drawdown.plan import Plan, optimise
from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate
from drawdown.simulate.inputs import compile_inputs
from drawdown.simulate.result import FATES


@pytest.fixture(scope="module")
def minusma() -> Scenario:
    return drawdown.load_scenario("minusma-2023")


@pytest.fixture(scope="module")
def plan(minusma: Scenario) -> Plan:
    return optimise(minusma)


def passed_through_after_closing(plan: Plan) -> set[str]:
    """Bases some later leg of another site's route leaves from, after their closure."""
    return {
        m.origin
        for m in plan.movements
        if m.route.split(">")[0] != m.origin
        and m.origin in plan.closure_day
        and m.day > plan.closure_day[m.origin] + 7
    }


def test_the_guard_leaves_on_its_own_movement(minusma: Scenario, plan: Plan) -> None:
    """The last guard is a leg of one of the base's own routes, never a leg passing through."""
    through = passed_through_after_closing(plan)
    assert "ansongo" in through
    c = compile_inputs(minusma, plan)
    mv = [plan.movements[i] for i in c.mv_index]
    for site in through:
        s = c.site_ids.index(site)
        guards = [m for k, m in enumerate(mv) if c.mv_guard[k] and c.mv_origin[k] == s]
        assert len(guards) == 1 and guards[0].route.split(">")[0] == site, site
        assert not any(c.mv_own[k] for k, m in enumerate(mv) if m.route.split(">")[0] != m.origin)


def test_a_base_passed_through_closes_with_its_own_garrison(minusma: Scenario, plan: Plan) -> None:
    """Ansongo (planned to close on day 27) closes within days of it in most runs, not when
    Menaka's last convoy has passed (day ~100, as before)."""
    result = simulate(minusma, plan, runs=200, seed=7)
    d = result.data
    for site in passed_through_after_closing(plan):
        days = d.closure_day[:, d.site_ids.index(site)]
        assert np.median(days[days >= 0]) <= plan.closure_day[site] + 10, site


def test_a_base_passed_through_is_handed_over_as_its_garrison_leaves(
    minusma: Scenario, plan: Plan
) -> None:
    """A leg of another site's route that leaves a closed base with cargo does not start the
    base's final steps again: Douentza, closed in August, was "handed over" in December,
    when Timbuktu's convoys through it had passed (median day 154 against its closure on 41).
    """
    result = simulate(minusma, plan, runs=200, seed=7)
    d = result.data
    through = passed_through_after_closing(plan)
    assert {"ansongo", "douentza"} <= through
    for site in through:
        s = d.site_ids.index(site)
        handed = d.handover_day[:, s]
        assert (handed >= 0).mean() > 0.9, site
        closed = d.closure_day[:, s]
        both = (handed >= 0) & (closed >= 0)
        assert (handed[both] <= closed[both]).all(), site


def test_people_passing_through_a_closed_base_do_not_pack_its_camp(
    minusma: Scenario, plan: Plan
) -> None:
    """Once a base's last guard has gone, nobody packs there: Menaka's convoys waiting at
    Ansongo finished packing Ansongo's camp on day 98, ten weeks after it closed."""
    result = simulate(minusma, plan, runs=200, seed=7)
    d = result.data
    for site in passed_through_after_closing(plan):
        s = d.site_ids.index(site)
        packed, closed = d.packed_day[:, s], d.closure_day[:, s]
        both = (packed >= 0) & (closed >= 0)
        assert (packed[both] <= closed[both]).all(), site
        # the summary says in how many runs the camp came down before the base closed
        share = (packed >= 0).mean()
        said = f"{share:.0%}" if share >= 0.01 else "under 1%"
        assert f"{site}: packed in {said} of runs" in result.summary()


def test_a_closed_base_keeps_what_it_left_behind(minusma: Scenario, plan: Plan) -> None:
    """What a base leaves when its last guard goes is settled there (handed over, destroyed or
    abandoned): a leg of another site's route passing through later does not take it. So a
    base passed through after closing ships about what its own movements were planned to
    carry; Menaka's convoys through Ansongo had shipped twice that (153 TEU against 75)."""
    result = simulate(minusma, plan, runs=200, seed=7)
    d = result.data
    shipped = FATES.index("shipped")
    for site in passed_through_after_closing(plan):
        s = d.site_ids.index(site)
        own = sum(
            m.containers_teu
            for m in plan.movements
            if m.origin == site and m.route.split(">")[0] == site
        )
        assert d.teu_fate[:, s, shipped].mean() <= 1.15 * own, site
