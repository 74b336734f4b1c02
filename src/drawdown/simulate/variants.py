"""Many parameter sets through one front door: compile once, run every variant alike.

A variant is a list of overrides (`drawdown.scenario.overrides`, the `--set` names) applied
to the scenario. `simulate_variants` compiles the scenario and plan once, then gives each
variant its engine arrays by patching that compile (`VariantCompiler`) where the patch is
exact, or by compiling the overridden scenario where it is not. Every variant reads the same
uniforms at the same places (common random numbers), so differences between variants come
from the parameters, not from chance.

The patch recomputes clearances, threats, travel days, holdings and convoy capacities with
the rules of `scenario.days` and `simulate.inputs`; a test checks it equals a full compile.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from drawdown.plan.model import Plan
from drawdown.scenario import days as scenario_days
from drawdown.scenario.kinds import BASE_DAY_KINDS, EFFECT_FIELDS
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import Override, Target, apply_overrides, parse_override, resolve
from drawdown.simulate.disruptions import Layout, Multipliers, draw_movements, plan_layout, uniforms
from drawdown.simulate.engine import run_block
from drawdown.simulate.inputs import (
    N_SLOTS,
    Compiled,
    attempt_days_of,
    check_plan,
    compile_inputs,
    departure_sites,
    destroy_shares,
    evac_fire,
    evac_road,
    evac_road_routes,
    evac_routes,
    evac_seats_per_aircraft,
    movement_threats,
    pack_caps,
    packing_schedule,
    request_days,
    route_cleared,
    sorties_per_person,
    unit_arrays,
    unit_equipment,
)
from drawdown.simulate.policy import DESTROYED

Variant = Sequence[Override | str]
#: Threat fields a variant may change, in the column order of the patch's threat table.
THREAT_FIELDS: tuple[str, ...] = ("rate", "garrison_elasticity", *EFFECT_FIELDS)
# fields a fixed plan's execution never reads (they matter to the planner only)
NO_EFFECT = {"escort.convoys_per_day", "aircraft.sorties_per_day", "holdings.value_usd"}
INT_FIELDS = {
    "units.people",
    "holdings.vehicles",
    "trucks.count",
    "trucks.people_each",
    "escort.trucks_per_convoy",
    "escort.vehicles_per_convoy",
    "aircraft.count",
}
RAINY_BOUNDS = ("calendar.rainy_months.first", "calendar.rainy_months.last")


@dataclass(frozen=True)
class VariantRuns:
    """Per-run outcomes of every variant: arrays of shape (variants, runs)."""

    horizon_days: np.ndarray  # int [V]: the variant's deadline day + 1
    completion_day: np.ndarray  # int [V, R]: day the last person left (-1 never)
    killed: np.ndarray
    wounded: np.ndarray
    destroyed_teu: np.ndarray
    destroyed_vehicles: np.ndarray
    patched: np.ndarray  # bool [V]: arrays patched from the one compile (else recompiled)

    @property
    def on_time(self) -> np.ndarray:
        """Whether everyone was out by the deadline, per variant and run."""
        done = self.completion_day >= 0
        return done & (self.completion_day < self.horizon_days[:, None])


class VariantCompiler:
    """Engine arrays for any variant of a scenario, patched from one compile where exact."""

    def __init__(self, scenario: Scenario, plan: Plan):
        self.scenario, self.plan = scenario, plan
        self.c0 = compile_inputs(scenario, plan)
        site_ids = self.c0.site_ids
        self.sorties_per_day = np.array([float(a.sorties_per_day) for a in scenario.aircraft])
        self.evac_per_aircraft = evac_seats_per_aircraft(
            scenario, self.c0.air_link, self.c0.air_dest, site_ids
        )
        self._targets: dict[str, Target] = {}
        self._masks: dict[str, np.ndarray] = {}
        self._prepare()
        self.tables = self._base_tables()

    # precomputation ---------------------------------------------------------------------------
    def _prepare(self) -> None:
        s, c = self.scenario, self.c0
        n_days = c.n_days
        mv = [self.plan.movements[i] for i in c.mv_index]
        sidx = {sid: i for i, sid in enumerate(c.site_ids)}
        self.sidx = sidx
        links = {link.id: link for link in s.links}

        # clearances: which rule decides each (mode, region) on each day
        keys: dict[tuple[str, str], int] = {}
        mv_key = np.array(
            [
                keys.setdefault(
                    (m.mode, scenario_days.clearance_region(s, links[m.link], m.origin)),
                    len(keys),
                )
                for m in mv
            ],
            dtype=np.int64,
        )
        air_key = np.full(len(c.site_ids), -1, dtype=np.int64)
        for i, j in enumerate(c.air_link):
            if j >= 0:
                region = scenario_days.clearance_region(s, s.links[int(j)], c.site_ids[i])
                air_key[i] = keys.setdefault(("air", region), len(keys))
        self.rule = np.full((len(keys), n_days), -1, dtype=np.int64)
        self.suspended = np.zeros((len(keys), n_days), dtype=bool)
        for (mode, region), k in keys.items():
            self.rule[k] = scenario_days.clearance_rule(s, mode, region, n_days)
            self.suspended[k] = scenario_days.suspended(s, mode, n_days)
        self.fixed = scenario_days.rule_values(s.clearances)[2]
        retries = c.max_retries + 1
        self.retries, self.n_days = retries, n_days
        self.mv_key, self.air_key = mv_key, air_key

        # threats: exposure of each movement slot to each threat row (sparse: few rows each)
        in_force = scenario_days.threat_windows(s, n_days)
        self.in_force = in_force
        self.evac_routes, _ = evac_routes(s, c.air_link, c.air_dest, c.site_ids)
        self.evac_road_routes = evac_road_routes(s, c.evac_link, c.air_link, c.site_ids)
        cells, rows, amounts = [], [], []
        for k, m in enumerate(mv):
            for slot, row, per_convoy in movement_threats(
                s, m.mode, m.link, m.origin, m.destination
            ):
                if in_force[row, m.day]:
                    cells.append(N_SLOTS * k + slot)
                    rows.append(row)
                    amounts.append(per_convoy * m.convoys)
        self.exp_cell = np.array(cells, dtype=np.int64)
        self.exp_row = np.array(rows, dtype=np.int64)
        self.exp_amount = np.array(amounts, dtype=np.float64)
        self.n_cells = N_SLOTS * len(mv)
        self.attack_rows = [
            (t, sidx[thr.target])
            for t, thr in enumerate(s.threats)
            if thr.kind in BASE_DAY_KINDS and thr.target in sidx
        ]
        self.attack_active = {t: in_force[t] for t, _ in self.attack_rows}

        # links: travel days from speeds and season
        self.km = np.array([float(link.km) for link in s.links])
        self.air = np.array([link.mode == "air" for link in s.links], dtype=bool)
        self.months = scenario_days.months(s, n_days)

        # holdings and units: where each row sits, and which units leave with a contingent
        self.h_site = np.array([sidx[h.site] for h in s.holdings], dtype=np.int64)
        self.h_sensitive = np.array([int(h.sensitive) for h in s.holdings], dtype=np.int64)
        self.u_site = np.array([sidx[u.site] for u in s.units], dtype=np.int64)
        self.departure_sites = departure_sites(s)
        self.u_events = [
            (day, [r for r, u in enumerate(s.units) if u.contingent == contingent])
            for day, contingent in scenario_days.contingent_departures(s)
        ]

        # truck movements: capacity from the pool and the corridor's escort
        trucks = {t.id: i for i, t in enumerate(s.trucks)}
        aircraft = {a.id for a in s.aircraft}
        escort_of = {e.corridor: i for i, e in enumerate(s.escorts)}
        cap_mv, cap_truck, cap_escort = [], [], []
        for k, m in enumerate(mv):
            if (m.mode == "air" and m.asset in aircraft) or m.asset not in trucks:
                continue
            cap_mv.append(k)
            cap_truck.append(trucks[m.asset])
            cap_escort.append(escort_of.get(links[m.link].corridor, -1))
        self.cap_mv = np.array(cap_mv, dtype=np.int64)
        self.cap_truck = np.array(cap_truck, dtype=np.int64)
        self.cap_escort = np.array(cap_escort, dtype=np.int64)
        self.cap_convoys = np.array([mv[k].convoys for k in cap_mv], dtype=np.float64)
        self.cap_planned = np.array(
            [[mv[k].people, mv[k].containers_teu, mv[k].vehicles] for k in cap_mv], dtype=float
        ).reshape(-1, 3)

    def _base_tables(self) -> dict[str, np.ndarray]:
        s = self.scenario
        return {
            "clearance.approval": np.array([r.approval for r in s.clearances], dtype=float),
            "clearance.delay_mean_days": np.array(
                [r.delay_mean_days for r in s.clearances], dtype=float
            ),
            "threat": np.array(
                [[getattr(t, f) for f in THREAT_FIELDS] for t in s.threats], float
            ).reshape(len(s.threats), len(THREAT_FIELDS)),
            "link.dry_km_per_day": np.array([x.dry_km_per_day for x in s.links], dtype=float),
            "link.wet_km_per_day": np.array([x.wet_km_per_day for x in s.links], dtype=float),
            "rainy": np.array(sorted(s.rainy_months), dtype=np.int64),
            **{
                f"{prefix}.{field}": np.array([getattr(r, field) for r in rows], dtype=float)
                for prefix, rows, fields in (
                    ("holdings", s.holdings, ("containers_teu", "vehicles")),
                    ("units", s.units, ("people",)),
                    ("trucks", s.trucks, ("count", "teu_each", "people_each")),
                    ("escort", s.escorts, ("trucks_per_convoy", "vehicles_per_convoy")),
                    ("aircraft", s.aircraft, ("count",)),
                )
                for field in fields
            },
        }

    # one variant --------------------------------------------------------------------------------
    def overrides(self, variant: Variant) -> list[Override]:
        """The variant's overrides, parsed and with canonical names."""
        return [parse_override(o, self.scenario) if isinstance(o, str) else o for o in variant]

    def _target(self, name: str) -> Target:
        if name not in self._targets:
            target = resolve(name, self.scenario)
            self._targets[name] = target
            self._masks[name] = _rows(self.scenario, target)
        return self._targets[name]

    def patch_tables(self, variant: Variant) -> dict[str, np.ndarray] | None:
        """The row tables with the variant applied, or None where a patch would not be exact."""
        tables = {k: v.copy() for k, v in self.tables.items()}
        for ov in self.overrides(variant):
            target = self._target(ov.name)
            if not _patchable(target) or isinstance(ov.value, str):
                return None
            if target.family is None and not len(tables["rainy"]):
                return None  # no season to move the bounds of
            _set(tables, target, self._masks[ov.name], float(ov.value), ov.relative)
        return tables if self._exact(tables) else None

    def _exact(self, tb: dict[str, np.ndarray]) -> bool:
        """Whether patched tables leave untouched what the patch does not recompute."""
        base = self.tables
        # only whether an aircraft type exists reaches execution (and evacuation seats, patched)
        if not np.array_equal(tb["aircraft.count"] > 0, base["aircraft.count"] > 0):
            return False
        # a speed of 0 closes a link (scenario.days); the patch keeps the compiled openings
        ground = ~self.air
        for key in ("link.dry_km_per_day", "link.wet_km_per_day"):
            if not np.array_equal(tb[key][ground] > 0, base[key][ground] > 0):
                return False
        speeds = np.concatenate([base["link.dry_km_per_day"], base["link.wet_km_per_day"]])
        stopped = bool(np.any(speeds[np.concatenate([ground, ground])] <= 0))
        return not (stopped and not np.array_equal(tb["rainy"], base["rainy"]))

    def compiled(self, variant: Variant) -> Compiled:
        """The engine arrays of the scenario with `variant` applied."""
        return self.compile_variant(variant)[0]

    def compile_variant(self, variant: Variant) -> tuple[Compiled, bool]:
        """The engine arrays with `variant` applied, and whether they were patched."""
        tables = self.patch_tables(variant)
        if tables is None:
            return compile_inputs(apply_overrides(self.scenario, variant), self.plan), False
        return self._patch(tables), True

    def _patch(self, tb: dict[str, np.ndarray]) -> Compiled:
        c = self.c0
        changes: dict[str, object] = {}
        # clearances
        cleared = scenario_days.clearance_from_rules(
            self.rule,
            self.suspended,
            tb["clearance.approval"],
            tb["clearance.delay_mean_days"],
            self.fixed,
        )
        approval, delay = cleared.approval, cleared.delay_mean_days
        mv_delay = delay[self.mv_key, c.mv_earliest_day]
        request = request_days(c.mv_earliest_day, mv_delay)
        attempt = attempt_days_of(request, c.retry_days, self.retries, self.n_days)
        mv_approval = approval[self.mv_key[:, None], attempt]
        route_cleared(c.mv_own, mv_approval, mv_delay, request, c.mv_earliest_day)
        changes["mv_approval"] = mv_approval
        changes["mv_delay_mean"] = mv_delay
        changes["mv_request_day"] = request
        has_air = self.air_key >= 0
        air_approval, air_delay = c.air_approval.copy(), c.air_delay_mean.copy()
        air_approval[has_air] = approval[self.air_key[has_air]]
        air_delay[has_air] = delay[self.air_key[has_air]]
        changes["air_approval"], changes["air_delay_mean"] = air_approval, air_delay
        # threats on movements: rate-weighted mean effects within each slot
        thr = tb["threat"]
        if thr.size:
            n_effects = thr.shape[1] - 2
            weight = self.exp_amount * thr[self.exp_row, 0]
            rate = np.bincount(self.exp_cell, weight, minlength=self.n_cells)
            effects = np.stack(
                [
                    np.bincount(self.exp_cell, weight * thr[self.exp_row, 2 + e], self.n_cells)
                    for e in range(n_effects)
                ],
                axis=1,
            )
            safe = np.where(rate > 0, rate, 1.0)
            changes["mv_rate"] = rate.reshape(-1, N_SLOTS)
            changes["mv_effects"] = np.where(
                rate[:, None] > 0, effects / safe[:, None], 0.0
            ).reshape(-1, N_SLOTS, n_effects)
            attack = np.zeros_like(c.attack_rate)
            elasticity = np.zeros_like(c.attack_elasticity)
            attack_effects = np.zeros_like(c.attack_effects)
            for t, site in self.attack_rows:
                attack[site] += thr[t, 0] * self.attack_active[t]
                elasticity[site] = max(elasticity[site], thr[t, 1])
                attack_effects[site] = thr[t, 2:]
            changes["attack_rate"] = attack
            changes["attack_elasticity"] = elasticity
            changes["attack_effects"] = attack_effects
            # unplanned flights meet the patched airfield threats
            changes.update(evac_fire(self.evac_routes, thr[:, 0], thr[:, 2:], self.in_force))
            # ... and evacuation convoys the patched road threats
            changes.update(evac_road(self.evac_road_routes, thr[:, 0], thr[:, 2:], self.in_force))
        # travel days: season and speeds
        travel = scenario_days.travel_days_by_speed(
            self.km,
            tb["link.dry_km_per_day"],
            tb["link.wet_km_per_day"],
            self.air,
            np.isin(self.months, tb["rainy"]),
        )
        changes["travel"] = travel
        changes["mv_dur"] = c.mv_dur + c.travel[c.mv_link, c.mv_day] - travel[c.mv_link, c.mv_day]
        attack_rate = changes.get("attack_rate", c.attack_rate)
        changes.update(self._patch_holdings(tb, attack_rate))  # type: ignore[arg-type]
        changes["mv_cap"] = self._patch_capacity(tb)
        if np.isfinite(c.evac_seats).all():  # own aircraft fly evacuations: seats by count
            changes["evac_seats"] = self.evac_per_aircraft @ tb["aircraft.count"]
        changes["evac_sorties_per_person"] = sorties_per_person(
            self.evac_per_aircraft, tb["aircraft.count"], self.sorties_per_day
        )
        return replace(c, **changes)  # type: ignore[arg-type]

    def _patch_holdings(
        self, tb: dict[str, np.ndarray], attack_rate: np.ndarray
    ) -> dict[str, object]:
        n_sites = len(self.c0.site_ids)
        people = tb["units.people"]
        cell = 2 * self.h_site + self.h_sensitive
        teu0 = np.bincount(cell, tb["holdings.containers_teu"], 2 * n_sites).reshape(n_sites, 2)
        veh0 = np.bincount(cell, tb["holdings.vehicles"], 2 * n_sites).reshape(n_sites, 2)
        people0 = np.bincount(self.u_site, people, n_sites).astype(np.int64)
        ev_day, ev_site, ev_contingent = [], [], []
        for day, rows in self.u_events:
            # every row of one departure is a unit of the leaving contingent
            code = int(self.c0.unit_contingent[rows[0]]) if len(rows) else -1
            if not any(people[r] for r in rows):
                continue
            for site in self.departure_sites:
                ev_day.append(day)
                ev_site.append(site)
                ev_contingent.append(code)
        units = unit_arrays(
            self.scenario,
            self.u_site,
            people.astype(float),
            people0,
            attack_rate[:, : self.c0.horizon],
        )
        cap = pack_caps(self.scenario, teu0, veh0)
        return {
            **units,
            "people0": people0,
            "teu0": teu0,
            "veh0": veh0,
            "pack_cap": cap,
            **packing_schedule(
                self.scenario, self.plan, self.sidx, self.c0.n_days, people0, teu0, veh0, cap
            ),
            "destroy_share": destroy_shares(
                self.scenario, tb["holdings.containers_teu"], tb["holdings.vehicles"]
            ),
            **unit_equipment(
                self.scenario,
                self.plan,
                tb["holdings.containers_teu"],
                tb["holdings.vehicles"],
            ),
            "ev_day": np.array(ev_day, dtype=np.int64),
            "ev_site": np.array(ev_site, dtype=np.int64),
            "ev_contingent": np.array(ev_contingent, dtype=np.int64),
        }

    def _patch_capacity(self, tb: dict[str, np.ndarray]) -> np.ndarray:
        cap = self.c0.mv_cap.copy()
        k, t, e = self.cap_mv, self.cap_truck, self.cap_escort
        if k.size == 0:
            return cap
        count = tb["trucks.count"][t]
        has_escort = e >= 0
        escort = np.maximum(e, 0)
        per_convoy = np.where(has_escort, tb["escort.trucks_per_convoy"][escort], count)
        per_convoy = np.minimum(per_convoy, count)
        per_convoy = np.where(per_convoy == 0, count, per_convoy)
        vehicles = np.where(has_escort, tb["escort.vehicles_per_convoy"][escort], 0.0)
        each = np.stack(
            [
                per_convoy * tb["trucks.people_each"][t],
                per_convoy * tb["trucks.teu_each"][t],
                vehicles,
            ],
            axis=1,
        )
        cap[k] = np.maximum(each * self.cap_convoys[:, None], self.cap_planned)
        return cap


def _patchable(target: Target) -> bool:
    """Whether the patch can reproduce this parameter (some only for some values)."""
    fam = target.family
    if fam is None:
        return target.name in RAINY_BOUNDS
    key = f"{fam.prefix}.{target.field}"
    if fam.prefix in ("clearance", "threat") or key in NO_EFFECT or key == "aircraft.count":
        return True
    if fam.prefix == "link":
        return target.field in ("dry_km_per_day", "wet_km_per_day")
    if fam.prefix == "holdings":
        return target.field in ("containers_teu", "vehicles")
    if fam.prefix == "units":
        return target.field == "people"
    return fam.prefix in ("trucks", "escort")


def _rows(s: Scenario, target: Target) -> np.ndarray:
    """Which rows of its table a parameter changes."""
    fam = target.family
    if fam is None:
        return np.zeros(0, dtype=bool)
    rows = getattr(s, fam.attribute)
    return np.array(
        [target.selector == "*" or target.selector in fam.selectors(r) for r in rows], dtype=bool
    )


def _set(
    tb: dict[str, np.ndarray], target: Target, mask: np.ndarray, value: float, rel: bool
) -> None:
    """Apply one parameter to the row tables, as `apply_overrides` would to the scenario."""
    fam = target.family
    if fam is None:
        months = sorted(int(m) for m in tb["rainy"])
        first = target.name.endswith("first")
        old = months[0] if first else months[-1]
        month = int(math.floor((old * value if rel else value) + 0.5))
        lo, hi = (month, months[-1]) if first else (months[0], month)
        tb["rainy"] = np.arange(lo, hi + 1)
        return
    if fam.prefix == "threat":
        col = THREAT_FIELDS.index(target.field)
        arr = tb["threat"]
        arr[mask, col] = arr[mask, col] * value if rel else value
        return
    key = f"{fam.prefix}.{target.field}"
    if key not in tb:  # no effect on a fixed plan's execution
        return
    arr = tb[key]
    arr[mask] = arr[mask] * value if rel else value
    if key in INT_FIELDS:
        arr[mask] = np.floor(arr[mask] + 0.5)
    if key == "clearance.approval":
        np.clip(arr, 0.0, 1.0, out=arr)


def common_layout(c0: Compiled, compiled: Sequence[Compiled]) -> Layout:
    """One layout of draws for all variants, so every variant reads the same uniforms at the
    same places (common random numbers): room for the most incidents any variant may need."""
    slots, spare = 0, 0
    for c in compiled:
        lay = plan_layout(c, Multipliers())
        slots, spare = max(slots, lay.incident_slots), max(spare, lay.kernel_spare)
    return Layout(c0.n_movements, slots, spare)


def simulate_variants(
    scenario: Scenario,
    plan: Plan,
    variants: Sequence[Variant],
    *,
    runs: int,
    seed: int,
    check_hash: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> VariantRuns:
    """Run `plan` `runs` times under each variant of `scenario`, with common random numbers.

    Parameters
    ----------
    variants
        Each a list of overrides (`Override`s or `NAME=VALUE` texts); `[]` is the scenario.
    runs
        Runs per variant; run `r` of every variant reads the same uniforms (seed block `r`).
    check_hash
        Refuse a plan made for another version of the scenario.
    progress
        Called with (variants done, variants) every 256 variants and at the end.
    """
    check_plan(scenario, plan, check_hash=check_hash)
    compiler = VariantCompiler(scenario, plan)
    ones = np.ones(runs)
    layout = common_layout(compiler.c0, [compiler.compiled(v) for v in variants])
    u = uniforms(seed, 0, runs, layout)
    n = len(variants)
    horizon = np.zeros(n, dtype=np.int64)
    completion = np.zeros((n, runs), dtype=np.int64)
    killed, wounded = np.zeros((n, runs)), np.zeros((n, runs))
    destroyed_teu, destroyed_veh = np.zeros((n, runs)), np.zeros((n, runs))
    patched = np.zeros(n, dtype=bool)
    for i, variant in enumerate(variants):
        c, patched[i] = compiler.compile_variant(variant)
        drawn = draw_movements(c, u, layout, ones, ones)
        out = run_block(c, drawn, u, layout.kernel_start, ones, ones, ones, ones)
        horizon[i] = c.horizon
        completion[i] = out.completion_day
        killed[i], wounded[i] = out.killed, out.wounded
        destroyed_teu[i] = out.teu_fate[:, :, DESTROYED].sum(axis=1)
        destroyed_veh[i] = out.veh_fate[:, :, DESTROYED].sum(axis=1)
        if progress is not None and (i % 256 == 0 or i == n - 1):
            progress(i + 1, n)
    return VariantRuns(horizon, completion, killed, wounded, destroyed_teu, destroyed_veh, patched)


__all__ = ["VariantCompiler", "VariantRuns", "common_layout", "simulate_variants"]
