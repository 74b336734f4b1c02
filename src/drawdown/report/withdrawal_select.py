"""Data functions of the withdrawal figures: lift, units, closure work, corridors, disposal.

Like `drawdown.report.select`, each takes the report's inputs and only selects and reshapes
what the plan's tables (`drawdown.report.plan_tables`) and the simulation's views
(`drawdown.report.withdrawal_views`) already hold. When the results folder lacks what a
figure draws, it returns `NotAvailable` saying what is missing, and the figure says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from drawdown.report.figure_data import (
    ClosureWorkData,
    CorridorData,
    CorridorOut,
    DisposalData,
    EarlyClosureData,
    ExitLift,
    LiftData,
    NotAvailable,
    SiteClosureWork,
    UnitOut,
    UnitOutData,
)
from drawdown.report.plan_tables import (
    ROLE_ORDER,
    closure_work_frame,
    day_or_never,
    lift_use_frame,
    role_of,
    unit_last_out_by_plan,
)
from drawdown.report.scenario_data import short_name
from drawdown.report.select import ReportInputs
from drawdown.scenario.model import Scenario

WEEK_DAYS = 7


def _names(scenario: Scenario) -> dict[str, str]:
    return {s.id: short_name(s.name) for s in scenario.sites}


def _deadline_day(scenario: Scenario) -> int:
    return scenario.day_of(scenario.manifest.deadline)


def _weekly(by_day: np.ndarray) -> np.ndarray:
    """Sums over weeks from day 0 (the last week may be short)."""
    by_day = np.asarray(by_day, dtype=float)
    if not by_day.size:
        return by_day
    return np.add.reduceat(by_day, np.arange(0, by_day.size, WEEK_DAYS))


def _daily(rows: pd.DataFrame, column: str, days: int) -> np.ndarray:
    """A plan table's `column` summed by day into an array of `days` days."""
    out = np.zeros(days)
    if len(rows):
        by_day = rows.groupby("day")[column].sum()
        keep = (by_day.index >= 0) & (by_day.index < days)
        out[by_day.index[keep].astype(int)] = by_day[keep].to_numpy(dtype=float)
    return out


def exit_lift(inputs: ReportInputs) -> LiftData | NotAvailable:
    """Seats used against seats available at each charter airport, week by week."""
    scenario, plan, views = inputs.scenario, inputs.plan, inputs.views
    charters = [lift for lift in scenario.lift if lift.kind == "charter"]
    if not charters:
        return NotAvailable("the scenario has no charter flights (lift.csv), so no seats bind")
    plan_use = lift_use_frame(plan)
    seated, seats = views.withdrawal.lift_people, views.withdrawal.lift_seats
    if plan_use is None and seated is None:
        return NotAvailable(
            "neither the plan's lift use nor the stress test's seats by charter airport are "
            "recorded here"
        )
    days = len(seated) if seated is not None else scenario.horizon_days
    names = _names(scenario)
    exits = []
    for lift in charters:
        rows = plan_use[plan_use["lift_id"] == lift.id] if plan_use is not None else None

        def simulated(frame: pd.DataFrame | None, lift_id: str = lift.id) -> np.ndarray | None:
            if frame is None or lift_id not in frame.columns:
                return None
            return _weekly(frame[lift_id].to_numpy(dtype=float))

        exits.append(
            ExitLift(
                name=f"{names.get(lift.site, lift.site)} ({lift.id})",
                week_day=np.arange(0, days, WEEK_DAYS),
                week_days=np.minimum(WEEK_DAYS, days - np.arange(0, days, WEEK_DAYS)),
                seats_available=simulated(seats),
                seats_used=simulated(seated),
                plan_seats_available=None
                if rows is None
                else _weekly(_daily(rows, "seats_available", days)),
                plan_seats_used=None if rows is None else _weekly(_daily(rows, "seats_used", days)),
            )
        )
    missing = (
        "the stress test's seats by airport"
        if seated is None
        else ("the plan's lift use" if plan_use is None else "")
    )
    return LiftData(
        exits=tuple(exits),
        start_date=scenario.manifest.start_date,
        deadline_day=_deadline_day(scenario),
        runs=views.runs,
        missing=missing,
    )


def units_out(inputs: ReportInputs) -> UnitOutData | NotAvailable:
    """Each unit's last-out day, planned and simulated, sorted by date."""
    scenario, views = inputs.scenario, inputs.views
    planned = unit_last_out_by_plan(scenario, inputs.plan)
    simulated = views.withdrawal.unit_out
    if planned is None and simulated is None:
        return NotAvailable(
            "the plan's movements carry no unit and the stress test did not record when "
            "each unit's last person left"
        )
    roles = role_of(scenario)
    units = []
    for u in scenario.units:
        sim = (
            simulated.loc[u.id]
            if simulated is not None and u.id in simulated.index
            else pd.Series(dtype=float)
        )
        units.append(
            UnitOut(
                id=u.id,
                site=u.site,
                role=roles.get(u.site, ""),
                people=u.people,
                plan_day=(planned or {}).get(u.id, np.nan),
                p10=float(sim.get("p10", np.nan)),
                p50=float(sim.get("p50", np.nan)),
                p90=float(sim.get("p90", np.nan)),
                never=float(sim.get("never", 0.0)),
            )
        )

    def when(u: UnitOut) -> tuple[float, float, str]:
        first = u.p50 if simulated is not None else u.plan_day
        return (day_or_never(first), day_or_never(u.plan_day), u.id)

    return UnitOutData(
        units=tuple(sorted(units, key=when)),
        start_date=scenario.manifest.start_date,
        deadline_day=_deadline_day(scenario),
        horizon_day=scenario.horizon_days,
        runs=views.runs,
        simulated=simulated is not None,
        planned=planned is not None,
    )


def _finite(value: object) -> float:
    number = float(pd.to_numeric(value, errors="coerce"))
    return number if np.isfinite(number) else np.nan


def closure_work(inputs: ReportInputs) -> ClosureWorkData | NotAvailable:
    """Each site's packing, final steps and handover: the plan's bars, the simulated markers."""
    scenario, views = inputs.scenario, inputs.views
    work = closure_work_frame(inputs.plan)
    simulated = views.withdrawal.closure_work
    if work is None and simulated is None:
        return NotAvailable(
            "the plan has no closure-work table and the stress test did not record packing "
            "and handover days"
        )
    roles, names = role_of(scenario), _names(scenario)
    closable = {s.id for s in scenario.sites if s.kind in ("base", "hub")}
    sites = list(work.index) if work is not None else [s for s in simulated.index if s in closable]  # type: ignore[union-attr]

    def plan(site: str, column: str) -> float:
        return _finite(work.at[site, column]) if work is not None else np.nan

    def sim(frame: pd.DataFrame | None, site: str, column: str) -> float:
        if frame is None or site not in frame.index or column not in frame.columns:
            return np.nan
        return _finite(frame.at[site, column])

    rows = [
        SiteClosureWork(
            site=names.get(s, s),
            role=roles.get(s, ""),
            pack_start=plan(s, "pack_start_day"),
            packed_by=plan(s, "packed_by_day"),
            final_steps_start=plan(s, "final_steps_start_day"),
            handover=plan(s, "handover_day"),
            closure=plan(s, "closure_day"),
            binding=str(work.at[s, "binding"]) if work is not None else "",
            handover_p50=sim(simulated, s, "handover_p50"),
            handover_p90=sim(simulated, s, "handover_p90"),
            closure_p50=sim(views.closure, s, "p50"),
            closure_p90=sim(views.closure, s, "p90"),
        )
        for s in sites
    ]
    rows.sort(
        key=lambda r: (
            ROLE_ORDER.get(r.role, 0),
            day_or_never(r.closure if work is not None else r.closure_p50),
            r.site,
        )
    )
    return ClosureWorkData(
        sites=tuple(rows),
        start_date=scenario.manifest.start_date,
        deadline_day=_deadline_day(scenario),
        runs=views.runs,
        planned=work is not None,
        simulated=simulated is not None,
    )


def corridors(inputs: ReportInputs) -> CorridorData | NotAvailable:
    """TEU and vehicles crossed per corridor: the plan's total against the simulated P10–P90."""
    scenario, views = inputs.scenario, inputs.views
    rows = [lift for lift in scenario.lift if lift.kind == "corridor"]
    if not rows:
        return NotAvailable("the scenario has no road corridors out of the theatre (lift.csv)")
    plan_use = lift_use_frame(inputs.plan)
    crossed = views.withdrawal.lift_crossed
    if plan_use is None and crossed is None:
        return NotAvailable(
            "neither the plan's lift use nor the stress test's crossings per corridor are "
            "recorded here"
        )
    names = _names(scenario)
    planned = (
        None
        if plan_use is None
        else plan_use.groupby("lift_id")[["teu_crossed", "vehicles_crossed"]].sum()
    )
    days = scenario.horizon_days

    def out(lift_id: str, what: str, per_day: float, label: str) -> CorridorOut:
        def sim(level: str) -> float:
            column = f"{what}_{level}"
            if crossed is None or lift_id not in crossed.index or column not in crossed.columns:
                return np.nan
            return float(crossed.at[lift_id, column])

        plan = (
            float(planned.at[lift_id, f"{what}_crossed"])
            if planned is not None and lift_id in planned.index
            else (0.0 if planned is not None else np.nan)
        )
        return CorridorOut(label, per_day * days, plan, sim("p10"), sim("p50"), sim("p90"))

    labels = {r.id: f"{names.get(r.site, r.site)} ({r.id})" for r in rows}
    missing = (
        "the stress test's crossings"
        if crossed is None
        else ("the plan's lift use" if plan_use is None else "")
    )
    return CorridorData(
        teu=tuple(out(r.id, "teu", r.teu_per_day, labels[r.id]) for r in rows),
        vehicles=tuple(out(r.id, "vehicles", r.vehicles_per_day, labels[r.id]) for r in rows),
        runs=views.runs,
        missing=missing,
    )


DISPOSAL = ("handed_over", "abandoned", "destroyed")


def disposal(inputs: ReportInputs) -> DisposalData | NotAvailable:
    """Per site, handed over against abandoned (and destroyed apart), TEU and vehicles."""
    scenario, views = inputs.scenario, inputs.views
    if "abandoned" not in views.cargo_outcome_teu.columns:
        return NotAvailable(
            "the stress test of this folder does not tell abandoned equipment (left without "
            "a handover when a site closed early or was cut off) from equipment handed over"
        )
    names = _names(scenario)

    def pick(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        return frame.reindex(columns=list(DISPOSAL), fill_value=0.0).rename(
            index=lambda s: names.get(s, s)
        )

    def planned(column: str) -> pd.Series | None:
        handed = [
            (names.get(d.site, d.site), float(getattr(d, column)))
            for d in inputs.plan.dispositions
            if d.fate == "hand_over" and getattr(d, column)
        ]
        if not handed:
            return None
        return pd.DataFrame(handed, columns=["site", column]).groupby("site")[column].sum()

    return DisposalData(
        teu=pick(views.cargo_outcome_teu),
        vehicles=pick(views.cargo_outcome_vehicles),
        plan_handover_teu=planned("containers_teu"),
        plan_handover_vehicles=planned("vehicles"),
        runs=views.runs,
    )


def early_closures(inputs: ReportInputs) -> EarlyClosureData | NotAvailable:
    """How often each site closed early under attack, with the rule and its source."""
    scenario, views = inputs.scenario, inputs.views
    frame = views.withdrawal.early_closures
    if frame is None:
        return NotAvailable(
            "the stress test of this folder does not record early closures under attack per site"
        )
    names = _names(scenario)
    fired = frame[frame["share"] > 0].sort_values("share", ascending=False)
    manifest = scenario.manifest
    return EarlyClosureData(
        sites=tuple(names.get(s, s) for s in fired.index),
        share=fired["share"].to_numpy(dtype=float),
        day_p50=fired["day_p50"].to_numpy(dtype=float),
        threshold=manifest.policy.early_close_attacks,
        source=manifest.sources.get("policy.early_close_attacks", ""),
        start_date=manifest.start_date,
        runs=views.runs,
    )
