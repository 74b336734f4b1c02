"""Per-run outcomes, gathered block by block, and their distributions with intervals.

Per-run records are flat arrays with units in their names; per-site records are arrays with a
site axis. The people-remaining fan is kept as a per-day histogram of people in theatre, so its
quantiles need no per-run timelines; timelines are kept only when asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from drawdown.scenario.kinds import THREAT_NAMES
from drawdown.simulate.engine import ChunkOutcome
from drawdown.simulate.inputs import Compiled
from drawdown.simulate.policy import FATES, N_FATES

Z95 = 1.959963984540054
INCIDENT_KINDS = THREAT_NAMES
RUN_COLUMNS = (
    "completion_day",
    "all_out_by_deadline",
    "people_remaining_at_deadline",
    "people_out",
    "people_lost",
    "people_stranded",
    "killed",
    "wounded",
    *(f"incidents_{k}" for k in INCIDENT_KINDS),
    "diverted_by_air_people",
    "bases_closed_early",
    "cost_usd",
    "protection_gap_person_days",
    *(f"teu_{f}" for f in FATES),
    *(f"vehicles_{f}" for f in FATES),
    "draws_short",
)


@dataclass
class Collected:
    """Everything a simulation keeps, for all runs (what `io` saves and loads)."""

    site_ids: tuple[str, ...]
    site_kinds: tuple[str, ...]
    link_ids: tuple[str, ...]
    horizon: int
    population: np.ndarray  # [S]
    teu0: np.ndarray  # [S] initial TEU by site
    veh0: np.ndarray  # [S]
    runs: dict[str, np.ndarray] = field(default_factory=dict)  # RUN_COLUMNS, one row a run
    closure_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    teu_fate: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, N_FATES), np.float32))
    veh_fate: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, N_FATES), np.float32))
    fan_hist: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    fan_bin: int = 1
    inc_link: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    inc_site: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    killed_link: np.ndarray = field(default_factory=lambda: np.zeros(0))
    killed_site: np.ndarray = field(default_factory=lambda: np.zeros(0))
    timelines: np.ndarray | None = None  # int32 [R, H] people in theatre by day
    # the withdrawal's bottlenecks: closure work by site, strategic lift by lift row
    packed_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    handover_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    early_closed_site: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int8))
    early_close_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    lift_ids: tuple[str, ...] = ()
    lift_people_by_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # sums
    lift_seats_by_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # sums
    lift_teu_crossed: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [R, X]
    lift_vehicles_crossed: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


class Collector:
    """Preallocated arrays for `n_runs`, filled block by block in run order."""

    def __init__(self, c: Compiled, kinds: tuple[str, ...], n_runs: int, timelines: bool):
        n_sites, n_links = len(c.site_ids), len(c.link_ids)
        total = int(c.people0.sum())
        self.bin = max(1, math.ceil((total + 1) / 4096))
        self.c = c
        self.data = Collected(
            site_ids=c.site_ids,
            site_kinds=kinds,
            link_ids=c.link_ids,
            horizon=c.horizon,
            population=c.population.copy(),
            teu0=c.teu0.sum(axis=1),
            veh0=c.veh0.sum(axis=1),
            runs={name: np.zeros(n_runs, dtype=_dtype(name)) for name in RUN_COLUMNS},
            closure_day=np.zeros((n_runs, n_sites), dtype=np.int16),
            teu_fate=np.zeros((n_runs, n_sites, N_FATES), dtype=np.float32),
            veh_fate=np.zeros((n_runs, n_sites, N_FATES), dtype=np.float32),
            fan_hist=np.zeros((c.horizon, total // self.bin + 1), dtype=np.int64),
            fan_bin=self.bin,
            inc_link=np.zeros((n_links, 2), dtype=np.int64),
            inc_site=np.zeros((n_sites, 2), dtype=np.int64),
            killed_link=np.zeros(n_links),
            killed_site=np.zeros(n_sites),
            timelines=np.zeros((n_runs, c.horizon), dtype=np.int32) if timelines else None,
            packed_day=np.full((n_runs, n_sites), -1, dtype=np.int16),
            handover_day=np.full((n_runs, n_sites), -1, dtype=np.int16),
            early_closed_site=np.zeros((n_runs, n_sites), dtype=np.int8),
            early_close_day=np.full((n_runs, n_sites), -1, dtype=np.int16),
            lift_ids=c.lift_ids,
            lift_people_by_day=np.zeros((len(c.lift_ids), c.horizon)),
            lift_seats_by_day=np.zeros((len(c.lift_ids), c.horizon)),
            lift_teu_crossed=np.zeros((n_runs, len(c.lift_ids))),
            lift_vehicles_crossed=np.zeros((n_runs, len(c.lift_ids))),
        )

    def add(self, start: int, out: ChunkOutcome) -> None:
        """Store the outcomes of runs `start` .. `start + len(block) - 1`."""
        c, d = self.c, self.data
        stop = start + out.completion_day.size
        rows = slice(start, stop)
        done = (out.completion_day >= 0) & (out.completion_day < c.horizon)
        last_day = np.where(out.completion_day >= 0, out.completion_day, c.n_days - 1)
        closed = out.closure_day
        gap_days = np.where(closed >= 0, np.maximum(0, c.protection_day - closed + 1), 0)
        runs = d.runs
        runs["completion_day"][rows] = out.completion_day
        runs["all_out_by_deadline"][rows] = done
        runs["people_remaining_at_deadline"][rows] = out.remaining[:, c.horizon - 1]
        runs["people_out"][rows] = out.people_out
        runs["people_lost"][rows] = out.people_lost
        runs["people_stranded"][rows] = out.people_stranded
        runs["killed"][rows] = out.killed
        runs["wounded"][rows] = out.wounded
        for k, name in enumerate(INCIDENT_KINDS):
            runs[f"incidents_{name}"][rows] = out.incidents[:, k]
        runs["diverted_by_air_people"][rows] = out.diverted
        runs["bases_closed_early"][rows] = out.early_closed
        runs["cost_usd"][rows] = c.running_cost_per_day * (last_day + 1)
        runs["protection_gap_person_days"][rows] = gap_days @ c.population
        for f, name in enumerate(FATES):
            runs[f"teu_{name}"][rows] = out.teu_fate[:, :, f].sum(axis=1)
            runs[f"vehicles_{name}"][rows] = out.veh_fate[:, :, f].sum(axis=1)
        runs["draws_short"][rows] = out.short
        d.closure_day[rows] = closed
        d.teu_fate[rows] = out.teu_fate
        d.veh_fate[rows] = out.veh_fate
        n_bins = d.fan_hist.shape[1]
        cells = np.arange(c.horizon)[None, :] * n_bins + out.remaining // self.bin
        d.fan_hist += np.bincount(cells.ravel(), minlength=d.fan_hist.size).reshape(
            d.fan_hist.shape
        )
        d.inc_link += out.inc_link
        d.inc_site += out.inc_site
        d.killed_link += out.killed_link
        d.killed_site += out.killed_site
        if d.timelines is not None:
            d.timelines[rows] = out.remaining
        d.packed_day[rows] = out.packed_day
        d.handover_day[rows] = out.handover_day
        d.early_closed_site[rows] = out.early_closed_site
        d.early_close_day[rows] = out.early_close_day
        d.lift_people_by_day += out.lift_people_by_day
        d.lift_seats_by_day += out.lift_seats_by_day
        d.lift_teu_crossed[rows] = out.lift_teu_crossed
        d.lift_vehicles_crossed[rows] = out.lift_vehicles_crossed


def _dtype(name: str) -> type:
    if name in ("all_out_by_deadline", "draws_short"):
        return np.bool_
    if name.startswith(("incidents_", "completion", "bases_", "people_remaining")):
        return np.int64
    return np.float64


# --- statistics with intervals -------------------------------------------------------------


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and its 95% normal interval."""
    n = values.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(values.mean())
    half = Z95 * float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return (mean, mean - half, mean + half)


def quantile_interval(values: np.ndarray, q: float) -> tuple[float, float, float]:
    """Quantile `q` and a 95% distribution-free interval from order statistics."""
    n = values.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    ordered = np.sort(values)
    half = Z95 * math.sqrt(n * q * (1 - q))
    lo = int(max(0, math.floor(n * q - half)))
    hi = int(min(n - 1, math.ceil(n * q + half)))
    point = float(np.quantile(ordered, q, method="inverted_cdf"))
    return (point, float(ordered[lo]), float(ordered[hi]))


def hist_quantile(counts: np.ndarray, q: float, width: int) -> float:
    """Quantile of integer data from its histogram (bin width `width`)."""
    total = counts.sum()
    if total == 0:
        return math.nan
    idx = int(np.searchsorted(np.cumsum(counts), q * total, side="left"))
    return float(min(idx, counts.size - 1) * width)
