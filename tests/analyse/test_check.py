"""Check against outcomes: the actuals file, the scores, and coverage of honest and shifted data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from drawdown.analyse.check import Observation, check, crps_samples, read_actuals
from drawdown.errors import InputError
from drawdown.plan import greedy_plan
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import SimulationResult, simulate

TINY = Path(__file__).parents[1] / "data" / "tiny"
HEADER = "kind,site,date,value,source\n"

CliRun = Callable[..., tuple[int, str]]


@pytest.fixture(scope="module")
def plan(tiny: Scenario) -> Plan:
    return greedy_plan(tiny)


@pytest.fixture(scope="module")
def model(tiny: Scenario, plan: Plan) -> SimulationResult:
    return simulate(tiny, plan, runs=400, seed=11)


def test_crps_matches_its_definition() -> None:
    """CRPS from sorted samples equals E|X-y| - E|X-X'|/2 and |x-y| for a point forecast."""
    x = np.random.default_rng(3).normal(size=200)
    brute = np.mean(np.abs(x - 0.4)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert crps_samples(x, 0.4) == pytest.approx(brute, rel=1e-12)
    assert crps_samples(np.full(10, 3.0), 5.0) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("explosion,,2023-07-10,3,x", "unknown kind"),
        ("closure,north,10/07/2023,,x", "is not a date"),
        ("closure,atlantis,2023-07-10,,x", "not a site"),
        ("closure,port,2023-07-10,,x", "not a base or hub"),
        ("killed,,2023-07-30,many,x", "not a number"),
        ("killed,north,2023-07-30,2,x", "whole mission"),
        ("people_departed,,2023-06-01,10,x", "before the scenario starts"),
    ],
)
def test_bad_rows_name_file_and_row(tiny: Scenario, tmp_path: Path, row: str, needle: str) -> None:
    """Every bad row is an input error naming the file and its row number."""
    path = tmp_path / "actuals.csv"
    path.write_text(HEADER + "killed,,2023-07-30,1,ok\n" + row + "\n")
    with pytest.raises(InputError) as caught:
        read_actuals(path, tiny)
    problem = caught.value.errors[0]
    assert problem.file == "actuals.csv" and problem.where == "row 3"
    assert needle in problem.message


def test_missing_columns_and_empty_file(tiny: Scenario, tmp_path: Path) -> None:
    """A file without the kind/date columns, or without rows, is refused."""
    path = tmp_path / "a.csv"
    path.write_text("site,value\nnorth,1\n")
    with pytest.raises(InputError, match="missing column"):
        read_actuals(path, tiny)
    path.write_text(HEADER)
    with pytest.raises(InputError, match="no observations"):
        read_actuals(path, tiny)


def _actuals_from_run(
    tiny: Scenario, truth: SimulationResult, run: int, shift: int
) -> list[Observation]:
    """Observations as one simulated run saw them; `shift` days late for closures."""
    d = truth.data
    obs = []
    for i, site in enumerate(d.site_ids):
        day = int(d.closure_day[run, i])
        if d.site_kinds[i] in ("base", "hub") and day >= 0:
            obs.append(Observation("closure", site, tiny.date_of(day + shift), day + shift, "", 0))
    for day in (5, 10, 15, 20):
        assert d.timelines is not None
        departed = tiny.total_people - int(d.timelines[run, day])
        value = departed * (0.5 if shift else 1.0)
        obs.append(Observation("people_departed", "", tiny.date_of(day), value, "", 0))
    for kind in ("killed", "wounded"):
        value = float(d.runs[kind][run]) + (10 if shift else 0)
        obs.append(Observation(kind, "", tiny.manifest.deadline, value, "", 0))
    return obs


def test_coverage_honest_and_shifted(tiny: Scenario, plan: Plan, model: SimulationResult) -> None:
    """Actuals drawn from the model are covered about as often as the intervals promise;
    shifted actuals are not."""
    truth = simulate(tiny, plan, runs=30, seed=99, timelines=True)
    honest = [check(tiny, model, _actuals_from_run(tiny, truth, r, 0)) for r in range(30)]
    shifted = [check(tiny, model, _actuals_from_run(tiny, truth, r, 8)) for r in range(30)]
    cover_50 = np.mean([c.coverage_50 for c in honest])
    cover_80 = np.mean([c.coverage_80 for c in honest])
    assert cover_50 >= 0.45 and cover_80 >= 0.75  # discrete outcomes: ties only add coverage
    assert np.mean([c.coverage_80 for c in shifted]) < 0.2
    assert np.mean([c.scores["crps"].mean() for c in shifted]) > 3 * np.mean(
        [c.scores["crps"].mean() for c in honest]
    )
    assert "50% interval" in honest[0].summary()


def test_closure_order_and_chart(tiny: Scenario, model: SimulationResult) -> None:
    """Closures observed in the simulated order correlate positively; the chart draws."""
    from matplotlib.figure import Figure

    from drawdown.report.figures.check import plot_check

    medians = {row["site"]: row["q50"] for _, row in model.closure_quantiles().iterrows()}
    obs = [
        Observation("closure", site, tiny.date_of(int(day)), float(day), "", 0)
        for site, day in medians.items()
    ]
    result = check(tiny, model, obs)
    assert len(obs) >= 3 and result.closure_order_spearman > 0.5
    ax = plot_check(result, ax=Figure().add_subplot())
    assert len(ax.collections) >= 1


def test_check_refuses_a_result_of_another_scenario(
    tiny: Scenario, model: SimulationResult
) -> None:
    """A simulation of a different scenario is refused rather than scored."""
    other = tiny.replace(manifest=tiny.manifest.model_copy(update={"name": "other"}))
    with pytest.raises(InputError, match="not this scenario"):
        check(other, model, [Observation("killed", "", tiny.manifest.deadline, 1.0, "", 2)])


def test_cli_check_exit_codes(
    tiny: Scenario,
    plan: Plan,
    tmp_path: Path,
    cli: CliRun,
) -> None:
    """check exits 2 on a bad actuals file (no traceback) and 0 on a good one."""
    from drawdown.plan import save_plan

    save_plan(plan, tmp_path / "plan", scenario=tiny)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "closure,atlantis,2023-07-10,,x\n")
    code, text = cli("check", str(TINY), "--actuals", str(bad))
    assert code == 2 and "bad.csv" in text and "Traceback" not in text
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "closure,north,2023-07-20,,x\nkilled,,2023-07-30,2,x\n")
    out = tmp_path / "out"
    code, text = cli(
        "check",
        str(TINY),
        "--actuals",
        str(good),
        "--runs",
        "200",
        "--plan",
        str(tmp_path),
        "-o",
        str(out),
    )
    assert code == 0, text
    assert (out / "check" / "check.csv").exists() and (out / "check" / "check.png").exists()


def test_container_counts_are_scored_from_the_teu_out_record(
    tiny: Scenario, plan: Plan, model: SimulationResult, tmp_path: Path
) -> None:
    """A teu_departed count is scored against the TEU out by its date in every run: from the
    streaming histogram, the same as from the per-run timelines; a date past the simulated
    days takes the last one. The count must still be for the whole mission."""
    path = tmp_path / "actuals.csv"
    path.write_text(
        HEADER + "closure,north,2023-07-20,,x\n"
        "teu_departed,,2023-07-17,40,x\nteu_departed,,2023-12-31,140,x\n"
    )
    result = check(tiny, model, path)
    assert result.unscored == () and "not scored" not in result.summary()
    teu = result.scores[result.scores["kind"] == "teu_departed"].reset_index(drop=True)
    assert list(teu["observed"]) == [40.0, 140.0]
    # the same seed with per-run timelines: TEU out by the end of day 16 (17 July) and of the
    # last simulated day, run by run
    timelines = simulate(tiny, plan, runs=400, seed=11, timelines=True).data.teu_out_timelines
    assert timelines is not None
    for row, day in ((0, 16), (1, model.horizon - 1)):
        runs = timelines[:, day].astype(float)
        q10, q50, q90 = np.quantile(runs, (0.1, 0.5, 0.9), method="inverted_cdf")
        assert (teu.at[row, "q10"], teu.at[row, "median"], teu.at[row, "q90"]) == (q10, q50, q90)
        assert teu.at[row, "median_error"] == q50 - teu.at[row, "observed"]
        assert teu.at[row, "crps"] == pytest.approx(crps_samples(runs, teu.at[row, "observed"]))
        assert teu.at[row, "median"] == model.teu_out_fan()["q50"].iloc[day]
    # over half the 140 TEU are out by 17 July in most runs, not 40; and the greedy plan
    # ships about 118 of them (the rest are handed over or destroyed), never all 140
    assert teu.at[0, "q10"] > 40.0 and not teu.at[0, "in_80"]
    assert teu.at[1, "q90"] < 140.0 and not teu.at[1, "in_80"]
    assert abs(teu.at[1, "median"] - model.data.runs["teu_shipped"].mean()) < 5
    path.write_text(HEADER + "teu_departed,north,2023-07-25,40,x\n")
    with pytest.raises(InputError, match="whole mission"):
        read_actuals(path, tiny)


def test_container_counts_are_set_aside_by_results_without_them(
    tiny: Scenario, model: SimulationResult
) -> None:
    """Results made before the stress test recorded TEU out by day list the counts as not
    scored, with the reason, and score the rest."""
    older = SimulationResult(
        model.meta, replace(model.data, teu_out_hist=None), stats=model.summaries
    )
    obs = [
        Observation("teu_departed", "", tiny.date_of(13), 40.0, "", 2),
        Observation("killed", "", tiny.manifest.deadline, 1.0, "", 3),
    ]
    result = check(tiny, older, obs)
    assert list(result.scores["kind"]) == ["killed"]
    assert [(o.kind, o.value) for o in result.unscored] == [("teu_departed", 40.0)]
    assert "not scored: 1 teu_departed observation(s), these results do not record" in (
        result.summary()
    )


def test_cli_builtin_actuals_need_a_shipped_record(cli: CliRun) -> None:
    """--actuals builtin on a scenario without a record exits 2 naming the ones that have one."""
    code, text = cli("check", str(TINY), "--actuals", "builtin", "--runs", "10")
    assert code == 2 and "Traceback" not in text
    assert "barkhane-mali-2022" in " ".join(text.split())


def test_cli_checks_a_built_in_against_its_shipped_record(cli: CliRun) -> None:
    """check barkhane-mali-2022 --actuals builtin scores the three handovers and the two
    container counts it ships."""
    code, text = cli(
        "check", "barkhane-mali-2022", "--actuals", "builtin", "--greedy", "--runs", "50"
    )
    flat = " ".join(text.split())
    assert code == 0, text
    assert "closure gossi 2022-04-19" in flat and "closure gao 2022-08-15" in flat
    assert "teu_departed 2022-07-05" in flat and "teu_departed 2022-08-15" in flat
    assert "teu_departed: 2 obs" in flat
    assert "not scored" not in flat and "5 observations" in flat
