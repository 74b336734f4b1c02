"""Sensitivity: known indices on Ishigami, a dominant parameter ranked first, seeds, refusals."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from drawdown.analyse.sensitivity import analyse_design, sensitivity
from drawdown.errors import InputError
from drawdown.plan import greedy_plan
from drawdown.plan.model import Plan
from drawdown.report.figures.tornado import plot_tornado
from drawdown.scenario.model import Scenario, Uncertainty

TINY = Path(__file__).parents[1] / "data" / "tiny"

CliRun = Callable[..., tuple[int, str]]


@pytest.fixture(scope="module")
def plan(tiny: Scenario) -> Plan:
    return greedy_plan(tiny)


def _ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic first- and total-order indices of the Ishigami function."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / total, np.array([v1 + v13, v2, v13]) / total


def test_sobol_recovers_ishigami() -> None:
    """First- and total-order indices of Ishigami come out within their intervals' reach."""
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
    design = sobol_sample.sample(problem, 2048, calc_second_order=False, seed=1)
    frame = analyse_design(problem, design, Ishigami.evaluate(design), method="sobol", seed=1)
    s1, st = _ishigami_indices()
    assert np.allclose(frame["S1"], s1, atol=0.05)
    assert np.allclose(frame["ST"], st, atol=0.05)
    assert (frame["ST_conf"] > 0).all()


def _with(tiny: Scenario, *uncertainties: Uncertainty) -> Scenario:
    manifest = tiny.manifest.model_copy(update={"uncertainties": uncertainties})
    return tiny.replace(manifest=manifest)


@pytest.mark.parametrize(
    ("approval", "ied", "output", "dominant"),
    [
        ((0.1, 1.0), (0.9, 1.1), "prob_on_time", "clearance.road.approval"),
        ((0.95, 1.0), (0.2, 6.0), "casualties", "threat.ied.rate"),
    ],
)
def test_dominant_parameter_ranked_first(
    tiny: Scenario,
    plan: Plan,
    approval: tuple[float, float],
    ied: tuple[float, float],
    output: str,
    dominant: str,
) -> None:
    """A parameter given a deliberately wide range is ranked first by Sobol and by Morris."""
    toy = _with(
        tiny,
        Uncertainty(parameter="clearance.road.approval", low=approval[0], high=approval[1]),
        Uncertainty(parameter="threat.ied.rate", low=ied[0], high=ied[1], scale="multiplier"),
        Uncertainty(parameter="link.road.dry_km_per_day", low=0.95, high=1.05, scale="multiplier"),
    )
    for method, samples in (("sobol", 64), ("morris", 40)):
        result = sensitivity(
            toy,
            plan,
            method=method,  # type: ignore[arg-type]
            samples=samples,
            runs_per_set=16,
            seed=2,
            outputs=(output,),
        )
        assert result.ranking(output)["parameter"].iloc[0] == dominant, method
    ax = plot_tornado(result, output=output, ax=Figure().add_subplot())
    assert len(ax.patches) == 3


def test_same_seed_same_indices(tiny: Scenario, plan: Plan) -> None:
    """One seed fixes the design, the runs and the bootstrap intervals."""
    a = sensitivity(tiny, plan, samples=16, runs_per_set=2, seed=9)
    b = sensitivity(tiny, plan, samples=16, runs_per_set=2, seed=9)
    assert a.indices.equals(b.indices)
    assert a.parameter_sets == 16 * (len(tiny.manifest.uncertainties) + 2)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"outputs": ("happiness",)}, "unknown output"),
        ({"samples": 100}, "power of two"),
        ({"parameters": ["trucks.*.count"]}, "not declared"),
    ],
)
def test_bad_requests_refused(tiny: Scenario, plan: Plan, kwargs: dict, needle: str) -> None:
    """Unknown outputs, odd Sobol sizes and undeclared parameters are input errors."""
    with pytest.raises(InputError) as caught:
        sensitivity(tiny, plan, **kwargs)
    assert needle in str(caught.value)


def test_no_declared_uncertainties(tiny: Scenario, plan: Plan) -> None:
    """A scenario that declares nothing uncertain says how to declare it."""
    with pytest.raises(InputError, match="declares no uncertain"):
        sensitivity(_with(tiny), plan)


def test_cli_sensitivity_exit_codes(tmp_path: Path, cli: CliRun) -> None:
    """A small Sobol run exits 0 and writes indices and tornado charts; a bad method exits 2."""
    out = tmp_path / "sens"
    code, text = cli(
        "sensitivity",
        str(TINY),
        "--samples",
        "16",
        "--runs-per-set",
        "2",
        "--greedy",
        "--seed",
        "1",
        "-o",
        str(out),
    )
    assert code == 0, text
    assert (out / "sensitivity" / "sensitivity.csv").exists()
    assert (out / "sensitivity" / "tornado_prob_on_time.png").exists()
    code, text = cli("sensitivity", str(TINY), "--method", "guess")
    assert code == 2 and "Traceback" not in text
