"""Runs streamed to a folder give the results kept in memory would, bit for bit."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import simulate
from drawdown.simulate.io import load, save
from drawdown.simulate.outcomes import mean_interval, quantile_interval, wilson
from drawdown.simulate.policy import FATES


def _old_record(result) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The headline figures as they were computed before the streaming statistics: numpy
    over every run's records."""
    d = result.data
    runs = d.runs
    hits = int(runs["all_out_by_deadline"].sum())
    rec: dict[str, float] = {"p_all_out_by_deadline": hits / result.runs}
    rec["p_all_out_by_deadline_low"], rec["p_all_out_by_deadline_high"] = wilson(hits, result.runs)
    days = runs["completion_day"].astype(float)
    days[days < 0] = np.inf
    for p in (0.05, 0.5, 0.95):
        tag = f"completion_day_q{round(p * 100):02d}"
        rec[tag], rec[f"{tag}_low"], rec[f"{tag}_high"] = quantile_interval(days, p)
    for name in ("killed", "wounded", "people_stranded", "protection_gap_person_days", "cost_usd"):
        values = runs[name].astype(float)
        rec[f"{name}_mean"], rec[f"{name}_mean_low"], rec[f"{name}_mean_high"] = mean_interval(
            values
        )
        rec[f"{name}_p90"], rec[f"{name}_p90_low"], rec[f"{name}_p90_high"] = quantile_interval(
            values, 0.9
        )
    for unit, fates, total in (
        ("teu", d.teu_fate, d.teu0.sum()),
        ("vehicles", d.veh_fate, d.veh0.sum()),
    ):
        for f, fate in enumerate(FATES):
            share = fates[:, :, f].sum(axis=1).astype(float) / total
            mean, lo, hi = mean_interval(share)
            rec[f"{unit}_{fate}_share"] = mean
            rec[f"{unit}_{fate}_share_low"], rec[f"{unit}_{fate}_share_high"] = lo, hi
    return rec


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.fixture(scope="module")
def kept(tiny: Scenario, tiny_plan: Plan):  # type: ignore[no-untyped-def]
    return simulate(tiny, tiny_plan, runs=700, seed=11, timelines=True)


def test_summaries_are_the_numpy_figures_of_all_runs(kept) -> None:  # type: ignore[no-untyped-def]
    """The headline figures (summary.json) are bit for bit numpy's over every run."""
    record = kept.summary_record()
    for key, value in _old_record(kept).items():
        assert _same(record[key], value), key


def test_streamed_equals_kept(tmp_path: Path, tiny: Scenario, tiny_plan: Plan, kept) -> None:  # type: ignore[no-untyped-def]
    """Streamed to a folder in other block sizes, with nothing kept in memory, the runs give
    the same summary, the same per-run tables and byte-identical summary.json."""
    streamed = simulate(
        tiny, tiny_plan, runs=700, seed=11, timelines=True, out=tmp_path / "a", block_size=37
    )
    assert not streamed.kept and streamed.data.closure_day.shape[0] == 0
    assert streamed.summary() == kept.summary()
    assert streamed.summary_record() == kept.summary_record()
    assert streamed.closure_quantiles().equals(kept.closure_quantiles())
    assert streamed.protection_gap_over_time().equals(kept.protection_gap_over_time())
    pd.testing.assert_frame_equal(streamed.runs_frame(), kept.runs_frame())
    pd.testing.assert_frame_equal(streamed.sites_frame(), kept.sites_frame())
    save(kept, tmp_path / "b")
    for name in (
        "summary.json",
        "distributions.parquet",
        "uncovered.parquet",
        "fan.parquet",
        "teu_out.parquet",
    ):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    back = load(tmp_path / "a")
    for name in (
        "closure_day",
        "teu_fate",
        "veh_fate",
        "packed_day",
        "timelines",
        "teu_out_timelines",
    ):
        assert np.array_equal(getattr(back.data, name), getattr(kept.data, name)), name
    flat = load(tmp_path / "a", per_run=False)
    assert not flat.kept and flat.summary() == kept.summary()


def test_parquet_files_name_their_runs_and_sites(tmp_path: Path, kept) -> None:  # type: ignore[no-untyped-def]
    """Every per-run table carries run (and site or lift) columns, not positions."""
    save(kept, tmp_path / "sim")
    runs = pd.read_parquet(tmp_path / "sim" / "runs.parquet")
    sites = pd.read_parquet(tmp_path / "sim" / "sites.parquet")
    assert list(runs["run"]) == list(range(700))
    assert {"run", "site"} <= set(sites.columns)
    assert set(sites["site"].astype(str)) == set(kept.data.site_ids)
    timelines = pd.read_parquet(tmp_path / "sim" / "timelines.parquet")
    assert timelines.columns[0] == "run"
    fan = pd.read_parquet(tmp_path / "sim" / "fan.parquet")
    assert {"day", "people_low", "people_high", "runs"} == set(fan.columns)


def test_without_out_nothing_grows(tiny: Scenario, tiny_plan: Plan, kept) -> None:  # type: ignore[no-untyped-def]
    """keep_runs=False keeps no per-run arrays and still summarises the same."""
    flat = simulate(tiny, tiny_plan, runs=700, seed=11, keep_runs=False)
    assert flat.data.runs["killed"].size == 0
    assert flat.summary() == kept.summary()
    with pytest.raises(ValueError, match="not kept"):
        flat.runs_frame()


def test_summary_json_is_strict(tmp_path: Path, tiny: Scenario, tiny_plan: Plan) -> None:
    """One run has no interval and may never finish: summary.json says null, not NaN."""
    save(simulate(tiny, tiny_plan, runs=1, seed=1), tmp_path / "one")
    text = (tmp_path / "one" / "summary.json").read_text()

    def refuse(token: str) -> float:
        raise ValueError(f"not JSON: {token}")

    raw = json.loads(text, parse_constant=refuse)
    assert raw["summary"]["killed_mean_low"] is None
    assert "nulls" in raw


def test_report_views_of_streamed_runs(
    tmp_path: Path, tiny: Scenario, tiny_plan: Plan, kept
) -> None:  # type: ignore[no-untyped-def]
    """The report reads the same from streamed runs (summaries only) as from kept ones:
    closures, people, closure work, early closures and every headline figure."""
    from drawdown.report.data import views_from_result
    from drawdown.report.headline import headline

    streamed = simulate(tiny, tiny_plan, runs=700, seed=11, timelines=True, out=tmp_path / "s")
    a = views_from_result(tiny, tiny_plan, kept)
    b = views_from_result(tiny, tiny_plan, streamed)
    assert b.outcomes is None and b.distributions is not None
    pd.testing.assert_frame_equal(a.closure, b.closure)
    pd.testing.assert_frame_equal(a.people, b.people)
    pd.testing.assert_frame_equal(a.cargo_outcome_teu, b.cargo_outcome_teu, check_dtype=False)
    for name in ("closure_work", "early_closures"):
        pd.testing.assert_frame_equal(
            getattr(a.withdrawal, name), getattr(b.withdrawal, name), check_dtype=False
        )
    assert headline(tiny, tiny_plan, a) == headline(tiny, tiny_plan, b)
