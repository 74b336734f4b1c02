"""Global sensitivity over a scenario's declared uncertainties: Sobol indices and Morris screening.

Assumption: the plan is fixed (by default the baseline optimised plan) and only its execution
varies; fleet sizes and capacities that the planner would use differently therefore matter
only through what the plan already commits to.

Each parameter set of the design (SALib's Saltelli/Sobol or Morris sample) is executed
`runs_per_set` times with common random numbers (the same uniforms for every set); an output
is the mean over those runs (for `prob_on_time`, the share of runs out by the deadline). The
arrays the engine reads are patched for each set directly (`DesignCompiler`) rather than
recompiled from a changed scenario: clearances, threats, road speeds and the rainy season are
recomputed with the same rules as `compile_inputs`, which a test checks; other parameters
fall back to an exact recompile of the overridden scenario.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from drawdown.analyse.overrides import Target, apply_overrides, resolve, uncertainty_override
from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario, Uncertainty
from drawdown.simulate.disruptions import (
    Layout,
    Multipliers,
    draw_fates,
    plan_layout,
    uniforms,
)
from drawdown.simulate.engine import ChunkOutcome, run_block
from drawdown.simulate.inputs import Compiled, check_plan, compile_inputs
from drawdown.simulate.policy import DESTROYED

Method = Literal["sobol", "morris"]
OUTPUTS: dict[str, str] = {
    "prob_on_time": "probability that everyone is out by the deadline",
    "casualties": "killed and wounded (mean over a set's runs)",
    "killed": "killed (mean over a set's runs)",
    "destroyed": "containers (TEU) and vehicles destroyed (mean over a set's runs)",
    "completion_day": "day the last person leaves (mean; runs never done count as 3x horizon)",
}
DEFAULT_OUTPUTS = ("prob_on_time", "casualties", "destroyed")
THREAT_FIELDS = (
    "rate",
    "garrison_elasticity",
    "killed_mean",
    "wounded_mean",
    "vehicles_lost_mean",
    "cargo_lost_teu_mean",
    "delay_days_mean",
)
SLOTS = {"ied": (0,), "ambush": (1,), "ground_fire": (2, 3)}


@dataclass(frozen=True)
class SensitivityResult:
    """Sensitivity indices of each output to each declared uncertainty."""

    scenario_name: str
    method: Method
    parameters: tuple[str, ...]
    indices: pd.DataFrame  # output, parameter, then S1/S1_conf/ST/ST_conf or mu_star/...
    samples: int  # base samples (Sobol N) or trajectories (Morris)
    parameter_sets: int  # rows of the design
    runs_per_set: int
    seconds: float
    design: np.ndarray  # [sets, parameters]
    outputs: dict[str, np.ndarray]  # output -> [sets]

    @property
    def score_column(self) -> str:
        return "ST" if self.method == "sobol" else "mu_star"

    def ranking(self, output: str) -> pd.DataFrame:
        """Parameters ordered by their total effect (Sobol ST or Morris mu*) on `output`."""
        rows = self.indices[self.indices["output"] == output]
        return rows.sort_values(self.score_column, ascending=False).reset_index(drop=True)

    def summary(self) -> str:
        """The top parameters for each output, with confidence intervals."""
        lines = [
            f"{self.method} sensitivity of {self.scenario_name}: {len(self.parameters)} "
            f"parameters, {self.parameter_sets} parameter sets x {self.runs_per_set} runs "
            f"({self.seconds:.1f} s); the plan is fixed, only its execution varies"
        ]
        for output in dict.fromkeys(self.indices["output"]):
            lines.append(f"  {output}:")
            for row in self.ranking(output).head(5).itertuples():
                if self.method == "sobol":
                    lines.append(
                        f"    {row.parameter:<40} ST {row.ST:5.2f} ± {row.ST_conf:4.2f}"
                        f"   S1 {row.S1:5.2f} ± {row.S1_conf:4.2f}"
                    )
                else:
                    lines.append(
                        f"    {row.parameter:<40} mu* {row.mu_star:.3g} ± {row.mu_star_conf:.2g}"
                        f"   sigma {row.sigma:.3g}"
                    )
        return "\n".join(lines)


# --- the design --------------------------------------------------------------------------------


def declared(scenario: Scenario, names: list[str] | None = None) -> tuple[Uncertainty, ...]:
    """The scenario's declared uncertainties (optionally only `names`), checked."""
    found = scenario.manifest.uncertainties
    if not found:
        raise InputError(
            Problem(
                "scenario.yaml",
                "uncertainties",
                "the scenario declares no uncertain parameters",
                "add `uncertainties:` with parameter, low, high (see docs/how-to)",
            )
        )
    if names:
        by_name = {u.parameter: u for u in found}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise InputError(
                Problem(
                    "--parameters",
                    ", ".join(missing),
                    "not declared as uncertain by the scenario",
                    f"declared: {', '.join(by_name)}",
                )
            )
        found = tuple(by_name[n] for n in names)
    problems = []
    for u in found:
        try:
            resolve(u.parameter, scenario, source="scenario.yaml")
        except InputError as exc:
            problems += exc.problems
        if not u.low < u.high:
            problems.append(
                Problem("scenario.yaml", u.parameter, f"low {u.low} is not below high {u.high}")
            )
    if problems:
        raise InputError(problems, title="declared uncertainties cannot be used")
    return found


def _problem(params: tuple[Uncertainty, ...]) -> dict[str, object]:
    return {
        "num_vars": len(params),
        "names": [u.parameter for u in params],
        "bounds": [[u.low, u.high] for u in params],
    }


# --- evaluating a design -------------------------------------------------------------------------


class DesignCompiler:
    """Engine arrays for any parameter set, patched from one compile of the baseline.

    This is the adapter between a design and the engine: `compile_inputs` turns a whole
    scenario into arrays (tens of milliseconds), while a design needs thousands of variants
    differing in a few numbers. The rules for clearances, threats and travel days are the same
    as in `compile_inputs`; parameters of other tables are applied to the scenario and
    recompiled.
    """

    def __init__(self, scenario: Scenario, plan: Plan, params: tuple[Uncertainty, ...]):
        self.scenario, self.plan, self.params = scenario, plan, params
        self.targets = [resolve(u.parameter, scenario) for u in params]
        self.c0 = compile_inputs(scenario, plan)
        self.fast = all(
            _patchable(t, u, scenario) for t, u in zip(self.targets, params, strict=True)
        )
        if self.fast:
            self._prepare()
            self.tables = self._base_tables()
            self.masks = [_rows(scenario, t) for t in self.targets]

    # precomputation ---------------------------------------------------------------------------
    def _prepare(self) -> None:
        s, c = self.scenario, self.c0
        n_days = c.n_days
        dates = [s.date_of(d) for d in range(n_days)]
        ordinal = np.array([d.toordinal() for d in dates])
        self.months = np.array([d.month for d in dates])
        mv = [self.plan.movements[i] for i in c.mv_index]
        sidx = {sid: i for i, sid in enumerate(c.site_ids)}
        links = {link.id: link for link in s.links}
        region_of = {site.id: site.region for site in s.sites}

        # clearances: which rule decides each (mode, region) on each day
        keys: dict[tuple[str, str], int] = {}
        mv_key = np.array(
            [
                keys.setdefault((m.mode, links[m.link].region or region_of[m.origin]), len(keys))
                for m in mv
            ],
            dtype=np.int64,
        )
        air_key = np.full(len(c.site_ids), -1, dtype=np.int64)
        for i, j in enumerate(c.air_link):
            if j >= 0:
                link = s.links[int(j)]
                air_key[i] = keys.setdefault(
                    ("air", link.region or region_of[c.site_ids[i]]), len(keys)
                )
        win = np.full((len(keys), n_days), -1, dtype=np.int64)
        suspended = np.zeros((len(keys), n_days), dtype=bool)
        for (mode, region), k in keys.items():
            score = np.full(n_days, -1)
            for r, rule in enumerate(s.clearances):
                if rule.mode not in (mode, "*") or rule.region not in (region, "*"):
                    continue
                rank = 2 * (rule.mode == mode) + (rule.region == region)
                active = (ordinal >= rule.start.toordinal()) & (ordinal <= rule.end.toordinal())
                use = active & (rank >= score)
                win[k, use], score[use] = r, rank
            for ev in s.events:
                if ev.kind == "clearance_suspended" and ev.target in ("*", "all", mode):
                    end = (ev.end_date or dates[-1]).toordinal()
                    suspended[k] |= (ordinal >= ev.date.toordinal()) & (ordinal <= end)
        retries = c.max_retries + 1
        self.attempt = np.minimum(
            c.mv_day[:, None] + c.retry_days * np.arange(retries)[None, :], n_days - 1
        )
        self.mv_key, self.air_key, self.win, self.suspended = mv_key, air_key, win, suspended

        # threats: exposure of each movement slot to each threat row (sparse: few rows each)
        cells, rows, amounts = [], [], []
        for k, m in enumerate(mv):
            link = links[m.link]
            date = dates[m.day]
            if m.mode != "air":
                pairs = [(0, "ied", m.link), (1, "ambush", m.link)]
            else:
                pairs = [(2, "ground_fire", m.origin), (3, "ground_fire", m.destination)]
            for slot, kind, target in pairs:
                for t, thr in enumerate(s.threats):
                    if thr.kind == kind and thr.target == target and thr.start <= date <= thr.end:
                        cells.append(4 * k + slot)
                        rows.append(t)
                        amounts.append(link.km * m.convoys if m.mode != "air" else m.convoys)
        self.exp_cell = np.array(cells, dtype=np.int64)
        self.exp_row = np.array(rows, dtype=np.int64)
        self.exp_amount = np.array(amounts, dtype=np.float64)
        self.n_cells = 4 * len(mv)
        self.attack_rows = [
            (t, sidx[thr.target])
            for t, thr in enumerate(s.threats)
            if thr.kind == "base_attack" and thr.target in sidx
        ]
        self.attack_active = {
            t: (ordinal >= s.threats[t].start.toordinal())
            & (ordinal <= s.threats[t].end.toordinal())
            for t, _ in self.attack_rows
        }

        # links: travel days from speeds and season
        self.km = np.array([float(link.km) for link in s.links])
        self.air = np.array([link.mode == "air" for link in s.links])

        # holdings and units: where each row sits, and which units leave with a contingent
        self.h_site = np.array([sidx[h.site] for h in s.holdings], dtype=np.int64)
        self.h_sensitive = np.array([int(h.sensitive) for h in s.holdings], dtype=np.int64)
        self.u_site = np.array([sidx[u.site] for u in s.units], dtype=np.int64)
        self.u_events = [
            (
                max(0, s.day_of(ev.date)),
                [r for r, u in enumerate(s.units) if u.contingent == ev.target],
            )
            for ev in s.events
            if ev.kind == "contingent_departs"
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
                )
                for field in fields
            },
        }

    # one parameter set ---------------------------------------------------------------------
    def compiled(self, values: np.ndarray) -> Compiled:
        """The engine arrays with the declared parameters at `values`."""
        if not self.fast:
            overrides = [
                uncertainty_override(u, float(v), self.scenario)
                for u, v in zip(self.params, values, strict=True)
            ]
            return compile_inputs(apply_overrides(self.scenario, overrides), self.plan)
        tables = {k: v.copy() for k, v in self.tables.items()}
        for u, target, mask, value in zip(
            self.params, self.targets, self.masks, values, strict=True
        ):
            _set(tables, target, mask, float(value), u.scale == "multiplier")
        return self._patch(tables)

    def _patch(self, tb: dict[str, np.ndarray]) -> Compiled:
        c = self.c0
        changes: dict[str, object] = {}
        # clearances
        approval = np.where(self.win >= 0, tb["clearance.approval"][np.maximum(self.win, 0)], 1.0)
        approval[self.suspended] = 0.0
        delay = np.where(
            self.win >= 0, tb["clearance.delay_mean_days"][np.maximum(self.win, 0)], 0.0
        )
        changes["mv_approval"] = approval[self.mv_key[:, None], self.attempt]
        changes["mv_delay_mean"] = delay[self.mv_key, c.mv_day]
        has_air = self.air_key >= 0
        air_approval, air_delay = c.air_approval.copy(), c.air_delay_mean.copy()
        air_approval[has_air] = approval[self.air_key[has_air]]
        air_delay[has_air] = delay[self.air_key[has_air]]
        changes["air_approval"], changes["air_delay_mean"] = air_approval, air_delay
        # threats on movements: rate-weighted mean effects within each slot
        thr = tb["threat"]
        if thr.size:
            weight = self.exp_amount * thr[self.exp_row, 0]
            rate = np.bincount(self.exp_cell, weight, minlength=self.n_cells)
            effects = np.stack(
                [
                    np.bincount(self.exp_cell, weight * thr[self.exp_row, 2 + e], self.n_cells)
                    for e in range(thr.shape[1] - 2)
                ],
                axis=1,
            )
            safe = np.where(rate > 0, rate, 1.0)
            changes["mv_rate"] = rate.reshape(-1, 4)
            changes["mv_effects"] = np.where(
                rate[:, None] > 0, effects / safe[:, None], 0.0
            ).reshape(-1, 4, thr.shape[1] - 2)
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
        # travel days: season and speeds
        rainy = np.isin(np.arange(1, 13), tb["rainy"])
        speed = np.where(
            rainy[None, :], tb["link.wet_km_per_day"][:, None], tb["link.dry_km_per_day"][:, None]
        )
        steps = np.maximum(1.0, np.round(speed))
        by_month = np.maximum(1.0, np.ceil(np.round(self.km[:, None]) / steps))
        by_month = np.where((speed <= 0) | self.air[:, None], 0, by_month).astype(np.int64)
        travel = by_month[:, self.months - 1]
        changes["travel"] = travel
        changes["mv_dur"] = c.mv_dur + c.travel[c.mv_link, c.mv_day] - travel[c.mv_link, c.mv_day]
        changes.update(self._patch_holdings(tb))
        changes["mv_cap"] = self._patch_capacity(tb)
        return replace(c, **changes)  # type: ignore[arg-type]

    def _patch_holdings(self, tb: dict[str, np.ndarray]) -> dict[str, object]:
        n_sites = len(self.c0.site_ids)
        people = tb["units.people"]
        cell = 2 * self.h_site + self.h_sensitive
        teu0 = np.bincount(cell, tb["holdings.containers_teu"], 2 * n_sites).reshape(n_sites, 2)
        veh0 = np.bincount(cell, tb["holdings.vehicles"], 2 * n_sites).reshape(n_sites, 2)
        people0 = np.bincount(self.u_site, people, n_sites).astype(np.int64)
        ev_day, ev_site, ev_people = [], [], []
        for day, rows in self.u_events:
            by_site: dict[int, float] = {}
            for r in rows:
                if people[r]:
                    site = int(self.u_site[r])
                    by_site[site] = by_site.get(site, 0.0) + people[r]
            for site, n in by_site.items():
                ev_day.append(day)
                ev_site.append(site)
                ev_people.append(n)
        return {
            "people0": people0,
            "teu0": teu0,
            "veh0": veh0,
            "ev_day": np.array(ev_day, dtype=np.int64),
            "ev_site": np.array(ev_site, dtype=np.int64),
            "ev_people": np.array(ev_people, dtype=np.float64),
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


# fields a fixed plan's execution never reads (they matter to the planner only)
NO_EFFECT = {"escort.convoys_per_day", "aircraft.sorties_per_day", "holdings.value_usd"}
INT_FIELDS = {
    "units.people",
    "holdings.vehicles",
    "trucks.count",
    "trucks.people_each",
    "escort.trucks_per_convoy",
    "escort.vehicles_per_convoy",
}


def _patchable(target: Target, u: Uncertainty, s: Scenario) -> bool:
    """Whether the fast path reproduces this parameter exactly (else: full recompile)."""
    fam = target.family
    if fam is None:
        return target.name in ("calendar.rainy_months.first", "calendar.rainy_months.last")
    key = f"{fam.prefix}.{target.field}"
    if fam.prefix in ("clearance", "threat") or key in NO_EFFECT:
        return True
    if key == "aircraft.count":  # only whether a type exists at all reaches execution
        rows = [a.count for a in s.aircraft if target.selector in ("*", a.id)]
        least = u.low * min(rows) if u.scale == "multiplier" else u.low
        return least >= 0.5
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


def _outputs(out: ChunkOutcome, horizon: int) -> dict[str, float]:
    done = (out.completion_day >= 0) & (out.completion_day < horizon)
    days = np.where(out.completion_day >= 0, out.completion_day, 3 * horizon)
    destroyed = out.teu_fate[:, :, DESTROYED].sum(axis=1) + out.veh_fate[:, :, DESTROYED].sum(
        axis=1
    )
    return {
        "prob_on_time": float(done.mean()),
        "casualties": float((out.killed + out.wounded).mean()),
        "killed": float(out.killed.mean()),
        "destroyed": float(destroyed.mean()),
        "completion_day": float(days.mean()),
    }


def evaluate_design(
    scenario: Scenario,
    plan: Plan,
    params: tuple[Uncertainty, ...],
    design: np.ndarray,
    *,
    runs_per_set: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Every output for every parameter set of `design` (mean over `runs_per_set` runs)."""
    # the plan need only fit the scenario's sites and links: declaring uncertainties (or a
    # stress test of a plan made before an edit) changes the scenario's hash, not the plan
    check_plan(scenario, plan, check_hash=False)
    compiler = DesignCompiler(scenario, plan, params)
    ones = np.ones(runs_per_set)
    # one layout of draws for the whole design, so every set reads the same uniforms at the
    # same places (common random numbers): room for the most incidents any set may need
    slots, spare = 0, 0
    for values in design:
        lay = plan_layout(compiler.compiled(values), Multipliers())
        slots, spare = max(slots, lay.incident_slots), max(spare, lay.kernel_spare)
    layout = Layout(compiler.c0.n_movements, slots, spare)
    u = uniforms(seed, 0, runs_per_set, layout)
    results = {name: np.zeros(len(design)) for name in OUTPUTS}
    for i, values in enumerate(design):
        c = compiler.compiled(values)
        fates = draw_fates(c, u, layout, ones, ones)
        out = run_block(c, fates, u, layout.kernel_start, ones, ones, ones, ones)
        for name, value in _outputs(out, c.horizon).items():
            results[name][i] = value
        if progress is not None and (i % 256 == 0 or i == len(design) - 1):
            progress(i + 1, len(design))
    return results


def _check_outputs(outputs: tuple[str, ...]) -> None:
    bad = [o for o in outputs if o not in OUTPUTS]
    if bad or not outputs:
        raise InputError(
            Problem(
                "--output",
                ",".join(bad) or "(none)",
                "unknown output",
                f"choose from {', '.join(OUTPUTS)}",
            )
        )


def analyse_design(
    problem: dict[str, object],
    design: np.ndarray,
    y: np.ndarray,
    *,
    method: Method,
    seed: int,
    resamples: int = 200,
) -> pd.DataFrame:
    """Indices of one output from its values on a SALib design, with 95% intervals.

    Sobol: S1, S1_conf, ST, ST_conf; Morris: mu, mu_star, sigma, mu_star_conf. An output
    that never varies gets zero indices rather than a division by zero.
    """
    names = list(problem["names"])  # type: ignore[call-overload]
    if method == "sobol":
        keys = ("S1", "S1_conf", "ST", "ST_conf")
        if np.ptp(y) == 0:
            table = {k: np.zeros(len(names)) for k in keys}
        else:
            with warnings.catch_warnings():
                # SALib warns when a bootstrap resample is constant; the intervals show it
                warnings.simplefilter("ignore", UserWarning)
                table = sobol_analyze.analyze(
                    problem, y, calc_second_order=False, num_resamples=resamples, seed=seed
                )
    else:
        keys = ("mu", "mu_star", "sigma", "mu_star_conf")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            table = morris_analyze.analyze(problem, design, y, num_resamples=resamples, seed=seed)
    frame = pd.DataFrame({k: np.asarray(table[k], dtype=float) for k in keys})
    frame.insert(0, "parameter", names)
    return frame


def sensitivity(
    scenario: Scenario,
    plan: Plan | None = None,
    *,
    method: Method = "sobol",
    samples: int = 256,
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS,
    runs_per_set: int = 8,
    seed: int = 0,
    parameters: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Sobol (first and total order, 95% intervals) or Morris indices of each output.

    Parameters
    ----------
    plan
        The plan executed under every parameter set (default: the optimised baseline plan).
    samples
        Sobol base sample N (a power of two; N x (parameters + 2) sets) or Morris trajectories.
    runs_per_set
        Simulated runs per parameter set, with the same random numbers for every set.
    parameters
        Only these declared uncertainties (default: all of them).
    """
    import time

    start = time.perf_counter()
    _check_outputs(outputs)
    params = declared(scenario, parameters)
    if method not in ("sobol", "morris"):
        raise InputError(Problem("--method", method, "unknown method", "use sobol or morris"))
    if samples < 2 or runs_per_set < 1:
        raise InputError(Problem("--samples", str(samples), "needs at least 2 samples and 1 run"))
    if plan is None:
        from drawdown.plan import optimise

        plan = optimise(scenario)
    problem = _problem(params)
    if method == "sobol":
        if samples & (samples - 1):
            raise InputError(
                Problem("--samples", str(samples), "Sobol needs a power of two", "e.g. 256 or 512")
            )
        design = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        design = morris_sample.sample(problem, samples, num_levels=4, seed=seed)
    values = evaluate_design(
        scenario, plan, params, design, runs_per_set=runs_per_set, seed=seed, progress=progress
    )
    frames = []
    for output in outputs:
        frame = analyse_design(problem, design, values[output], method=method, seed=seed)
        frame.insert(0, "output", output)
        frames.append(frame)
    return SensitivityResult(
        scenario_name=scenario.name,
        method=method,
        parameters=tuple(problem["names"]),  # type: ignore[arg-type]
        indices=pd.concat(frames, ignore_index=True),
        samples=samples,
        parameter_sets=len(design),
        runs_per_set=runs_per_set,
        seconds=time.perf_counter() - start,
        design=design,
        outputs={o: values[o] for o in outputs},
    )


__all__ = [
    "DEFAULT_OUTPUTS",
    "analyse_design",
    "OUTPUTS",
    "DesignCompiler",
    "SensitivityResult",
    "evaluate_design",
    "sensitivity",
]
