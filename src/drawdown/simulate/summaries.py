"""What a simulation keeps of its runs whatever their number: streaming statistics.

`Summaries` is fed the per-run outcomes of each block of runs and keeps, in memory bounded
independently of the run count (`drawdown.simulate.stats` says how exact each kind is):

- moments (mean, standard deviation) of the headline figures and of cargo shares;
- tallies (quantiles) of the headline figures, of each site's closure, packing, handover and
  early-closure day, of each unit's out day and of each lift row's crossings;
- sums of cargo by site and fate; the count of runs all out, of early closures by site;
- a per-day histogram of civilians left uncovered (bins of 1/`UNCOVERED_BINS` of the
  population covered at the start, like the people-remaining fan).

Every summary of a `SimulationResult` (summary.json, the report) reads these, so a result
whose per-run outcomes are only on disk, or not kept at all, is summarised the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from drawdown.simulate.policy import FATES
from drawdown.simulate.stats import Moments, Sums, Tally, count_into

UNCOVERED_BINS = 4096
#: figures with a tally (quantiles) and moments (mean, interval), by per-run name
TALLIED = (
    "completion_day",
    "killed",
    "wounded",
    "casualties",
    "people_stranded",
    "protection_gap_person_days",
    "cost_usd",
    *(f"{u}_share_of_run_{f}" for u in ("teu", "vehicles") for f in FATES),
)
#: figures with moments only
MOMENTS = (
    "killed",
    "wounded",
    "casualties",
    "people_stranded",
    "protection_gap_person_days",
    "cost_usd",
    *(f"{u}_{f}" for u in ("teu", "vehicles") for f in FATES),
    *(f"{u}_share_of_run_{f}" for u in ("teu", "vehicles") for f in FATES),
    *(f"{u}_share_{f}" for u in ("teu", "vehicles") for f in FATES),
)
#: per-site day tallies (-1, never, counted as +inf)
SITE_DAYS = ("closure_day", "packed_day", "handover_day", "early_close_day")
LIFT_CROSSED = ("teu_crossed", "vehicles_crossed")


@dataclass
class Summaries:
    """Streaming statistics of the runs of one simulation (see the module docstring)."""

    n_sites: int
    n_lift: int
    horizon: int
    population: np.ndarray  # [S]
    teu0_total: float
    veh0_total: float
    runs: int = 0
    all_out: int = 0
    moments: Moments = field(default_factory=lambda: Moments(MOMENTS))
    tallies: dict[str, Tally] = field(default_factory=dict)
    site_days: dict[str, list[Tally]] = field(default_factory=dict)
    early_closed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # [S]
    lift_crossed: dict[str, list[Tally]] = field(default_factory=dict)
    cargo_sums: Sums | None = None  # [2 units x S x F] flattened
    uncovered_width: float = 1.0
    uncovered_hist: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    n_units: int = 0
    unit_days: list[Tally] = field(default_factory=list)  # [U] day a unit's last person left

    def __post_init__(self) -> None:
        self.unit_days = self.unit_days or [Tally() for _ in range(self.n_units)]
        self.tallies = self.tallies or {name: Tally() for name in TALLIED}
        self.site_days = self.site_days or {
            name: [Tally() for _ in range(self.n_sites)] for name in SITE_DAYS
        }
        self.lift_crossed = self.lift_crossed or {
            name: [Tally() for _ in range(self.n_lift)] for name in LIFT_CROSSED
        }
        if not self.early_closed.size:
            self.early_closed = np.zeros(self.n_sites, np.int64)
        if self.cargo_sums is None:
            self.cargo_sums = Sums(2 * self.n_sites * len(FATES))
        if not self.uncovered_hist.size:
            total = float(self.population.sum())
            self.uncovered_width = max(total, 1.0) / UNCOVERED_BINS
            self.uncovered_hist = np.zeros((self.horizon, UNCOVERED_BINS + 1), np.int64)

    # --- feeding ----------------------------------------------------------------------------

    def add(
        self,
        runs: Mapping[str, np.ndarray],
        sites: Mapping[str, np.ndarray],
        teu_fate: np.ndarray,
        veh_fate: np.ndarray,
        lift: Mapping[str, np.ndarray],
        unit_out_day: np.ndarray | None = None,
    ) -> None:
        """Add a block of runs: per-run records (`RUN_COLUMNS`), per-site days [R, S] and
        early closures, cargo by site and fate [R, S, F] (float32, as kept), lift [R, X],
        the day each unit's last person left [R, U] (-1 never)."""
        n = len(runs["completion_day"])
        if n == 0:
            return
        self.runs += n
        self.all_out += int(np.count_nonzero(runs["all_out_by_deadline"]))
        per_run = self._per_run(runs, teu_fate, veh_fate)
        self.moments.add(np.stack([per_run[name] for name in MOMENTS]))
        for name, tally in self.tallies.items():
            tally.add(per_run[name])
        for name, tallies in self.site_days.items():
            days = _never_inf(sites[name])
            for i, tally in enumerate(tallies):
                tally.add(days[:, i])
        self.early_closed += (np.asarray(sites["early_closed_site"]) > 0).sum(axis=0)
        for name, tallies in self.lift_crossed.items():
            for x, tally in enumerate(tallies):
                tally.add(lift[name][:, x])
        assert self.cargo_sums is not None
        cargo = np.stack([teu_fate, veh_fate]).astype(np.float64)  # [2, R, S, F]
        self.cargo_sums.add(cargo.transpose(0, 2, 3, 1).reshape(-1, n))
        self._add_uncovered(sites["closure_day"])
        if unit_out_day is not None and self.unit_days:
            days = _never_inf(unit_out_day)
            for u, tally in enumerate(self.unit_days):
                tally.add(days[:, u])

    def _per_run(
        self, runs: Mapping[str, np.ndarray], teu_fate: np.ndarray, veh_fate: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The per-run values of every figure, as the in-memory summaries compute them."""
        days = np.asarray(runs["completion_day"]).astype(float)
        days[days < 0] = np.inf
        out: dict[str, np.ndarray] = {"completion_day": days}
        for name in ("killed", "wounded", "people_stranded", "protection_gap_person_days"):
            out[name] = np.asarray(runs[name]).astype(float)
        out["cost_usd"] = np.asarray(runs["cost_usd"]).astype(float)
        out["casualties"] = (
            np.asarray(runs["killed"], dtype=float) + np.asarray(runs["wounded"], dtype=float)
        ).astype(float)
        for unit, fates, total in (
            ("teu", teu_fate, self.teu0_total),
            ("vehicles", veh_fate, self.veh0_total),
        ):
            per_run = np.stack([np.asarray(runs[f"{unit}_{f}"], dtype=float) for f in FATES], 1)
            run_total = per_run.sum(axis=1)
            for k, f in enumerate(FATES):
                out[f"{unit}_{f}"] = per_run[:, k]
                out[f"{unit}_share_of_run_{f}"] = np.divide(
                    per_run[:, k], run_total, out=np.zeros(len(run_total)), where=run_total > 0
                )
                values = fates[:, :, k].sum(axis=1)  # float32, as `fate_shares` sums them
                out[f"{unit}_share_{f}"] = (
                    values.astype(float) / total if total > 0 else np.zeros(len(values))
                )
        return out

    def _add_uncovered(self, closure_day: np.ndarray) -> None:
        uncovered = uncovered_by_day(closure_day, self.population, self.horizon)  # [R, H]
        days = np.arange(self.horizon)
        bins = np.minimum(
            (uncovered / self.uncovered_width).astype(np.int64), self.uncovered_hist.shape[1] - 1
        )
        count_into(self.uncovered_hist, days[None, :] * self.uncovered_hist.shape[1] + bins)

    def finish(self) -> Summaries:
        """Fold the last partial windows and drop the buffers; returns itself."""
        self.moments.release()
        assert self.cargo_sums is not None
        self.cargo_sums.release()
        return self

    # --- reading ----------------------------------------------------------------------------

    def cargo_mean(self, unit: str) -> np.ndarray:
        """Mean cargo by site and fate over runs [S, F] (`unit`: 'teu' or 'vehicles')."""
        assert self.cargo_sums is not None
        sums = self.cargo_sums.total.reshape(2, self.n_sites, len(FATES))
        return sums[0 if unit == "teu" else 1] / max(self.cargo_sums.n, 1)

    def uncovered_quantile(self, q: float) -> np.ndarray:
        """Civilians uncovered by day at quantile `q` over runs (lower edge of its bin)."""
        out = np.full(self.horizon, math.nan)
        for t in range(self.horizon):
            counts = self.uncovered_hist[t]
            total = counts.sum()
            if total:
                idx = int(np.searchsorted(np.cumsum(counts), q * total, side="left"))
                out[t] = min(idx, counts.size - 1) * self.uncovered_width
        return out

    def uncovered_mean(self) -> np.ndarray:
        """Mean civilians uncovered by day, exactly from each site's closure-day tally."""
        days = np.arange(self.horizon)
        share_closed = np.zeros((self.n_sites, self.horizon))
        for i, tally in enumerate(self.site_days["closure_day"]):
            values, counts = tally.values(), tally.counts
            cum = np.cumsum(counts)
            upto = np.searchsorted(values, days, side="right")  # values <= day
            share_closed[i] = np.where(upto > 0, cum[np.maximum(upto - 1, 0)], 0) / max(
                self.runs, 1
            )
        return np.asarray(self.population @ share_closed)


def uncovered_by_day(closure_day: np.ndarray, population: np.ndarray, horizon: int) -> np.ndarray:
    """Civilians no longer covered at the end of each day [R, H]: the population of every
    site closed (`closure_day` [R, S], -1 never) on or before that day.

    Whole people (the scenario counts them so) sum exactly in any order, so each run's
    closures are added on their day and summed along the days, without the [R, S, H] mask
    a site-by-day product would build (the bulk of a block's summaries); other populations
    take that product."""
    closed = np.asarray(closure_day, dtype=np.int64)
    population = np.asarray(population, dtype=np.float64)
    if not _whole(population):
        covered = np.where(closed >= 0, closed, np.iinfo(np.int64).max)
        days = np.arange(horizon)
        mask = (covered[:, :, None] <= days[None, None, :]).transpose(0, 2, 1)
        return np.asarray(mask @ population)
    n_runs = closed.shape[0]
    runs, sites = np.nonzero((closed >= 0) & (closed < horizon))
    cells = runs * horizon + closed[runs, sites]
    on_day = np.bincount(cells, weights=population[sites], minlength=n_runs * horizon)
    return np.cumsum(on_day.reshape(n_runs, horizon), axis=1)


def _whole(values: np.ndarray) -> bool:
    """Whether `values` are whole numbers whose sums float64 holds exactly."""
    return bool(np.all(values == np.floor(values)) and np.abs(values).sum() < 2.0**53)


def _never_inf(days: np.ndarray) -> np.ndarray:
    values = np.asarray(days).astype(float)
    values[values < 0] = np.inf
    return values
