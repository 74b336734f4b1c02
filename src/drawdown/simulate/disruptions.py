"""Draw every movement's fate for a block of runs at once.

Random numbers come from one PCG64 stream seeded by `SeedSequence(seed)`, laid out in a fixed
block of uniforms per run: run `r` always reads the block at offset `r * block`, reached with
`advance`, so a run's draws do not depend on how runs are split into blocks or shared among workers.
Each block holds, per movement, one uniform for its clearance and one for its incident count,
then a spare region read in order for rare draws (incident effects, air clearance of diverted
people, base attacks). Uniforms become counts and delays by inverse transform.

Clearance: requests are made the expected wait ahead of the planned day (`mv_request_day`)
and every `retry_delay_days` after a refusal; a movement leaves on its planned day or when
cleared, whichever is later;
the number of refusals before approval is geometric with the approval probability of each
attempt's day (zero while clearances are suspended). More than `max_retries` refusals refuse
the movement for good. The wait for an approval (exponential or fixed) is added.
Incidents on a movement are Poisson in convoy-km (roads) or sorties (air) summed over kinds;
each kind's share and each effect (killed, wounded, vehicles and containers lost, delay) are
Poisson given the counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from drawdown.simulate.inputs import N_SLOTS, Compiled

N_KINDS = N_SLOTS  # a movement's incident slots (simulate.inputs)
UNIFORMS_PER_INCIDENT = 3 + 5  # kind split, then five effects


@dataclass(frozen=True)
class Multipliers:
    """Per-run factors on the scenario's parameters (for sensitivity analysis; default 1).

    Each is an array with one value per run (of the whole simulation, not of a block).
    """

    approval: np.ndarray | None = None
    threat: np.ndarray | None = None
    speed: np.ndarray | None = None
    capacity: np.ndarray | None = None

    def take(self, name: str, start: int, stop: int) -> np.ndarray:
        values = getattr(self, name)
        if values is None:
            return np.ones(stop - start)
        return np.asarray(values, dtype=np.float64)[start:stop]

    def largest(self, name: str) -> float:
        values = getattr(self, name)
        return 1.0 if values is None or len(values) == 0 else float(np.max(values))


@dataclass(frozen=True)
class Layout:
    """Where each draw sits in a run's block of uniforms."""

    n_movements: int
    incident_slots: int  # incident movements per run whose effects have reserved uniforms
    kernel_spare: int  # uniforms for the engine's own draws (air diversions, base attacks)

    @property
    def incident_start(self) -> int:
        return 2 * self.n_movements

    @property
    def kernel_start(self) -> int:
        return self.incident_start + UNIFORMS_PER_INCIDENT * self.incident_slots

    @property
    def block(self) -> int:
        return self.kernel_start + self.kernel_spare


def plan_layout(c: Compiled, mult: Multipliers) -> Layout:
    """Reserve enough spare uniforms that running out is vanishingly rare."""
    lam = c.mv_rate.sum(axis=1) * mult.largest("threat")
    expected = float(np.sum(1.0 - np.exp(-lam)))
    slots = int(math.ceil(expected + 8.0 * math.sqrt(expected) + 16))
    refused = np.prod(1.0 - np.minimum(1.0, c.mv_approval), axis=1)
    diverted = float(np.sum(refused * (c.mv_people > 0)))
    attacks = 0.0
    if c.attack_rate.any():
        ratio = np.minimum(100.0, np.maximum(1.0, c.people0.astype(float)) ** c.attack_elasticity)
        attacks = float(np.sum(c.attack_rate[:, : c.horizon].sum(axis=1) * ratio))
        attacks *= mult.largest("threat")
        attacked = int(np.count_nonzero(c.attack_rate.any(axis=1)))
        if c.early_close_attacks > 0 and c.early_close_window_days <= 0:  # closes after that many
            attacks = min(attacks, float(c.early_close_attacks * attacked))
        attacks = min(attacks, 64.0 * attacked)
    # strategic lift: one uniform a charter flight, one a load reaching a corridor's end;
    # closure work: one a handover request, one a site's packing factor
    lift = float(c.lift_flights.sum()) + (c.n_movements if (c.site_corridor >= 0).any() else 0)
    handovers = 2 * len(c.site_ids) if c.closure_work else 0
    # unplanned flights under fire: up to three draws each (incidents, killed, wounded)
    flights = diverted + len(c.ev_day) + len(c.site_ids)
    fire = 3.0 * flights if c.evac_fire_rate.size and c.evac_fire_rate.any() else 0.0
    # evacuation convoys on threatened roads: up to three draws for each road kind
    road = 6.0 * flights if c.evac_road_rate.size and c.evac_road_rate.any() else 0.0
    spare = (
        diverted + 5.0 * attacks + len(c.ev_day) + len(c.site_ids) + lift + handovers + fire + road
    )
    kernel = int(math.ceil(spare + 8.0 * math.sqrt(spare) + 32))
    return Layout(c.n_movements, slots, kernel)


def uniforms(seed: int, first_run: int, n_runs: int, layout: Layout) -> np.ndarray:
    """The uniform blocks of runs `first_run` .. `first_run + n_runs - 1`."""
    bitgen = np.random.PCG64(np.random.SeedSequence(seed))
    bitgen.advance(first_run * layout.block)
    return np.random.Generator(bitgen).random((n_runs, layout.block))


def uniform_prefixes(
    seed: int, first_run: int, n_runs: int, layout: Layout, width: int
) -> np.ndarray:
    """The first `width` uniforms of each run's block (`uniforms`' own numbers in those
    columns), skipping the rest of each block: a run reads a few hundred of the spare
    uniforms a layout reserves by the thousand, and generating them is a tenth of a run's
    cost. At least the movements' and incidents' uniforms (`kernel_start`) are given."""
    width = max(layout.kernel_start, min(width, layout.block))
    if width == layout.block:
        return uniforms(seed, first_run, n_runs, layout)
    bitgen = np.random.PCG64(np.random.SeedSequence(seed))
    bitgen.advance(first_run * layout.block)
    generator = np.random.Generator(bitgen)
    u = np.empty((n_runs, width))
    for r in range(n_runs):
        generator.random(out=u[r])
        bitgen.advance(layout.block - width)  # to the next run's block
    return u


@dataclass(frozen=True)
class MovementDraws:
    """What chance decided for each movement in a block of runs."""

    ready_day: np.ndarray  # int64 [R, M]: day cleared to leave (or refused for good)
    refused: np.ndarray  # bool [R, M]
    inc_ptr: np.ndarray  # int64 [R + 1]: incidents of run r are rows inc_ptr[r]:inc_ptr[r+1]
    inc_movement: np.ndarray  # int64 [K]
    inc_count: np.ndarray  # int64 [K, 4] incidents by kind
    inc_effects: np.ndarray  # float64 [K, 5] summed effects
    short: np.ndarray  # bool [R]: ran out of reserved uniforms (effects set to means)


def draw_movements(
    c: Compiled, u: np.ndarray, layout: Layout, approval: np.ndarray, threat: np.ndarray
) -> MovementDraws:
    """Clearance and incidents of every movement in every run of the block."""
    m = c.n_movements
    ready, refused = _clearance(c, u[:, :m], approval)
    lam = c.mv_rate.sum(axis=1)[None, :] * threat[:, None]
    u_inc = u[:, m : 2 * m]
    hit = u_inc >= np.exp(-lam)
    runs, moves = np.nonzero(hit)
    counts_per_run = np.bincount(runs, minlength=u.shape[0])
    inc_ptr = np.zeros(u.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts_per_run, out=inc_ptr[1:])
    rank = np.arange(runs.size) - inc_ptr[runs]
    counts, effects, short_rows = _incidents(
        u,
        runs,
        moves,
        rank,
        lam,
        c.mv_rate,
        c.mv_effects,
        layout.incident_start,
        layout.incident_slots,
    )
    short = np.zeros(u.shape[0], dtype=bool)
    short[runs[short_rows]] = True
    return MovementDraws(ready, refused, inc_ptr, moves.astype(np.int64), counts, effects, short)


def _clearance(c: Compiled, u: np.ndarray, approval: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Refusals before approval (geometric by attempt) and the wait for approval."""
    return _clearance_kernel(
        u,
        approval,
        c.mv_approval,
        c.mv_delay_mean,
        c.mv_delay_fixed,
        c.mv_earliest_day,
        c.mv_request_day,
        c.retry_days,
        c.n_days,
    )


@nb.njit(cache=True)
def _clearance_kernel(u, approval, p_attempt, delay_mean, delay_fixed, day, request, retry, n_days):
    n_runs, n_mv = u.shape[0], day.size
    attempts = p_attempt.shape[1]
    ready = np.empty((n_runs, n_mv), dtype=np.int64)
    refused = np.zeros((n_runs, n_mv), dtype=np.bool_)
    for r in range(n_runs):
        factor = approval[r]
        for m in range(n_mv):
            x = u[r, m]
            before = 1.0
            cleared = -1
            for k in range(attempts):
                after = before * (1.0 - min(1.0, p_attempt[m, k] * factor))
                if x >= after:
                    width = before - after
                    residual = min((x - after) / width if width > 0 else 0.0, 1.0 - 1e-16)
                    mean = delay_mean[m]
                    wait = mean if delay_fixed[m] else -mean * math.log1p(-residual)
                    answer = request[m] + k * retry + int(math.floor(wait + 0.5))
                    cleared = max(day[m], answer)  # not before its first day (`earliest_days`)
                    break
                before = after
            if cleared < 0:
                refused[r, m] = True
                cleared = max(day[m], request[m] + (attempts - 1) * retry)
            ready[r, m] = min(cleared, n_days - 1)
    return ready, refused


@nb.njit(cache=True)
def poisson_inv(u: float, lam: float) -> int:
    """Smallest k with P(X <= k) > u for X ~ Poisson(lam)."""
    if lam <= 0.0:
        return 0
    if lam > 600.0:
        return int(lam + 0.5)
    p = math.exp(-lam)
    cdf = p
    k = 0
    while u >= cdf and k < 100000:
        k += 1
        p *= lam / k
        cdf += p
        if p < 1e-300 and cdf >= 1.0 - 1e-15:
            break
    return k


@nb.njit(cache=True)
def poisson_inv_positive(u: float, lam: float) -> int:
    """Poisson(lam) given that u lies above P(X = 0), i.e. an incident happened."""
    return max(1, poisson_inv(u, lam))


@nb.njit(cache=True)
def binomial_inv(u: float, n: int, p: float) -> int:
    """Smallest k with P(X <= k) > u for X ~ Binomial(n, p)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    q = 1.0 - p
    pk = q**n
    cdf = pk
    k = 0
    while u >= cdf and k < n:
        pk *= (n - k) / (k + 1) * p / q
        k += 1
        cdf += pk
    return k


@nb.njit(cache=True)
def _incidents(u, runs, moves, rank, lam, rate, means, start, slots):
    n = runs.size
    counts = np.zeros((n, 4), dtype=np.int64)
    effects = np.zeros((n, 5))
    short = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        r, m = runs[i], moves[i]
        total = poisson_inv_positive(u[r, lam.shape[1] + m], lam[r, m])
        left = total
        weight = rate[m].sum()
        if rank[i] >= slots:
            short[i] = True
            for k in range(4):
                counts[i, k] = int(round(total * rate[m, k] / weight)) if k < 3 else 0
            counts[i, 3] = total - counts[i, 0] - counts[i, 1] - counts[i, 2]
            for e in range(5):
                for k in range(4):
                    effects[i, e] += counts[i, k] * means[m, k, e]
            continue
        base = start + 8 * rank[i]
        rest = weight
        for k in range(3):
            share = rate[m, k] / rest if rest > 0 else 0.0
            counts[i, k] = binomial_inv(u[r, base + k], left, min(1.0, share))
            left -= counts[i, k]
            rest -= rate[m, k]
        counts[i, 3] = left
        for e in range(5):
            mean = 0.0
            for k in range(4):
                mean += counts[i, k] * means[m, k, e]
            effects[i, e] = poisson_inv(u[r, base + 3 + e], mean)
    return counts, effects, short
