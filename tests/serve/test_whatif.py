"""A what-if from the page is checked like `--set`: same names, same messages, bounded."""

from __future__ import annotations

import pytest

from drawdown.errors import InputError
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import apply_overrides, parse_overrides
from drawdown.serve.whatif import MAX_CHANGES, read_whatif


def _read(payload: object, tiny: Scenario) -> object:
    return read_whatif(payload, tiny, default_runs=100, max_runs=1000)


def _cli_message(texts: list[str], tiny: Scenario) -> list[str]:
    with pytest.raises(InputError) as caught:
        apply_overrides(tiny, parse_overrides(texts, tiny))
    return [str(p) for p in caught.value.problems]


def _page_message(changes: list[dict[str, str]], tiny: Scenario) -> list[str]:
    with pytest.raises(InputError) as caught:
        _read({"changes": changes}, tiny)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("clearance.rood.approval", "0.5"),  # unknown parameter
        ("clearance.road.approval", "1.5"),  # out of range
        ("clearance.road.approval", "half"),  # wrong type
        ("deadline", "31/12/2023"),  # not a date
        ("policy.no_such_knob", "1"),
    ],
)
def test_bad_value_gets_the_message_of_set(tiny: Scenario, name: str, value: str) -> None:
    """Unknown name, out-of-range value and wrong type: the page's message is --set's."""
    assert _page_message([{"name": name, "value": value}], tiny) == _cli_message(
        [f"{name}={value}"], tiny
    )


def test_a_good_whatif_is_the_set_overrides(tiny: Scenario) -> None:
    """Changes become canonical `--set` texts; the scenario is the one --set makes."""
    whatif = _read(
        {"changes": [{"name": "trucks.count", "value": "*2"}], "runs": 50, "name": "more"}, tiny
    )
    assert whatif.changes == ("trucks.*.count=*2.0",)
    assert whatif.runs == 50 and whatif.name == "more"
    expected = apply_overrides(tiny, ["trucks.count=*2"])
    assert whatif.scenario(tiny).content_hash() == expected.content_hash()
    assert whatif.variant(tiny) == ["trucks.*.count=*2.0"]


def test_a_new_event_is_checked_by_the_scenario_rules(tiny: Scenario) -> None:
    """A new event with an unknown target is refused as validate would; a good one is kept."""
    bad = {"kind": "link_closed", "target": "nowhere", "date": "2023-07-05", "end_date": ""}
    with pytest.raises(InputError) as caught:
        _read({"events": [bad]}, tiny)
    assert "unknown target 'nowhere' for link_closed" in str(caught.value.problems[0])
    good = {**bad, "kind": "corridor_closed", "target": "north", "end_date": "2023-07-10"}
    whatif = _read({"events": [good]}, tiny)
    changed = whatif.variant(tiny)
    assert isinstance(changed, Scenario) and changed.events[-1].target == "north"
    assert whatif.describe() == "+event corridor_closed north 2023-07-05..2023-07-10"
    with pytest.raises(InputError, match="date"):
        _read({"events": [{**good, "date": "soon"}]}, tiny)


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        ([], "expected a JSON object"),
        ({"runs": 10**9}, "from 1 to 1,000"),
        ({"runs": "many"}, "whole number"),
        ({"path": "/etc"}, "unknown key"),
        ({"changes": "x=1"}, "expected a list"),
        ({"changes": [{"name": "deadline"}] * (MAX_CHANGES + 1)}, "more than"),
        ({"changes": [{"name": "x" * 500, "value": "1"}]}, "longer than"),
    ],
)
def test_malformed_or_unbounded_requests_are_refused(
    tiny: Scenario, payload: object, text: str
) -> None:
    """Wrong shapes, unknown keys and too much work are refused before any work."""
    with pytest.raises(InputError) as caught:
        _read(payload, tiny)
    assert any(text in str(p) for p in caught.value.problems), caught.value.problems
