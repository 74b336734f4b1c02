"""The adaptive policy reacts as a mission does: fly people out, destroy what cannot leave."""

from __future__ import annotations

import numpy as np
from plans import batch_plan

from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate


def test_roads_refused_people_fly_and_northern_cargo_is_destroyed(roads_refused: Scenario) -> None:
    """With every road clearance refused, people leave by air and northern cargo stays behind."""
    result = simulate(roads_refused, batch_plan(roads_refused), runs=200, seed=8)
    runs = result.data.runs
    assert np.all(runs["diverted_by_air_people"] > 0)
    assert runs["people_out"].mean() > 0.95 * roads_refused.total_people
    assert np.all(runs["teu_shipped"] == 0)
    north = result.data.site_ids.index("north")
    fates = result.fate_shares().set_index(["site", "fate"])
    assert fates.loc[("north", "destroyed"), "teu_share"] == 10 / 50  # the weapons
    assert fates.loc[("north", "handed_over"), "teu_share"] == 40 / 50
    assert np.all(result.data.teu_fate[:, north, 0] == 0)


def test_no_aircraft_and_no_roads_misses_the_deadline(stranded: Scenario) -> None:
    """Nobody can leave: the deadline is missed in every run and the summary says so."""
    result = simulate(stranded, batch_plan(stranded), runs=50, seed=1)
    assert result.p_out_by_deadline()[0] == 0.0
    assert np.all(result.data.runs["people_stranded"] == stranded.total_people)
    assert np.all(result.data.runs["completion_day"] == -1)
    text = result.summary()
    assert "P(all people out by deadline) = 0.0%" in text
    assert "deadline MISSED in every run" in text
    assert "50 runs" in text


def test_base_attacks_close_a_base_early(tiny: Scenario) -> None:
    """When attacks pass the threshold a base evacuates and disposes of its cargo."""
    from drawdown.scenario.model import Threat

    fierce = tuple(
        t.model_copy(update={"rate": 2.0}) if t.kind == "base_attack" else t for t in tiny.threats
    )
    scenario = tiny.replace(threats=fierce)
    result = simulate(scenario, batch_plan(scenario), runs=100, seed=6)
    runs = result.data.runs
    enough = runs["incidents_base_attack"] >= tiny.manifest.policy.early_close_attacks
    assert enough.mean() > 0.9  # a few runs empty the base before the third attack
    assert np.array_equal(runs["bases_closed_early"] >= 1, enough)
    assert isinstance(fierce[0], Threat)


def test_guard_waits_for_the_last_movement(tiny: Scenario) -> None:
    """A base is never emptied of people before its cargo has left or been given up."""
    result = simulate(tiny, batch_plan(tiny), runs=300, seed=9)
    north = result.data.site_ids.index("north")
    # nothing left with no one there (a share of a load split by runs' losses can leave a
    # rounding residue of 1e-15 of a vehicle, which is not a vehicle)
    assert np.all(result.data.veh_fate[:, north, 4] <= 1e-9)
