"""The report from real simulation results: tiny always, MINUSMA when the planner is there."""

from __future__ import annotations

from pathlib import Path

import pytest

import drawdown
from drawdown.plan.model import Plan
from drawdown.report.build import write_report
from drawdown.report.data import views_from_result
from drawdown.report.html import SECTIONS
from drawdown.report.registry import own_section_keys
from drawdown.scenario.model import Scenario


def _has(module: str, *names: str) -> bool:
    import importlib

    mod = importlib.import_module(module)
    return all(hasattr(mod, n) for n in names)


@pytest.fixture(scope="module")
def tiny_result(tiny: Scenario, tiny_plan: Plan):  # type: ignore[no-untyped-def]
    """200 simulated runs of the hand-made tiny plan."""
    from drawdown.simulate import simulate

    return simulate(tiny, tiny_plan, runs=200, seed=3)


def _assert_complete(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for key, _ in SECTIONS:
        assert f'<section id="{key}">' in text, key
    for key in own_section_keys():
        assert f'data-figure="{key}"' in text, key


def test_views_from_a_real_simulation(tiny: Scenario, tiny_plan: Plan, tiny_result) -> None:  # type: ignore[no-untyped-def]
    """The adapter reads the simulation's accessors into consistent views."""
    views = views_from_result(tiny, tiny_plan, tiny_result)
    assert views.runs == 200 and len(views.outcomes) == 200
    assert set(views.closure.index) == {"north", "east", "hub"}
    assert (views.closure["p10"] <= views.closure["p90"]).all()
    assert views.people.iloc[0].max() == tiny.total_people
    # Every container of every site ends up in exactly one cargo outcome, on average too.
    held = {s: 0.0 for s in views.cargo_outcome_teu.index}
    for h in tiny.holdings:
        if h.site in held:
            held[h.site] += h.containers_teu
    for site, total in held.items():
        assert views.cargo_outcome_teu.loc[site].sum() == pytest.approx(total, rel=1e-6)


def test_report_from_a_real_simulation(
    tiny: Scenario, tiny_plan: Plan, tiny_result, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The tiny report builds from real results and shows every section and figure."""
    views = views_from_result(tiny, tiny_plan, tiny_result)
    _assert_complete(write_report(tmp_path, tiny, tiny_plan, views))


@pytest.mark.skipif(
    not _has("drawdown.plan", "save_plan", "load_plan"),
    reason="the plan io module (save_plan/load_plan) has not landed yet",
)
def test_results_folder_round_trip(
    tiny: Scenario, tiny_plan: Plan, tiny_result, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """build_report writes a folder that `rebuild_report` remakes the same report from."""
    out = tmp_path / "results"
    path = drawdown.build_report(tiny, tiny_plan, tiny_result, out, baseline=tiny_plan)
    for name in ("run.json", "scenario", "scenario.geojson", "plan", "baseline", "simulation"):
        assert (out / name).exists(), name
    _assert_complete(path)
    path.unlink()
    from drawdown.report import rebuild_report

    _assert_complete(rebuild_report(out))


@pytest.mark.slow
def test_minusma_report(tmp_path: Path) -> None:
    """The built-in MINUSMA report builds with every section, from the greedy plan (fast and
    always there; the report does not depend on which planner made the plan)."""
    from drawdown.plan import greedy_plan
    from drawdown.simulate import simulate

    scenario = drawdown.load_scenario("minusma-2023")
    plan = greedy_plan(scenario)
    result = simulate(scenario, plan, runs=100, seed=1)
    views = views_from_result(scenario, plan, result)
    path = write_report(tmp_path, scenario, plan, views)
    _assert_complete(path)
    text = path.read_text(encoding="utf-8")
    assert "MALI" in text  # the host country is drawn and named on the map
    for site in scenario.sites:
        assert f"<td>{site.id}</td>" in text  # every site listed with its source


def test_interrupted_build_keeps_the_old_report(
    tiny: Scenario,
    tiny_plan: Plan,
    tiny_views,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build that fails half-way leaves the previous report in place, byte for byte."""
    from drawdown.report import build, render

    out = tmp_path / "results"
    good = build.build_from_views(tiny, tiny_plan, tiny_views, out)
    before = good.read_bytes()
    calls = []

    def failing(fig, prefix):  # type: ignore[no-untyped-def]
        calls.append(prefix)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return "<svg></svg>"

    monkeypatch.setattr(render, "to_svg", failing)
    with pytest.raises(KeyboardInterrupt):
        build.build_from_views(tiny, tiny_plan, tiny_views, out, png=True)
    assert good.read_bytes() == before
    assert not (out / "figures").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["results"]  # no staging left behind


@pytest.mark.skipif(
    not _has("drawdown.plan", "save_plan", "load_plan"),
    reason="the plan io module (save_plan/load_plan) has not landed yet",
)
def test_rebuild_refuses_a_plan_from_another_scenario(
    tiny: Scenario,
    tiny_plan: Plan,
    tiny_result,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A results folder whose plan was swapped for another scenario's is refused."""
    from drawdown.plan import save_plan
    from drawdown.report import rebuild_report

    out = tmp_path / "results"
    drawdown.build_report(tiny, tiny_plan, tiny_result, out)
    other = Plan(**{**tiny_plan.__dict__, "scenario_hash": "0123456789abcdef"})
    save_plan(other, out / "plan")
    with pytest.raises(drawdown.InputError, match="plan is for 0123456789abcdef"):
        rebuild_report(out)
