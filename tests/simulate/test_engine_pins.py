"""The engine's outcomes for fixed seeds are pinned by content hash: a refactor changes nothing.

The hashes were computed on the kernel before it was split into phases (and the split kept
them). A change of the simulated semantics (not of its code's shape) must update them, and
say so in its commit: "units leave with their work" changed the cases with closure work
(bottlenecked, minusma-2023, multiplied); tiny and fierce, without closure work, kept theirs;
the built-in MINUSMA's early-closure window (7 days) changed its own; evacuations flying on
own aircraft after a clearance changed the closure-work cases again; merging main (tiny's
guard no longer sized by the threat, closure work switched on by `models_closure_work`)
changed the inputs of bottlenecked, minusma-2023 and multiplied; main bodies held only as
far as their own equipment is behind the plan's pace, equipment the plan leaves holding
nobody, and the final steps starting after the last load (not the last people movement)
changed the closure-work cases again; clearances requested the expected wait ahead of
the planned day, cargo not cleared by the cut-off given up then, people-only movements not
loading cargo left behind and charter seats banked for a week changed every case;
evacuation and diversion flights meeting ground fire (three more spare uniforms a flight
reserved) and one handover answer a site changed every case again; evacuation convoys by
road meeting the road's bombs and ambushes (six more spare uniforms a flight reserved) and
no convoy leaving an abandoned, empty base changed every case again; the daily
dispatcher's convoys waiting to be full where escorts are scarce (a plan input) changed
minusma-2023's plan and so its pins, and so did the plan packing TEU and vehicles each
with all the people there, as the engine always had; and so did the dispatcher letting
people whose deadline is now go even when their unit's cargo waits for a full convoy;
a base's last freight movement waiting for the cargo still being packed, each run drawing
each base's packing factor (one more spare uniform a site reserved) and a closure team
staying until its site's last load has gone changed the closure-work cases again; a site
closing when its own units' people have gone (people passing through no longer hold it
open) and, without closure work, movements leaving the plan's last guard at its site
changed every case; a base's last guard leaving on, and waiting for, only its own
movements (not another site's legs passing through) changed minusma-2023's, and so did a
contingent leaving on its date taking its own people, not whoever was at its site; and
that contingent taken from every site it is at that day (passing through a hub or a
waypoint too), not only from where its units started, changed every case; each run
drawing each site's final steps over the precedents' range (one more spare uniform a
guarded site where the range is wider than a day) and a last guard leaving as soon as its
site is handed over, before its planned day when the handover comes sooner, changed
minusma-2023's outcome and TEU-out pins (the tiny cases kept theirs: without a range,
their guards are never handed over ahead of their day); and a site packing at most its own
starting TEU over `min_packing_days` (35 in the built-ins; tiny has none) changed
minusma-2023's again, and so did its Tilemsi desert tracks at the precedents' 90 km a day
(60 in the rains) instead of the 120 (80) estimated: an input, not a semantic, change. A
leg of another site's route passing through a closed base no longer starts the base's final
steps again (the handover came when the last convoy had passed), which changed
minusma-2023's outcome pin; nobody packing at a base once its last guard has gone changed
none. MINUSMA's roads to Menaka at Barkhane's estimate for the same road (100 km a day dry,
70 wet, instead of 120 and 80) changed both of minusma-2023's again: an input change. The
general cargo a run leaves going as its owners allow (the share they may not hand over
destroyed, the rest handed over), instead of all of a site's one way by the plan's larger
part, changed every outcome pin and none of the TEU-out pins; that share taken from what
each site holds rather than from what the plan leaves there changed minusma-2023's again.
A route cleared once at its origin (its later legs asked for no clearance of their own) and
a later leg waiting for its convoy to arrive changed both of minusma-2023's (its greedy plan
routes convoys on through hubs; the tiny cases' plans have no later legs). A site packing its
own camp to its movement plan (`simulate.call_forward`: no further ahead than its planned
loads need, what the plan leaves never packed) changed the three cases with closure work
(bottlenecked, multiplied and minusma-2023); tiny and fierce model none. That schedule
shrinking with the unpacked cargo an attack burns (so that what a plan ships and what it
leaves lose alike) changed minusma-2023's again, the one case whose bases are attacked
while they pack.

TEU out of the theatre by day came later and have hashes of their own (`TEU_OUT_PINS`), so
that recording them provably left every pin above unchanged.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from plans import batch_plan, bottlenecked

import drawdown
from drawdown.plan import greedy_plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import Multipliers, SimulationResult, simulate

# the outcomes a refactor of the engine must leave untouched, in a fixed order
ARRAYS = (
    "closure_day",
    "teu_fate",
    "veh_fate",
    "fan_hist",
    "inc_link",
    "inc_site",
    "killed_link",
    "killed_site",
    "timelines",
    "packed_day",
    "handover_day",
    "early_closed_site",
    "early_close_day",
    "lift_people_by_day",
    "lift_seats_by_day",
    "lift_teu_crossed",
    "lift_vehicles_crossed",
)


def outcome_hash(result: SimulationResult) -> str:
    """SHA-256 over every per-run column and outcome array, in a fixed order."""
    digest = hashlib.sha256()
    d = result.data
    for name in sorted(d.runs):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(d.runs[name]).tobytes())
    for name in ARRAYS:
        value = getattr(d, name)
        digest.update(name.encode())
        if value is not None:
            digest.update(np.ascontiguousarray(value).tobytes())
    return digest.hexdigest()[:16]


# the TEU-out record (`SimulationResult.teu_out_fan`, `--timelines`), pinned apart
TEU_OUT_ARRAYS = ("teu_out_hist", "teu_out_timelines")


def teu_out_hash(result: SimulationResult) -> str:
    """SHA-256 over the TEU-out histogram and timelines."""
    digest = hashlib.sha256()
    for name in TEU_OUT_ARRAYS:
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(getattr(result.data, name)).tobytes())
    return digest.hexdigest()[:16]


def _fierce(tiny: Scenario) -> Scenario:
    """Tiny with ten times the threat: base attacks and early closures happen."""
    return tiny.replace(
        threats=tuple(t.model_copy(update={"rate": t.rate * 10}) for t in tiny.threats)
    )


PINS = {
    "tiny": "6885dff4dc95212d",
    "fierce": "61991ba189f99a5f",
    "bottlenecked": "1565cd8ed6181125",
    "minusma-2023": "6e5ee577ce680d92",
    "multiplied": "01b307d6de817578",
}
TEU_OUT_PINS = {
    "tiny": "11adf497328f6743",
    "fierce": "18f5881f79882639",
    "bottlenecked": "b23eefd2b4656948",
    "minusma-2023": "a21fedb515d5480f",
    "multiplied": "6766e03c514aebfd",
}


@pytest.fixture(scope="module")
def minusma() -> tuple[Scenario, object]:
    scenario = drawdown.load_scenario("minusma-2023")
    return scenario, greedy_plan(scenario)


@pytest.mark.parametrize("case", ["tiny", "fierce", "bottlenecked"])
def test_tiny_outcomes_are_pinned(tiny: Scenario, case: str) -> None:
    """Tiny, tiny under fierce threat and tiny with closure work and lift give pinned outcomes."""
    world = {"tiny": tiny, "fierce": _fierce(tiny), "bottlenecked": bottlenecked(tiny)}[case]
    result = simulate(world, batch_plan(world), runs=400, seed=7, block_size=96, timelines=True)
    assert outcome_hash(result) == PINS[case]
    assert teu_out_hash(result) == TEU_OUT_PINS[case]


def test_minusma_outcomes_are_pinned(minusma: tuple[Scenario, object]) -> None:
    """The built-in MINUSMA scenario under its greedy plan gives pinned outcomes."""
    scenario, plan = minusma
    result = simulate(scenario, plan, runs=300, seed=11, block_size=128, timelines=True)  # type: ignore[arg-type]
    assert outcome_hash(result) == PINS["minusma-2023"]
    assert teu_out_hash(result) == TEU_OUT_PINS["minusma-2023"]


def test_outcomes_with_multipliers_are_pinned(tiny: Scenario) -> None:
    """Per-run factors on approval, threat, speed and capacity drive diversions by air and
    early closures, and stay pinned."""
    n = 200
    mult = Multipliers(
        approval=np.linspace(0.3, 1.2, n),
        threat=np.linspace(0.5, 30.0, n),
        speed=np.linspace(0.5, 1.5, n),
        capacity=np.linspace(0.6, 1.4, n),
    )
    world = bottlenecked(tiny)
    result = simulate(world, batch_plan(world), runs=n, seed=8, timelines=True, multipliers=mult)
    runs = result.data.runs
    assert runs["bases_closed_early"].sum() > 0 and runs["diverted_by_air_people"].sum() > 0
    assert outcome_hash(result) == PINS["multiplied"]
    assert teu_out_hash(result) == TEU_OUT_PINS["multiplied"]
