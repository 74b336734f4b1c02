"""Scenarios that cannot be planned give a clear explanation in the user's terms."""

from __future__ import annotations

import pytest

from drawdown.errors import InputError
from drawdown.plan import InfeasiblePlanError, greedy_plan, optimise
from drawdown.scenario.model import Aircraft

from .conftest import one_base


def test_no_trucks_no_aircraft() -> None:
    """Nothing can move: the error says so and names the asset file."""
    s = one_base(troop_trucks=0, cargo_trucks=0)
    with pytest.raises(InputError) as info:
        optimise(s)
    assert "no trucks" in str(info.value) and "assets.csv" in str(info.value)
    with pytest.raises(InputError):
        greedy_plan(s)


def test_no_exit_reachable_in_time() -> None:
    """A road impassable in every month of the horizon: the site and the link are named."""
    s = one_base(passable=(6, 7))  # January scenario
    with pytest.raises(InputError) as info:
        optimise(s)
    text = str(info.value)
    assert "Camp holds 60 people" in text and "road: closed or impassable" in text


def test_zero_sorties() -> None:
    """People who can only fly, with aircraft that fly no sorties, cannot leave."""
    plane = Aircraft(
        id="c130",
        count=2,
        people_each=90,
        sorties_per_day=0.0,
        min_runway_m=1200.0,
        source="[E] test",
    )
    s = one_base(troop_trucks=0, cargo_trucks=0, aircraft=[plane], air_link=True, passable=(6,))
    with pytest.raises(InputError) as info:
        optimise(s)
    assert "no sorties" in str(info.value) or "no trucks" in str(info.value)


def test_not_enough_escorts_names_the_binding_resource() -> None:
    """3,000 people, one 2-truck convoy a day for 10 days: the error names the site, what it
    still holds and the convoys it needs against those available; the best plan strands the
    fewest people."""
    s = one_base(people=3000, troop_trucks=100, escorts_per_day=1.0, trucks_per_convoy=2)
    with pytest.raises(InfeasiblePlanError) as info:
        optimise(s, period_days=1, with_greedy=False)
    text = str(info.value)
    assert "Camp cannot be emptied in time" in text
    assert "needs at least 50 convoys" in text and "only 9 escorted convoy departures" in text
    best = info.value.best_plan
    assert best is not None
    out = sum(m.people for m in best.movements if m.destination == "port")
    assert out == 9 * 2 * 30  # nine convoys of two 30-seat trucks
    assert best.figures["stranded_people"] == 3000 - out
