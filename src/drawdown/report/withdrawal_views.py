"""The report's views of the withdrawal outcomes: units out, strategic lift, closure work and
early closures, reduced over runs.

They are read from the fields the data contract between the stress test and the report
names on `drawdown.simulate.SimulationResult` (`unit_out_day`, `lift_people_by_day`, ...).
A results folder made before the stress test recorded a field has no such field: its view
is None, and the figure that draws it says it is not available in this folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from drawdown.scenario.model import Scenario

LEVELS = (0.1, 0.5, 0.9)
QUANTILE_COLUMNS = ("p10", "p50", "p90")


@dataclass(frozen=True)
class WithdrawalViews:
    """What the withdrawal figures need from a simulation, already reduced over runs.

    unit_out: index unit, columns p10/p50/p90 (day the unit's last person left; inf when
    not out in that share of runs) and `never` (share of runs with some never out).
    lift_people / lift_seats: index day, one column per lift row: people seated and seats
    available after clearance that day, mean per run. lift_crossed: index lift row, columns
    teu_p10 .. vehicles_p90 (crossed over the run). closure_work: index site, columns
    packed_p50/p90 and handover_p10/p50/p90 (day; inf: not in that share of runs) and
    handover_share. early_closures: index site, columns share (of runs closed early under
    attack) and day_p50 (median day over those runs, NaN when none).
    """

    unit_out: pd.DataFrame | None = None
    lift_people: pd.DataFrame | None = None
    lift_seats: pd.DataFrame | None = None
    lift_crossed: pd.DataFrame | None = None
    closure_work: pd.DataFrame | None = None
    early_closures: pd.DataFrame | None = None


def result_field(result: object, name: str) -> Any:
    """A field of the data contract on the result (or its stored data); None when absent."""
    for holder in (result, getattr(result, "data", None)):
        value = getattr(holder, name, None) if holder is not None else None
        # A streamed result keeps no per-run rows: an empty array is an absent field.
        if value is not None and not (isinstance(value, np.ndarray) and value.size == 0):
            return value
    return None


def day_quantiles(days: np.ndarray) -> np.ndarray:
    """P10/P50/P90 over runs (axis 0) of days where -1 means never: [3, N], inf for never.

    Order statistics (no interpolation), so a share of runs that never got there shows as
    never instead of a day between.
    """
    days = np.asarray(days, dtype=float)
    if days.shape[0] == 0:
        return np.full((len(LEVELS), int(np.prod(days.shape[1:], dtype=int))), np.nan)
    values = days.reshape(days.shape[0], -1)
    values = np.where(values < 0, np.inf, values)
    return np.quantile(values, LEVELS, axis=0, method="inverted_cdf")


def _site_ids(scenario: Scenario, result: object) -> tuple[str, ...]:
    ids = result_field(result, "site_ids")
    return tuple(ids) if ids is not None else tuple(s.id for s in scenario.sites)


def _unit_out(scenario: Scenario, result: object) -> pd.DataFrame | None:
    days = result_field(result, "unit_out_day")
    if days is None:
        return None
    days = np.asarray(days)
    ids = result_field(result, "unit_ids")
    if ids is None:
        ids = tuple(u.id for u in scenario.units)
    q = day_quantiles(days)
    frame = pd.DataFrame(q.T, index=pd.Index(list(ids), name="unit"), columns=QUANTILE_COLUMNS)
    frame["never"] = (days < 0).mean(axis=0) if days.shape[0] else np.nan
    return frame


def _lift_by_day(result: object, name: str, runs: int) -> pd.DataFrame | None:
    by_day = result_field(result, name)
    ids = result_field(result, "lift_ids")
    if by_day is None or ids is None or len(ids) == 0:
        return None  # no lift rows in this scenario: nothing to draw
    by_day = np.asarray(by_day, dtype=float).reshape(len(ids), -1)
    return pd.DataFrame(by_day.T / max(runs, 1), columns=list(ids)).rename_axis("day")


def _lift_crossed(result: object) -> pd.DataFrame | None:
    ids = result_field(result, "lift_ids")
    teu = result_field(result, "lift_teu_crossed")
    vehicles = result_field(result, "lift_vehicles_crossed")
    if ids is None or len(ids) == 0 or (teu is None and vehicles is None):
        return None  # no lift rows in this scenario: nothing to draw
    frame = pd.DataFrame(index=pd.Index(list(ids), name="lift"))
    for what, values in (("teu", teu), ("vehicles", vehicles)):
        if values is None:
            continue
        values = np.asarray(values, dtype=float).reshape(-1, len(ids))
        if not values.shape[0]:
            continue
        q = np.quantile(values, LEVELS, axis=0, method="inverted_cdf")
        for level, column in zip(q, QUANTILE_COLUMNS, strict=True):
            frame[f"{what}_{column}"] = level
    return frame


def _closure_work(scenario: Scenario, result: object) -> pd.DataFrame | None:
    packed = result_field(result, "packed_day")
    handover = result_field(result, "handover_day")
    if packed is None and handover is None:
        return None
    frame = pd.DataFrame(index=pd.Index(list(_site_ids(scenario, result)), name="site"))
    if packed is not None:
        q = day_quantiles(np.asarray(packed))
        frame["packed_p50"], frame["packed_p90"] = q[1], q[2]
    if handover is not None:
        handover = np.asarray(handover)
        q = day_quantiles(handover)
        frame["handover_p10"], frame["handover_p50"], frame["handover_p90"] = q
        frame["handover_share"] = (handover >= 0).mean(axis=0) if handover.shape[0] else np.nan
    return frame


def _early_closures(scenario: Scenario, result: object) -> pd.DataFrame | None:
    closed = result_field(result, "early_closed_site")
    if closed is None:
        return None
    closed = np.asarray(closed) > 0
    day = result_field(result, "early_close_day")
    frame = pd.DataFrame(
        {"share": closed.mean(axis=0) if closed.shape[0] else np.zeros(closed.shape[1])},
        index=pd.Index(list(_site_ids(scenario, result)), name="site"),
    )
    if day is not None:
        days = np.where(closed, np.asarray(day, dtype=float), np.nan)
        fired = closed.any(axis=0)
        median = np.full(closed.shape[1], np.nan)
        if fired.any():
            median[fired] = np.nanmedian(days[:, fired], axis=0)
        frame["day_p50"] = median
    else:
        frame["day_p50"] = np.nan
    return frame


def _streamed(scenario: Scenario, result: Any, runs: int) -> WithdrawalViews:
    """The same views from the streaming summaries of a result whose runs are on disk."""
    s = result.summaries
    sites = pd.Index(list(_site_ids(scenario, result)), name="site")

    def days(name: str, levels: tuple[float, ...]) -> list[np.ndarray]:
        tallies = s.site_days[name]
        return [np.array([t.quantile(level) for t in tallies]) for level in levels]

    work = pd.DataFrame(index=sites)
    work["packed_p50"], work["packed_p90"] = days("packed_day", LEVELS[1:])
    work["handover_p10"], work["handover_p50"], work["handover_p90"] = days("handover_day", LEVELS)
    work["handover_share"] = [t.finite().n / max(runs, 1) for t in s.site_days["handover_day"]]
    early = pd.DataFrame({"share": s.early_closed / max(runs, 1)}, index=sites)
    early["day_p50"] = [
        t.finite().quantile(0.5, method="linear") for t in s.site_days["early_close_day"]
    ]
    crossed = None
    ids = result_field(result, "lift_ids")
    if ids:
        crossed = pd.DataFrame(index=pd.Index(list(ids), name="lift"))
        for what in ("teu", "vehicles"):
            tallies = s.lift_crossed[f"{what}_crossed"]
            for level, column in zip(LEVELS, QUANTILE_COLUMNS, strict=True):
                crossed[f"{what}_{column}"] = [t.quantile(level) for t in tallies]
    return WithdrawalViews(
        unit_out=_unit_out(scenario, result),
        lift_people=_lift_by_day(result, "lift_people_by_day", runs),
        lift_seats=_lift_by_day(result, "lift_seats_by_day", runs),
        lift_crossed=crossed,
        closure_work=work,
        early_closures=early,
    )


def withdrawal_views(scenario: Scenario, result: object, runs: int) -> WithdrawalViews:
    """The withdrawal views of a `SimulationResult`, None for each field it does not hold."""
    if getattr(result, "kept", True) is False and getattr(result, "stats", None) is not None:
        return _streamed(scenario, result, runs)
    return WithdrawalViews(
        unit_out=_unit_out(scenario, result),
        lift_people=_lift_by_day(result, "lift_people_by_day", runs),
        lift_seats=_lift_by_day(result, "lift_seats_by_day", runs),
        lift_crossed=_lift_crossed(result),
        closure_work=_closure_work(scenario, result),
        early_closures=_early_closures(scenario, result),
    )
