"""The adaptive rules a mission applies when reality departs from the plan.

Each rule is a small compiled function the engine calls at the moment the rule applies:

- catch up: a movement carries its planned load plus, room permitting, what earlier
  movements from the same site failed to carry (its backlog);
- retry: a refused request is made again after `retry_delay_days`, up to `max_retries`
  times (drawn in `disruptions`);
- people by air: when a movement carrying people is refused for good (or its link never
  reopens), they fly out from the site's airfield if one serves it, after an air clearance;
- cut-off: cargo-only movements that slipped past `cutoff_days_before_deadline` do not leave;
  what cannot leave is destroyed if sensitive, otherwise handed over (or destroyed if the
  plan's disposition says so);
- early close: after `early_close_attacks` attacks a base evacuates its people at once and
  disposes of its cargo;
- last guard: the plan's last people movement out of a base waits until every other
  planned movement out of that base has left or been cancelled.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from drawdown.scenario.kinds import CARGO_OUTCOMES

# cargo outcomes, in the order of the outcome arrays (the registry's order)
FATES = CARGO_OUTCOMES
SHIPPED, HANDED_OVER, DESTROYED, LOST, REMAINING, ABANDONED = (
    FATES.index(name)
    for name in ("shipped", "handed_over", "destroyed", "lost", "remaining", "abandoned")
)
N_FATES = len(FATES)


@nb.njit(cache=True)
def catch_up(stock: float, planned: float, backlog: float, capacity: float) -> float:
    """What a movement carries: its plan plus backlog up to its capacity, if at hand."""
    extra = min(backlog, max(0.0, capacity - planned))
    return max(0.0, min(stock, planned + extra))


@nb.njit(cache=True)
def air_clearance(
    u: float,
    approval: np.ndarray,
    delay_mean: np.ndarray,
    delay_fixed: np.ndarray,
    day: int,
    retry_days: int,
    max_retries: int,
    factor: float,
) -> int:
    """Day an air movement requested on `day` is cleared to leave, or -1 if never."""
    n_days = approval.size
    survive_before = 1.0
    for k in range(max_retries + 1):
        d = min(day + k * retry_days, n_days - 1)
        p = min(1.0, approval[d] * factor)
        survive = survive_before * (1.0 - p)
        if u >= survive:
            width = survive_before - survive
            residual = (u - survive) / width if width > 0 else 0.0
            residual = min(residual, 1.0 - 1e-16)
            mean = delay_mean[d]
            wait = mean if delay_fixed[d] else -mean * math.log1p(-residual)
            return min(n_days - 1, d + int(math.floor(wait + 0.5)))
        survive_before = survive
    return -1


@nb.njit(cache=True)
def dispose(
    teu: np.ndarray,
    veh: np.ndarray,
    site: int,
    destroy_share: np.ndarray,
    teu_fate: np.ndarray,
    veh_fate: np.ndarray,
    keep: bool,
    abandon: bool = False,
) -> None:
    """Cargo that cannot leave `site`: destroyed if sensitive, and of the general cargo from
    each origin the share its owners may not hand over (`destroy_share`); the rest handed over.

    With `keep` (people still hold the site) it stays and counts as remaining; with
    `abandon` (closed without a handover) the general cargo not destroyed is abandoned.
    """
    for origin in range(teu.shape[1]):
        for cls in range(2):
            if keep:
                destroyed, fate = 0.0, REMAINING
            else:
                destroyed = 1.0 if cls == 1 else destroy_share[origin]
                fate = ABANDONED if abandon else HANDED_OVER
            teu_fate[origin, DESTROYED] += destroyed * teu[site, origin, cls]
            veh_fate[origin, DESTROYED] += destroyed * veh[site, origin, cls]
            teu_fate[origin, fate] += (1.0 - destroyed) * teu[site, origin, cls]
            veh_fate[origin, fate] += (1.0 - destroyed) * veh[site, origin, cls]
            teu[site, origin, cls] = 0.0
            veh[site, origin, cls] = 0.0


@nb.njit(cache=True)
def take_cargo(
    stock: np.ndarray, site: int, amount: float, load: np.ndarray, left_behind: int = -1
) -> float:
    """Load `amount` from `site` into `load` [origin, class]: sensitive first, then pro rata.
    Cargo of origin `left_behind` (a closed base's own, -1: none) stays where it is.

    Returns what was actually loaded.
    """
    for origin in range(stock.shape[1]):  # not a slice: see `engine.N_CLASSES`
        for cls in range(2):
            load[origin, cls] = 0.0
    left = amount
    for cls in (1, 0):
        total = 0.0
        for origin in range(stock.shape[1]):
            if origin != left_behind:
                total += stock[site, origin, cls]
        if total <= 0.0 or left <= 0.0:
            continue
        share = min(1.0, left / total)
        for origin in range(stock.shape[1]):
            if origin == left_behind:
                continue
            moved = stock[site, origin, cls] * share
            stock[site, origin, cls] -= moved
            load[origin, cls] = moved
        left -= min(left, total)
    return amount - left


@nb.njit(cache=True)
def lose_share(loads: np.ndarray, slot: int, share: float, fate_row: np.ndarray) -> None:
    """Lose `share` of the load `loads[slot]` (every origin and class alike) to an attack.

    The load is named by its slot, not passed as a view: a view costs a reference count.
    """
    if share <= 0.0:
        return
    for origin in range(loads.shape[1]):
        for cls in range(2):
            lost = loads[slot, origin, cls] * share
            loads[slot, origin, cls] -= lost
            fate_row[origin, LOST] += lost
