"""Analysis results in a results folder: written by the analyses, read by the report.

Each analysis gets its own folder beside the report (atomic, like the rest of the folder):

    compare/      compare.csv (key figures, differences), compare_fan.csv, compare_gantt.csv
    sensitivity/  sensitivity.csv (S1/ST with intervals, or Morris mu*/sigma)
    check/        check.csv (one row per observation), check_by_kind.csv
    calibration/  calibration_rates.csv (pooled posterior rates), calibration_estimates.csv
                  (by period), calibration_unmatched.csv

and an `analysis.json` with what the report needs besides the tables: the scenario's name and
hash (an analysis of another scenario is refused, never mixed in), seed, runs and settings.
The report draws its figures again from these tables, so a rebuilt report needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from drawdown.atomic import atomic_dir
from drawdown.errors import InputError, Problem
from drawdown.hxl import read_csv, write_csv
from drawdown.results.layout import (
    CALIBRATION_DIR,
    CHECK_DIR,
    COMPARE_DIR,
    INFO_FILE,
    SENSITIVITY_DIR,
    SWEEP_DIR,
    AnalysisInfo,
    check_analyses,
)

# --- writing -----------------------------------------------------------------------------------


def write_analysis(results: Path, kind: str, write: Callable[[Path], object]) -> Path:
    """Write RESULTS/KIND/ in one piece, replacing an earlier one; other entries are kept.

    `write(folder)` is one of the `save_*` functions below (with, for the CLI, the figures'
    PNGs beside the tables); an interrupted write leaves RESULTS as it was.
    """
    with atomic_dir(results) as staging:
        write(staging / kind)
    return results / kind


def save_comparison(comparison: Any, folder: Path, *, notes: dict[str, str] | None = None) -> Path:
    """Write a `drawdown.analyse.compare.Comparison`: key figures, fan and Gantt tables."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(comparison.figures, folder / "compare.csv")
    write_csv(comparison.fan_frame(), folder / "compare_fan.csv")
    write_csv(comparison.gantt_frame(), folder / "compare_gantt.csv")
    first = comparison.options[0].scenario
    options = [
        {
            "label": o.label,
            "scenario_name": o.scenario.name,
            "scenario_hash": o.scenario.content_hash(),
            "start_date": o.scenario.manifest.start_date.isoformat(),
            "deadline": o.scenario.manifest.deadline.isoformat(),
            "plan_method": o.plan.method,
        }
        for o in comparison.options
    ]
    info = AnalysisInfo.new(
        COMPARE_DIR,
        first.name,
        first.content_hash(),
        seed=comparison.seed,
        runs=comparison.runs,
        details={"options": options, "notes": dict(notes or {})},
    )
    (folder / INFO_FILE).write_text(info.to_json(), encoding="utf-8")
    return folder


def save_sensitivity(
    result: Any, folder: Path, scenario: Any, *, seed: int, notes: dict[str, str] | None = None
) -> Path:
    """Write a `drawdown.analyse.sensitivity.SensitivityResult`: the indices and settings."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(result.indices, folder / "sensitivity.csv")
    declared = {u.parameter: u for u in scenario.manifest.uncertainties}
    ranges = [
        {
            "parameter": p,
            "low": declared[p].low if p in declared else math.nan,
            "high": declared[p].high if p in declared else math.nan,
            "scale": declared[p].scale if p in declared else "",
            "source": declared[p].source if p in declared else "",
        }
        for p in result.parameters
    ]
    info = AnalysisInfo.new(
        SENSITIVITY_DIR,
        scenario.name,
        scenario.content_hash(),
        seed=seed,
        runs=result.parameter_sets * result.runs_per_set,
        details={
            "method": result.method,
            "parameters": list(result.parameters),
            "outputs": list(dict.fromkeys(result.indices["output"])),
            "samples": result.samples,
            "parameter_sets": result.parameter_sets,
            "runs_per_set": result.runs_per_set,
            "replanned": bool(result.replanned),
            "seconds": round(result.seconds, 2),
            "ranges": ranges,
            "notes": dict(notes or {}),
        },
    )
    (folder / INFO_FILE).write_text(info.to_json(), encoding="utf-8")
    return folder


def save_check(
    result: Any, folder: Path, scenario: Any, *, seed: int, notes: dict[str, str] | None = None
) -> Path:
    """Write a `drawdown.analyse.check.CheckResult`: scores per observation and by kind."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(result.scores, folder / "check.csv")
    write_csv(result.by_kind(), folder / "check_by_kind.csv")
    info = AnalysisInfo.new(
        CHECK_DIR,
        scenario.name,
        scenario.content_hash(),
        seed=seed,
        runs=result.runs,
        details={
            "spearman": _num(result.closure_order_spearman),
            "spearman_p": _num(result.closure_order_p_value),
            "declared_sets": int(result.declared_sets),
            "notes": dict(notes or {}),
        },
    )
    (folder / INFO_FILE).write_text(info.to_json(), encoding="utf-8")
    return folder


def save_calibration(
    result: Any,
    folder: Path,
    scenario: Any,
    *,
    notes: dict[str, str] | None = None,
    calibrated_hash: str | None = None,
) -> Path:
    """Write a `drawdown.analyse.calibrate.CalibrationResult`: rates, estimates, unmatched."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(result.pooled(), folder / "calibration_rates.csv")
    write_csv(result.estimates, folder / "calibration_estimates.csv")
    write_csv(result.unmatched, folder / "calibration_unmatched.csv")
    info = AnalysisInfo.new(
        CALIBRATION_DIR,
        scenario.name,
        scenario.content_hash(),
        details={
            "file": Path(result.file).name,
            "start": result.start.isoformat(),
            "end": result.end.isoformat(),
            "buffer_km": result.buffer_km,
            "credible": result.credible,
            "rows_read": result.rows_read,
            "matched": len(result.matched),
            "unmatched": len(result.unmatched),
            "dropped": dict(result.dropped),
            "exposure": result.exposure.describe(),
            "notes": dict(notes or {}),
            # the scenario with the threats this calibration wrote: its runs may show it too
            "calibrated_hash": calibrated_hash,
        },
    )
    (folder / INFO_FILE).write_text(info.to_json(), encoding="utf-8")
    return folder


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareData:
    """A saved comparison, as the report draws it: tables and each option's dates."""

    labels: tuple[str, ...]
    start_dates: tuple[dt.date, ...]
    deadline: dt.date
    runs: int
    seed: int | None
    figures: pd.DataFrame  # figure, label, unit, option, value, low, high, diff, ...
    fan: pd.DataFrame  # option, day, q05..q95, date
    gantt: pd.DataFrame  # option, site, q05, q50, q95, planned_day
    options: tuple[dict[str, Any], ...] = ()
    notes: dict[str, str] = field(default_factory=dict)

    def fan_frame(self) -> pd.DataFrame:
        return self.fan

    def gantt_frame(self) -> pd.DataFrame:
        return self.gantt


@dataclass(frozen=True)
class CalibrationData:
    """A saved calibration: pooled rates, unmatched events and what was read."""

    rates: pd.DataFrame
    unmatched: pd.DataFrame
    info: AnalysisInfo


@dataclass(frozen=True)
class SweepData:
    """A finished sweep's summary (one row per variant, `drawdown.sweep.summary`) and record."""

    summary: pd.DataFrame
    info: AnalysisInfo


@dataclass(frozen=True)
class Analyses:
    """Every analysis found in a results folder (None: not there)."""

    compare: CompareData | None = None
    sensitivity: Any = None  # SensitivityResult
    sensitivity_info: AnalysisInfo | None = None
    check: Any = None  # CheckResult
    check_info: AnalysisInfo | None = None
    calibration: CalibrationData | None = None
    sweep: SweepData | None = None

    def __bool__(self) -> bool:
        return any(
            x is not None
            for x in (self.compare, self.sensitivity, self.check, self.calibration, self.sweep)
        )


def load_analyses(results: Path, scenario_hash: str, scenario_name: str) -> Analyses:
    """Read every analysis folder of `results`; refuse one of another scenario."""
    found = check_analyses(results, scenario_hash, scenario_name)
    loaded: dict[str, Any] = {}
    for kind in found:
        folder = results / kind
        info = AnalysisInfo.read(folder / INFO_FILE)
        try:
            if kind == COMPARE_DIR:
                loaded["compare"] = _load_compare(folder, info)
            elif kind == SENSITIVITY_DIR:
                loaded["sensitivity"] = _load_sensitivity(folder, info)
                loaded["sensitivity_info"] = info
            elif kind == CHECK_DIR:
                loaded["check"] = _load_check(folder, info)
                loaded["check_info"] = info
            elif kind == SWEEP_DIR:
                loaded["sweep"] = SweepData(pd.read_parquet(folder / "summary.parquet"), info)
            else:
                loaded["calibration"] = CalibrationData(
                    rates=read_csv(folder / "calibration_rates.csv"),
                    unmatched=read_csv(folder / "calibration_unmatched.csv"),
                    info=info,
                )
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(
                Problem(str(folder), "", f"incomplete or unreadable ({exc})", "run it again"),
                title="unreadable analysis folder",
            ) from exc
    return Analyses(**loaded)


def _load_compare(folder: Path, info: AnalysisInfo) -> CompareData:
    options = tuple(info.details["options"])
    return CompareData(
        labels=tuple(str(o["label"]) for o in options),
        start_dates=tuple(dt.date.fromisoformat(o["start_date"]) for o in options),
        deadline=dt.date.fromisoformat(options[0]["deadline"]),
        runs=int(info.runs or 0),
        seed=info.seed,
        figures=read_csv(folder / "compare.csv"),
        fan=read_csv(folder / "compare_fan.csv"),
        gantt=read_csv(folder / "compare_gantt.csv", keep_default_na=False, na_values=[""]),
        options=options,
        notes=dict(info.details.get("notes") or {}),
    )


def _load_sensitivity(folder: Path, info: AnalysisInfo) -> Any:
    from drawdown.analyse.sensitivity import SensitivityResult

    d = info.details
    parameters = tuple(str(p) for p in d["parameters"])
    return SensitivityResult(
        scenario_name=info.scenario_name,
        method=d["method"],
        parameters=parameters,
        indices=read_csv(folder / "sensitivity.csv"),
        samples=int(d["samples"]),
        parameter_sets=int(d["parameter_sets"]),
        runs_per_set=int(d["runs_per_set"]),
        seconds=float(d.get("seconds", math.nan)),
        design=np.empty((0, len(parameters))),  # the design is not kept: only the indices
        outputs={},
        replanned=bool(d.get("replanned", False)),  # False in folders written before it
    )


def _load_check(folder: Path, info: AnalysisInfo) -> Any:
    from drawdown.analyse.check import CheckResult

    scores = read_csv(folder / "check.csv", keep_default_na=False, na_values=[""])
    scores["site"] = scores["site"].fillna("").astype(str)
    for column in ("in_50", "in_80"):
        scores[column] = scores[column].astype(bool)
    d = info.details
    return CheckResult(
        scenario_name=info.scenario_name,
        runs=int(info.runs or 0),
        scores=scores,
        closure_order_spearman=math.nan if d.get("spearman") is None else float(d["spearman"]),
        closure_order_p_value=math.nan if d.get("spearman_p") is None else float(d["spearman_p"]),
        declared_sets=int(d.get("declared_sets", 0)),  # 0 in folders written before it
    )
