"""A spec's variants: the grid's product, the options, and designs over uncertainties."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from drawdown.scenario.model import Scenario
from drawdown.sweep.spec import parse_spec
from drawdown.sweep.variants import check_variants, expand

TINY = str(Path(__file__).parents[1] / "data" / "tiny")


def test_grid_options_and_baseline_in_spec_order(tiny: Scenario) -> None:
    """Baseline first, then the grid's product (last key fastest), then the options; the
    spec's `set` comes first in every variant."""
    spec = parse_spec(
        {
            "scenario": TINY,
            "baseline": True,
            "set": ["threat.ied.rate=*2"],
            "grid": {"clearance.road.approval": [0.5, 0.7, 0.9], "trucks.count": [2, 4]},
            "options": {"slow": ["link.road.wet_km_per_day=*0.5"]},
        }
    )
    variants = expand(spec, tiny)
    assert [v.index for v in variants] == list(range(8))
    assert variants[0].label == "baseline" and variants[0].overrides == ("threat.ied.rate=*2",)
    assert variants[1].overrides == (
        "threat.ied.rate=*2",
        "clearance.road.approval=0.5",
        "trucks.count=2",
    )
    assert variants[2].label == "clearance.road.approval=0.5, trucks.count=4"
    assert variants[7].label == "slow"
    hashes = check_variants(variants, tiny)
    assert len(set(hashes)) == 8  # every variant is a different scenario


def test_samples_lie_in_the_declared_ranges_and_repeat_with_the_seed(tiny: Scenario) -> None:
    """An LHS of n rows and a Sobol design of N x (parameters + 2) rows, both reproducible."""
    lhs = parse_spec({"scenario": TINY, "seed": 4, "sample": {"method": "lhs", "n": 10}})
    first, again = expand(lhs, tiny), expand(lhs, tiny)
    assert first == again and len(first) == 10
    approval = np.array([float(v.overrides[0].split("=")[1]) for v in first])
    assert np.all((approval >= 0.5) & (approval <= 1.0))
    assert first[0].overrides[1].startswith("threat.ied.rate=*")  # a multiplier range
    # a Latin hypercube puts one row in each tenth of the range
    assert sorted(np.floor((approval - 0.5) / 0.05).astype(int)) == list(range(10))
    sobol = parse_spec({"scenario": TINY, "sample": {"method": "sobol", "n": 8}})
    assert len(expand(sobol, tiny)) == 8 * (2 + 2)
