"""Every control of the page is a `--set` name of its scenario, showing the scenario's value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drawdown.scenario.io import load_scenario
from drawdown.scenario.overrides import apply_overrides, parse_override
from drawdown.serve.controls import controls, controls_json

STATIC = Path(__file__).parents[2] / "src" / "drawdown" / "serve" / "static"
SCENARIOS = ["minusma-2023", "barkhane-mali-2022", str(Path(__file__).parents[1] / "data" / "tiny")]


@pytest.mark.parametrize("source", SCENARIOS)
def test_every_control_is_a_set_name_and_takes_its_own_value(source: str) -> None:
    """Each control's name resolves like --set, and setting it to its shown value (or a
    factor of 1) leaves the scenario as it is."""
    scenario = load_scenario(source)
    found = controls(scenario)
    groups = {c.group for c in found}
    assert {"Declared uncertainties", "Clearance by mode", "Assets", "Policy", "Calendar"} <= groups
    for group in groups:  # one control per name within a group
        names = [c.name for c in found if c.group == group]
        assert len(names) == len(set(names)), group
    for c in found:
        parse_override(f"{c.name}=1", scenario)  # the name is known
        if c.kind == "factor":
            value = "*1"
        elif c.current and not c.current.startswith("mean"):
            value = c.current
        else:
            continue
        same = apply_overrides(scenario, [f"{c.name}={value}"])
        assert same.content_hash() == scenario.content_hash(), (c.name, value)


def test_declared_uncertainties_all_have_a_control() -> None:
    """Every uncertainty the scenario declares is offered, with its range and source."""
    scenario = load_scenario("minusma-2023")
    declared = [c for c in controls(scenario) if c.group == "Declared uncertainties"]
    assert [c.name for c in declared] == [u.parameter for u in scenario.manifest.uncertainties]
    assert all(c.note.startswith("declared range") for c in declared)
    targets = controls_json(scenario)["event_targets"]
    assert "corridor_closed" in targets and targets["clearance_suspended"][-1] == "*"


def test_the_page_loads_nothing_from_the_network() -> None:
    """The page's own files name no external URL: every script and style is served locally."""
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), path.name
        assert "@import" not in text and "cdn" not in text.lower(), path.name


def test_clearance_is_offered_by_mode_in_each_region() -> None:
    """MINUSMA's clearances differ by mode and region: each pair has its own approval and
    delay control, showing that row's value."""
    scenario = load_scenario("minusma-2023")
    pairs = {c.name: c for c in controls(scenario) if c.group == "Clearance by mode and region"}
    road_north = next(c for c in scenario.clearances if (c.mode, c.region) == ("road", "north"))
    assert pairs["clearance.road:north.approval"].current == f"{road_north.approval:g}"
    assert pairs["clearance.road:north.delay_mean_days"].label == "road in north: mean delay (days)"
    expected = {
        f"clearance.{c.mode}:{c.region}.{field}"
        for c in scenario.clearances
        if "*" not in (c.mode, c.region)
        for field in ("approval", "delay_mean_days")
    }
    assert set(pairs) == expected


def test_closure_work_rates_have_controls_where_modelled() -> None:
    """A scenario with closure work offers its rates (the packing spread among them); tiny,
    without a `closure:` section, offers none."""
    names = {c.name for c in controls(load_scenario("minusma-2023")) if c.group == "Closure work"}
    assert {"closure.teu_packed_per_person_day", "closure.packing_factor_low"} <= names
    tiny = load_scenario(SCENARIOS[-1])
    assert not [c for c in controls(tiny) if c.group == "Closure work"]
