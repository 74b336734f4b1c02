"""Save and load simulation results: Parquet per-run outcomes and a JSON summary.

A results folder holds:

    summary.json       seed, runs, scenario and plan hashes, version, headline figures,
                       site and link names, incidents by place
    runs.parquet       one row per run (`SimulationResult.runs_frame`)
    sites.parquet      one row per run and site: closure day and cargo by fate
    fan.parquet        people in theatre by day: histogram counts (day, people bin, runs)
    timelines.parquet  people in theatre by day for every run (only when kept)
    lift.parquet       one row per lift and day: people seated, seats cleared (sums over runs)
    lift_runs.parquet  one row per run and lift: TEU and vehicles crossed (both only when the
                       scenario has lift rows)

`save` writes the folder atomically (an interrupted save leaves nothing half-written); `load`
refuses results written by another version or, when asked, for another scenario. The results
folder of a run (`drawdown.results`) keeps these files in its `simulation/` folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from drawdown._version import __version__
from drawdown.atomic import atomic_dir
from drawdown.errors import InputError, Problem
from drawdown.simulate.outcomes import RUN_COLUMNS, Collected
from drawdown.simulate.policy import FATES
from drawdown.simulate.result import Meta, SimulationResult

SUMMARY = "summary.json"
RUNS = "runs.parquet"
SITES = "sites.parquet"
FAN = "fan.parquet"
TIMELINES = "timelines.parquet"
LIFT = "lift.parquet"
LIFT_RUNS = "lift_runs.parquet"
#: closure-work columns of sites.parquet (one row per run and site)
SITE_DAYS = ("packed_day", "handover_day", "early_closed_site", "early_close_day")
FORMAT = 1


def save(result: SimulationResult, folder: str | os.PathLike[str]) -> Path:
    """Write `result` into `folder` atomically (files there that it does not write are kept)."""
    with atomic_dir(folder) as staging:
        _write(result, staging)
    return Path(folder)


def _write(result: SimulationResult, folder: Path) -> None:
    d = result.data
    summary = {
        "meta": result.meta.__dict__,
        "summary": result.summary_record(),
        "site_ids": list(d.site_ids),
        "site_kinds": list(d.site_kinds),
        "link_ids": list(d.link_ids),
        "horizon": d.horizon,
        "population": d.population.tolist(),
        "teu0": d.teu0.tolist(),
        "veh0": d.veh0.tolist(),
        "fan_bin": d.fan_bin,
        "fan_bins": int(d.fan_hist.shape[1]),
        "inc_link": d.inc_link.tolist(),
        "inc_site": d.inc_site.tolist(),
        "killed_link": d.killed_link.tolist(),
        "killed_site": d.killed_site.tolist(),
        "lift_ids": list(d.lift_ids),
    }
    (folder / SUMMARY).write_text(json.dumps(summary, indent=2, default=float) + "\n")
    pd.DataFrame(d.runs).to_parquet(folder / RUNS, index=False)
    sites = pd.DataFrame({"closure_day": d.closure_day.ravel()})
    for f, name in enumerate(FATES):
        sites[f"teu_{name}"] = d.teu_fate[:, :, f].ravel()
        sites[f"vehicles_{name}"] = d.veh_fate[:, :, f].ravel()
    for name in SITE_DAYS:
        sites[name] = getattr(d, name).ravel()
    sites.to_parquet(folder / SITES, index=False)
    day, people_bin = np.nonzero(d.fan_hist)
    fan = pd.DataFrame({"day": day, "bin": people_bin, "runs": d.fan_hist[day, people_bin]})
    fan.to_parquet(folder / FAN, index=False)
    if d.timelines is not None:
        pd.DataFrame(d.timelines, columns=[f"d{t}" for t in range(d.horizon)]).to_parquet(
            folder / TIMELINES, index=False
        )
    if d.lift_ids:
        _write_lift(d, folder)


def _write_lift(d: Collected, folder: Path) -> None:
    """The strategic-lift files (only for scenarios with lift rows)."""
    n_lift, horizon = d.lift_people_by_day.shape
    pd.DataFrame(
        {
            "lift": np.repeat(np.arange(n_lift), horizon),
            "day": np.tile(np.arange(horizon), n_lift),
            "people_seated": d.lift_people_by_day.ravel(),
            "seats": d.lift_seats_by_day.ravel(),
        }
    ).to_parquet(folder / LIFT, index=False)
    n_runs = d.lift_teu_crossed.shape[0]
    pd.DataFrame(
        {
            "run": np.repeat(np.arange(n_runs), n_lift),
            "lift": np.tile(np.arange(n_lift), n_runs),
            "teu_crossed": d.lift_teu_crossed.ravel(),
            "vehicles_crossed": d.lift_vehicles_crossed.ravel(),
        }
    ).to_parquet(folder / LIFT_RUNS, index=False)


def load(folder: str | os.PathLike[str], *, scenario_hash: str | None = None) -> SimulationResult:
    """Read results saved by `save`; refuse another version's or another scenario's."""
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
        raw = json.loads(path.read_text())
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
    missing = [name for name in (RUNS, SITES, FAN) if not (folder / name).is_file()]
    if missing:
        problems.append(Problem(str(folder), "", f"missing {', '.join(missing)}", "simulate again"))
    if problems:
        raise InputError(problems, title="cannot use these simulation results")
    n_sites = len(raw["site_ids"])
    runs_df = pd.read_parquet(folder / RUNS)
    sites = pd.read_parquet(folder / SITES)
    n_runs = len(runs_df)
    fan = pd.read_parquet(folder / FAN)
    hist = np.zeros((raw["horizon"], raw["fan_bins"]), dtype=np.int64)
    hist[fan["day"].to_numpy(), fan["bin"].to_numpy()] = fan["runs"].to_numpy()

    def fates(unit: str) -> np.ndarray:
        cols = [sites[f"{unit}_{f}"].to_numpy(np.float32) for f in FATES]
        return np.stack(cols, axis=1).reshape(n_runs, n_sites, len(FATES))

    lift_ids = tuple(raw.get("lift_ids", ()))
    n_lift = len(lift_ids)
    horizon = int(raw["horizon"])
    lift_days = np.zeros((2, n_lift, horizon))
    if (folder / LIFT).is_file():
        lift = pd.read_parquet(folder / LIFT)
        lift_days[0] = lift["people_seated"].to_numpy(float).reshape(n_lift, horizon)
        lift_days[1] = lift["seats"].to_numpy(float).reshape(n_lift, horizon)
    lift_runs = np.zeros((2, n_runs, n_lift))
    if (folder / LIFT_RUNS).is_file():
        per_run = pd.read_parquet(folder / LIFT_RUNS)
        lift_runs[0] = per_run["teu_crossed"].to_numpy(float).reshape(n_runs, n_lift)
        lift_runs[1] = per_run["vehicles_crossed"].to_numpy(float).reshape(n_runs, n_lift)

    def site_days(name: str, dtype: type) -> np.ndarray:
        if name not in sites:
            return np.full((n_runs, n_sites), 0 if name == "early_closed_site" else -1, dtype)
        return sites[name].to_numpy(dtype).reshape(n_runs, n_sites)

    timelines = None
    if (folder / TIMELINES).is_file():
        timelines = pd.read_parquet(folder / TIMELINES).to_numpy(np.int32)
    data = Collected(
        site_ids=tuple(raw["site_ids"]),
        site_kinds=tuple(raw["site_kinds"]),
        link_ids=tuple(raw["link_ids"]),
        horizon=int(raw["horizon"]),
        population=np.array(raw["population"], dtype=float),
        teu0=np.array(raw["teu0"], dtype=float),
        veh0=np.array(raw["veh0"], dtype=float),
        runs={name: runs_df[name].to_numpy() for name in RUN_COLUMNS},
        closure_day=sites["closure_day"].to_numpy(np.int16).reshape(n_runs, n_sites),
        teu_fate=fates("teu"),
        veh_fate=fates("vehicles"),
        fan_hist=hist,
        fan_bin=int(raw["fan_bin"]),
        inc_link=np.array(raw["inc_link"], dtype=np.int64).reshape(-1, 2),
        inc_site=np.array(raw["inc_site"], dtype=np.int64).reshape(-1, 2),
        killed_link=np.array(raw["killed_link"], dtype=float),
        killed_site=np.array(raw["killed_site"], dtype=float),
        timelines=timelines,
        packed_day=site_days("packed_day", np.int16),
        handover_day=site_days("handover_day", np.int16),
        early_closed_site=site_days("early_closed_site", np.int8),
        early_close_day=site_days("early_close_day", np.int16),
        lift_ids=lift_ids,
        lift_people_by_day=lift_days[0],
        lift_seats_by_day=lift_days[1],
        lift_teu_crossed=lift_runs[0],
        lift_vehicles_crossed=lift_runs[1],
    )
    return SimulationResult(meta, data)


save_results = save
load_results = load
