"""A forecast over the declared uncertainties: parameter sets planned afresh, runs pooled."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from drawdown.analyse import declared as module
from drawdown.analyse.check import check_pooled, read_actuals
from drawdown.analyse.declared import declared_forecast
from drawdown.errors import Problem
from drawdown.plan import InfeasiblePlanError, NoPlanFoundError, greedy_plan, optimise
from drawdown.scenario.io import builtin_record, load_scenario
from drawdown.scenario.overrides import apply_overrides, parse_overrides
from drawdown.simulate import simulate

NAME = "barkhane-mali-2022"


@pytest.fixture(scope="module")
def four_sets():  # type: ignore[no-untyped-def]
    return declared_forecast(load_scenario(NAME), sets=4, runs=200, seed=7)


def test_each_set_is_a_draw_of_the_declared_ranges_planned_and_stress_tested(four_sets) -> None:  # noqa: ANN001
    """Four sets of Barkhane's sixteen declared ranges, every value inside its range, each
    set a different draw with its own plan and 50 of the 200 runs; the same seed gives the
    same sets, plans and runs."""
    base = load_scenario(NAME)
    ranges = {u.parameter: (u.low, u.high) for u in base.manifest.uncertainties}
    assert len(four_sets) == 4
    assert [one.number for one in four_sets] == [1, 2, 3, 4]
    for one in four_sets:
        assert one.result.runs == 50 and one.note == ""
        assert [o.name for o in one.overrides] == list(ranges)
        for o in one.overrides:
            low, high = ranges[o.name]
            assert low <= o.value <= high, o
    draws = np.array([[o.value for o in one.overrides] for one in four_sets])
    assert len({tuple(row) for row in draws}) == 4
    again = declared_forecast(base, sets=4, runs=200, seed=7)
    for a, b in zip(four_sets, again, strict=True):
        assert a.overrides == b.overrides
        assert a.plan.movements == b.plan.movements
        assert np.array_equal(a.result.data.closure_day, b.result.data.closure_day)


def test_the_pooled_check_scores_every_run_of_every_set(four_sets) -> None:  # noqa: ANN001
    """The record is scored against the 200 runs of the four sets together: each median
    and interval lies within the spread of the sets' own."""
    base = load_scenario(NAME)
    record = builtin_record(NAME)
    assert record is not None
    observations = read_actuals(record, base)
    pairs = [(x.scenario, x.result) for x in four_sets]
    pooled = check_pooled(NAME, pairs, observations, declared_sets=4)
    assert pooled.runs == 200 and pooled.declared_sets == 4
    assert "pooled over 4 sets of the declared uncertainties" in pooled.summary()
    alone = [check_pooled(NAME, [pair], observations).scores for pair in pairs]
    for i, row in enumerate(pooled.scores.itertuples()):
        lows = [s.iloc[i]["q10"] for s in alone]
        highs = [s.iloc[i]["q90"] for s in alone]
        assert min(lows) <= row.q10 <= row.median <= row.q90 <= max(highs), row


def test_a_fixed_plan_does_not_feel_a_smaller_fleet_so_each_set_is_planned_afresh() -> None:
    """Why the sets are planned afresh: the stress test executes the sorties its plan
    commits to, so Barkhane's plan run with half its aircraft closes every site on the same
    days, while the plan made for half the aircraft closes Gao later."""
    base = load_scenario(NAME)
    plan = optimise(base, with_greedy=False)
    half = apply_overrides(base, parse_overrides(["aircraft.*.count=*0.5"], base))
    same = simulate(half, plan, runs=200, seed=3, check_hash=False)
    alone = simulate(base, plan, runs=200, seed=3)
    assert np.array_equal(same.data.closure_day, alone.data.closure_day)
    replanned = optimise(half, with_greedy=False)
    assert replanned.closure_day["gao"] > plan.closure_day["gao"]


def test_cli_check_declared_scores_and_saves_the_pooled_runs(cli, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "check"
    code, text = cli(
        "check", NAME, "--actuals", "builtin", "--declared", "3", "--runs", "90", "-o", str(out)
    )
    assert code == 0, text
    flat = " ".join(text.split())
    assert "90 runs" in flat and "pooled over 3 sets of the declared uncertainties" in flat
    info = json.loads(next(out.rglob("analysis.json")).read_text(encoding="utf-8"))
    assert info["runs"] == 90 and info["details"]["declared_sets"] == 3
    assert "one for each of 3 parameter sets" in info["details"]["notes"]["plan"]


def test_cli_check_declared_refuses_what_it_cannot_do(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """One set, a saved plan, or a scenario declaring no uncertainty: exit 2, the option
    named, nothing written."""
    out = tmp_path / "check"
    code, text = cli("check", NAME, "--actuals", "builtin", "--declared", "1", "-o", str(out))
    assert code == 2 and "--declared" in text and "at least 2" in text
    code, text = cli("check", NAME, "--actuals", "builtin", "--declared", "5", "--runs", "4")
    assert code == 2 and "--runs" in text and "fewer than one run each" in " ".join(text.split())
    code, text = cli(
        "check", NAME, "--actuals", "builtin", "--declared", "3", "--plan", str(tmp_path)
    )
    assert code == 2 and "cannot check a saved plan" in " ".join(text.split())
    folder = tmp_path / "bare"
    assert cli("export", NAME, str(folder))[0] == 0
    manifest = folder / "scenario.yaml"
    text_yaml = manifest.read_text(encoding="utf-8")
    start, end = text_yaml.index("uncertainties:"), text_yaml.index("sources:")
    manifest.write_text(text_yaml[:start] + text_yaml[end:], encoding="utf-8")
    record = Path(str(builtin_record(NAME)))
    code, text = cli(
        "check", str(folder), "--actuals", str(record), "--declared", "3", "-o", str(out)
    )
    assert code == 2 and "declares no uncertain parameters" in text
    assert not out.exists()


def test_a_late_set_runs_its_best_plan_and_one_without_a_plan_the_greedy_baseline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each set is planned as `compare` plans an option: a set whose deadline cannot be met
    runs the best plan found, one with no plan found the greedy baseline, each noted."""
    base = load_scenario(NAME)
    calls: list[int] = []

    def planner(variant):  # type: ignore[no-untyped-def]
        calls.append(1)
        best = greedy_plan(variant)
        if len(calls) == 2:
            raise InfeasiblePlanError([Problem("plan", "", "late")], "late", best_plan=best)
        if len(calls) == 3:
            raise NoPlanFoundError(Problem("plan", "", "none"), "none")
        return best

    monkeypatch.setattr(module, "_optimiser", lambda scenario, base=None: planner)
    done = declared_forecast(base, sets=3, runs=30, seed=1)
    assert [one.number for one in done] == [1, 2, 3]
    assert done[0].note == ""
    assert done[1].note.startswith("deadline cannot be met (late)")
    assert done[2].note.startswith("no plan found: the greedy baseline")
    assert all(one.result.runs == 10 for one in done)


def test_sensitivity_replanned_sees_the_fleet_a_fixed_plan_does_not(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """Run as one plan, Barkhane's air fleet moves nothing (the engine flies the sorties the
    plan commits to); each set planned afresh, the fleet moves the day the last person
    leaves. The flag is saved, read back and told in the report; with a scheduler it is
    refused."""
    from drawdown.analyse.sensitivity import sensitivity
    from drawdown.report.analysis_sections import sensitivity_section
    from drawdown.results import load_analyses

    base = load_scenario(NAME)
    settings = dict(
        method="morris",
        samples=2,
        outputs=("completion_day",),
        runs_per_set=10,
        seed=5,
        parameters=["aircraft.*.count", "threat.ied.rate"],
    )
    fixed = sensitivity(base, **settings)  # type: ignore[arg-type]
    replanned = sensitivity(base, replan=True, **settings)  # type: ignore[arg-type]
    assert not fixed.replanned and replanned.replanned
    assert "each set planned afresh" in replanned.summary()
    effect = {r.parameter: r.mu_star for r in fixed.ranking("completion_day").itertuples()}
    assert effect["aircraft.*.count"] == 0.0
    effect = {r.parameter: r.mu_star for r in replanned.ranking("completion_day").itertuples()}
    assert effect["aircraft.*.count"] > 0.0
    out = tmp_path / "results"
    code, text = cli(
        "sensitivity", NAME, "--method", "morris", "--samples", "2", "--runs-per-set", "5",
        "--parameters", "aircraft.*.count", "--output", "completion_day", "--replan",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, text
    analyses = load_analyses(out, base.content_hash(), NAME)
    assert analyses.sensitivity is not None and analyses.sensitivity.replanned
    assert analyses.sensitivity_info is not None
    section = sensitivity_section(analyses.sensitivity, analyses.sensitivity_info)
    assert any("planned afresh" in p for p in section.paragraphs), section.paragraphs
    code, text = cli("sensitivity", NAME, "--replan", "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "cannot run on a Dask scheduler" in " ".join(text.split())
