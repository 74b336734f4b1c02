"""Per-run outcomes, gathered block by block, and their distributions with intervals.

Per-run records are flat arrays with units in their names; per-site records are arrays with a
site axis. The people-remaining fan is kept as a per-day histogram of people in theatre, and
the containers-out fan as one of TEU out of it, so their quantiles need no per-run
timelines; timelines are kept only when asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from drawdown.scenario.kinds import THREAT_NAMES
from drawdown.simulate.engine import ChunkOutcome
from drawdown.simulate.inputs import Compiled
from drawdown.simulate.policy import FATES, N_FATES
from drawdown.simulate.stats import count_into
from drawdown.simulate.summaries import SITE_DAYS, Summaries

if TYPE_CHECKING:
    from drawdown.simulate.io import RunSink

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
    # TEU out of the theatre by the end of each day: histogram [H, bins] of bins `teu_out_bin`
    # TEU wide (None: a results folder made before the stress test recorded it)
    teu_out_hist: np.ndarray | None = None
    teu_out_bin: int = 1
    inc_link: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    inc_site: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    killed_link: np.ndarray = field(default_factory=lambda: np.zeros(0))
    killed_site: np.ndarray = field(default_factory=lambda: np.zeros(0))
    timelines: np.ndarray | None = None  # int32 [R, H] people in theatre by day
    teu_out_timelines: np.ndarray | None = None  # int32 [R, H] TEU out by day (with timelines)
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
    # people by formed unit (`scenario.units` order): day the unit's last person left the
    # theatre (-1: not within the simulated days)
    unit_ids: tuple[str, ...] = ()
    unit_out_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    # why bases closed early: people left at each base when it closed, summed over runs
    early_close_people: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # people out of the theatre by exit (the site where they left) and day, summed over runs
    exit_people_by_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


class Collector:
    """Gathers the outcomes of `n_runs` runs block by block, in run order.

    Every block feeds the streaming `Summaries` (what summary.json and the report read); with
    `keep` the per-run records are also kept in memory (`Collected`, preallocated), and a
    `sink` (`drawdown.simulate.io.RunSink`) writes them to Parquet as the blocks finish. Without
    `keep` the memory taken does not grow with the number of runs.
    """

    def __init__(
        self,
        c: Compiled,
        kinds: tuple[str, ...],
        n_runs: int,
        timelines: bool,
        *,
        keep: bool = True,
        sink: RunSink | None = None,
    ):
        n_sites, n_links = len(c.site_ids), len(c.link_ids)
        total = int(c.people0.sum())
        self.bin = hist_bin(total)
        total_teu = math.ceil(float(c.teu0.sum()))
        self.teu_bin = hist_bin(total_teu)
        self.c = c
        self.keep, self.sink = keep, sink
        kept = n_runs if keep else 0
        self.data = Collected(
            site_ids=c.site_ids,
            site_kinds=kinds,
            link_ids=c.link_ids,
            horizon=c.horizon,
            population=c.population.copy(),
            teu0=c.teu0.sum(axis=1),
            veh0=c.veh0.sum(axis=1),
            runs={name: np.zeros(kept, dtype=_dtype(name)) for name in RUN_COLUMNS},
            closure_day=np.zeros((kept, n_sites), dtype=np.int16),
            teu_fate=np.zeros((kept, n_sites, N_FATES), dtype=np.float32),
            veh_fate=np.zeros((kept, n_sites, N_FATES), dtype=np.float32),
            fan_hist=np.zeros((c.horizon, total // self.bin + 1), dtype=np.int64),
            fan_bin=self.bin,
            teu_out_hist=np.zeros((c.horizon, total_teu // self.teu_bin + 1), dtype=np.int64),
            teu_out_bin=self.teu_bin,
            inc_link=np.zeros((n_links, 2), dtype=np.int64),
            inc_site=np.zeros((n_sites, 2), dtype=np.int64),
            killed_link=np.zeros(n_links),
            killed_site=np.zeros(n_sites),
            timelines=np.zeros((kept, c.horizon), dtype=np.int32) if timelines else None,
            teu_out_timelines=np.zeros((kept, c.horizon), dtype=np.int32) if timelines else None,
            packed_day=np.full((kept, n_sites), -1, dtype=np.int16),
            handover_day=np.full((kept, n_sites), -1, dtype=np.int16),
            early_closed_site=np.zeros((kept, n_sites), dtype=np.int8),
            early_close_day=np.full((kept, n_sites), -1, dtype=np.int16),
            lift_ids=c.lift_ids,
            lift_people_by_day=np.zeros((len(c.lift_ids), c.horizon)),
            lift_seats_by_day=np.zeros((len(c.lift_ids), c.horizon)),
            lift_teu_crossed=np.zeros((kept, len(c.lift_ids))),
            lift_vehicles_crossed=np.zeros((kept, len(c.lift_ids))),
            unit_ids=c.unit_ids,
            unit_out_day=np.full((kept, len(c.unit_ids)), -1, dtype=np.int16),
            early_close_people=np.zeros(n_sites),
            exit_people_by_day=np.zeros((n_sites, c.horizon)),
        )
        self.summaries = new_summaries(self.data)

    def add(self, start: int, out: ChunkOutcome) -> None:
        """Take the outcomes of runs `start` .. `start + len(block) - 1`."""
        c, d = self.c, self.data
        n = out.completion_day.size
        done = (out.completion_day >= 0) & (out.completion_day < c.horizon)
        last_day = np.where(out.completion_day >= 0, out.completion_day, c.n_days - 1)
        closed = out.closure_day
        gap_days = np.where(closed >= 0, np.maximum(0, c.protection_day - closed + 1), 0)
        runs: dict[str, np.ndarray] = {
            "completion_day": out.completion_day,
            "all_out_by_deadline": done,
            "people_remaining_at_deadline": out.remaining[:, c.horizon - 1],
            "people_out": out.people_out,
            "people_lost": out.people_lost,
            "people_stranded": out.people_stranded,
            "killed": out.killed,
            "wounded": out.wounded,
            **{f"incidents_{name}": out.incidents[:, k] for k, name in enumerate(INCIDENT_KINDS)},
            "diverted_by_air_people": out.diverted,
            "bases_closed_early": out.early_closed,
            "cost_usd": c.running_cost_per_day * (last_day + 1),
            "protection_gap_person_days": gap_days @ c.population,
            **{f"teu_{name}": out.teu_fate[:, :, f].sum(axis=1) for f, name in enumerate(FATES)},
            **{
                f"vehicles_{name}": out.veh_fate[:, :, f].sum(axis=1)
                for f, name in enumerate(FATES)
            },
            "draws_short": out.short,
        }
        runs = {name: np.asarray(runs[name]).astype(_dtype(name)) for name in RUN_COLUMNS}
        block = Block(
            start=start,
            runs=runs,
            closure_day=closed.astype(np.int16),
            teu_fate=out.teu_fate.astype(np.float32),
            veh_fate=out.veh_fate.astype(np.float32),
            packed_day=out.packed_day.astype(np.int16),
            handover_day=out.handover_day.astype(np.int16),
            early_closed_site=out.early_closed_site.astype(np.int8),
            early_close_day=out.early_close_day.astype(np.int16),
            lift_teu_crossed=np.asarray(out.lift_teu_crossed, dtype=np.float64),
            lift_vehicles_crossed=np.asarray(out.lift_vehicles_crossed, dtype=np.float64),
            timelines=out.remaining.astype(np.int32) if d.timelines is not None else None,
            unit_out_day=out.unit_out_day.astype(np.int16),
            teu_out_timelines=(
                out.teu_out.astype(np.int32) if d.teu_out_timelines is not None else None
            ),
        )
        add_to_hist(d.fan_hist, out.remaining, self.bin)
        assert d.teu_out_hist is not None
        add_to_hist(d.teu_out_hist, out.teu_out, self.teu_bin)
        d.inc_link += out.inc_link
        d.inc_site += out.inc_site
        d.killed_link += out.killed_link
        d.killed_site += out.killed_site
        d.lift_people_by_day += out.lift_people_by_day
        d.lift_seats_by_day += out.lift_seats_by_day
        d.early_close_people += out.early_close_people
        d.exit_people_by_day += out.exit_people_by_day
        if self.keep:
            block.store(d, slice(start, start + n))
        if self.sink is not None:
            self.sink.write(block)
        block.summarise(self.summaries)


@dataclass(frozen=True)
class Block:
    """The per-run records of one block of runs, typed as `Collected` keeps them."""

    start: int
    runs: dict[str, np.ndarray]
    closure_day: np.ndarray  # int16 [R, S]
    teu_fate: np.ndarray  # float32 [R, S, F]
    veh_fate: np.ndarray
    packed_day: np.ndarray
    handover_day: np.ndarray
    early_closed_site: np.ndarray
    early_close_day: np.ndarray
    lift_teu_crossed: np.ndarray  # [R, X]
    lift_vehicles_crossed: np.ndarray
    timelines: np.ndarray | None = None  # int32 [R, H]
    unit_out_day: np.ndarray | None = None  # int16 [R, U]
    teu_out_timelines: np.ndarray | None = None  # int32 [R, H]

    @property
    def size(self) -> int:
        return int(self.closure_day.shape[0])

    def store(self, d: Collected, rows: slice) -> None:
        """Copy into the preallocated arrays of all runs."""
        for name, values in self.runs.items():
            d.runs[name][rows] = values
        for name in PER_SITE:
            getattr(d, name)[rows] = getattr(self, name)
        d.lift_teu_crossed[rows] = self.lift_teu_crossed
        d.lift_vehicles_crossed[rows] = self.lift_vehicles_crossed
        if d.timelines is not None and self.timelines is not None:
            d.timelines[rows] = self.timelines
        if d.teu_out_timelines is not None and self.teu_out_timelines is not None:
            d.teu_out_timelines[rows] = self.teu_out_timelines
        if self.unit_out_day is not None and d.unit_out_day.shape[0]:
            d.unit_out_day[rows] = self.unit_out_day

    def summarise(self, summaries: Summaries) -> None:
        sites = {name: getattr(self, name) for name in SITE_DAYS}
        sites["early_closed_site"] = self.early_closed_site
        lift = {
            "teu_crossed": self.lift_teu_crossed,
            "vehicles_crossed": self.lift_vehicles_crossed,
        }
        summaries.add(self.runs, sites, self.teu_fate, self.veh_fate, lift, self.unit_out_day)


PER_SITE = (
    "closure_day",
    "teu_fate",
    "veh_fate",
    "packed_day",
    "handover_day",
    "early_closed_site",
    "early_close_day",
)


def new_summaries(d: Collected) -> Summaries:
    """Empty streaming statistics for the runs of `d`'s simulation."""
    return Summaries(
        n_sites=len(d.site_ids),
        n_lift=len(d.lift_ids),
        horizon=d.horizon,
        population=np.asarray(d.population, dtype=float),
        teu0_total=float(d.teu0.sum()),
        veh0_total=float(d.veh0.sum()),
        n_units=len(d.unit_ids),
    )


def summarise(d: Collected) -> Summaries:
    """The streaming statistics of runs kept in memory (a result made without them)."""
    summaries = new_summaries(d)
    n = d.closure_day.shape[0]
    step = 4096
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        block = Block(
            start=start,
            runs={name: d.runs[name][rows] for name in RUN_COLUMNS},
            **{name: getattr(d, name)[rows] for name in PER_SITE},
            lift_teu_crossed=_rows(d.lift_teu_crossed, rows, n),
            lift_vehicles_crossed=_rows(d.lift_vehicles_crossed, rows, n),
            # the units' out days too, as `Collector.add` streams them (without them the
            # summary said no unit ever left)
            unit_out_day=d.unit_out_day[rows] if d.unit_out_day.shape[0] == n else None,
        )
        block.summarise(summaries)
    return summaries.finish()


def hist_bin(total: int) -> int:
    """Bin width of a per-day histogram of counts from 0 to `total`: at most 4096 bins."""
    return max(1, math.ceil((total + 1) / 4096))


def add_to_hist(hist: np.ndarray, by_day: np.ndarray, width: int) -> None:
    """Count runs' values by day (`by_day` [R, H]) into `hist` [H, bins] of width `width`.

    A value past the last bin is counted in it (none is expected: neither people in theatre
    nor TEU out exceed the totals the bins were sized for), so that a float sum of cargo
    shares cannot fail a long simulation at its end."""
    n_days, n_bins = hist.shape
    bins = np.minimum(by_day // width, n_bins - 1)
    count_into(hist, np.arange(n_days)[None, :] * n_bins + bins)


def _rows(values: np.ndarray, rows: slice, n: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.shape[0] != n:  # no lift rows
        return np.zeros((rows.stop - rows.start, 0))
    return values[rows]


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


def hist_quantiles(hist: np.ndarray, q: float, width: int) -> np.ndarray:
    """`hist_quantile` of every row of `hist` [H, bins] at once (a fan's days): the same
    floats, without a cumulative sum and a search per day."""
    cum = np.cumsum(hist, axis=1)
    total = cum[:, -1] if cum.shape[1] else np.zeros(cum.shape[0], np.int64)
    # the first bin whose cumulative count reaches q * total, as searchsorted's "left" side
    idx = (cum < (q * total)[:, None]).sum(axis=1)
    out = np.minimum(idx, hist.shape[1] - 1) * width
    return np.where(total == 0, math.nan, out.astype(np.float64))
