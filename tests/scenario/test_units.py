"""Units derived for old folders and for scenarios built in code: people move, nothing else."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from drawdown.scenario.model import Holding, Scenario, Unit
from drawdown.scenario.units import attach_units, derive_units

TINY = Path(__file__).parents[1] / "data" / "tiny"


def test_tiny_derives_one_unit_per_site_contingent_and_category(tiny: Scenario) -> None:
    """tests/data/tiny has no units.csv: its people become four derived units."""
    assert [(u.id, u.kind, u.people) for u in tiny.units] == [
        ("north/alpha/troops", "battalion", 200),
        ("east/bravo/troops", "battalion", 150),
        ("hub/charlie/troops", "battalion", 300),
        ("hub/mission/civilian", "civilian", 50),
    ]


def test_derived_people_per_site_equal_the_file(tiny: Scenario) -> None:
    """People by site and contingent are exactly what holdings.csv says."""
    with (TINY / "holdings.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    expected: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["site"], r["contingent"])
        expected[key] = expected.get(key, 0) + int(r["people"])
    assert tiny.people_by("site", "contingent") == expected


def test_derived_holdings_keep_equipment_order_and_get_owners(tiny: Scenario) -> None:
    """Cargo rows keep their order and values; troops' gear is COE; people-only rows go."""
    assert [(h.site, h.cargo_class, h.containers_teu) for h in tiny.holdings] == [
        ("north", "general", 40),
        ("north", "weapons", 10),
        ("east", "general", 30),
        ("hub", "general", 60),
    ]
    assert all(h.people == 0 and h.owner == "coe" for h in tiny.holdings)
    assert tiny.holdings[0].unit == "north/alpha/troops"


def test_code_built_scenario_gets_units(tiny: Scenario) -> None:
    """A Scenario built from holdings with people (as benchmarks do) derives the same units."""
    old = Holding(site="north", contingent="alpha", category="troops", people=200, vehicles=3)
    civ = Holding(site="hub", contingent="un", category="civilian", people=9, containers_teu=1)
    built = Scenario(**{**dict(tiny), "holdings": (old, civ), "units": ()})
    assert built.people_by("site") == {("north",): 200, ("hub",): 9}
    assert [h.owner for h in built.holdings] == ["coe", "un"]
    assert built.unit("hub/un/civilian").kind == "civilian"


def test_given_units_are_never_rederived() -> None:
    """With units, holdings only get blanks filled from their unit; people stay where they are."""
    unit = Unit(id="u", site="s", contingent="k", kind="fpu", category="police", people=5)
    hold = Holding(unit="u", containers_teu=2)
    data = attach_units({"units": (unit,), "holdings": (hold,)})
    (filled,) = data["holdings"]
    assert (filled.site, filled.contingent, filled.category, filled.owner) == (
        "s",
        "k",
        "police",
        "coe",
    )
    assert data["units"] == (unit,)


def test_derived_unit_takes_the_people_row_range() -> None:
    """The low/high of a people-only row move to the unit with its people."""
    people = Holding(site="s", contingent="k", category="troops", people=10, low=8, high=12)
    cargo = Holding(site="s", contingent="k", category="troops", containers_teu=4)
    units, kept = derive_units([people, cargo])
    assert (units[0].people, units[0].low, units[0].high) == (10, 8, 12)
    assert kept == [cargo.model_copy(update={"unit": "s/k/troops", "owner": "coe"})]


def test_event_may_name_a_contingent_with_people_only(tiny_copy: Path, edit: Callable) -> None:
    """A contingent whose only row held people (now a unit) is still a valid event target."""
    import drawdown

    edit(tiny_copy, "events.csv", "contingent_departs,bravo", "contingent_departs,mission")
    scenario = drawdown.load_scenario(tiny_copy)
    assert not any(h.contingent == "mission" for h in scenario.holdings)
    assert scenario.people_by("contingent")[("mission",)] == 50
