"""Saved results load back identically; results of another scenario or version are refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from drawdown.errors import InputError
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate
from drawdown.simulate.io import load, save_results


def test_round_trip(tmp_path: Path, tiny: Scenario, tiny_plan: Plan) -> None:
    """Everything the report reads survives saving and loading."""
    result = simulate(tiny, tiny_plan, runs=60, seed=3, timelines=True)
    save_results(result, tmp_path / "sim")
    back = load(tmp_path / "sim", scenario_hash=tiny.content_hash())
    assert back.meta == result.meta
    assert back.summary() == result.summary()
    assert back.runs_frame().equals(result.runs_frame())
    assert np.array_equal(back.data.fan_hist, result.data.fan_hist)
    assert np.array_equal(back.data.timelines, result.data.timelines)
    assert back.incidents_by_place().equals(result.incidents_by_place())
    summary = json.loads((tmp_path / "sim" / "summary.json").read_text())
    assert summary["meta"]["seed"] == 3 and summary["meta"]["scenario_hash"] == tiny.content_hash()


def test_other_scenario_refused(tmp_path: Path, tiny: Scenario, tiny_plan: Plan) -> None:
    """Results are not mixed with a scenario they were not made for."""
    save_results(simulate(tiny, tiny_plan, runs=5, seed=1), tmp_path / "sim")
    with pytest.raises(InputError, match="results are for scenario 'tiny'"):
        load(tmp_path / "sim", scenario_hash="0123456789abcdef")


def test_other_version_refused(tmp_path: Path, tiny: Scenario, tiny_plan: Plan) -> None:
    """Results written by another version are refused with a hint to simulate again."""
    save_results(simulate(tiny, tiny_plan, runs=5, seed=1), tmp_path / "sim")
    path = tmp_path / "sim" / "summary.json"
    raw = json.loads(path.read_text())
    raw["meta"]["version"] = "0.0.1"
    path.write_text(json.dumps(raw))
    with pytest.raises(InputError, match="simulate again with this version"):
        load(tmp_path / "sim")


def test_not_a_results_folder(tmp_path: Path) -> None:
    """A folder without results is named, not a traceback."""
    with pytest.raises(InputError, match="not a simulation results folder"):
        load(tmp_path)
