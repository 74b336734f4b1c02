"""The planner's network: a route is usable only when each leg is open on its entry day."""

from __future__ import annotations

import numpy as np

from drawdown.network import Network, build_network
from drawdown.scenario.model import Event, Scenario


def _usable_by_hand(net: Network, route_index: int) -> np.ndarray:
    """Walk every departure day leg by leg with the link arrays alone."""
    route = net.routes[route_index]
    days = net.horizon_days
    out = np.zeros(days, dtype=bool)
    for day in range(days):
        at, ok = day, True
        for li, _ in route.legs:
            if at >= days or not net.links.open[li, at] or net.links.approval[li, at] <= 0:
                ok = False
                break
            at += int(net.links.travel_days[li, at])
        out[day] = ok and at <= days - 1
    return out


def test_routes_need_open_legs_and_arrival_by_the_deadline(tiny: Scenario) -> None:
    """Usable days are exactly those whose every leg is open on entry and that arrive in time."""
    cut = Event(
        id="cut",
        kind="link_closed",
        target="hub-port",
        date=tiny.date_of(10),
        end_date=tiny.date_of(12),
    )
    scenario = tiny.replace(events=(*tiny.events, cut))
    net = build_network(scenario)
    assert net.routes and net.usable.shape == (len(net.routes), scenario.horizon_days)
    hub_port = net.links.ids.index("hub-port")
    multi_leg = [i for i, r in enumerate(net.routes) if len(r.legs) > 1]
    assert multi_leg, "the tiny network has a route through the hub"
    for ri in range(len(net.routes)):
        assert np.array_equal(net.usable[ri], _usable_by_hand(net, ri)), net.routes[ri]
    checked = 0
    for ri in multi_leg:
        route = net.routes[ri]
        # a departure whose second leg would enter the cut link on day 10 is not usable,
        # although its first leg is open that day
        first = route.legs[0][0]
        if route.legs[1][0] != hub_port:
            continue
        day = 10 - int(net.links.travel_days[first, 0])
        assert net.links.open[first, day] and not net.usable[ri, day]
        # the last days are unusable: the convoy would arrive after the deadline
        assert not net.usable[ri, -1]
        assert net.usable[ri].any()
        checked += 1
    assert checked, "some route enters the cut link on its second leg"


def test_days_to_exit_chains_legs_and_counts_same_day_legs_as_zero() -> None:
    """0 -> 1 by air (0 days) -> 2 (exit) by road (3 days), 0 -> 2 by a 5-day road; 3 has
    no way out."""
    from drawdown.network import days_to_exit

    legs = [(0, 1, 0.0), (1, 2, 3.0), (0, 2, 5.0)]
    out = days_to_exit(4, legs, [False, False, True, False])
    assert out[:3].tolist() == [3.0, 3.0, 0.0] and np.isinf(out[3])
