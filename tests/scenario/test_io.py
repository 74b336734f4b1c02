"""Loading and saving scenario folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import drawdown
from drawdown.errors import InputError
from drawdown.scenario.model import Scenario
from drawdown.scenario.tables import format_months, parse_months


def test_tiny_loads_with_expected_totals(tiny: Scenario) -> None:
    """The tiny scenario loads into frozen types with the totals its files hold."""
    assert tiny.horizon_days == 30
    assert tiny.total_people == 700
    assert tiny.total_containers_teu == 140
    assert {s.kind for s in tiny.sites} == {"base", "hub", "exit"}
    with pytest.raises(ValidationError):
        tiny.sites[0].lat = 0  # type: ignore[misc]


def test_save_and_load_round_trip_exactly(tiny: Scenario, tmp_path: Path) -> None:
    """Saving then loading gives an equal scenario with the same content hash."""
    folder = drawdown.save_scenario(tiny, tmp_path / "copy")
    again = drawdown.load_scenario(folder)
    assert again == tiny
    assert again.content_hash() == tiny.content_hash()


def test_save_replaces_existing_folder_atomically(tiny: Scenario, tmp_path: Path) -> None:
    """Saving over an existing folder leaves exactly the new scenario, no stray files."""
    target = tmp_path / "copy"
    drawdown.save_scenario(tiny, target)
    (target / "stray.txt").write_text("x")
    drawdown.save_scenario(tiny, target)
    assert not (target / "stray.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["copy"]


def test_unknown_path_names_builtins() -> None:
    """A path that is neither a folder nor a built-in name lists the built-ins."""
    with pytest.raises(InputError) as info:
        drawdown.load_scenario("no-such-scenario")
    assert "built-in" in str(info.value)


@given(st.sets(st.integers(1, 12)))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_month_lists_round_trip(months: set[int]) -> None:
    """Any set of months survives formatting and parsing."""
    ordered = tuple(sorted(months))
    assert parse_months(format_months(ordered)) == ordered


@given(
    lat=st.floats(-90, 90, allow_nan=False),
    km=st.floats(0, 1e6, allow_nan=False),
    rate=st.floats(0, 1, allow_nan=False),
)
@settings(max_examples=25, deadline=None)
def test_arbitrary_floats_round_trip(lat: float, km: float, rate: float) -> None:
    """Float cells are written so that they parse back to the same value."""
    import tempfile

    base = drawdown.load_scenario(Path(__file__).parents[1] / "data" / "tiny")
    site = base.sites[0].model_copy(update={"lat": lat})
    link = base.links[0].model_copy(update={"km": km})
    threat = base.threats[0].model_copy(update={"rate": rate})
    changed = base.replace(
        sites=(site, *base.sites[1:]),
        links=(link, *base.links[1:]),
        threats=(threat, *base.threats[1:]),
    )
    with tempfile.TemporaryDirectory() as folder:
        drawdown.save_scenario(changed, Path(folder) / "s")
        again, problems = drawdown.scenario.io.read_scenario(Path(folder) / "s")
    assert again == changed, problems


def test_reference_docs_are_up_to_date() -> None:
    """docs/reference/scenario-format.md is what the model types generate today."""
    from drawdown.scenario.reference import reference_markdown

    path = Path(__file__).parents[2] / "docs" / "reference" / "scenario-format.md"
    assert path.read_text().strip() == reference_markdown().strip(), (
        "regenerate with: python -m drawdown.scenario.reference > docs/reference/scenario-format.md"
    )


def test_saved_folder_is_readable_by_others(tiny: Scenario, tmp_path: Path) -> None:
    """A saved scenario folder gets ordinary permissions, not the temporary folder's 0700."""
    import os
    import stat

    umask = os.umask(0o022)
    try:
        folder = drawdown.save_scenario(tiny, tmp_path / "shared")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
