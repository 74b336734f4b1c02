"""Packing to the movement plan: a camp is packed as late as its planned loads allow."""

from __future__ import annotations

import numpy as np

from drawdown.plan.model import Movement
from drawdown.simulate.call_forward import call_forward, schedule_days

SIDX = {"camp": 0, "hub": 1}
N_DAYS = 30
PER_PERSON = np.array([1.0, 1.0])  # TEU, vehicles a person a day
CAP = np.array([[100.0, 100.0], [100.0, 100.0]])


def load(day: int, teu: float, people: int = 0, dest: str = "hub") -> Movement:
    return Movement(day, day + 1, "camp", dest, "road-1", "road", "trucks", 1, people, teu, 0)


def schedule(
    movements: list[Movement], *, people: float = 10.0, factor: float = 1.0, own: float = 100.0
) -> tuple[np.ndarray, np.ndarray]:
    return call_forward(
        movements,
        SIDX,
        N_DAYS,
        np.array([people, 0.0]),
        np.array([[own, 0.0], [0.0, 0.0]]),
        PER_PERSON,
        CAP,
        factor,
        np.array([True, False]),
    )


def packed_by(floor: np.ndarray, own: float = 100.0) -> np.ndarray:
    """TEU the camp has packed by the end of each day on the schedule."""
    return own - floor[0, :, 0]


def test_a_camp_packs_just_in_time_for_its_loads() -> None:
    """Ten people pack 10 TEU a day. Loads of 50 TEU on days 10 and 20: the second 50 are
    packed over days 16-20, the first over days 6-10 (days 11-15 pack nothing: nothing is
    due), and the camp is packed on day 20, its last load's day."""
    floor, done = schedule([load(10, 50.0), load(20, 50.0)])
    packed = packed_by(floor)
    assert packed[5] == 0.0 and packed[6] == 10.0 and packed[10] == 50.0
    assert packed[15] == 50.0 and packed[16] == 60.0 and packed[20] == 100.0
    assert np.all(np.diff(packed) <= 10.0 + 1e-9)  # never more than a day's work
    assert done[0, 0] == 0.0
    own = np.array([[100.0, 0.0], [0.0, 0.0]])
    start, finished = schedule_days(floor, done, own, np.array([True, False]))
    assert (start[0], finished[0]) == (6, 20)
    assert (start[1], finished[1]) == (-1, -1)  # off the schedule: packs as it can


def test_the_schedule_starts_earlier_when_people_leave_or_pack_slowly() -> None:
    """Half the people leave with the first load: after day 10 they pack 5 a day, so the
    second 50 TEU start on day 11 (55 by then) and the first 50 on day 6 as before. At the
    slowest declared rate (x0.5) the packing starts on day 1 and runs without a break."""
    floor, _ = schedule([load(10, 50.0, people=5), load(20, 50.0)])
    packed = packed_by(floor)
    assert packed[10] == 50.0 and packed[11] == 55.0 and packed[19] == 95.0
    slow, _ = schedule([load(10, 50.0), load(20, 50.0)], factor=0.5)
    packed = packed_by(slow)
    assert packed[0] == 0.0 and packed[1] == 5.0 and packed[10] == 50.0
    assert packed[11] == 55.0 and packed[20] == 100.0
    assert np.all(np.diff(packed)[:20] == 5.0)


def test_what_the_plan_leaves_is_never_packed() -> None:
    """Of 120 TEU the plan ships 100 (the rest is handed over or destroyed): 20 stay unpacked
    to the end, and the camp counts as packed with them (`done`)."""
    floor, done = schedule([load(10, 50.0), load(20, 50.0)], own=120.0)
    assert floor[0, -1, 0] == 20.0
    assert done[0, 0] == 20.0
    assert packed_by(floor, own=120.0)[20] == 100.0


def test_cargo_arriving_first_leaves_before_the_camps_own() -> None:
    """A hub receiving 30 TEU on day 5 and sending 50 on day 10 packs only 20 of its own."""
    hub_in = Movement(4, 5, "camp", "hub", "road-1", "road", "trucks", 1, 0, 30.0, 0)
    hub_out = Movement(10, 11, "hub", "exit", "road-2", "road", "trucks", 1, 0, 50.0, 0)
    floor, done = call_forward(
        [hub_in, hub_out],
        SIDX,
        N_DAYS,
        np.array([0.0, 10.0]),
        np.array([[30.0, 0.0], [100.0, 0.0]]),
        PER_PERSON,
        CAP,
        1.0,
        np.array([False, True]),
    )
    assert 100.0 - floor[1, -1, 0] == 20.0  # packed in all
    assert 100.0 - floor[1, 8, 0] == 0.0 and 100.0 - floor[1, 10, 0] == 20.0
    assert done[1, 0] == 80.0
    assert np.all(floor[0] == 0.0)  # the camp is off the schedule


def test_a_hub_is_planned_at_the_slowest_pace_and_packs_in_time() -> None:
    """A hub packing to its loads is planned at `packing_factor_low` (a base at the rates),
    so that no run falls behind its last loads: planned at the rates, Barkhane's Gao finished
    packing what the plan ships in 45% of runs and a run destroyed 222 TEU there on average."""
    import drawdown
    from drawdown.plan import optimise
    from drawdown.plan.build import plan_pace
    from drawdown.simulate import simulate
    from drawdown.simulate.result import FATES

    barkhane = drawdown.load_scenario("barkhane-mali-2022")
    nodes = ("gao", "gossi", "menaka")
    low = barkhane.manifest.closure.packing_factor_low  # type: ignore[union-attr]
    assert low < 1.0
    assert plan_pace(barkhane, nodes).tolist() == [low, 1.0, 1.0]
    minusma = drawdown.load_scenario("minusma-2023")
    paces = dict(zip(("bamako", "kidal"), plan_pace(minusma, ("bamako", "kidal")), strict=True))
    assert paces == {"bamako": low, "kidal": 1.0}
    d = simulate(barkhane, optimise(barkhane), runs=300, seed=7).data
    gao = d.site_ids.index("gao")
    assert (d.packed_day[:, gao] >= 0).mean() >= 0.95
    assert d.teu_fate[:, gao, FATES.index("destroyed")].mean() < 20  # TEU a run
