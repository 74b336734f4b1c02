"""Plans that do not fit their scenario, and absurd settings, are refused with a clear message."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from drawdown.errors import InputError
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.simulate import Multipliers, simulate


def _refused(scenario: Scenario, plan: Plan, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        simulate(scenario, plan, runs=kwargs.pop("runs", 10), seed=1, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def _with_movement(plan: Plan, **changes: object) -> Plan:
    first = dataclasses.replace(plan.movements[0], **changes)
    return dataclasses.replace(plan, movements=(first, *plan.movements[1:]))


def test_unknown_site_refused(tiny: Scenario, tiny_plan: Plan) -> None:
    """A movement from a site the scenario lacks names the site and the known ones."""
    text = _refused(tiny, _with_movement(tiny_plan, origin="atlantis"))
    assert "unknown site 'atlantis'" in text and "known: east, hub, north, port" in text


def test_unknown_link_refused(tiny: Scenario, tiny_plan: Plan) -> None:
    """A movement on a link that does not exist is refused."""
    assert "no link 'tunnel'" in _refused(tiny, _with_movement(tiny_plan, link="tunnel"))


def test_link_between_other_sites_refused(tiny: Scenario, tiny_plan: Plan) -> None:
    """A movement on a link that does not join its origin and destination is refused."""
    text = _refused(tiny, _with_movement(tiny_plan, link="hub-port"))
    assert "joins hub and port, not north and hub" in text


def test_wrong_horizon_refused(tiny: Scenario, tiny_plan: Plan) -> None:
    """A plan for a different horizon is refused."""
    text = _refused(tiny, dataclasses.replace(tiny_plan, horizon_days=184))
    assert "covers 184 days but the scenario runs 30 days" in text


def test_plan_for_another_scenario_refused(tiny: Scenario, quiet_plan: Plan) -> None:
    """A plan made for another version of the scenario is refused unless asked otherwise."""
    text = _refused(tiny, quiet_plan)
    assert "hash" in text and "check_hash=False" in text
    assert simulate(tiny, quiet_plan, runs=5, seed=1, check_hash=False).runs == 5


def test_unknown_closure_site_refused(tiny: Scenario, tiny_plan: Plan) -> None:
    """A closure day for a site the scenario lacks is refused."""
    plan = dataclasses.replace(tiny_plan, closure_day={**tiny_plan.closure_day, "mars": 3})
    assert "closure_day[mars]: unknown site" in _refused(tiny, plan)


@pytest.mark.parametrize("runs", [0, -5])
def test_non_positive_runs_refused(tiny: Scenario, tiny_plan: Plan, runs: int) -> None:
    """Zero or negative runs are refused with a hint."""
    assert "positive whole number" in _refused(tiny, tiny_plan, runs=runs)


def test_absurd_runs_refused_by_memory_estimate(tiny: Scenario, tiny_plan: Plan) -> None:
    """Runs whose results would not fit in memory are refused before any work."""
    text = _refused(tiny, tiny_plan, runs=40_000_000, timelines=True)
    assert "GB" in text and "drop --timelines" in text


def test_multipliers_must_match_runs(tiny: Scenario, tiny_plan: Plan) -> None:
    """Per-run multipliers need one positive value per run."""
    text = _refused(tiny, tiny_plan, multipliers=Multipliers(threat=np.ones(3)))
    assert "needs 10 positive values" in text
