"""A sweep gives the same numbers in this process and on 1 or 2 Dask workers; a variant
that cannot be planned is recorded with its reason and the others go on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from drawdown.errors import InputError
from drawdown.sweep import run_sweep
from drawdown.sweep.spec import parse_spec
from drawdown.sweep.store import load_runs

TINY = str(Path(__file__).parents[1] / "data" / "tiny")
SPEC = {
    "scenario": TINY,
    "runs": 40,
    "seed": 7,
    "planner": "greedy",
    "grid": {"clearance.road.approval": [0.4, 0.9], "threat.ied.rate": ["*1", "*3"]},
    "options": {"wet": ["link.road.wet_km_per_day=*0.5"]},
}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """An existing two-worker Dask cluster on 127.0.0.1, as `--scheduler` would reach."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


def _results(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(folder / "summary.parquet"), load_runs(folder)


def test_workers_do_not_change_the_numbers(tmp_path: Path, scheduler: str) -> None:
    """In this process, on a new 1-worker LocalCluster and on an existing 2-worker cluster:
    the same summary and the same per-run outcomes, bit for bit."""
    spec = parse_spec(SPEC)
    here = run_sweep(spec, tmp_path / "here", workers=0)
    one = run_sweep(spec, tmp_path / "one", workers=1)
    two = run_sweep(spec, tmp_path / "two", scheduler=scheduler)
    assert (here.ran, one.ran, two.ran) == (5, 5, 5)
    summary, runs = _results(here.folder)
    assert len(summary) == 5 and (summary["status"] == "done").all()
    assert len(runs) == 5 * 40 and sorted(runs["variant"].unique()) == list(range(5))
    for other in (one, two):
        other_summary, other_runs = _results(other.folder)
        pd.testing.assert_frame_equal(summary, other_summary, check_exact=True)
        pd.testing.assert_frame_equal(runs, other_runs, check_exact=True)
    # the variants differ (the sweep is not running one scenario five times)
    assert summary["killed"].nunique() > 1
    assert list(summary.sort_values("rank")["variant"]) == list(
        summary.sort_values(["p_out_on_time", "variant"], ascending=[False, True])["variant"]
    )
    csv = pd.read_csv(here.folder / "summary.csv")
    assert list(csv.columns) == list(summary.columns) and len(csv) == 5


def test_sensitivity_on_a_scheduler_equals_the_local_one(tiny, scheduler: str) -> None:  # type: ignore[no-untyped-def]
    """`sensitivity(..., scheduler=...)` gives the indices it gives in this process."""
    from drawdown.analyse.sensitivity import sensitivity
    from drawdown.plan import greedy_plan

    plan = greedy_plan(tiny)
    here = sensitivity(tiny, plan, samples=8, runs_per_set=3, seed=2)
    there = sensitivity(tiny, plan, samples=8, runs_per_set=3, seed=2, scheduler=scheduler)
    for output, values in here.outputs.items():
        assert np.array_equal(values, there.outputs[output]), output
    pd.testing.assert_frame_equal(here.indices, there.indices)


def test_a_variant_that_cannot_be_planned_is_recorded(tmp_path: Path) -> None:
    """Re-planning each variant: the one with no trucks or aircraft fails with the planner's
    reason; the others are planned once per distinct scenario and finish."""
    spec = parse_spec(
        {
            **SPEC,
            "replan": True,
            "grid": {"clearance.road.approval": [0.5, 0.5]},  # twice the same scenario
            "options": {"stuck": ["trucks.*.count=0", "aircraft.*.count=0"]},
        }
    )
    result = run_sweep(spec, tmp_path, workers=0)
    summary = result.summary
    assert list(summary["status"]) == ["done", "done", "failed"]
    failed = summary.iloc[2]
    assert "cannot be planned" in failed["failure_reason"]
    assert "nothing can move" in failed["failure_reason"]
    assert np.isnan(failed["killed"]) and pd.isna(failed["rank"])
    assert summary.iloc[0]["plan_hash"] == summary.iloc[1]["plan_hash"]
    assert len(list((result.folder / "plans").iterdir())) == 1  # one plan, cached by hash
    assert "failed [2] stuck: cannot be planned" in result.summary_text()


def test_another_spec_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    """A finished sweep's folder is not mixed with a sweep of other settings."""
    run_sweep(parse_spec({**SPEC, "grid": {}, "runs": 5}), tmp_path, workers=0)
    again = run_sweep(parse_spec({**SPEC, "grid": {}, "runs": 5}), tmp_path, workers=0)
    assert (again.resumed, again.ran) == (1, 0)
    with pytest.raises(InputError, match="holds another sweep") as caught:
        run_sweep(parse_spec({**SPEC, "grid": {}, "runs": 6}), tmp_path, workers=0)
    assert caught.value.errors[0].where == "spec_hash"


def test_an_unreachable_scheduler_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--scheduler` at an address where nothing answers: a located error, no folder."""
    from drawdown.sweep import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler") as caught:
        run_sweep(parse_spec(SPEC), tmp_path, scheduler="tcp://127.0.0.1:1")
    assert caught.value.errors[0].file == "--scheduler"
    assert not (tmp_path / "sweep").exists()


def test_re_planned_variants_start_from_the_base_plan(tmp_path: Path, scheduler: str) -> None:
    """Re-planning with the optimiser: the base scenario is planned once and every variant is
    re-planned from it (a warm start), in this process and on a cluster alike; each variant's
    plan is the one `optimise(changed, warm_start=base plan)` makes."""
    from drawdown.plan import load_plan, optimise
    from drawdown.scenario.io import load_scenario
    from drawdown.scenario.overrides import apply_overrides

    spec = parse_spec(
        {
            **SPEC,
            "planner": "optimise",
            "replan": True,
            "runs": 10,
            "grid": {"trucks.*.count": ["*1.5", "*2"]},
            "options": {},
        }
    )
    here = run_sweep(spec, tmp_path / "here", workers=0)
    there = run_sweep(spec, tmp_path / "there", scheduler=scheduler)
    summary, runs = _results(here.folder)
    pd.testing.assert_frame_equal(summary, _results(there.folder)[0], check_exact=True)
    pd.testing.assert_frame_equal(runs, _results(there.folder)[1], check_exact=True)
    assert (summary["status"] == "done").all()
    assert len(list((here.folder / "plans").iterdir())) == 3  # the base plan and two variants
    for folder in (here.folder, there.folder):
        kept = [load_plan(p) for p in sorted((folder / "plans").iterdir())]
        # the variants' plans say they were warm-started; the base plan was made cold
        assert sorted(p.solver.warm_start for p in kept) == [False, True, True]
    base = optimise(load_scenario(TINY), seed=spec.seed)
    for overrides, plan_hash in zip(
        (["trucks.*.count=*1.5"], ["trucks.*.count=*2"]), summary["plan_hash"], strict=True
    ):
        changed = apply_overrides(load_scenario(TINY), overrides)
        warm = optimise(changed, seed=spec.seed, warm_start=base)
        assert warm.solver.warm_start and warm.content_hash() == plan_hash
