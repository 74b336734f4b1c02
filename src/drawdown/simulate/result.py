"""The result of a simulation: per-run records and the distributions the report draws."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from drawdown.scenario.kinds import LINK_KINDS, SITE_KINDS
from drawdown.simulate.outcomes import (
    Collected,
    hist_quantiles,
    mean_interval,
    summarise,
    wilson,
)
from drawdown.simulate.policy import FATES
from drawdown.simulate.stats import Tally
from drawdown.simulate.summaries import Summaries

QUANTILES = (0.05, 0.5, 0.95)
# Below this share of runs out by the deadline, a plan aimed at the deadline itself (no
# reserve) is pointed to the policy's reserve: ten days took the 2x synthetic mission from
# 29% of runs to 84% (`docs/background/simulation.md`).
RESERVE_ADVICE_BELOW = 0.9
WITHDRAWAL_FIELDS = (
    "lift_ids",
    "lift_people_by_day",
    "lift_seats_by_day",
    "lift_teu_crossed",
    "lift_vehicles_crossed",
    "packed_day",
    "handover_day",
    "early_closed_site",
    "early_close_day",
)


@dataclass(frozen=True)
class Meta:
    """What identifies a result: inputs, seed and the version that produced it."""

    scenario_name: str
    scenario_hash: str
    plan_hash: str
    seed: int
    runs: int
    start_date: str  # ISO date of day 0
    deadline: str
    version: str
    format: int = 2  # the results folder format (`drawdown.simulate.io.FORMAT`)


@dataclass(frozen=True)
class SimulationResult:
    """Outcomes of `runs` simulated executions of one plan in one scenario."""

    meta: Meta
    data: Collected

    @property
    def runs(self) -> int:
        return self.meta.runs

    @property
    def seed(self) -> int:
        return self.meta.seed

    @property
    def scenario_hash(self) -> str:
        return self.meta.scenario_hash

    @property
    def plan_hash(self) -> str:
        return self.meta.plan_hash

    @property
    def horizon(self) -> int:
        return self.data.horizon

    # The withdrawal's bottlenecks (spec M12 section 4: the report reads these names), filled
    # from `data` unless given: lift_ids (X axis, `scenario.lift` order); lift_people_by_day
    # and lift_seats_by_day float [X, H] (people seated, seats cleared, summed over runs);
    # lift_teu_crossed and lift_vehicles_crossed float [R, X]; packed_day, handover_day,
    # early_close_day int [R, S] (-1: never); early_closed_site int [R, S] (1: closed early).
    lift_ids: tuple[str, ...] | None = None
    lift_people_by_day: np.ndarray | None = None
    lift_seats_by_day: np.ndarray | None = None
    lift_teu_crossed: np.ndarray | None = None
    lift_vehicles_crossed: np.ndarray | None = None
    packed_day: np.ndarray | None = None
    handover_day: np.ndarray | None = None
    early_closed_site: np.ndarray | None = None
    early_close_day: np.ndarray | None = None
    # The streaming statistics every summary reads (computed from `data` when not given),
    # and the folder holding the per-run tables when they are on disk, not in `data`.
    stats: Summaries | None = None
    source: Path | None = None

    def __post_init__(self) -> None:
        if self.stats is None:
            object.__setattr__(self, "stats", summarise(self.data))
        for name in WITHDRAWAL_FIELDS:
            if name.startswith("lift_") and not self.data.lift_ids:
                continue  # no lift rows: the lift fields stay None (nothing to show)
            summed = name in ("lift_ids", "lift_people_by_day", "lift_seats_by_day")
            if (summed or self.kept) and getattr(self, name) is None:
                object.__setattr__(self, name, getattr(self.data, name))

    @property
    def kept(self) -> bool:
        """Whether `data` holds every run's records (else only the summaries are here)."""
        return bool(self.data.closure_day.shape[0] == self.runs)

    @property
    def summaries(self) -> Summaries:
        assert self.stats is not None
        return self.stats

    def date_of(self, day: float) -> str:
        """ISO date of a day index ('never' when not reached)."""
        if not np.isfinite(day) or day < 0:
            return "never"
        return (
            dt.date.fromisoformat(self.meta.start_date) + dt.timedelta(days=int(day))
        ).isoformat()

    def _closable(self) -> list[int]:
        closure = self.summaries.site_days["closure_day"]
        return [
            i
            for i, k in enumerate(self.data.site_kinds)
            if k in ("base", "hub")
            and closure[i].finite().n > 0
            or (k in ("base", "hub") and self.data.teu0[i] + self.data.veh0[i] > 0)
        ]

    # --- per-run records ------------------------------------------------------------------

    def runs_frame(self) -> pd.DataFrame:
        """One row per run: completion, people, casualties, incidents, cost, cargo by fate."""
        if not self.kept:
            return self._read_per_run("runs.parquet")
        frame = pd.DataFrame(self.data.runs)
        frame.insert(0, "run", np.arange(self.runs, dtype=np.int64))
        return frame

    def sites_frame(self) -> pd.DataFrame:
        """One row per run and site: closure day and the site's cargo by fate."""
        if not self.kept:
            frame = self._read_per_run("sites.parquet")
            keep = ["run", "site", "closure_day"]
            keep += [f"{u}_{f}" for f in FATES for u in ("teu", "vehicles")]
            frame = frame[keep].astype({"closure_day": np.int64})
            frame["site"] = pd.Series(np.array(frame["site"].astype(str), dtype=object))
            return frame
        d = self.data
        n_runs, n_sites = d.closure_day.shape
        columns: dict[str, np.ndarray] = {
            "run": np.repeat(np.arange(n_runs), n_sites),
            "site": np.tile(np.array(d.site_ids, dtype=object), n_runs),
            "closure_day": d.closure_day.ravel().astype(np.int64),
        }
        for f, name in enumerate(FATES):
            columns[f"teu_{name}"] = d.teu_fate[:, :, f].ravel()
            columns[f"vehicles_{name}"] = d.veh_fate[:, :, f].ravel()
        return pd.DataFrame(columns)

    def _read_per_run(self, name: str) -> pd.DataFrame:
        if self.source is None or not (Path(self.source) / name).is_file():
            raise ValueError(
                "the per-run outcomes of this result were not kept: simulate with an output "
                "folder (-o) or keep_runs=True to have them"
            )
        return pd.read_parquet(Path(self.source) / name)

    # --- distributions --------------------------------------------------------------------

    def p_out_by_deadline(self) -> tuple[float, float, float]:
        """Probability that every person is out by the deadline, with its 95% interval."""
        hits = self.summaries.all_out
        lo, hi = wilson(hits, self.runs)
        return (hits / self.runs, lo, hi)

    def completion_quantiles(self, q: tuple[float, ...] = QUANTILES) -> pd.DataFrame:
        """Day the last person leaves: quantiles with 95% intervals (inf: never)."""
        tally = self.summaries.tallies["completion_day"]
        rows = [(p, *tally.interval(p)) for p in q]
        frame = pd.DataFrame(rows, columns=["quantile", "day", "low", "high"])
        frame["date"] = [self.date_of(x) for x in frame["day"]]
        return frame

    def closure_quantiles(self, q: tuple[float, ...] = QUANTILES) -> pd.DataFrame:
        """Closure day of each base and hub: quantiles, dates and P(closed by deadline)."""
        closure = self.summaries.site_days["closure_day"]
        return pd.DataFrame(
            {"site": self.data.site_ids[i], **self._day_row(closure[i], q, "p_closed_by_deadline")}
            for i in self._closable()
        )

    def _day_row(self, days: Tally, q: tuple[float, ...], p_name: str) -> dict[str, object]:
        """Quantiles of a day over runs with their dates, and P(before the deadline) with
        its interval under `p_name`."""
        row: dict[str, object] = {}
        for p in q:
            value = days.quantile(p)
            row[f"q{round(p * 100):02d}"] = value
            row[f"q{round(p * 100):02d}_date"] = self.date_of(value)
        hit = days.count_below(self.horizon)
        row[p_name] = hit / self.runs
        row["p_low"], row["p_high"] = wilson(hit, self.runs)
        return row

    def people_remaining_fan(
        self, q: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
    ) -> pd.DataFrame:
        """People still in theatre at the end of each day: quantiles across runs."""
        return _fan(self.data.fan_hist, self.data.fan_bin, q)

    def teu_out_fan(self, q: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """TEU out of the theatre by the end of each day: quantiles across runs, in whole TEU
        (lower edges of `teu_out_bin`-wide bins). Counted as `teu_shipped` counts them: across
        a corridor's border or into its port, or on reaching an exit without a corridor."""
        d = self.data
        if d.teu_out_hist is None:
            raise ValueError(
                "these results do not record TEU out of the theatre by day (made before the "
                "stress test did): simulate again to have them"
            )
        return _fan(d.teu_out_hist, d.teu_out_bin, q)

    def fate_shares(self, *, by_site: bool = True) -> pd.DataFrame:
        """Share of containers and vehicles by fate (by origin site): mean and 95% interval.

        By site the intervals need every run's records (NaN when they were not kept)."""
        d = self.data
        moments = self.summaries.moments
        rows = []
        sites = range(len(d.site_ids)) if by_site else [None]
        for i in sites:
            teu0 = d.teu0.sum() if i is None else d.teu0[i]
            veh0 = d.veh0.sum() if i is None else d.veh0[i]
            if teu0 + veh0 <= 0:
                continue
            for f, fate in enumerate(FATES):
                row: dict[str, object] = {
                    "site": "all" if i is None else d.site_ids[i],
                    "fate": fate,
                }
                for unit, fates, total in (
                    ("teu", d.teu_fate, teu0),
                    ("vehicles", d.veh_fate, veh0),
                ):
                    if i is None:
                        figure = moments.interval(f"{unit}_share_{fate}")
                    elif self.kept:
                        share = fates[:, i, f].astype(float) / total if total > 0 else None
                        figure = mean_interval(share if share is not None else np.zeros(self.runs))
                    else:
                        mean = self.summaries.cargo_mean(unit)[i, f] / total if total > 0 else 0.0
                        figure = (float(mean), math.nan, math.nan)
                    row[f"{unit}_share"], row[f"{unit}_low"], row[f"{unit}_high"] = figure
                rows.append(row)
        return pd.DataFrame(rows)

    def incidents_by_place(self) -> pd.DataFrame:
        """Incidents and killed per run, by link (convoys) and by site (airfields, bases)."""
        d = self.data
        rows = []
        for j, link in enumerate(d.link_ids):
            for k, kind in enumerate(LINK_KINDS):
                if d.inc_link[j, k]:
                    rows.append(("link", link, kind, d.inc_link[j, k] / self.runs, math.nan))
            if d.killed_link[j]:
                rows.append(("link", link, "killed", math.nan, d.killed_link[j] / self.runs))
        for i, site in enumerate(d.site_ids):
            for k, kind in enumerate(SITE_KINDS):
                if d.inc_site[i, k]:
                    rows.append(("site", site, kind, d.inc_site[i, k] / self.runs, math.nan))
            if d.killed_site[i]:
                rows.append(("site", site, "killed", math.nan, d.killed_site[i] / self.runs))
        return pd.DataFrame(
            rows, columns=["place_type", "place", "kind", "incidents_per_run", "killed_per_run"]
        )

    def protection_gap_over_time(self) -> pd.DataFrame:
        """Civilians left uncovered on each day: mean and 10/90% across runs (the quantiles
        from a per-day histogram of 1/4096 of the population: its bins' lower edges)."""
        s = self.summaries
        return pd.DataFrame(
            {
                "day": np.arange(self.horizon),
                "mean": s.uncovered_mean(),
                "q10": s.uncovered_quantile(0.1),
                "q90": s.uncovered_quantile(0.9),
            }
        )

    # --- headline figures -----------------------------------------------------------------

    def summary_record(self) -> dict[str, float | int | str]:
        """The headline figures as one flat record (inf: never; NaN: not defined)."""
        s = self.summaries
        p, p_lo, p_hi = self.p_out_by_deadline()
        rec: dict[str, float | int | str] = {
            "scenario": self.meta.scenario_name,
            "runs": self.runs,
            "seed": self.meta.seed,
            "plan_hash": self.meta.plan_hash,
            "p_all_out_by_deadline": p,
            "p_all_out_by_deadline_low": p_lo,
            "p_all_out_by_deadline_high": p_hi,
        }
        for _, row in self.completion_quantiles().iterrows():
            tag = f"completion_day_q{round(row['quantile'] * 100):02d}"
            rec[tag], rec[f"{tag}_low"], rec[f"{tag}_high"] = row["day"], row["low"], row["high"]
        for name in (
            "killed",
            "wounded",
            "people_stranded",
            "protection_gap_person_days",
            "cost_usd",
        ):
            mean = s.moments.interval(name)
            rec[f"{name}_mean"], rec[f"{name}_mean_low"], rec[f"{name}_mean_high"] = mean
            p90 = s.tallies[name].interval(0.9)
            rec[f"{name}_p90"], rec[f"{name}_p90_low"], rec[f"{name}_p90_high"] = p90
        total = self.fate_shares(by_site=False)
        for _, row in total.iterrows():
            for unit in ("teu", "vehicles"):
                rec[f"{unit}_{row['fate']}_share"] = row[f"{unit}_share"]
                rec[f"{unit}_{row['fate']}_share_low"] = row[f"{unit}_low"]
                rec[f"{unit}_{row['fate']}_share_high"] = row[f"{unit}_high"]
        return {k: (float(v) if isinstance(v, np.floating) else v) for k, v in rec.items()}

    def summary(self) -> str:
        """A readable account of the headline figures, each with its interval and run count."""
        rec = self.summary_record()
        n = self.runs
        lines = [
            f"{self.meta.scenario_name}: {n:,} simulated runs (seed {self.meta.seed}), "
            f"deadline {self.meta.deadline}",
        ]
        p = rec["p_all_out_by_deadline"]
        # Say how many runs missed: 4,998 of 5,000 prints as 100.0% and is still at risk.
        missed = n - round(float(p) * n)
        verdict = (
            "deadline MISSED in every run"
            if p == 0
            else (
                "all out by the deadline in every run"
                if p == 1
                else f"deadline at risk: missed in {missed:,} of {n:,} runs"
            )
        )
        lines.append(
            f"  P(all people out by deadline) = {p:.1%} "
            f"(95% CI {rec['p_all_out_by_deadline_low']:.1%}-"
            f"{rec['p_all_out_by_deadline_high']:.1%}; "
            f"{n:,} runs): {verdict}"
        )
        comp = self.completion_quantiles()
        parts = [f"P{round(r['quantile'] * 100)} {r['date']}" for _, r in comp.iterrows()]
        lines.append("  last person out: " + ", ".join(parts))
        stranded = rec["people_stranded_mean"]
        if stranded:
            lines.append(
                f"  people never got out: mean {stranded:,.0f}, "
                f"P90 {rec['people_stranded_p90']:,.0f}"
            )
        for name in ("killed", "wounded"):
            lines.append(
                f"  {name}: mean {rec[f'{name}_mean']:.1f} "
                f"(95% CI {rec[f'{name}_mean_low']:.1f}-{rec[f'{name}_mean_high']:.1f}), "
                f"P90 {rec[f'{name}_p90']:.0f}"
            )
        for unit in ("teu", "vehicles"):
            shares = ", ".join(
                f"{fate.replace('_', ' ')} {rec[f'{unit}_{fate}_share']:.1%}"
                for fate in FATES
                if float(rec.get(f"{unit}_{fate}_share", 0)) >= 5e-4
            )
            lines.append(f"  {'containers' if unit == 'teu' else 'vehicles'}: {shares}")
        lines.append("  closure dates by site (P5 / median / P95, P closed by deadline):")
        for _, row in self.closure_quantiles().iterrows():
            lines.append(
                f"    {row['site']:<14} {row['q05_date']} / {row['q50_date']} / {row['q95_date']}"
                f"  ({row['p_closed_by_deadline']:.0%})"
            )
        lines.extend(self._withdrawal_lines())
        return "\n".join(lines)

    def reserve_advice(self, reserve_days: int, scenario_ref: str) -> str | None:
        """A line for a plan without reserve days whose deadline is at risk (else None).
        `scenario_ref` is the scenario as the user named it (a folder or a built-in name),
        so that the what-if it suggests runs as printed."""
        p = float(self.summary_record()["p_all_out_by_deadline"])
        if reserve_days > 0 or p >= RESERVE_ADVICE_BELOW:
            return None
        return (
            "  the plan aims at the deadline itself (policy.reserve_days_before_deadline 0); "
            "a reserve brings it forward: try `drawdown compare "
            f"{scenario_ref} --set policy.reserve_days_before_deadline=10`"
        )

    def unit_out_quantiles(self, q: tuple[float, ...] = QUANTILES) -> pd.DataFrame:
        """Day each unit's last person left the theatre: quantiles, dates, P(out by deadline)."""
        units = zip(self.data.unit_ids, self.summaries.unit_days, strict=True)
        return pd.DataFrame(
            {"unit": unit, **self._day_row(days, q, "p_out_by_deadline")} for unit, days in units
        )

    def people_out_by_exit(self) -> pd.DataFrame:
        """Mean people out of the theatre by exit and day (one column an exit with any)."""
        d = self.data
        frame = pd.DataFrame({"day": np.arange(self.horizon)})
        for i, site in enumerate(d.site_ids):
            if d.exit_people_by_day.size and d.exit_people_by_day[i].any():
                frame[site] = d.exit_people_by_day[i] / self.runs
        return frame

    def _withdrawal_lines(self) -> list[str]:
        """One readable line per bottleneck outcome that the scenario has."""
        d, n, s = self.data, self.runs, self.summaries
        lines: list[str] = []
        if self.data.unit_ids:
            units = self.unit_out_quantiles(q=(0.5,))
            order = units.sort_values(["q50", "unit"], kind="stable")
            first, last = order.iloc[0], order.iloc[-1]
            on_time = int((units["p_out_by_deadline"] >= 0.5).sum())
            lines.append(
                f"  units out of the theatre (median day): first {first['unit']} "
                f"{first['q50_date']}, last {last['unit']} {last['q50_date']}"
                f"; {on_time} of {len(units)} units out by the deadline in most runs"
            )
        by_exit = self.people_out_by_exit().drop(columns="day").sum()
        if len(by_exit):
            parts = ", ".join(f"{site} {people:,.0f}" for site, people in by_exit.items())
            lines.append(f"  people out by the deadline by exit (mean a run): {parts}")
        for x, lift in enumerate(d.lift_ids):
            seats = d.lift_seats_by_day[x].sum()
            teu, vehicles = (s.lift_crossed[k][x] for k in ("teu_crossed", "vehicles_crossed"))
            if seats > 0:
                seated = d.lift_people_by_day[x].sum()
                lines.append(
                    f"  charter {lift}: {seated / n:,.0f} people seated a run to the deadline, "
                    f"{seats / n:,.0f} seats cleared ({seated / seats:.0%} used)"
                )
            elif _any_positive(teu) or _any_positive(vehicles):
                lines.append(
                    f"  corridor {lift}: mean {teu.mean():,.0f} TEU and "
                    f"{vehicles.mean():,.0f} vehicles crossed a run"
                )
        for i, site in enumerate(d.site_ids):
            packed = s.site_days["packed_day"][i].finite()
            handed = s.site_days["handover_day"][i].finite()
            if packed.n or handed.n:
                median_handover = (
                    self.date_of(handed.quantile(0.5, method="linear")) if handed.n else "never"
                )
                # the share of runs matters: a site that closes before its camp is down
                # (MINUSMA's team sites) finishes packing in few of them, or in none
                if packed.n:
                    share = f"{packed.n / n:.0%}" if packed.n >= n / 100 else "under 1%"
                    when = self.date_of(packed.quantile(0.5, method="linear"))
                    packing = f"packed in {share} of runs (median {when})"
                else:
                    packing = "packed in no run"
                lines.append(
                    f"  {site}: {packing}, handed over in {handed.n / n:.0%} "
                    f"(median {median_handover})"
                )
            if s.early_closed[i]:
                days = s.site_days["early_close_day"][i].finite()
                left = (
                    d.early_close_people[i] / s.early_closed[i] if d.early_close_people.size else 0
                )
                early = s.early_closed[i] / n
                lines.append(
                    f"  {site}: closed early under attack in "
                    f"{f'{early:.1%}' if early >= 0.0005 else 'under 0.1%'} of runs "
                    f"(median {self.date_of(days.quantile(0.5, method='linear'))}; "
                    f"{left:,.0f} people left there on average when it closed)"
                )
        return lines


def _fan(hist: np.ndarray, width: int, q: tuple[float, ...]) -> pd.DataFrame:
    """Quantiles `q` and the mean by day of a per-day histogram [H, bins] of width `width`."""
    frame = pd.DataFrame({"day": np.arange(hist.shape[0])})
    for p in q:
        frame[f"q{round(p * 100):02d}"] = hist_quantiles(hist, p, width).tolist()
    centres = np.arange(hist.shape[1]) * width
    frame["mean"] = (hist @ centres) / np.maximum(1, hist.sum(axis=1))
    return frame


def _any_positive(tally: Tally) -> bool:
    return bool(tally.n and tally.values()[-1] > 0)
