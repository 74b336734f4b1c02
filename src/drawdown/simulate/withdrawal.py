"""The withdrawal's own bottlenecks, as small compiled rules the engine calls each day.

- packing: the people at a site pack its cargo at a rate per person, up to a cap a day; a
  load takes only packed cargo (cargo arriving from elsewhere is already packed);
- handover: once the last load but the guard has left, the final steps take their days,
  then the receiving host authority is asked to accept the site (clearance `handover`,
  retried); the guard leaves after the answer, and a site refused for good is abandoned;
- charters: people at a charter airport wait to be seated; each flight of the day is
  cleared or not (a refused flight's seats are lost);
- corridors: cargo at a corridor's end waits its border delay, then crosses at most the
  corridor's throughput a day, in a queue.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from drawdown.simulate.policy import air_clearance


@nb.njit(cache=True)
def pack_to(
    unpacked: np.ndarray,
    site: int,
    people: float,
    per_person: np.ndarray,
    cap: np.ndarray,
    factor: float,
    floor_teu: float,
    floor_veh: float,
    done_teu: float,
    done_veh: float,
):
    """Pack a day's work at `site` (TEU, vehicles) at `factor` times the rates (the cap too:
    a slow site is slow at its busiest), leaving at least the floor unpacked: a site packing
    to its movement plan packs no further ahead of it (`simulate.call_forward`). True when
    no more than `done` is left, all its plan ships."""
    for k in range(2):
        floor = floor_teu if k == 0 else floor_veh
        if unpacked[site, k] > floor:
            work = factor * min(cap[k], per_person[k] * people)
            unpacked[site, k] = max(floor, unpacked[site, k] - work)
    return unpacked[site, 0] <= done_teu + 1e-9 and unpacked[site, 1] <= done_veh + 1e-9


@nb.njit(cache=True)
def pack(
    unpacked: np.ndarray,
    site: int,
    people: float,
    per_person: np.ndarray,
    cap: np.ndarray,
    factor: float = 1.0,
):
    """`pack_to` with nothing held back: the dispatcher's packing, as fast as the people
    can; True when nothing is left to pack."""
    return pack_to(unpacked, site, people, per_person, cap, factor, 0.0, 0.0, 0.0, 0.0)


@nb.njit(cache=True)
def handover(
    u: float,
    approval: np.ndarray,
    delay_mean: np.ndarray,
    delay_fixed: np.ndarray,
    steps_done: int,
    retry_days: int,
    max_retries: int,
    factor: float,
) -> tuple[int, bool]:
    """Day the guard may leave once the final steps end on `steps_done`, and whether handed over.

    A handover refused at every attempt releases the guard on the last refusal's day.
    """
    n_days = approval.size
    start = min(steps_done, n_days - 1)
    day = air_clearance(
        u, approval, delay_mean, delay_fixed, start, retry_days, max_retries, factor
    )
    if day >= 0:
        return day, True
    return min(n_days - 1, start + max_retries * retry_days), False


@nb.njit(cache=True)
def cleared_seats(
    u: np.ndarray, ptr: int, flights: int, seats_each: float, approval: float
) -> tuple[float, int]:
    """Seats of the day's cleared flights, reading one uniform a flight from `u[ptr]`."""
    seats = 0.0
    for _ in range(flights):
        uu = u[ptr] if ptr < u.size else 0.5
        ptr += 1
        if uu < min(1.0, approval):
            seats += seats_each
    return seats, ptr


@nb.njit(cache=True)
def border_delay(uu: float, mean: float) -> int:
    """Whole days a load waits at the border: exponential with mean `mean`, rounded."""
    if mean <= 0.0:
        return 0
    return int(math.floor(-mean * math.log1p(-min(uu, 1.0 - 1e-16)) + 0.5))


@nb.njit(cache=True)
def cross(pool: np.ndarray, capacity: float, fate: np.ndarray, shipped: int) -> float:
    """Let up to `capacity` of the queue `pool` [origin, class] cross, pro rata; returns it."""
    total = pool.sum()
    if total <= 0.0:
        return 0.0
    share = min(1.0, capacity / total)
    for o in range(pool.shape[0]):
        for cls in range(2):
            moved = pool[o, cls] * share
            pool[o, cls] -= moved
            fate[o, shipped] += moved
    return total * share
