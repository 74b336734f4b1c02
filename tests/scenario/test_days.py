"""The scenario by day: one set of rules, read alike by the planner and the stress test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from drawdown.network import _airfield_deaths, link_days
from drawdown.plan.model import Movement, Plan
from drawdown.scenario import days
from drawdown.scenario.kinds import CONVOY_KINDS, EVENT_NAMES, SORTIE_KINDS
from drawdown.scenario.model import Clearance, Event, Link, Scenario
from drawdown.scenario.validate import check_references
from drawdown.simulate.inputs import AIR_SLOTS, ROAD_SLOTS, compile_inputs


def _date(tiny: Scenario, day: int) -> dt.date:
    return tiny.date_of(day)


@pytest.fixture(scope="module")
def eventful(tiny: Scenario) -> Scenario:
    """The tiny scenario with one event of every kind, two kinds of wildcard and a slow river."""
    d = lambda day: _date(tiny, day)  # noqa: E731
    events = (
        *tiny.events,  # contingent_departs
        Event(id="cut", kind="link_closed", target="north-hub", date=d(4), end_date=d(7)),
        Event(id="border", kind="corridor_closed", target="south", date=d(9), end_date=d(11)),
        Event(id="no-road", kind="clearance_suspended", target="road", date=d(13), end_date=d(14)),
        Event(id="no-any", kind="clearance_suspended", target="*", date=d(26)),
    )
    river = Link.model_validate(
        {
            "id": "north-east-river",
            "from": "north",
            "to": "east",
            "mode": "river",
            "km": 120,
            "dry_km_per_day": 60,
            "wet_km_per_day": 0,
            "region": "north",
        }
    )
    clearances = (
        *tiny.clearances,
        Clearance(mode="*", region="north", start=d(0), end=d(29), approval=0.5),
        Clearance(mode="road", region="north", start=d(15), end=d(20), approval=0.7),
    )
    scenario = tiny.replace(events=events, links=(*tiny.links, river), clearances=clearances)
    assert {e.kind for e in scenario.events} == set(EVENT_NAMES)
    return scenario


def _probe_plan(scenario: Scenario) -> Plan:
    """One convoy or sortie along every link on every day, so the engine compiles each one."""
    travel = days.travel_days(scenario, scenario.horizon_days)
    moves = []
    for li, link in enumerate(scenario.links):
        asset = "c130" if link.mode == "air" else "cargo-trucks"
        for day in range(scenario.horizon_days):
            moves.append(
                Movement(
                    day=day,
                    arrival_day=day + int(travel[li, day]),
                    origin=link.from_site,
                    destination=link.to_site,
                    link=link.id,
                    mode=link.mode,
                    asset=asset,
                    convoys=2,
                    people=0,
                    containers_teu=1.0,
                    vehicles=0,
                )
            )
    return Plan(
        scenario_name=scenario.name,
        scenario_hash=scenario.content_hash(),
        horizon_days=scenario.horizon_days,
        closure_day={},
        movements=tuple(moves),
        dispositions=(),
    )


def test_planner_and_stress_test_read_the_same_days(eventful: Scenario) -> None:
    """Open days, travel days, clearance and threats agree between network.py and the engine."""
    horizon = eventful.horizon_days
    ld = link_days(eventful)
    plan = _probe_plan(eventful)
    c = compile_inputs(eventful, plan)
    assert c.n_days > horizon
    assert np.array_equal(ld.open, c.link_open[:, :horizon])
    assert np.array_equal(ld.travel_days, c.travel[:, :horizon])
    index = {lid: i for i, lid in enumerate(ld.ids)}
    airfield = _airfield_deaths(eventful, horizon)
    road_slots = list(range(len(ROAD_SLOTS)))
    air_slots = list(range(len(ROAD_SLOTS), len(ROAD_SLOTS) + len(AIR_SLOTS)))
    for k, row in enumerate(c.mv_index):
        m = plan.movements[row]
        li, day = index[m.link], m.day
        assert c.mv_delay_mean[k] == pytest.approx(ld.delay_days[li, day]), (m.link, day)
        # the request goes in the expected wait ahead; its first answer is that day's rule
        request = max(0, day - int(np.floor(ld.delay_days[li, day] + 0.5)))
        assert c.mv_request_day[k] == request, (m.link, day)
        assert c.mv_approval[k, 0] == ld.approval[li, request], (m.link, day)
        slots = air_slots if m.mode == "air" else road_slots
        killed = (c.mv_rate[k, slots] * c.mv_effects[k, slots, 0]).sum() / m.convoys
        if m.mode == "air":
            zero = np.zeros(horizon)
            expected = airfield.get(m.origin, zero)[day] + airfield.get(m.destination, zero)[day]
        else:
            expected = ld.deaths_per_convoy[li, day]
        assert killed == pytest.approx(expected), (m.link, day)
    # each event did what the rules say, on both sides
    north_hub, hub_port = index["north-hub"], index["hub-port"]
    assert not ld.open[north_hub, 4:8].any() and ld.open[north_hub, [3, 8]].all()
    assert not ld.open[hub_port, 9:12].any() and ld.open[hub_port, 12]
    assert ld.open[north_hub, 13:15].all() and (ld.approval[north_hub, 13:15] == 0).all()
    flies = c.air_link >= 0
    assert flies.any() and (c.air_approval[flies, 26:horizon] == 0).all()
    assert (ld.approval[:, 26:] == 0).all() and (ld.approval[:, 25] > 0).all()
    # the leaving contingent is looked for at every site but the exits, on its day
    day = days.departure_day(eventful, eventful.events[0].date)
    sites = [s.id for s in eventful.sites if s.kind != "exit"]
    assert c.ev_day.tolist() == [day] * len(sites)
    assert [c.site_ids[i] for i in c.ev_site] == sites


def test_suspension_is_approval_zero_and_the_planner_avoids_it(eventful: Scenario) -> None:
    """A suspended clearance keeps the road open, approves nothing, and no route uses it."""
    from drawdown.network import build_network

    net = build_network(eventful)
    index = {lid: i for i, lid in enumerate(net.links.ids)}
    for ri, route in enumerate(net.routes):
        for day in np.flatnonzero(net.usable[ri]):
            for k, (li, _) in enumerate(route.legs):
                entry = day + net.leg_offset[ri, k, day]
                assert net.links.approval[li, entry] > 0, (route, day)
    north_hub = index["north-hub"]
    assert net.links.open[north_hub, 13] and net.links.approval[north_hub, 13] == 0


def test_most_specific_clearance_rule_wins(eventful: Scenario) -> None:
    """Exact mode and region beat a wildcard mode, which beats no rule; later rows win ties."""
    n = eventful.horizon_days
    road_north = days.clearance(eventful, "road", "north", n)
    # days 0-14: the road/* tiny rule (rank 2) beats */north (rank 1); 15-20 road/north (3)
    assert road_north.approval[0] == 0.9 and road_north.approval[16] == 0.7
    assert road_north.approval[21] == 0.9
    river_north = days.clearance(eventful, "river", "north", n)
    assert river_north.approval[0] == 0.5  # only */north applies to the river
    assert days.clearance(eventful, "river", "south", n).approval[0] == 1.0  # no rule
    rule = days.clearance_rule(eventful, "road", "north", n)
    assert rule[16] == len(eventful.clearances) - 1


def test_zero_speed_closes_a_link_in_its_season(eventful: Scenario) -> None:
    """A river with no wet-season speed is closed in the rains and takes 0 travel days."""
    n = eventful.horizon_days
    river = [link.id for link in eventful.links].index("north-east-river")
    assert not days.link_open(eventful, n)[river].any()  # July is rainy in tiny
    dry = eventful.replace(
        manifest=eventful.manifest.model_copy(
            update={"calendar": eventful.manifest.calendar.model_copy(update={"rainy_months": ()})}
        )
    )
    assert days.link_open(dry, n)[river].all()
    assert days.travel_days(dry, n)[river, 0] == 2
    assert days.travel_days(eventful, n)[river, 0] == 0


def test_windows_are_inclusive_and_open_ended(tiny: Scenario) -> None:
    """A window holds both its ends; no end runs to the last day; days before 0 are dropped."""
    w = days.window(tiny, 10, tiny.date_of(2), tiny.date_of(4))
    assert np.flatnonzero(w).tolist() == [2, 3, 4]
    assert np.flatnonzero(days.window(tiny, 10, tiny.date_of(7), None)).tolist() == [7, 8, 9]
    assert np.flatnonzero(days.window(tiny, 5, tiny.date_of(-3), tiny.date_of(0))).tolist() == [0]
    assert not days.window(tiny, 5, tiny.date_of(8), None).any()


def test_next_open_day() -> None:
    """The first open day on or after each day, -1 once the link never reopens."""
    is_open = np.array([[False, True, False, False, True, False]])
    assert days.next_open_day(is_open).tolist() == [[1, 1, 4, 4, 4, -1]]


def test_the_mode_wildcard_is_star_only(tiny: Scenario) -> None:
    """`all` suspends nothing and validation refuses it with a located error and a hint."""
    bad = tiny.replace(
        events=(Event(id="all", kind="clearance_suspended", target="all", date=tiny.date_of(0)),)
    )
    assert not days.suspended(bad, "road", tiny.horizon_days).any()
    problems = [p for p in check_references(bad) if "all" in p.message]
    assert len(problems) == 1
    assert problems[0].file == "events.csv" and problems[0].where == "id=all, column target"
    assert "*" in (problems[0].hint or "")


def test_threats_follow_the_registry(tiny: Scenario) -> None:
    """Link-kind threats count per convoy-km, airfield kinds per sortie, as the registry says."""
    assert set(CONVOY_KINDS) == {"ied", "ambush"} and SORTIE_KINDS == ("ground_fire",)
    ld = link_days(tiny)
    north_hub = list(ld.ids).index("north-hub")
    assert ld.deaths_per_convoy[north_hub, 0] == pytest.approx(0.0005 * 200 * 0.5)
    assert _airfield_deaths(tiny, tiny.horizon_days)["east"][0] == pytest.approx(0.01 * 0.2)
