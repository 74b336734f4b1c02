"""The workbench's own state: a results folder's plan reused, the baseline paired once."""

from __future__ import annotations

from pathlib import Path

from drawdown.pipeline import run_scenario
from drawdown.serve import open_workbench
from drawdown.serve.workbench import NO_EFFECT_NOTE, Settings, Workbench

TINY = Path(__file__).parents[1] / "data" / "tiny"


def test_a_results_folder_gives_its_plan(tmp_path: Path) -> None:
    """`drawdown serve RESULTS_DIR` executes the folder's own plan (no re-planning)."""
    outcome = run_scenario(TINY, tmp_path / "run", runs=20, seed=1)
    said: list[str] = []
    bench = open_workbench(
        str(tmp_path / "run"), Settings(runs=50, exports=tmp_path / "x"), say=said.append
    )
    try:
        assert bench.plan.content_hash() == outcome.plan.content_hash()
        assert bench.source == str(tmp_path / "run")
        assert said and "results folder" in said[0] and not any("optimising" in s for s in said)
    finally:
        bench.close()


def test_whatifs_in_the_session_layout_simulate_only_themselves(bench: Workbench) -> None:
    """A what-if that fits the session's room reuses the baseline: the pair is exact, and
    the variant's key figure against itself would be zero (baseline vs baseline)."""
    kept = bench.baselines_kept
    record = bench.simulate(
        bench.read({"changes": [{"name": "clearance.road.approval", "value": "0.45"}]})
    )
    assert bench.baselines_kept == kept  # no second baseline was needed
    baseline = bench.variants.baseline
    zero = {f["figure"]: f["diff"] for f in baseline.key_figures}
    assert all(d == 0 for d in zero.values())
    assert record.seconds["simulate"] >= 0 and record.seconds["figures"] >= 0


def test_a_scenario_without_threats_still_opens(tiny, tiny_greedy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The session's room is made only of what the scenario has rows for."""
    calm = tiny.replace(threats=())
    from drawdown.plan import greedy_plan

    bench = Workbench(calm, greedy_plan(calm), Settings(runs=30, exports=tmp_path))
    try:
        record = bench.simulate(
            bench.read({"changes": [{"name": "clearance.road.approval", "value": "0.5"}]})
        )
        assert record.result.meta.runs == 30
    finally:
        bench.close()


def test_a_change_the_fixed_plan_never_reads_says_so(bench: Workbench) -> None:
    """A what-if the current plan executes exactly as the baseline (an objective weight: only
    the planner reads it) is answered with the same outcomes and a note to re-plan; one
    that changes the execution has no such note."""
    weight = {"name": "objective.per_expected_death", "value": "*2"}
    unread = bench.simulate(bench.read({"changes": [weight]}))
    assert unread.plan_note == NO_EFFECT_NOTE
    assert all(f["diff"] == 0 for f in unread.key_figures if f["diff"] is not None)
    road = {"name": "clearance.road.approval", "value": "0.5"}
    assert bench.simulate(bench.read({"changes": [road]})).plan_note == ""
