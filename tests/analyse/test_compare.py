"""Compare: common random numbers, paired differences, figures and the command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from drawdown.analyse.compare import compare, paired_difference
from drawdown.errors import InputError
from drawdown.plan import greedy_plan
from drawdown.report.figures.compare_fan import plot_compare_fan
from drawdown.report.figures.compare_gantt import plot_compare_gantt
from drawdown.scenario.model import Scenario

TINY = Path(__file__).parents[1] / "data" / "tiny"

CliRun = Callable[..., tuple[int, str]]


def test_scenario_against_itself_differs_by_exactly_zero(tiny: Scenario) -> None:
    """The same scenario twice, same seed: every difference and its interval is exactly 0."""
    c = compare([tiny, tiny], runs=300, seed=5, planner=greedy_plan)
    others = c.figures[c.figures["option"] == c.labels[1]]
    assert len(others) > 5
    for column in ("diff", "diff_low", "diff_high"):
        assert (others[column] == 0.0).all(), column
    assert c.labels == ["tiny", "tiny (2)"]


def test_refused_roads_lower_the_chance_of_leaving_on_time(tiny: Scenario) -> None:
    """An override that refuses most road movements shows a clearly negative paired difference."""
    c = compare(
        tiny,
        overrides=[["clearance.road.approval=0.2"]],
        runs=400,
        seed=5,
        planner=greedy_plan,
        same_plan=True,
    )
    row = c.figures[(c.figures["figure"] == "p_out_on_time") & (c.figures["option"] != "baseline")]
    assert row["diff_high"].iloc[0] < 0
    assert c.labels == ["baseline", "clearance.road.approval=0.2"]
    assert "vs [0]" in c.summary()


def test_paired_difference_interval() -> None:
    """The paired interval is the mean difference +/- 1.96 standard errors."""
    rng = np.random.default_rng(0)
    base = rng.normal(size=1000)
    x = base + 1.0 + 0.1 * rng.normal(size=1000)
    mean, low, high = paired_difference(x, base)
    assert low < 1.0 < high and high - low < 0.02


def test_frames_and_figures(tiny: Scenario) -> None:
    """Fan and Gantt frames hold every option; the figures draw on the caller's axis."""
    c = compare(tiny, overrides=[["speed.wet=*0.5"]], runs=100, seed=1, planner=greedy_plan)
    assert set(c.fan_frame()["option"]) == set(c.labels)
    assert set(c.gantt_frame()["option"]) == set(c.labels)
    ax = Figure().add_subplot()
    assert plot_compare_fan(c, ax=ax) is ax and len(ax.lines) >= 2
    ax = Figure().add_subplot()
    assert plot_compare_gantt(c, ax=ax) is ax and len(ax.patches) >= 2


def test_needs_two_options(tiny: Scenario) -> None:
    """One option alone is an input error."""
    with pytest.raises(InputError, match="two options"):
        compare([tiny], runs=10, seed=0, planner=greedy_plan)


def test_cli_compare_exit_codes(tmp_path: Path, cli: CliRun) -> None:
    """Unknown parameters exit 2 listing the valid names; a good comparison exits 0."""
    code, text = cli("compare", str(TINY), "--set", "clearance.road.aproval=0.5")
    assert code == 2 and "valid names" in text and "Traceback" not in text
    code, _ = cli("compare", str(TINY))
    assert code == 2
    out = tmp_path / "cmp"
    code, text = cli(
        "compare",
        str(TINY),
        "--set",
        "threat.ied.rate=*3",
        "--runs",
        "200",
        "--seed",
        "1",
        "--same-plan",
        "-o",
        str(out),
    )
    assert code == 0, text
    assert (out / "compare" / "compare.csv").exists()
    assert (out / "compare" / "compare_fan.png").exists()


def test_an_option_that_cannot_be_planned_is_reported_not_raised(tiny) -> None:
    """An option whose deadline cannot be met is stress-tested with its best plan and noted."""
    from drawdown.analyse.compare import compare
    from drawdown.errors import Problem
    from drawdown.plan import InfeasiblePlanError, greedy_plan

    def planner(scenario):  # type: ignore[no-untyped-def]
        if scenario.manifest.policy.max_retries == 1:
            raise InfeasiblePlanError(
                [Problem("plan", "site b", "people left at b: seats short")],
                "deadline cannot be met",
                best_plan=greedy_plan(scenario),
            )
        return greedy_plan(scenario)

    result = compare(tiny, overrides=[["policy.max_retries=1"]], runs=50, seed=3, planner=planner)
    assert result.options[0].plan_note == ""
    assert "seats short" in result.options[1].plan_note
    assert "seats short" in result.summary()
