"""A run's artefacts round-trip through the results folder, the calibration included."""

from __future__ import annotations

from pathlib import Path

import pytest

from drawdown.errors import InputError
from drawdown.results import (
    CALIBRATION_DIR,
    load_analyses,
    load_run,
    load_saved_plan,
    write_run,
)
from drawdown.scenario.model import Scenario


@pytest.fixture(scope="module")
def run_of_tiny(tiny: Scenario):  # type: ignore[no-untyped-def]
    from drawdown.plan import greedy_plan
    from drawdown.simulate import simulate

    plan = greedy_plan(tiny)
    return plan, simulate(tiny, plan, runs=30, seed=3)


def test_write_then_load_gives_the_same_run(tiny: Scenario, run_of_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """load_run reads back the scenario, plans, simulation and manifest write_run wrote."""
    plan, result = run_of_tiny
    info = write_run(tmp_path, tiny, plan, result, baseline=plan, manifest={"note": "x"})
    saved = load_run(tmp_path)
    assert saved.info == info and info.manifest == {"note": "x"}
    assert saved.scenario.content_hash() == tiny.content_hash()
    assert saved.plan == plan and saved.baseline == plan
    assert saved.result.meta == result.meta
    assert (saved.result.runs_frame() == result.runs_frame()).all().all()
    assert load_saved_plan(tmp_path) == plan  # a results folder gives its plan/
    assert load_saved_plan(tmp_path / "plan") == plan  # and a plan folder itself


def test_the_calibration_a_run_rests_on_is_saved_with_it(
    tiny: Scenario,
    run_of_tiny,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A calibration given to write_run lands in calibration/ and loads as an analysis."""
    from drawdown.analyse.calibrate import builtin_calibration
    from drawdown.scenario.io import load_scenario

    calibration = builtin_calibration(load_scenario("minusma-2023"))
    assert calibration is not None
    plan, result = run_of_tiny
    write_run(tmp_path, tiny, plan, result, calibration=calibration)
    assert (tmp_path / CALIBRATION_DIR / "calibration_rates.csv").exists()
    analyses = load_analyses(tmp_path, tiny.content_hash(), tiny.name)
    assert analyses.calibration is not None and len(analyses.calibration.rates) > 0
    assert analyses.compare is None and analyses.check is None


def test_a_simulation_of_another_scenario_is_refused(
    tiny: Scenario,
    run_of_tiny,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Parts of different scenarios in one folder: load_run refuses the folder."""
    plan, result = run_of_tiny
    write_run(tmp_path, tiny, plan, result)
    summary = tmp_path / "simulation" / "summary.json"
    text = summary.read_text().replace(tiny.content_hash(), "0123456789abcdef")
    summary.write_text(text)
    with pytest.raises(InputError, match="another scenario"):
        load_run(tmp_path)
