"""`run_scenario`, the loop behind `drawdown run`: its fallbacks live in the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import drawdown.plan as plans
from drawdown.errors import Problem
from drawdown.pipeline import DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_TIME_LIMIT_S, run_scenario

TINY = Path(__file__).parent / "data" / "tiny"


def test_cli_defaults_are_the_librarys() -> None:
    """`drawdown run` keeps its own copy of the defaults (to start light): they agree."""
    from drawdown.commands import run

    assert (run.DEFAULT_RUNS, run.DEFAULT_SEED, run.DEFAULT_TIME_LIMIT_S) == (
        DEFAULT_RUNS,
        DEFAULT_SEED,
        DEFAULT_TIME_LIMIT_S,
    )


def test_no_plan_in_time_reports_the_greedy_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the optimiser finds no plan in its time, the baseline is run and the run says so."""

    def no_plan(*args: object, **kwargs: object) -> None:
        raise plans.NoPlanFoundError(Problem("scenario", "", "no plan found"), "no plan found")

    monkeypatch.setattr(plans, "optimise", no_plan)
    seen: list[str] = []
    stages: list[str] = []

    def stage(key: str, work):  # type: ignore[no-untyped-def]
        stages.append(key)
        return work()

    outcome = run_scenario(
        TINY,
        tmp_path / "out",
        runs=20,
        seed=1,
        time_limit_s=3,
        stage=stage,
        warn=lambda problems: seen.extend(p.file for p in problems),
    )
    assert outcome.plan is outcome.baseline
    assert "greedy baseline is reported" in outcome.note and "time_limit_s" in seen
    assert stages == ["validate", "baseline", "optimise", "simulate", "report"]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["manifest"]["plan note"] == outcome.note
    assert outcome.report.exists()


def test_unmeetable_deadline_reports_the_best_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An InfeasiblePlanError's best plan is stress-tested; its reasons become warnings."""

    def best_only(scenario, **kwargs):  # type: ignore[no-untyped-def]
        best = plans.greedy_plan(scenario)
        reason = Problem("north", "", "needs 9 convoys; only 3 before the deadline")
        raise plans.InfeasiblePlanError([reason], "deadline cannot be met", best_plan=best)

    monkeypatch.setattr(plans, "optimise", best_only)
    outcome = run_scenario(TINY, tmp_path / "out", runs=20, seed=1)
    assert outcome.note.startswith("deadline cannot be met")
    assert [p.message for p in outcome.warnings if p.file == "north"] == [
        "needs 9 convoys; only 3 before the deadline"
    ]
    assert all(p.severity == "warning" for p in outcome.warnings)
