"""Artefacts that do not belong together are refused: a plan of another scenario or format
given to `simulate --plan`, a results folder whose plan is not the one simulated."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from drawdown.plan import greedy_plan, load_plan, save_plan
from drawdown.scenario.model import Scenario

TINY = Path(__file__).parents[1] / "data" / "tiny"
CliRun = Callable[..., tuple[int, str]]


@pytest.fixture
def plan_dir(tmp_path: Path, tiny: Scenario) -> Path:
    """A greedy plan of the tiny scenario, saved."""
    return save_plan(greedy_plan(tiny), tmp_path / "plan", scenario=tiny)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_simulate_refuses_a_plan_in_an_unknown_format(cli: CliRun, plan_dir: Path) -> None:
    """A summary.json with another format_version is refused, naming the key."""
    summary = plan_dir / "summary.json"
    data = json.loads(summary.read_text())
    data["format_version"] = 99
    summary.write_text(json.dumps(data))
    code, out = cli("simulate", str(TINY), "--plan", str(plan_dir), "--runs", "5")
    flat = _flat(out)
    assert code == 2 and "format_version" in flat and "99" in flat and "drawdown plan" in flat


def test_simulate_refuses_the_plan_of_another_scenario(
    cli: CliRun, plan_dir: Path, tmp_path: Path
) -> None:
    """The tiny scenario's plan given with an edited copy (another hash) is refused."""
    other = tmp_path / "other"
    shutil.copytree(TINY, other)
    manifest = other / "scenario.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "running_cost_usd_per_day: 100000", "running_cost_usd_per_day: 90000"
        )
    )
    code, out = cli("simulate", str(other), "--plan", str(plan_dir), "--runs", "5")
    flat = _flat(out)
    assert code == 2 and "plan was made for scenario 'tiny'" in flat, flat


def test_simulate_accepts_its_own_plan(cli: CliRun, plan_dir: Path) -> None:
    """The check does not refuse a plan of the very scenario."""
    code, out = cli("simulate", str(TINY), "--plan", str(plan_dir), "--runs", "5")
    assert code == 0, out


def test_report_refuses_a_plan_that_was_not_simulated(
    cli: CliRun, tmp_path: Path, tiny: Scenario
) -> None:
    """Replacing a results folder's plan with another plan makes `report` refuse to pair the
    new schedule with the old simulation's odds."""
    results = tmp_path / "results"
    code, out = cli("run", str(TINY), "--runs", "20", "-o", str(results))
    assert code == 0, out
    code, out = cli("report", str(results))
    assert code == 0, out
    simulated = load_plan(results / "plan")
    other = greedy_plan(tiny)
    assert other.content_hash() != simulated.content_hash()
    shutil.rmtree(results / "plan")
    save_plan(other, results / "plan", scenario=tiny)
    code, out = cli("report", str(results))
    flat = _flat(out)
    assert code == 2 and "is not the plan the simulation executed" in flat, flat
