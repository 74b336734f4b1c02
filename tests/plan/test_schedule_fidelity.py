"""The daily dispatcher's own choices where the strategic model is silent."""

from __future__ import annotations

import numpy as np

import drawdown
from drawdown.network import build_network
from drawdown.plan.build import base_attack_threats, guard_people, prepare
from drawdown.plan.schedule import threat_guard


def test_threat_guard_balances_attacks_against_running_cost() -> None:
    sc = drawdown.load_scenario("minusma-2023")
    data = prepare(sc, build_network(sc))
    kept = threat_guard(data)
    guard = guard_people(data)
    w = sc.manifest.objective
    people = float(sum(data.initial[data.commodities.index(k)].sum() for k in data.people))
    run = w.per_usd_running_cost * sc.manifest.running_cost_usd_per_day / people
    for n, (rate, e, killed, full) in base_attack_threats(data).items():
        j = data.nodes.index(n)
        assert guard[j] <= kept[j] <= full
        attack = float(rate.mean()) * killed * w.per_expected_death
        sizes = np.linspace(max(guard[j], 1.0), full, 25)
        cost = run * sizes + attack * (full / sizes) ** e
        # No other garrison size is cheaper a day than the one kept (to a person's day).
        assert run * kept[j] + attack * (full / kept[j]) ** e <= cost.min() + run
