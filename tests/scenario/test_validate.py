"""Every kind of mistake in a scenario folder is reported precisely, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import drawdown
from drawdown.errors import InputError

Edit = Callable[[Path, str, str, str], None]


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        drawdown.load_scenario(folder)
    return [str(p) for p in info.value.errors]


def test_unknown_site_in_link(tiny_copy: Path, edit: Edit) -> None:
    """A link to a site that does not exist names the file, the link and the site."""
    edit(tiny_copy, "links.csv", "north-hub,north,hub", "north-hub,nowhere,hub")
    found = problems_of(tiny_copy)
    assert any("links.csv" in p and "north-hub" in p and "nowhere" in p for p in found)


def test_base_without_route_to_exit(tiny_copy: Path, edit: Edit) -> None:
    """A base whose only link is never passable has no route to an exit."""
    edit(
        tiny_copy,
        "links.csv",
        "north,hub,road,200,track,200,100,1-12",
        "north,hub,road,200,track,200,100,none",
    )
    found = problems_of(tiny_copy)
    assert any("'north' has no route to any exit" in p for p in found)


def test_air_link_no_aircraft_can_land(tiny_copy: Path, edit: Edit) -> None:
    """An air link between runways too short for every aircraft type is refused."""
    edit(
        tiny_copy,
        "assets.csv",
        "c130,aircraft,2,1,90,0,,,,,2,1200,no",
        "c130,aircraft,2,1,90,0,,,,,2,2000,no",
    )
    found = problems_of(tiny_copy)
    assert any("east-port-air" in p and "no aircraft type can land" in p for p in found)


def test_deadline_before_start(tiny_copy: Path, edit: Edit) -> None:
    """A deadline before the start is pointed out in the manifest."""
    edit(tiny_copy, "scenario.yaml", "deadline: 2023-07-30", "deadline: 2023-06-01")
    found = problems_of(tiny_copy)
    assert any("scenario.yaml" in p and "before start_date" in p for p in found)


@pytest.mark.parametrize(
    ("file", "old", "new", "expect"),
    [
        ("holdings.csv", "north,alpha,troops,200", "north,alpha,troops,-5", "people"),
        ("holdings.csv", "north,alpha,troops,200", "north,alpha,troops,many", "people"),
        ("clearances.csv", "0.9,1,exponential", "1.5,1,exponential", "approval"),
        ("clearances.csv", "2023-07-01,2023-07-30,0.9", "2023-07-01,2023-13-45,0.9", "end"),
        ("sites.csv", "north,North Camp,base,16.0", "north,North Camp,base,96.0", "lat"),
        ("sites.csv", "north,North Camp,base", "north,North Camp,fortress", "kind"),
    ],
)
def test_bad_values_name_file_row_and_column(
    tiny_copy: Path, edit: Edit, file: str, old: str, new: str, expect: str
) -> None:
    """Negative, non-numeric, out-of-range and unparsable values are located precisely."""
    edit(tiny_copy, file, old, new)
    found = problems_of(tiny_copy)
    assert any(file in p and "row 2" in p and expect in p and "fix:" in p for p in found), found


def test_missing_required_column(tiny_copy: Path) -> None:
    """A table without a required column says which column is missing."""
    path = tiny_copy / "sites.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    index = header.index("lat")
    path.write_text(
        "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines
        )
        + "\n"
    )
    found = problems_of(tiny_copy)
    assert any("sites.csv" in p and "missing column" in p and "lat" in p for p in found)


def test_duplicate_ids(tiny_copy: Path, edit: Edit) -> None:
    """Two sites with the same id are refused."""
    edit(tiny_copy, "sites.csv", "east,East Camp", "north,East Camp")
    found = problems_of(tiny_copy)
    assert any("sites.csv" in p and "'north' appears 2 times" in p for p in found)


def test_bad_yaml_gives_line(tiny_copy: Path, edit: Edit) -> None:
    """A YAML syntax error gives the line of the manifest."""
    edit(tiny_copy, "scenario.yaml", "calendar:\n", "calendar: [\n")
    found = problems_of(tiny_copy)
    assert any("scenario.yaml" in p and "line" in p and "YAML" in p for p in found)


def test_all_problems_reported_at_once(tiny_copy: Path, edit: Edit) -> None:
    """Mistakes in several files are reported together, not one per attempt."""
    edit(tiny_copy, "holdings.csv", "north,alpha,troops,200", "north,alpha,troops,-5")
    edit(tiny_copy, "clearances.csv", "0.9,1,exponential", "1.5,1,exponential")
    edit(tiny_copy, "sites.csv", "north,North Camp,base,16.0", "north,North Camp,base,96.0")
    found = problems_of(tiny_copy)
    assert {
        f for f in ("holdings.csv", "clearances.csv", "sites.csv") if any(f in p for p in found)
    } == {"holdings.csv", "clearances.csv", "sites.csv"}


def test_missing_source_is_a_warning_not_an_error(tiny_copy: Path, edit: Edit) -> None:
    """A figure without a source warns but still loads."""
    edit(
        tiny_copy,
        "links.csv",
        "1-12,north,north,[E] test fixture,180,220",
        "1-12,north,north,,180,220",
    )
    scenario, problems = drawdown.scenario.io.read_scenario(tiny_copy)
    assert scenario is not None
    from drawdown.scenario.validate import check_scenario

    warnings = [p for p in check_scenario(scenario) if p.severity == "warning"]
    assert any("north-hub" in str(p) and "without a source" in str(p) for p in warnings)
    drawdown.load_scenario(tiny_copy)  # no error


def test_unknown_event_target(tiny_copy: Path, edit: Edit) -> None:
    """An event naming an unknown contingent is refused with the valid kind of target."""
    edit(tiny_copy, "events.csv", "contingent_departs,bravo", "contingent_departs,zulu")
    found = problems_of(tiny_copy)
    assert any("events.csv" in p and "zulu" in p for p in found)
