"""The greedy baseline: the way deployment tools plan, so the optimiser's gain can be measured.

Every base sends everything by its fastest usable lanes straight to an exit (people on
troop-carrying trucks or aircraft, cargo on cargo trucks), the farthest bases first, filling
capacity day by day; hubs forward what they hold the same way. Nothing is left behind on
purpose: cargo still in theatre on the last day is handed over (or destroyed if sensitive).
"""

from __future__ import annotations

import numpy as np

from drawdown.network import build_network
from drawdown.plan.build import PlanData, prepare
from drawdown.plan.diagnose import precheck
from drawdown.plan.model import Plan
from drawdown.plan.record import SolverRecord
from drawdown.plan.schedule import dispatch, to_plan
from drawdown.scenario.model import Scenario


def greedy_targets(data: PlanData) -> tuple[np.ndarray, np.ndarray]:
    """Open-ended targets on each origin's fastest lanes to an exit, and a lane priority."""
    lanes = data.lanes
    assert lanes is not None
    sc = data.scenario
    kinds = {s.id: s for s in sc.sites}
    net = data.network
    K, L, T = len(data.commodities), len(lanes.route), data.n_periods
    targets = np.zeros((K, L, T))
    dur = np.where(net.usable, net.duration_days, 10**6).min(axis=1)[lanes.route].astype(float)
    usable = lanes.usable_days.sum(axis=1)
    farthest: dict[str, float] = {}
    for ki, k in enumerate(data.commodities):
        is_people = k.startswith("people")
        cap = (
            lanes.unit_capacity[k]
            if k != "veh"
            else np.maximum(
                lanes.unit_capacity[k], np.where(lanes.is_air, 0.0, lanes.convoy_vehicles)
            )
        )
        for origin in data.nodes:
            cand = [
                i
                for i in range(L)
                if lanes.origin[i] == origin
                and cap[i] > 0
                and usable[i] > 0
                and kinds[lanes.destination[i]].kind == "exit"
                and kinds[lanes.destination[i]].exit_for
                in ("all", "people" if is_people else "cargo")
            ]
            if not cand:  # no direct lane to an exit: go to the nearest hub
                cand = [
                    i
                    for i in range(L)
                    if lanes.origin[i] == origin and cap[i] > 0 and usable[i] > 0
                ]
            if not cand:
                continue
            best = min(dur[i] for i in cand)
            chosen = [i for i in cand if dur[i] <= best]
            # Every lane as fast as the best (e.g. each truck pool) is open-ended.
            for i in chosen:
                targets[ki, i, :] = 1e12
            farthest[origin] = max(farthest.get(origin, 0.0), best)
    priority = np.array([-farthest.get(o, 0.0) for o in lanes.origin])
    return targets, priority


def greedy_plan(scenario: Scenario, *, data: PlanData | None = None) -> Plan:
    """A greedy baseline plan: farthest bases first, fastest routes, capacity day by day."""
    if data is None:
        data = prepare(scenario, build_network(scenario))
        precheck(data)
    targets, priority = greedy_targets(data)
    schedule = dispatch(
        data, targets, np.zeros(len(data.group_site)), priority=priority, greedy=True
    )
    return to_plan(
        data,
        schedule,
        method="greedy",
        solver=SolverRecord(
            method="greedy",
            status="greedy",
            layout="greedy",
            complete=schedule.complete,
            stranded_people=int(sum(schedule.stranded_people.values())),
            late_people=schedule.late_people,
        ),
    )
