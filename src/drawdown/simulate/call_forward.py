"""Packing to the movement plan: a camp comes down as its loads are called forward.

A site's people do not dismantle their camp in its first weeks and then live beside packed
containers for months: cargo is packed and staged for the load that is to take it (the
movement plan's call-forward). A site packing its own camp (no closure team) therefore
packs as late as its planned loads allow: by the end of each day it has packed at least
what its planned loads have taken away by then, net of the cargo planned to arrive, and the
schedule is worked back from the last load at the slowest declared packing rate
(`ClosureWork.packing_factor_low`) with the people the plan keeps there, so that a run at
any drawn rate is ready for each load. A run packs no further ahead of that schedule; one
that falls behind it (people lost, a slow day) packs at its full rate until it catches up,
and its loads wait for it as before (`engine._waits_for_packing`). What the plan hands over
or destroys is never packed.

A closure team (Barkhane's Gossi, then Menaka) packs each of its sites as fast as it can,
then moves on to the next: its sites keep packing from the day the team arrives.

The stress test (`engine._packing`, the SimPy reference) packs no further than `floor`
allows, and counts a site packed once what its plan ships is packed (`done`). An attack that
burns a share of a site's unpacked cargo shrinks both alike (`State.pack_kept`), so that
what the plan ships and what it leaves lose the same share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from drawdown.plan.model import Movement
from drawdown.scenario.model import Scenario


def on_schedule(scenario: Scenario) -> frozenset[str]:
    """The sites that pack to their movement plan: bases and hubs packing their own camp
    (no closure team), when the scenario models closure work."""
    if not scenario.manifest.models_closure_work:
        return frozenset()
    return frozenset(
        s.id for s in scenario.sites if s.kind in ("base", "hub") and not s.closure_team
    )


def call_forward(
    movements: Sequence[Movement],
    sidx: Mapping[str, int],
    n_days: int,
    people0: np.ndarray,
    own0: np.ndarray,
    per_person: np.ndarray,
    cap: np.ndarray,
    factor: float,
    to_plan: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The packing schedule of the sites `to_plan` marks (bool [S]).

    `own0` [S, 2] is each site's own TEU and vehicles at the start, `cap` [S, 2] its most
    packed a day, `per_person` [2] the rate a person a day. Returns `floor` [S, n_days, 2],
    the least each site may hold unpacked at the end of each day's packing, and `done`
    [S, 2], the unpacked amount at which everything its plan ships is packed (0 elsewhere:
    a site off the schedule packs all it has, as fast as it can).
    """
    n_sites = own0.shape[0]
    floor = np.zeros((n_sites, n_days, 2))
    done = np.zeros((n_sites, 2))
    if not to_plan.any() or factor <= 0:
        return floor, done
    net = np.zeros((n_sites, n_days, 2))  # cargo out less cargo in, by day
    staff = np.zeros((n_sites, n_days))  # people in (on the day) less out (the day after)
    for m in movements:
        # exits and waypoints (not in `sidx` where only bases and hubs are) pack nothing
        o, d = sidx.get(m.origin), sidx.get(m.destination)
        leave = min(max(m.day, 0), n_days - 1)
        arrive = min(max(m.arrival_day, m.day, 0), n_days - 1)
        cargo = np.array([m.containers_teu, m.vehicles], dtype=float)
        # people leave after the day's packing (departures follow it) and help from the day
        # they arrive (arrivals come before it), but the day after a same-day flight (it
        # lands during the departures, after the packing)
        if o is not None:
            net[o, leave] += cargo
            if leave + 1 < n_days:
                staff[o, leave + 1] -= m.people
        if d is not None:
            net[d, arrive] -= cargo
            helps = arrive + 1 if arrive == leave else arrive
            if helps < n_days:
                staff[d, helps] += m.people
    people = np.maximum(people0[:, None] + np.cumsum(staff, axis=1), 0.0)
    for s in np.flatnonzero(to_plan):
        # what must be packed by each day: the site's own cargo its loads have taken net
        # of what came in (cargo arriving is packed already), never less than before
        need = np.maximum.accumulate(np.clip(np.cumsum(net[s], axis=0), 0.0, own0[s]), axis=0)
        rate = factor * np.minimum(cap[s][None, :], per_person[None, :] * people[s][:, None])
        due = need.copy()
        for t in range(n_days - 2, -1, -1):
            due[t] = np.maximum(need[t], due[t + 1] - rate[t + 1])
        floor[s] = own0[s][None, :] - due
        done[s] = own0[s] - need[-1]
    return np.maximum(floor, 0.0), np.maximum(done, 0.0)


def schedule_days(
    floor: np.ndarray, done: np.ndarray, own0: np.ndarray, to_plan: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """[S] the first day of packing of each site `to_plan` marks and the day all its plan
    ships is packed, on the schedule `call_forward` gives (-1 elsewhere, or where it packs
    nothing)."""
    n_sites = own0.shape[0]
    start = np.full(n_sites, -1, dtype=np.int64)
    packed = np.full(n_sites, -1, dtype=np.int64)
    for s in np.flatnonzero(to_plan):
        begun = np.flatnonzero((floor[s] < own0[s][None, :] - 1e-9).any(axis=1))
        if begun.size:
            start[s] = begun[0]
            finished = np.flatnonzero((floor[s] <= done[s][None, :] + 1e-9).all(axis=1))
            packed[s] = finished[0] if finished.size else -1
    return start, packed
