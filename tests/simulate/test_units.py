"""People by formed unit: a unit's main body leaves with its work, people are conserved by unit.

The one-base world of `test_withdrawal_semantics`, with its 300 people in two units: a
battalion of 200 holding 60 TEU, then a logistics company of 100 holding 40 TEU (the site
dispatches their equipment in that order). Rear parties are the policy's 40 each, so the
last guard is max(50, 40 + 40) = 80.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_withdrawal_semantics import CAMP, END, START, one_base, plan_for, run

from drawdown.plan.model import Disposition, Movement, Plan
from drawdown.scenario.model import Clearance, ClosureWork, Holding, Lift, Scenario, Threat, Unit
from drawdown.simulate import simulate
from drawdown.simulate.disruptions import Multipliers, plan_layout
from drawdown.simulate.engine import ChunkOutcome
from drawdown.simulate.inputs import compile_inputs
from drawdown.simulate.variant_results import resolve_blocks

WORK = ClosureWork(teu_packed_per_person_day=1.0, max_teu_packed_per_day=10.0, final_steps_days=0)
BN, LOG = 0, 1


def two_units(tiny: Scenario, **kwargs: object) -> Scenario:
    base = one_base(tiny, **kwargs)  # type: ignore[arg-type]
    return base.replace(
        units=(
            Unit(
                id="bn",
                site="camp",
                contingent="a",
                kind="battalion",
                category="troops",
                people=200,
            ),
            Unit(
                id="log",
                site="camp",
                contingent="a",
                kind="enabling",
                category="troops",
                people=100,
            ),
        ),
        holdings=tuple(
            Holding(unit=unit, site="camp", contingent="a", category="troops", containers_teu=teu)
            for unit, teu in (("bn", 60.0), ("log", 40.0))
        ),
    )


def people_plan(scenario: Scenario) -> Plan:
    """Cargo as `plan_for`; 100 people planned out on day 2, 100 on day 7 (room for 300 on
    each), the last 100 with the guard on day 15."""
    base = plan_for(scenario)
    out = [
        Movement(day, day + 1, "camp", "port", "camp-port", "road", "troops", 10, people, 0.0, 0)
        for day, people in ((2, 100), (7, 100), (15, 100))
    ]
    return dataclasses.replace(base, movements=(*base.movements[:-1], *out))


def test_a_unit_does_not_leave_before_its_equipment(tiny: Scenario) -> None:
    """Packing 10 TEU a day; rear parties of 40 each (policy minimum), main bodies 160 and
    60. The plan sends all 100 TEU on day 0, so the run is behind it and each main body is
    held in the share of its own equipment still there, the camp shipping the smaller unit's
    first (log's 40, then bn's 60). Day 2 (30 TEU out): log has 10 of 40 to go, bn all 60:
    40 + 60 x 10/40 + 40 + 160 = 255 stay, 45 leave. Day 7 (80 out): log none, bn 20 of 60:
    40 + 40 + 160 x 20/60 = 133.3, so 134 stay and 121 leave (the movements have room). The
    rest go with the guard on day 15. Without closure work 100 leave on day 2, 100 on day 7,
    100 on day 15."""
    held = two_units(tiny, closure=WORK)
    free = two_units(tiny)
    held_t = run(held, people_plan(held)).data.timelines
    free_t = run(free, people_plan(free)).data.timelines
    assert held_t is not None and free_t is not None
    assert np.all(free_t[:, 3] == 200) and np.all(free_t[:, 8] == 100)
    assert np.all(held_t[:, 3] == 255)
    assert np.all(held_t[:, 8] == 134) and np.all(held_t[:, 15] == 134)
    assert np.all(held_t[:, 16] == 0)
    result = run(held, people_plan(held))
    assert result.data.unit_ids == ("bn", "log")
    assert np.all(result.data.unit_out_day == 16)
    frame = result.unit_out_quantiles()
    assert list(frame["unit"]) == ["bn", "log"] and np.all(frame["p_out_by_deadline"] == 1.0)
    assert "units out of the theatre (median day): first bn" in result.summary()
    streamed = simulate(held, people_plan(held), runs=20, seed=3, keep_runs=False)
    assert streamed.unit_out_quantiles().equals(frame)  # kept in the streaming summaries


def test_a_run_on_plan_moves_people_as_the_plan_does(tiny: Scenario) -> None:
    """Packing at 10 TEU a day and a plan that ships each unit's equipment at that pace (log's
    40 TEU over days 0-3, bn's 60 over days 4-9, as its ledger would): the run is never
    behind the plan, so only the rear parties are held and the people planned out on days 2
    and 7 leave then, as planned. The same people plan with all the cargo planned on day 0
    (the run then behind it) holds them (`test_a_unit_does_not_leave_before_its_equipment`)."""
    held = two_units(tiny, closure=WORK)
    base = people_plan(held)
    paced = [
        Movement(d, d + 1, "camp", "port", "camp-port", "road", "cargo", 1, 0, 10.0, 0, unit=u)
        for d, u in [(d, "log") for d in range(4)] + [(d, "bn") for d in range(4, 10)]
    ]
    people = [m for m in base.movements if m.people > 0]
    plan = dataclasses.replace(base, movements=tuple(sorted(paced + people, key=lambda m: m.day)))
    timelines = run(held, plan).data.timelines
    assert timelines is not None
    assert np.all(timelines[:, 3] == 200) and np.all(timelines[:, 8] == 100)
    assert np.all(timelines[:, 16] == 0)


def test_equipment_the_plan_leaves_holds_nobody(tiny: Scenario) -> None:
    """The plan destroys the battalion's 60 TEU where they stand and ships log's 40 on day 0:
    bn's main body waits for nothing, so on day 2 (30 TEU out, log's 10 to go) only log's
    share and the rear parties stay: 40 + 60 x 10/40 + 40 = 95, and the 100 planned leave."""
    held = two_units(tiny, closure=WORK)
    base = people_plan(held)
    destroyed = Disposition("camp", "general", False, "destroy", 60.0, 0, 0.0, "coe")
    kept = Disposition("camp", "general", False, "repatriate", 40.0, 0, 0.0, "coe")
    plan = dataclasses.replace(base, dispositions=(destroyed, kept))
    timelines = run(held, plan).data.timelines
    assert timelines is not None
    assert np.all(timelines[:, 3] == 200)


def test_no_more_are_held_than_later_movements_can_carry(tiny: Scenario) -> None:
    """A guard convoy with room for only its planned 100: on day 7 the holds ask 140 to stay,
    but only the 100 the guard can carry do; nobody is left behind."""
    held = two_units(tiny, closure=WORK)
    plan = people_plan(held)
    small_guard = dataclasses.replace(plan.movements[-1], convoys=1, asset="cargo")  # no seats
    plan = dataclasses.replace(plan, movements=(*plan.movements[:-1], small_guard))
    timelines = run(held, plan).data.timelines
    assert timelines is not None
    assert np.all(timelines[:, 8] == 100) and np.all(timelines[:, 16] == 0)


def _block(scenario: Scenario, plan: Plan, runs: int, seed: int) -> ChunkOutcome:
    """The engine's raw outcomes of one block, as `simulate` computes them."""
    c = compile_inputs(scenario, plan)
    return resolve_blocks(c, plan_layout(c, Multipliers()), seed, [(0, runs)])[0]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**31),
    pack=st.floats(2.0, 40.0),
    approval=st.floats(0.0, 1.0),
    seats=st.integers(20, 300),
    attacks=st.floats(0.0, 0.5),
)
def test_people_are_conserved_by_unit(
    tiny: Scenario, seed: int, pack: float, approval: float, seats: int, attacks: float
) -> None:
    """For every unit, people out + killed <= its people, and summed over units they are the
    run's people out and killed; a unit is out (out day set) exactly when none is left."""
    work = WORK.model_copy(update={"max_teu_packed_per_day": pack, "final_steps_days": 2})
    scenario = two_units(
        tiny,
        closure=work,
        lift=(Lift(id="c", kind="charter", site="port", seats_each=seats, flights_per_week=5),),
        clearances=(Clearance(mode="handover", start=START, end=END, approval=approval),),
        threats=(
            Threat(
                target="camp",
                kind="base_attack",
                start=START,
                end=END,
                rate=attacks,
                killed_mean=2.0,
            ),
        ),  # fmt: skip
        early_close_attacks=2,
    )
    out = _block(scenario, people_plan(scenario), runs=40, seed=seed)
    gone = out.unit_people_out + out.unit_people_lost
    assert np.all(gone <= np.array([200.0, 100.0]) + 1e-6)
    np.testing.assert_allclose(out.unit_people_out.sum(axis=1), out.people_out, atol=1e-6)
    np.testing.assert_allclose(out.unit_people_lost.sum(axis=1), out.people_lost, atol=1e-6)
    left = np.array([200.0, 100.0]) - gone
    assert np.all((out.unit_out_day >= 0) == (left <= 0.5))
    camp_closed = out.closure_day[:, CAMP]
    assert np.all((camp_closed < 0) | (out.unit_out_day[:, [BN, LOG]].min(axis=1) >= camp_closed))


def test_the_reference_agrees_on_units(tiny: Scenario) -> None:
    """With refusals, delays, attacks and a handover clearance, the SimPy reference and the
    engine agree on people in theatre by day and on each unit's out day."""
    from test_simulate_oracle import _agree

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from reference_simpy import simulate_reference

    scenario = two_units(
        tiny,
        closure=WORK.model_copy(update={"final_steps_days": 2}),
        clearances=(
            Clearance(mode="road", start=START, end=END, approval=0.6, delay_mean_days=1.5),
            Clearance(mode="handover", start=START, end=END, approval=0.7, delay_mean_days=1),
        ),
        threats=(
            Threat(
                target="camp",
                kind="base_attack",
                start=START,
                end=END,
                rate=0.05,
                garrison_elasticity=1.0,
                killed_mean=1.0,
                cargo_lost_teu_mean=1.0,
            ),
        ),  # fmt: skip
        early_close_attacks=3,
    )
    plan = people_plan(scenario)
    engine = simulate(scenario, plan, runs=3000, seed=41, timelines=True)
    reference = simulate_reference(scenario, plan, runs=400, seed=42)
    timelines = engine.data.timelines
    assert timelines is not None
    ref = np.array([r.remaining for r in reference])
    for day in range(timelines.shape[1]):
        if timelines[:, day].var() + ref[:, day].var() > 0:
            _agree(timelines[:, day], ref[:, day], f"people on day {day}")
    never = 4 * engine.horizon
    for u, unit in enumerate(engine.data.unit_ids):
        days = np.where(engine.data.unit_out_day[:, u] < 0, never, engine.data.unit_out_day[:, u])
        ref_days = [d if (d := r.unit_out_day[unit]) >= 0 else never for r in reference]
        _agree(days, ref_days, f"unit {unit} out")


def test_unit_out_days_survive_a_results_folder(tiny: Scenario, tmp_path: Path) -> None:
    """A streamed results folder reloaded gives the same units' out days as the run kept in
    memory (the days are tallied in distributions.parquet, not only in units.parquet)."""
    from drawdown.simulate.io import load

    held = two_units(tiny, closure=WORK)
    kept = run(held, people_plan(held))
    simulate(held, people_plan(held), runs=20, seed=3, timelines=True, out=tmp_path / "r")
    loaded = load(tmp_path / "r", per_run=False)
    assert loaded.unit_out_quantiles().equals(kept.unit_out_quantiles())
    assert "units out of the theatre" in loaded.summary()


def test_a_contingent_leaving_takes_its_own_people(tiny: Scenario) -> None:
    """The logistics company is contingent b's, and b leaves on day 5. By then 45 of its
    100 have gone (day 2, as in the test above); its other 55 evacuate by road that day and
    the battalion's 200 stay, as planned, to the guard on day 15. (Taking "100 of whoever
    is there", as before, sent the battalion's people instead and kept b's.)"""
    from drawdown.scenario.model import Event

    base = two_units(tiny, closure=WORK)
    units = tuple(
        u.model_copy(update={"contingent": "b"}) if u.id == "log" else u for u in base.units
    )
    leaves = Event(
        id="b-leaves",
        kind="contingent_departs",
        target="b",
        date=START + dt.timedelta(days=5),
        source="[E] test",
    )
    world = base.replace(units=units, events=(leaves,))
    result = run(world, people_plan(world))
    timelines = result.data.timelines
    assert timelines is not None
    # (in theatre until they reach the port, a day on)
    assert np.all(timelines[:, 4] == 255) and np.all(timelines[:, 6] == 200)
    out = dict(zip(result.data.unit_ids, result.data.unit_out_day.T, strict=True))
    assert np.all(out["log"] <= 6) and np.all(out["bn"] == 16)
