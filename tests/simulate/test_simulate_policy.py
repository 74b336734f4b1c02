"""The adaptive policy reacts as a mission does: fly people out, destroy what cannot leave."""

from __future__ import annotations

import numpy as np
import pytest
from plans import batch_plan

from drawdown.scenario.model import ContingentPolicy, Scenario
from drawdown.simulate import simulate


@pytest.mark.parametrize("allowed", [False, True])
def test_roads_refused_people_fly_and_northern_cargo_is_destroyed(
    roads_refused: Scenario, allowed: bool
) -> None:
    """With every road clearance refused, people leave by air and northern cargo stays behind:
    its 10 TEU of weapons destroyed, and its 40 TEU of general stores destroyed too unless
    their contingent (alpha) allows them to be handed over, as the planner leaves them."""
    world = roads_refused.replace(
        contingents=(ContingentPolicy(id="alpha", handover_allowed=allowed, source="[E] test"),)
    )
    result = simulate(world, batch_plan(world), runs=200, seed=8)
    runs = result.data.runs
    assert np.all(runs["diverted_by_air_people"] > 0)
    assert runs["people_out"].mean() > 0.95 * world.total_people
    assert np.all(runs["teu_shipped"] == 0)
    north = result.data.site_ids.index("north")
    fates = result.fate_shares().set_index(["site", "fate"])
    handed = 40 / 50 if allowed else 0.0
    assert fates.loc[("north", "destroyed"), "teu_share"] == pytest.approx(1.0 - handed)
    assert fates.loc[("north", "handed_over"), "teu_share"] == pytest.approx(handed)
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


def test_the_general_cargo_left_goes_as_its_owners_allow(tiny: Scenario) -> None:
    """`destroy_shares`: a site's general cargo left is destroyed in the share its owners may
    not hand over. Tiny has no contingents.csv, so none of its contingent-owned stores may
    be; with bravo allowing it, none of east's are destroyed; UN-owned stores may always be
    (east's 30 TEU and 15 vehicles made UN-owned: none destroyed either)."""
    from drawdown.simulate.inputs import destroy_shares

    def shares(world: Scenario) -> dict[str, float]:
        teu = np.array([h.containers_teu for h in world.holdings], dtype=float)
        veh = np.array([h.vehicles for h in world.holdings], dtype=float)
        ids = [s.id for s in world.sites]
        return dict(zip(ids, destroy_shares(world, teu, veh).tolist(), strict=True))

    assert shares(tiny)["north"] == 1.0
    assert shares(tiny)["east"] == 1.0
    allowing = tiny.replace(
        contingents=(ContingentPolicy(id="bravo", handover_allowed=True, source="[E] test"),)
    )
    assert shares(allowing)["east"] == 0.0
    assert shares(allowing)["north"] == 1.0
    un = tuple(
        h.model_copy(update={"owner": "un"}) if h.site == "east" else h for h in tiny.holdings
    )
    assert shares(tiny.replace(holdings=un))["east"] == 0.0
    # UN-owned stores as large as alpha's 40 TEU and 20 vehicles at north: half destroyed
    alpha = next(h for h in tiny.holdings if h.site == "north" and not h.sensitive)
    un_stores = alpha.model_copy(update={"owner": "un"})
    assert shares(tiny.replace(holdings=(*tiny.holdings, un_stores)))["north"] == 0.5
