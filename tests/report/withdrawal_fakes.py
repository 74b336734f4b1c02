"""Stand-ins for the plan and stress-test outcomes of the withdrawal model, for report tests.

Fixed, known tables for the report's figures (the planner's and the stress test's own are
tested where they are made), on top of a real plan and a real simulation of the same
scenario, with numbers derived from them so that they hang together (units out after their
site closes, seats from the charter rows).
They are also a handy way to see the new figures on any scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from drawdown.plan.model import ClosureWorkRow, LiftUseRow, Plan
from drawdown.scenario.model import Lift, Scenario
from drawdown.simulate.result import SimulationResult

BINDINGS = ("packing", "escorts", "clearance", "trucks", "residual_task", "lift")


# The plan carries these tables itself now; the name stays for the tests that use it.
WithdrawalPlan = Plan


@dataclass(frozen=True)
class WithdrawalResult(SimulationResult):
    """A simulation result with the withdrawal outcomes of the data contract."""

    unit_ids: tuple[str, ...] = ()
    unit_out_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    lift_ids: tuple[str, ...] = ()
    lift_people_by_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    lift_seats_by_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    lift_teu_crossed: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    lift_vehicles_crossed: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    packed_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    handover_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    early_closed_site: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int8))
    early_close_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    # Not in the contract: what the cargo outcome `abandoned` adds to the per-site frames.
    teu_abandoned: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    vehicles_abandoned: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def sites_frame(self) -> pd.DataFrame:
        frame = super().sites_frame()
        frame["teu_abandoned"] = self.teu_abandoned.ravel()
        frame["vehicles_abandoned"] = self.vehicles_abandoned.ravel()
        return frame

    def runs_frame(self) -> pd.DataFrame:
        frame = super().runs_frame()
        frame["teu_abandoned"] = self.teu_abandoned.sum(axis=1)
        frame["vehicles_abandoned"] = self.vehicles_abandoned.sum(axis=1)
        return frame


def with_lift(scenario: Scenario, *, hq: str) -> Scenario:
    """The scenario with a charter and a corridor at its first exit and `hq` as the HQ."""
    exit_ = next(s for s in scenario.sites if s.kind == "exit")
    lift = (
        Lift(
            id="charters",
            kind="charter",
            site=exit_.id,
            seats_each=270,
            flights_per_week=7,
            source="[E] test: a charter a day",
        ),
        Lift(
            id="road",
            kind="corridor",
            site=exit_.id,
            teu_per_day=20,
            vehicles_per_day=10,
            border_delay_days_mean=1,
            source="[E] test corridor",
        ),
    )
    sites = tuple(s.model_copy(update={"role": "hq"}) if s.id == hq else s for s in scenario.sites)
    sources = {**scenario.manifest.sources, "policy.early_close_attacks": "[E] test threshold"}
    manifest = scenario.manifest.model_copy(update={"sources": sources})
    return scenario.replace(lift=lift, sites=sites, manifest=manifest)


def _exits(scenario: Scenario) -> set[str]:
    return {s.id for s in scenario.sites if s.kind == "exit"}


def _units_of_movements(scenario: Scenario, plan: Plan) -> list[str]:
    """A unit for each movement: people reaching an exit fill the units in closing order."""
    order = sorted(scenario.units, key=lambda u: (plan.closure_day.get(u.site, 10**6), u.id))
    left = [u.people for u in order]
    names, k = [], 0
    for m in plan.movements:
        if m.destination not in _exits(scenario) or not m.people:
            names.append("")
            continue
        people, unit = m.people, order[min(k, len(order) - 1)].id
        while people > 0 and k < len(order):
            take = min(people, left[k])
            people -= take
            left[k] -= take
            unit = order[k].id
            if left[k] == 0:
                k += 1
        names.append(unit)
    return names


def withdrawal_plan(scenario: Scenario, plan: Plan) -> WithdrawalPlan:
    """`plan` with units on its movements, a closure-work table and a lift-use table."""
    movements = tuple(
        replace(m, unit=unit)
        for m, unit in zip(plan.movements, _units_of_movements(scenario, plan), strict=True)
    )
    roles = {s.id: s.role for s in scenario.sites}
    work = []
    for i, (site, closure) in enumerate(plan.closure_order()):
        handover = max(closure - 1, 0)
        final = max(handover - 7, 0)
        packed = max(final - 3, 0)
        binding = "support" if roles.get(site) in ("hq", "hub") else BINDINGS[i % len(BINDINGS)]
        work.append(
            ClosureWorkRow(site, max(packed - 20, 0), packed, final, handover, closure, binding)
        )
    use = []
    for lift in scenario.lift:
        arriving = [m for m in plan.movements if m.destination == lift.site]
        for day in range(plan.horizon_days):
            today = [m for m in arriving if m.arrival_day == day]
            if lift.kind == "charter":
                seats = lift.seats_each * lift.flights_per_week / 7
                use.append(
                    LiftUseRow(
                        lift.id,
                        lift.site,
                        day,
                        float(sum(m.people for m in today)),
                        seats,
                        0.0,
                        0.0,
                    )
                )
            elif today:
                use.append(
                    LiftUseRow(
                        lift.id,
                        lift.site,
                        day,
                        0.0,
                        0.0,
                        sum(m.containers_teu for m in today),
                        float(sum(m.vehicles for m in today)),
                    )
                )
    return replace(plan, movements=movements, closure_work=tuple(work), lift_use=tuple(use))


def withdrawal_result(
    scenario: Scenario, plan: WithdrawalPlan, result: SimulationResult, *, seed: int = 3
) -> WithdrawalResult:
    """`result` with withdrawal outcomes drawn around its own closure days and the plan."""
    rng = np.random.default_rng(seed)
    d = result.data
    runs, horizon = result.runs, d.horizon
    site_index = {s: i for i, s in enumerate(d.site_ids)}
    closed = d.closure_day.astype(int)  # [R, S], -1: never
    units = scenario.units
    unit_out = np.stack(
        [
            np.where(
                closed[:, site_index[u.site]] >= 0,
                closed[:, site_index[u.site]] + rng.integers(0, 3, runs),
                -1,
            )
            for u in units
        ],
        axis=1,
    )
    unit_out[rng.uniform(size=runs) < 0.1, -1] = -1  # the last unit is not out in ~10% of runs
    lift_ids = tuple(lift.id for lift in scenario.lift)
    people = np.zeros((len(lift_ids), horizon))
    seats = np.zeros((len(lift_ids), horizon))
    teu = np.zeros((runs, len(lift_ids)))
    vehicles = np.zeros((runs, len(lift_ids)))
    for x, lift in enumerate(scenario.lift):
        rows = [r for r in plan.lift_use if r.lift_id == lift.id]
        if lift.kind == "charter":
            approved = rng.uniform(size=horizon) < 0.85  # refused flights lose their seats
            seats[x] = lift.seats_each * lift.flights_per_week / 7 * approved * runs
            demand = np.zeros(horizon)
            for r in rows:
                demand[min(r.day + 1, horizon - 1)] += r.seats_used
            queue = 0.0
            for day in range(horizon):
                queue += demand[day] * runs
                people[x, day] = min(queue, seats[x, day])
                queue -= people[x, day]
        else:
            teu[:, x] = sum(r.teu_crossed for r in rows) * rng.uniform(0.7, 1.0, runs)
            vehicles[:, x] = sum(r.vehicles_crossed for r in rows) * rng.uniform(0.6, 1.0, runs)
    closable = np.array([k in ("base", "hub") for k in d.site_kinds])
    packed = np.where(closable & (closed >= 0), np.maximum(closed - 8, 0), -1)
    early = (rng.uniform(size=closed.shape) < 0.12) & closable & (closed >= 0)
    early[:, np.array(d.site_kinds) == "hub"] = False
    handover = np.where(closable & (closed >= 0) & ~early, np.maximum(closed - 1, 0), -1)
    abandoned = np.where(early, 0.6, 0.0)
    return WithdrawalResult(
        meta=result.meta,
        data=d,
        unit_ids=tuple(u.id for u in units),
        unit_out_day=unit_out,
        lift_ids=lift_ids,
        lift_people_by_day=people,
        lift_seats_by_day=seats,
        lift_teu_crossed=teu,
        lift_vehicles_crossed=vehicles,
        packed_day=packed,
        handover_day=handover,
        early_closed_site=early.astype(np.int8),
        early_close_day=np.where(early, closed, -1),
        teu_abandoned=abandoned * d.teu0[None, :],
        vehicles_abandoned=abandoned * d.veh0[None, :],
    )
