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
from drawdown.simulate.policy import take_cargo
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
    assert "ansongo" in through
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
        said = f"{share:.0%} of runs" if share >= 0.01 else "under 1% of runs"
        assert f"{site}: packed in {said if share else 'no run'}" in result.summary()


def test_a_closed_base_keeps_what_it_left_behind(minusma: Scenario, plan: Plan) -> None:
    """What a base leaves when its last guard goes is settled there (handed over, destroyed or
    abandoned): a leg of another site's route passing through later does not take it. So a
    base passed through after closing ships about what its own movements were planned to
    carry, and what the legs passing while it may still be open (up to a week after its
    planned closure) take of the cargo there, its own pro rata among it; Menaka's convoys
    through Ansongo weeks after it closed had shipped twice its own (153 TEU against 75). A
    bound on the whole run, not the rule itself (the next test): in today's plan the legs
    passing while Kidal is open take as much of its cargo as the rule's breach would."""
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
        while_open = sum(
            m.containers_teu
            for m in plan.movements
            if m.origin == site
            and m.route.split(">")[0] != site
            and m.day <= plan.closure_day[site] + 7
        )
        assert d.teu_fate[:, s, shipped].mean() <= 1.15 * (own + while_open), site


def test_a_leg_passing_a_closed_base_loads_only_what_passes_through() -> None:
    """The rule under the plan-level test above, where passing legs also load a base's own
    cargo pro rata while it is open: once it is closed (`left_behind`, the engine's
    `guard_gone`), a leg takes none of it. A closed base holds 40 TEU of its own and 10 of
    another site's (sensitive 4 and general 6): a 30 TEU leg takes the 10."""
    stock = np.zeros((2, 2, 2))  # (site, origin of the cargo, class: general, sensitive)
    stock[0, 0] = [30.0, 10.0]  # the closed base's own
    stock[0, 1] = [6.0, 4.0]  # passing through from site 1
    load = np.zeros((2, 2))
    got = take_cargo(stock, 0, 30.0, load, 0)
    assert got == 10.0
    assert load[0].tolist() == [0.0, 0.0] and load[1].tolist() == [6.0, 4.0]
    assert stock[0, 0].tolist() == [30.0, 10.0] and stock[0, 1].tolist() == [0.0, 0.0]
    # open (-1): the same leg takes its 30 pro rata from all 50, sensitive first
    stock[0, 1] = [6.0, 4.0]
    got = take_cargo(stock, 0, 30.0, load, -1)
    assert got == 30.0 and load[:, 1].sum() == 14.0 and abs(load[:, 0].sum() - 16.0) < 1e-9


def test_the_hubs_pack_for_their_loads_and_are_not_held_by_what_stays(
    minusma: Scenario, plan: Plan
) -> None:
    """MINUSMA's HQ and hubs pack their camps as their loads are called forward
    (`simulate.call_forward`): no longer all packed on day 36 (6 August, the fastest their
    camps come down), but with their last loads, on the plan's schedule. A last load does not
    wait for the cargo the schedule leaves unpacked (what the plan hands over or destroys):
    when it did, the hubs' last loads were held to the cargo cut-off and 70% of runs missed
    the deadline."""
    result = simulate(minusma, plan, runs=200, seed=7)
    d = result.data
    rows = {row.site: row for row in plan.closure_work}
    for hub in ("bamako", "sevare", "timbuktu", "gao"):
        s = d.site_ids.index(hub)
        packed = d.packed_day[:, s]
        assert (packed >= 0).mean() >= 0.9, hub
        median = float(np.median(packed[packed >= 0]))
        assert median > 60, (hub, median)  # September or later, not day 36
        assert abs(median - rows[hub].packed_by_day) <= 7, (hub, median, rows[hub])
    assert d.runs["all_out_by_deadline"].mean() >= 0.95


def test_no_site_is_handed_over_after_it_closed(minusma: Scenario, plan: Plan) -> None:
    """A site is handed over only while its people are there to hand it over: one evacuated
    under attack, or whose last guard left before the host's answer, was abandoned. Before,
    the host's answer still counted: MINUSMA's Gao was "handed over" in 99% of runs though
    3% of runs closed it early, some of them three months before that "handover"."""
    result = simulate(minusma, plan, runs=1000, seed=7)
    d = result.data
    assert d.early_closed_site.any()  # the test sees evacuations
    for s, site in enumerate(d.site_ids):
        handed, closed = d.handover_day[:, s], d.closure_day[:, s]
        both = (handed >= 0) & (closed >= 0)
        assert (handed[both] <= closed[both]).all(), site
        # evacuated under attack: handed over before the evacuation, if at all
        early = d.early_close_day[:, s]
        both = (handed >= 0) & (early >= 0)
        assert (handed[both] <= early[both]).all(), site
