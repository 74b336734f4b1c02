"""Early closure is a rate: `early_close_attacks` attacks within `early_close_window_days`.

The one-base world of `test_withdrawal_semantics`, attacked about once every four days at
full garrison, with its people held to day 15.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from test_simulate_oracle import _agree
from test_withdrawal_semantics import CAMP, END, START, one_base, plan_for

from drawdown.scenario.model import Policy, Scenario, Threat
from drawdown.simulate import simulate


def attacked(tiny: Scenario, window: int) -> Scenario:
    threat = Threat(
        target="camp", kind="base_attack", start=START, end=END, rate=0.25, killed_mean=0.2
    )
    base = one_base(tiny, threats=(threat,), early_close_attacks=3)
    policy = base.manifest.policy.model_copy(update={"early_close_window_days": window})
    return base.replace(manifest=base.manifest.model_copy(update={"policy": policy}))


def test_a_window_makes_the_threshold_a_rate(tiny: Scenario) -> None:
    """Three attacks over the whole withdrawal close the camp in most runs; three within two
    days much less often, three within a day less still; closures come only after attacks."""
    rates = []
    for window in (0, 7, 2, 1):
        world = attacked(tiny, window)
        result = simulate(world, plan_for(world), runs=2000, seed=5)
        fired = result.early_closed_site[:, CAMP]
        rates.append(fired.mean())
        days = result.early_close_day[:, CAMP]
        assert np.all((days >= 0) == (fired == 1))
    assert rates[0] > 0.5
    assert rates[0] > rates[1] > rates[2] > rates[3] > 0.0


def test_the_reference_agrees_on_the_rate_rule(tiny: Scenario) -> None:
    """The SimPy reference closes the camp as often, on the same days, under a 2-day window."""
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from reference_simpy import simulate_reference

    world = attacked(tiny, 2)
    plan = plan_for(world)
    engine = simulate(world, plan, runs=3000, seed=8)
    reference = simulate_reference(world, plan, runs=600, seed=9)
    _agree(
        engine.early_closed_site[:, CAMP],
        [r.early_closed["camp"] for r in reference],
        "closed early",
    )
    _agree(
        engine.data.closure_day[:, CAMP],
        [r.closure_day["camp"] for r in reference],
        "closure day",
    )


def test_a_negative_window_is_refused() -> None:
    """The window is a whole number of days, 0 or more."""
    with pytest.raises(ValueError, match="early_close_window_days"):
        Policy(early_close_window_days=-1)
