"""Saved results load back identically; results of another scenario or version are refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
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
    assert np.array_equal(back.data.teu_out_timelines, result.data.teu_out_timelines)
    assert back.incidents_by_place().equals(result.incidents_by_place())
    summary = json.loads((tmp_path / "sim" / "summary.json").read_text())
    assert summary["meta"]["seed"] == 3 and summary["meta"]["scenario_hash"] == tiny.content_hash()


def test_teu_out_fan_round_trip(tmp_path: Path, tiny: Scenario, tiny_plan: Plan) -> None:
    """teu_out.parquet holds the TEU-out histogram (bins of `teu_out_bin`, recorded in
    summary.json), and loads back to the same fan; without per-run tables too."""
    result = simulate(tiny, tiny_plan, runs=60, seed=3)
    hist = result.data.teu_out_hist
    assert hist is not None and hist.sum(axis=1).tolist() == [60] * result.horizon
    # tiny holds 140 TEU: bins of one TEU; no run has any out on day 0, all by the last day
    assert result.data.teu_out_bin == 1 and hist.shape[1] == 141
    assert hist[0, 0] == 60 and result.teu_out_fan()["q95"].iloc[-1] == 140.0
    save_results(result, tmp_path / "sim")
    table = pd.read_parquet(tmp_path / "sim" / "teu_out.parquet")
    assert list(table.columns) == ["day", "teu_low", "teu_high", "runs"]
    assert table.groupby("day")["runs"].sum().tolist() == [60] * result.horizon
    summary = json.loads((tmp_path / "sim" / "summary.json").read_text())
    assert (summary["teu_out_bin"], summary["teu_out_bins"]) == (1, 141)
    for per_run in (True, False):
        back = load(tmp_path / "sim", per_run=per_run)
        assert np.array_equal(back.data.teu_out_hist, hist)
        pd.testing.assert_frame_equal(back.teu_out_fan(), result.teu_out_fan())
    assert back.data.teu_out_timelines is None  # kept only with timelines


def test_a_folder_without_teu_out_still_loads(
    tmp_path: Path, tiny: Scenario, tiny_plan: Plan
) -> None:
    """A folder saved before the stress test recorded TEU out by day loads; asking for the
    fan says to simulate again."""
    save_results(simulate(tiny, tiny_plan, runs=5, seed=1), tmp_path / "sim")
    (tmp_path / "sim" / "teu_out.parquet").unlink()
    back = load(tmp_path / "sim")
    assert back.data.teu_out_hist is None
    with pytest.raises(ValueError, match="simulate again"):
        back.teu_out_fan()


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
