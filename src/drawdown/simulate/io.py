"""Save and load simulation results: Parquet per-run outcomes and a JSON summary.

A results folder holds (every Parquet file names its run, site and lift in columns):

    summary.json          seed, runs, scenario and plan hashes, version, headline figures,
                          site and link names, incidents by place, the streaming statistics
    runs.parquet          one row per run (`SimulationResult.runs_frame`)
    sites.parquet         one row per run and site: closure day, cargo by fate, closure work
    fan.parquet           people in theatre by day: histogram counts (day, people, runs)
    teu_out.parquet       TEU out of the theatre by the end of each day: histogram counts
                          (day, teu_low, teu_high, runs; bins of `teu_out_bin` TEU)
    uncovered.parquet     civilians uncovered by day: histogram counts
    distributions.parquet the tallies the quantiles come from (figure, place, value, runs)
    timelines.parquet     people in theatre by day for every run (only when kept)
    teu_out_timelines.parquet  TEU out of the theatre by day for every run (with timelines)
    lift.parquet          one row per lift and day: people seated, seats cleared (sums over runs)
    lift_runs.parquet     one row per run and lift: TEU and vehicles crossed (both only when the
                          scenario has lift rows)
    units.parquet         one row per run and unit: the day its last person left the theatre

Per-run tables are written as the runs finish (`RunSink`: one Parquet row group a block of
runs), so a simulation streamed to a folder never holds all its runs in memory. `save`
writes a folder atomically (an interrupted save leaves nothing half-written); `load`
refuses results written by another version or, when asked, for another scenario, and reads
the per-run tables only when asked (`per_run=True`). summary.json is strict JSON: a figure
that is not a finite number is `null` (`NULLS` says what that means for each).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from drawdown._version import __version__
from drawdown.atomic import atomic_dir
from drawdown.errors import InputError, Problem
from drawdown.jsonout import dumps_strict
from drawdown.simulate.outcomes import PER_SITE, RUN_COLUMNS, Block, Collected, _dtype
from drawdown.simulate.policy import FATES
from drawdown.simulate.result import Meta, SimulationResult
from drawdown.simulate.stats import Moments, Sums, Tally
from drawdown.simulate.summaries import LIFT_CROSSED, TALLIED, Summaries
from drawdown.simulate.summaries import SITE_DAYS as DAY_TALLIES

SUMMARY = "summary.json"
RUNS = "runs.parquet"
SITES = "sites.parquet"
FAN = "fan.parquet"
UNCOVERED = "uncovered.parquet"
DISTRIBUTIONS = "distributions.parquet"
TIMELINES = "timelines.parquet"
TEU_OUT = "teu_out.parquet"
TEU_OUT_TIMELINES = "teu_out_timelines.parquet"
LIFT = "lift.parquet"
LIFT_RUNS = "lift_runs.parquet"
UNITS = "units.parquet"
PER_RUN_FILES = (RUNS, SITES, TIMELINES, TEU_OUT_TIMELINES, LIFT_RUNS, UNITS)
#: closure-work columns of sites.parquet (one row per run and site)
SITE_DAYS = ("packed_day", "handover_day", "early_closed_site", "early_close_day")
FORMAT = 2
#: what `null` means in summary.json's headline figures (the JSON has no Infinity or NaN)
NULLS = {
    "completion_day_q*, completion_day_q*_low, _high": "never: in that share of runs some "
    "people never left (an infinite day)",
    "*_mean_low, *_mean_high, *_share_low, *_share_high": "no interval: fewer than two runs",
}


ROW_GROUP_RUNS = 16_384  # runs a Parquet row group holds (a file's metadata grows by group)


class RunSink:
    """Writes per-run tables to Parquet as blocks of runs finish, a row group every
    `ROW_GROUP_RUNS` runs (so memory and the files' metadata stay small)."""

    def __init__(self, folder: Path, site_ids: tuple[str, ...], lift_ids: tuple[str, ...]):
        self.folder, self.site_ids, self.lift_ids = folder, site_ids, lift_ids
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._pending: dict[str, list[pa.Table]] = {}
        self._pending_runs = 0

    def write(self, block: Block) -> None:
        n, n_sites = block.size, len(self.site_ids)
        run = np.arange(block.start, block.start + n, dtype=np.int64)
        self._append(RUNS, {"run": run, **{k: block.runs[k] for k in RUN_COLUMNS}})
        sites: dict[str, Any] = {
            "run": np.repeat(run, n_sites),
            "site": pa.DictionaryArray.from_arrays(
                np.tile(np.arange(n_sites, dtype=np.int32), n), list(self.site_ids)
            ),
            "closure_day": block.closure_day.ravel(),
        }
        for f, name in enumerate(FATES):
            sites[f"teu_{name}"] = block.teu_fate[:, :, f].ravel()
            sites[f"vehicles_{name}"] = block.veh_fate[:, :, f].ravel()
        for name in SITE_DAYS:
            sites[name] = getattr(block, name).ravel()
        self._append(SITES, sites)
        self._pending_runs += n
        by_day = ((TIMELINES, block.timelines), (TEU_OUT_TIMELINES, block.teu_out_timelines))
        for name, timelines in by_day:
            if timelines is not None:
                days = {f"d{t}": timelines[:, t] for t in range(timelines.shape[1])}
                self._append(name, {"run": run, **days})
        if self.lift_ids:
            n_lift = len(self.lift_ids)
            self._append(
                LIFT_RUNS,
                {
                    "run": np.repeat(run, n_lift),
                    "lift": pa.DictionaryArray.from_arrays(
                        np.tile(np.arange(n_lift, dtype=np.int32), n), list(self.lift_ids)
                    ),
                    "teu_crossed": block.lift_teu_crossed.ravel(),
                    "vehicles_crossed": block.lift_vehicles_crossed.ravel(),
                },
            )
        if self._pending_runs >= ROW_GROUP_RUNS:
            self._flush()

    def _append(self, name: str, columns: dict[str, Any]) -> None:
        self._pending.setdefault(name, []).append(pa.table(columns))

    def _flush(self) -> None:
        for name, tables in self._pending.items():
            table = pa.concat_tables(tables)
            if name not in self._writers:
                self._writers[name] = pq.ParquetWriter(self.folder / name, table.schema)
            self._writers[name].write_table(table, row_group_size=len(table))
        self._pending, self._pending_runs = {}, 0

    def close(self) -> None:
        """Write what is pending and close the files (an empty run set writes none)."""
        try:
            if self._pending_runs:
                self._flush()
        finally:
            for writer in self._writers.values():
                writer.close()
            self._writers.clear()


UNIT_OUT_DAY = "unit_out_day"  # the distributions' figure of units' out days (place: unit)


def save(result: SimulationResult, folder: str | os.PathLike[str]) -> Path:
    """Write `result` into `folder` atomically (files there that it does not write are kept).

    The per-run tables come from the result's memory when it kept its runs, else from the
    folder it was streamed to (hard-linked: they are never changed in place)."""
    with atomic_dir(folder) as staging:
        if result.kept:
            sink = RunSink(staging, result.data.site_ids, result.data.lift_ids)
            try:
                for block in kept_blocks(result.data):
                    sink.write(block)
            finally:
                sink.close()
        elif result.source is not None and (Path(result.source) / RUNS).is_file():
            for name in PER_RUN_FILES:
                if (Path(result.source) / name).is_file():
                    _link(Path(result.source) / name, staging / name)
        else:
            raise ValueError("this result kept no per-run outcomes: simulate with out= to save")
        write_summaries(result, staging)
    return Path(folder)


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        import shutil

        shutil.copy2(src, dst)


def kept_blocks(d: Collected, step: int = 65_536) -> Iterator[Block]:
    """The kept runs of `d` as blocks (for writing them as they would have streamed)."""
    n = d.closure_day.shape[0]
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        yield Block(
            start=start,
            runs={name: d.runs[name][rows] for name in RUN_COLUMNS},
            **{name: getattr(d, name)[rows] for name in PER_SITE},
            lift_teu_crossed=d.lift_teu_crossed[rows],
            lift_vehicles_crossed=d.lift_vehicles_crossed[rows],
            timelines=None if d.timelines is None else d.timelines[rows],
            teu_out_timelines=None if d.teu_out_timelines is None else d.teu_out_timelines[rows],
        )


def write_summaries(result: SimulationResult, folder: Path) -> None:
    """Write what does not grow with the runs: summary.json and the histogram tables."""
    d, s = result.data, result.summaries
    summary = {
        "meta": result.meta.__dict__,
        "summary": result.summary_record(),
        "nulls": NULLS,
        "site_ids": list(d.site_ids),
        "site_kinds": list(d.site_kinds),
        "link_ids": list(d.link_ids),
        "horizon": d.horizon,
        "population": d.population.tolist(),
        "teu0": d.teu0.tolist(),
        "veh0": d.veh0.tolist(),
        "fan_bin": d.fan_bin,
        "fan_bins": int(d.fan_hist.shape[1]),
        **(
            {}
            if d.teu_out_hist is None
            else {"teu_out_bin": d.teu_out_bin, "teu_out_bins": int(d.teu_out_hist.shape[1])}
        ),
        "inc_link": d.inc_link.tolist(),
        "inc_site": d.inc_site.tolist(),
        "killed_link": d.killed_link.tolist(),
        "killed_site": d.killed_site.tolist(),
        "lift_ids": list(d.lift_ids),
        "stats": _stats_state(s),
        "unit_ids": list(d.unit_ids),
        "early_close_people": d.early_close_people.tolist(),
        # people out by exit and day (sums over runs), exits only: {site: [day 0, day 1, ...]}
        "exit_people_by_day": {
            site: d.exit_people_by_day[i].tolist()
            for i, site in enumerate(d.site_ids)
            if d.exit_people_by_day.size and d.exit_people_by_day[i].any()
        },
    }
    (folder / SUMMARY).write_text(dumps_strict(summary, indent=2) + "\n", encoding="utf-8")
    _hist_frame(d.fan_hist, d.fan_bin, "people").to_parquet(folder / FAN, index=False)
    if d.teu_out_hist is not None:
        frame = _hist_frame(d.teu_out_hist, d.teu_out_bin, "teu")
        frame.to_parquet(folder / TEU_OUT, index=False)
    day, civ_bin = np.nonzero(s.uncovered_hist)
    pd.DataFrame(
        {
            "day": day.astype(np.int64),
            "civilians_low": civ_bin * s.uncovered_width,
            "civilians_high": (civ_bin + 1) * s.uncovered_width,
            "runs": s.uncovered_hist[day, civ_bin],
        }
    ).to_parquet(folder / UNCOVERED, index=False)
    _write_distributions(result, folder / DISTRIBUTIONS)
    if d.lift_ids:
        n_lift, horizon = d.lift_people_by_day.shape
        pd.DataFrame(
            {
                "lift": pd.Categorical(np.repeat(np.array(d.lift_ids, dtype=object), horizon)),
                "day": np.tile(np.arange(horizon, dtype=np.int64), n_lift),
                "people_seated": d.lift_people_by_day.ravel(),
                "seats": d.lift_seats_by_day.ravel(),
            }
        ).to_parquet(folder / LIFT, index=False)
    if d.unit_ids and d.unit_out_day.shape[0]:
        n_runs, n_units = d.unit_out_day.shape
        pd.DataFrame(
            {
                "run": np.repeat(np.arange(n_runs, dtype=np.int64), n_units),
                "unit": pd.Categorical(np.tile(np.array(d.unit_ids, dtype=object), n_runs)),
                "out_day": d.unit_out_day.ravel().astype(np.int64),
            }
        ).to_parquet(folder / UNITS, index=False)


def _hist_frame(hist: np.ndarray, width: int, unit: str) -> pd.DataFrame:
    """A per-day histogram's non-empty cells: day, `unit`_low, `unit`_high (bin edges, whole
    units), runs."""
    day, bin_ = np.nonzero(hist)
    return pd.DataFrame(
        {
            "day": day.astype(np.int64),
            f"{unit}_low": (bin_ * width).astype(np.int64),
            f"{unit}_high": ((bin_ + 1) * width - 1).astype(np.int64),
            "runs": hist[day, bin_],
        }
    )


def _read_hist(path: Path, horizon: int, n_bins: int, width: int, unit: str) -> np.ndarray:
    """The per-day histogram `_hist_frame` wrote to `path`."""
    frame = pd.read_parquet(path)
    hist = np.zeros((horizon, n_bins), dtype=np.int64)
    bins = frame[f"{unit}_low"].to_numpy(np.int64) // width
    hist[frame["day"].to_numpy(np.int64), bins] = frame["runs"].to_numpy()
    return hist


def _tallies(result: SimulationResult) -> Iterator[tuple[str, str, Tally]]:
    """(figure, place, tally): run figures (place ''), site days, lift crossings."""
    s, d = result.summaries, result.data
    for name, tally in s.tallies.items():
        yield name, "", tally
    for name, tallies in s.site_days.items():
        for site, tally in zip(d.site_ids, tallies, strict=True):
            yield name, site, tally
    for name, tallies in s.lift_crossed.items():
        for lift, tally in zip(d.lift_ids, tallies, strict=True):
            yield name, lift, tally
    for unit, tally in zip(d.unit_ids, s.unit_days, strict=True):
        yield UNIT_OUT_DAY, unit, tally


def _write_distributions(result: SimulationResult, path: Path) -> None:
    """distributions.parquet, built column by column (its size is bounded by the tallies'
    `MAX_EXACT` values per figure, not by the runs)."""
    figures: dict[str, int] = {}
    places: dict[str, int] = {}
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("figure", "place", "value", "runs")}
    binned = []
    for figure, place, tally in _tallies(result):
        n = tally.keys.size
        parts["figure"].append(np.full(n, figures.setdefault(figure, len(figures)), np.int32))
        parts["place"].append(np.full(n, places.setdefault(place, len(places)), np.int32))
        parts["value"].append(tally.values())
        parts["runs"].append(tally.counts)
        binned.append(np.full(n, tally.binned))
    joined = {k: np.concatenate(v) for k, v in parts.items()}
    table = pa.table(
        {
            "figure": pa.DictionaryArray.from_arrays(joined["figure"], list(figures)),
            "place": pa.DictionaryArray.from_arrays(joined["place"], list(places)),
            "value": joined["value"],
            "runs": joined["runs"].astype(np.int64),
            "binned": np.concatenate(binned),
        }
    )
    pq.write_table(table, path)


def _stats_state(s: Summaries) -> dict[str, Any]:
    assert s.cargo_sums is not None
    return {
        "runs": s.runs,
        "all_out": s.all_out,
        "moments": s.moments.state(),
        "early_closed": s.early_closed.tolist(),
        "cargo_runs": s.cargo_sums.n,
        "cargo_sums": s.cargo_sums.total.tolist(),
        "uncovered_width": s.uncovered_width,
    }


def _restore_stats(raw: dict[str, Any], folder: Path) -> Summaries:
    state = raw["stats"]
    n_sites, n_lift, horizon = len(raw["site_ids"]), len(raw["lift_ids"]), int(raw["horizon"])
    cargo = Sums(2 * n_sites * len(FATES), window=0)
    cargo.n, cargo.total = int(state["cargo_runs"]), np.array(state["cargo_sums"], float)
    frame = pd.read_parquet(folder / DISTRIBUTIONS)
    groups = {
        (str(f), str(p)): g for (f, p), g in frame.groupby(["figure", "place"], observed=True)
    }

    def tally(figure: str, place: str) -> Tally:
        g = groups.get((figure, place))
        if g is None:
            return Tally()
        binned = bool(g["binned"].iloc[0])
        return Tally.restore(g["value"].to_numpy(float), g["runs"].to_numpy(np.int64), binned)

    s = Summaries(
        n_sites=n_sites,
        n_lift=n_lift,
        horizon=horizon,
        population=np.array(raw["population"], dtype=float),
        teu0_total=float(np.sum(raw["teu0"])),
        veh0_total=float(np.sum(raw["veh0"])),
        runs=int(state["runs"]),
        all_out=int(state["all_out"]),
        moments=Moments.restore(state["moments"]),
        tallies={name: tally(name, "") for name in TALLIED},
        site_days={name: [tally(name, site) for site in raw["site_ids"]] for name in DAY_TALLIES},
        early_closed=np.array(state["early_closed"], dtype=np.int64),
        lift_crossed={
            name: [tally(name, lift) for lift in raw["lift_ids"]] for name in LIFT_CROSSED
        },
        cargo_sums=cargo,
        n_units=len(raw.get("unit_ids", ())),
        unit_days=[tally(UNIT_OUT_DAY, unit) for unit in raw.get("unit_ids", ())],
    )
    unc = pd.read_parquet(folder / UNCOVERED)
    bins = np.rint(unc["civilians_low"].to_numpy(float) / s.uncovered_width).astype(np.int64)
    s.uncovered_hist[unc["day"].to_numpy(np.int64), bins] = unc["runs"].to_numpy(np.int64)
    return s


def load(
    folder: str | os.PathLike[str], *, scenario_hash: str | None = None, per_run: bool = True
) -> SimulationResult:
    """Read results saved by `save`; refuse another version's or another scenario's.

    With `per_run=False` the per-run tables stay on disk (the result's summaries, report
    views and `runs_frame` still work): memory then does not grow with the run count."""
    folder = Path(folder)
    path = folder / SUMMARY
    if not path.is_file():
        raise InputError(
            Problem(
                str(folder),
                "",
                f"no {SUMMARY}: not a simulation results folder",
                "point to a folder written by drawdown simulate -o",
            )
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        meta = Meta(**raw["meta"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            Problem(str(path), "", f"unreadable summary ({exc})", "simulate again")
        ) from exc
    problems = []
    if meta.format != FORMAT or meta.version != __version__:
        problems.append(
            Problem(
                str(path),
                "meta.version",
                f"written by drawdown {meta.version} (format {meta.format}); "
                f"this is drawdown {__version__} (format {FORMAT})",
                "simulate again with this version",
            )
        )
    if scenario_hash is not None and meta.scenario_hash != scenario_hash:
        problems.append(
            Problem(
                str(path),
                "meta.scenario_hash",
                f"results are for scenario {meta.scenario_name!r} (hash {meta.scenario_hash}), "
                f"not this one (hash {scenario_hash})",
                "simulate this scenario, or load the results that belong to it",
            )
        )
    needed = (RUNS, SITES, FAN, UNCOVERED, DISTRIBUTIONS)
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        problems.append(Problem(str(folder), "", f"missing {', '.join(missing)}", "simulate again"))
    if problems:
        raise InputError(problems, title="cannot use these simulation results")
    stats = _restore_stats(raw, folder)
    data = _aggregates(raw, folder)
    if per_run:
        _read_per_run(data, folder, meta.runs)
    return SimulationResult(meta, data, stats=stats, source=folder)


def _aggregates(raw: dict[str, Any], folder: Path) -> Collected:
    """What summary.json and the small tables hold; per-run arrays with no rows."""
    site_ids, lift_ids = tuple(raw["site_ids"]), tuple(raw.get("lift_ids", ()))
    n_sites, n_lift, horizon = len(site_ids), len(lift_ids), int(raw["horizon"])
    hist = _read_hist(folder / FAN, horizon, int(raw["fan_bins"]), int(raw["fan_bin"]), "people")
    # a folder made before the stress test recorded TEU out by day has no table of them
    teu_out = None
    if (folder / TEU_OUT).is_file() and "teu_out_bin" in raw:
        width, n_bins = int(raw["teu_out_bin"]), int(raw["teu_out_bins"])
        teu_out = _read_hist(folder / TEU_OUT, horizon, n_bins, width, "teu")
    lift_days = np.zeros((2, n_lift, horizon))
    if (folder / LIFT).is_file():
        lift = pd.read_parquet(folder / LIFT)
        row = lift["lift"].astype(str).map({x: i for i, x in enumerate(lift_ids)}).to_numpy(int)
        day = lift["day"].to_numpy(np.int64)
        lift_days[0, row, day] = lift["people_seated"].to_numpy(float)
        lift_days[1, row, day] = lift["seats"].to_numpy(float)
    empty: dict[str, Any] = {
        "closure_day": np.zeros((0, n_sites), np.int16),
        "teu_fate": np.zeros((0, n_sites, len(FATES)), np.float32),
        "veh_fate": np.zeros((0, n_sites, len(FATES)), np.float32),
        "packed_day": np.zeros((0, n_sites), np.int16),
        "handover_day": np.zeros((0, n_sites), np.int16),
        "early_closed_site": np.zeros((0, n_sites), np.int8),
        "early_close_day": np.zeros((0, n_sites), np.int16),
    }
    return Collected(
        site_ids=site_ids,
        site_kinds=tuple(raw["site_kinds"]),
        link_ids=tuple(raw["link_ids"]),
        horizon=horizon,
        population=np.array(raw["population"], dtype=float),
        teu0=np.array(raw["teu0"], dtype=float),
        veh0=np.array(raw["veh0"], dtype=float),
        runs={name: np.zeros(0, dtype=_dtype(name)) for name in RUN_COLUMNS},
        fan_hist=hist,
        fan_bin=int(raw["fan_bin"]),
        teu_out_hist=teu_out,
        teu_out_bin=int(raw.get("teu_out_bin", 1)),
        inc_link=np.array(raw["inc_link"], dtype=np.int64).reshape(-1, 2),
        inc_site=np.array(raw["inc_site"], dtype=np.int64).reshape(-1, 2),
        killed_link=np.array(raw["killed_link"], dtype=float),
        killed_site=np.array(raw["killed_site"], dtype=float),
        lift_ids=lift_ids,
        lift_people_by_day=lift_days[0],
        lift_seats_by_day=lift_days[1],
        lift_teu_crossed=np.zeros((0, n_lift)),
        lift_vehicles_crossed=np.zeros((0, n_lift)),
        unit_ids=tuple(raw.get("unit_ids", ())),
        unit_out_day=np.zeros((0, len(raw.get("unit_ids", ()))), np.int16),
        early_close_people=np.array(raw.get("early_close_people", [0.0] * n_sites), dtype=float),
        exit_people_by_day=_exit_days(raw, n_sites),
        **empty,
    )


def _read_per_run(d: Collected, folder: Path, n_runs: int) -> None:
    """Fill `d`'s per-run arrays from the Parquet tables, placed by their run, site and lift
    columns (not by row position)."""
    runs = pd.read_parquet(folder / RUNS)
    order = runs["run"].to_numpy(np.int64)
    for name in RUN_COLUMNS:
        values: np.ndarray = np.zeros(n_runs, dtype=_dtype(name))
        values[order] = runs[name].to_numpy()
        d.runs[name] = values
    sites = pd.read_parquet(folder / SITES)
    run = sites["run"].to_numpy(np.int64)
    site = sites["site"].astype(str).map({x: i for i, x in enumerate(d.site_ids)}).to_numpy(int)
    n_sites = len(d.site_ids)

    def by_site(column: str, dtype: type) -> np.ndarray:
        out: np.ndarray = np.zeros((n_runs, n_sites), dtype=dtype)
        out[run, site] = sites[column].to_numpy(dtype)
        return out

    d.closure_day = by_site("closure_day", np.int16)
    d.teu_fate = np.stack([by_site(f"teu_{f}", np.float32) for f in FATES], axis=2)
    d.veh_fate = np.stack([by_site(f"vehicles_{f}", np.float32) for f in FATES], axis=2)
    d.packed_day = by_site("packed_day", np.int16)
    d.handover_day = by_site("handover_day", np.int16)
    d.early_closed_site = by_site("early_closed_site", np.int8)
    d.early_close_day = by_site("early_close_day", np.int16)
    n_lift = len(d.lift_ids)
    d.lift_teu_crossed = np.zeros((n_runs, n_lift))
    d.lift_vehicles_crossed = np.zeros((n_runs, n_lift))
    if (folder / LIFT_RUNS).is_file():
        per_run = pd.read_parquet(folder / LIFT_RUNS)
        r = per_run["run"].to_numpy(np.int64)
        x = per_run["lift"].astype(str).map({k: i for i, k in enumerate(d.lift_ids)})
        d.lift_teu_crossed[r, x.to_numpy(int)] = per_run["teu_crossed"].to_numpy(float)
        d.lift_vehicles_crossed[r, x.to_numpy(int)] = per_run["vehicles_crossed"].to_numpy(float)
    d.unit_out_day = np.full((n_runs, len(d.unit_ids)), -1, dtype=np.int16)
    if d.unit_ids and (folder / UNITS).is_file():
        per_unit = pd.read_parquet(folder / UNITS)
        u = per_unit["unit"].astype(str).map({k: i for i, k in enumerate(d.unit_ids)})
        d.unit_out_day[per_unit["run"].to_numpy(np.int64), u.to_numpy(int)] = per_unit[
            "out_day"
        ].to_numpy(np.int16)
    d.timelines = _read_timelines(folder / TIMELINES, n_runs, d.horizon)
    d.teu_out_timelines = _read_timelines(folder / TEU_OUT_TIMELINES, n_runs, d.horizon)


def _read_timelines(path: Path, n_runs: int, horizon: int) -> np.ndarray | None:
    """Per-run values by day (columns run, d0, d1, ...), placed by run; None without a file."""
    if not path.is_file():
        return None
    frame = pd.read_parquet(path)
    timelines = np.zeros((n_runs, horizon), dtype=np.int32)
    timelines[frame["run"].to_numpy(np.int64)] = frame.drop(columns="run").to_numpy(np.int32)
    return timelines


def _exit_days(raw: dict[str, Any], n_sites: int) -> np.ndarray:
    """People out by exit and day from summary.json (zeros for sites it does not list)."""
    horizon = int(raw["horizon"])
    out = np.zeros((n_sites, horizon))
    for site, days in raw.get("exit_people_by_day", {}).items():
        out[list(raw["site_ids"]).index(site)] = days
    return out


save_results = save
load_results = load
