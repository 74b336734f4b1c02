"""Adapter from simulation results to the report's own flat views of them.

`SimulationViews` is what the report needs from a simulation, already reduced over runs:
quantiles and means the figures draw, and one row per run for the headline.
`views_from_result` builds it from `drawdown.simulate.SimulationResult`'s accessors; all the
computing happens here, the figure modules only draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report.figure_data import CARGO_OUTCOMES
from drawdown.report.scenario_data import short_name
from drawdown.report.withdrawal_views import WithdrawalViews, withdrawal_views
from drawdown.scenario.model import Scenario

FAN_LEVELS = (0.1, 0.25, 0.5, 0.75, 0.9)
MAX_PLACES = 16  # incidents chart: the busiest places, the rest summed
OUTCOME_COLUMNS = (
    "all_out",  # bool: every person left the theatre by the deadline
    "completion_day",  # day the last person left (NaN if some never did)
    "killed",
    "wounded",
    "cost_usd",
    "protection_gap_person_days",
    *(f"teu_{f}" for f in CARGO_OUTCOMES),  # those the results record (see below)
)
# The simulation names the repatriated cargo "shipped"; the report reads its columns.
RESULT_OUTCOME = {f: f for f in CARGO_OUTCOMES} | {"repatriated": "shipped"}


@dataclass(frozen=True)
class SimulationViews:
    """What the report needs from a simulation, already reduced over runs.

    closure: index site, columns p10/p50/p90 (day). people: index day, columns FAN_LEVELS.
    teu_out: TEU out of the theatre, index day, columns FAN_LEVELS (None: a folder made
    before the stress test recorded them).
    cargo_outcome_teu: index site, columns CARGO_OUTCOMES (mean TEU), only the outcomes the
    results record (a folder made before the stress test told abandoned cargo apart has no
    `abandoned`); cargo_outcome_vehicles likewise in vehicles. incidents: index place,
    columns kind (mean per run). uncovered: index day, columns p10/centre/p90 (civilians; the
    centre is what `uncovered_centre` names). outcomes: one row per run with OUTCOME_COLUMNS
    (teu_* of the recorded outcomes). withdrawal: units, lift, closure work, early closures.
    """

    runs: int
    seed: int | None
    closure: pd.DataFrame
    people: pd.DataFrame
    cargo_outcome_teu: pd.DataFrame
    incidents: pd.DataFrame
    uncovered: pd.DataFrame
    outcomes: pd.DataFrame | None
    duration_s: float | None = None
    uncovered_centre: str = "mean"
    cargo_outcome_vehicles: pd.DataFrame | None = None
    withdrawal: WithdrawalViews = WithdrawalViews()
    distributions: RunDistributions | None = None
    teu_out: pd.DataFrame | None = None


class FrameDistributions:
    """The same means and quantiles from one row per run (`SimulationViews.outcomes`)."""

    def __init__(self, outcomes: pd.DataFrame):
        out = outcomes.copy()
        out["casualties"] = out["killed"] + out["wounded"]
        recorded = [f for f in CARGO_OUTCOMES if f"teu_{f}" in out.columns]
        teu = out[[f"teu_{f}" for f in recorded]].to_numpy(dtype=float)
        total = teu.sum(axis=1, keepdims=True)
        shares = np.divide(teu, total, out=np.zeros_like(teu), where=total > 0)
        for i, f in enumerate(recorded):
            out[f"teu_share_{f}"] = shares[:, i]
        done = out["completion_day"].to_numpy(dtype=float)
        out["completion_day"] = np.where(np.isnan(done), np.inf, done)  # NaN: never
        self.out = out
        self.recorded = recorded

    @property
    def runs(self) -> int:
        return len(self.out)

    def p_all_out(self) -> float:
        all_out = self.out["all_out"].to_numpy(dtype=bool)
        return float(all_out.mean()) if len(all_out) else float("nan")

    def mean(self, figure: str) -> float:
        return float(self.out[figure].to_numpy(dtype=float).mean())

    def quantile(self, figure: str, level: float) -> float:
        values = self.out[figure].to_numpy(dtype=float)
        if not values.size:
            return float("nan")
        return float(np.quantile(values, level, method="inverted_cdf"))

    def never(self, figure: str) -> int:
        return int((~np.isfinite(self.out[figure].to_numpy(dtype=float))).sum())


def distributions_of(views: SimulationViews) -> FrameDistributions | RunDistributions:
    """The headline's means and quantiles: from the streaming summaries when the runs were
    streamed, else from the per-run frame (the same definitions)."""
    if views.distributions is not None:
        return views.distributions
    assert views.outcomes is not None
    return FrameDistributions(views.outcomes)


class RunDistributions:
    """Means and quantiles over runs of the headline's figures, from the streaming
    summaries of a simulation (`drawdown.simulate.summaries`), by OUTCOME_COLUMNS name plus
    `casualties` and `teu_share_<outcome>` (share of the run's TEU)."""

    def __init__(self, summaries: Any):
        self.s = summaries
        self.recorded = list(CARGO_OUTCOMES)

    @property
    def runs(self) -> int:
        return int(self.s.runs)

    def p_all_out(self) -> float:
        return self.s.all_out / self.s.runs if self.s.runs else float("nan")

    def _name(self, figure: str) -> str:
        if figure.startswith("teu_share_"):
            return f"teu_share_of_run_{RESULT_OUTCOME[figure[len('teu_share_') :]]}"
        if figure.startswith("teu_"):
            return f"teu_{RESULT_OUTCOME[figure[4:]]}"
        return figure

    def mean(self, figure: str) -> float:
        return float(self.s.moments.mean(self._name(figure)))

    def quantile(self, figure: str, level: float) -> float:
        """Quantile without interpolation (inf: never, for days)."""
        return float(self.s.tallies[self._name(figure)].quantile(level))

    def never(self, figure: str) -> int:
        """Runs whose value is infinite (a day never reached)."""
        tally = self.s.tallies[self._name(figure)]
        return tally.n - tally.count_below(float("inf"))


def views_from_result(scenario: Scenario, plan: Plan, result: object) -> SimulationViews:
    """The report's views of a `drawdown.simulate.SimulationResult`, from its accessors."""
    if isinstance(result, SimulationViews):
        return result
    r: Any = result
    horizon = int(r.horizon)
    closure = r.closure_quantiles((0.1, 0.5, 0.9)).set_index("site")
    closure = closure[["q10", "q50", "q90"]].set_axis(["p10", "p50", "p90"], axis=1)
    # A site never closed in some runs has an infinite quantile: draw it to the horizon.
    closure = closure.astype(float).clip(upper=float(horizon))
    people = _fan_levels(r.people_remaining_fan(FAN_LEVELS))
    recorded_teu_out = getattr(r.data, "teu_out_hist", None) is not None
    teu_out = _fan_levels(r.teu_out_fan(FAN_LEVELS)) if recorded_teu_out else None
    streamed = not getattr(r, "kept", True)  # per-run records only on disk: use summaries
    kinds = {s.id: s.kind for s in scenario.sites}
    if streamed:
        recorded = list(CARGO_OUTCOMES)
        means = {unit: _cargo_means(r, unit) for unit in ("teu", "vehicles")}
    else:
        sites = r.sites_frame()
        recorded = [f for f in CARGO_OUTCOMES if f"teu_{RESULT_OUTCOME[f]}" in sites.columns]
        by_site = sites.groupby("site", sort=False)
        means = {
            unit: by_site[[f"{unit}_{RESULT_OUTCOME[f]}" for f in recorded]]
            .mean()
            .set_axis(recorded, axis=1)
            for unit in ("teu", "vehicles")
        }

    def mean_by_site(unit: str, holders: set[str]) -> pd.DataFrame:
        frame = means[unit]
        return frame.loc[[s for s in frame.index if s in holders or kinds.get(s) == "base"]]

    cargo_outcome_teu = mean_by_site(
        "teu", {h.site for h in scenario.holdings if h.containers_teu > 0}
    )
    cargo_outcome_vehicles = mean_by_site(
        "vehicles", {h.site for h in scenario.holdings if h.vehicles > 0}
    )
    places = r.incidents_by_place()
    places = places[places["kind"] != "killed"]
    incidents = (
        places.pivot_table(
            index="place", columns="kind", values="incidents_per_run", aggfunc="sum", sort=False
        ).fillna(0.0)
        if len(places)
        else pd.DataFrame()
    )
    if len(incidents):
        incidents = incidents.loc[incidents.sum(axis=1).sort_values(ascending=False).index]
        if len(incidents) > MAX_PLACES:
            rest = incidents.iloc[MAX_PLACES - 1 :]
            incidents = incidents.iloc[: MAX_PLACES - 1].copy()
            incidents.loc[f"{len(rest)} other places"] = rest.sum()
        names = {s.id: f"{short_name(s.name)} (site)" for s in scenario.sites}
        incidents = incidents.rename(index=lambda p: names.get(p, p))
    gap = r.protection_gap_over_time().set_index("day")
    uncovered = pd.DataFrame(
        {"p10": gap["q10"], "centre": gap["mean"], "p90": gap["q90"]}, index=gap.index
    )
    outcomes = None if streamed else _outcomes(r.runs_frame(), recorded)
    return SimulationViews(
        runs=int(r.runs),
        seed=int(r.meta.seed),
        closure=closure,
        people=people,
        cargo_outcome_teu=cargo_outcome_teu,
        incidents=incidents,
        uncovered=uncovered,
        outcomes=outcomes,
        uncovered_centre="mean",
        cargo_outcome_vehicles=cargo_outcome_vehicles,
        withdrawal=withdrawal_views(scenario, r, int(r.runs)),
        distributions=RunDistributions(r.summaries) if streamed else None,
        teu_out=teu_out,
    )


def _fan_levels(fan: pd.DataFrame) -> pd.DataFrame:
    """A result's fan (columns day, q10, ...) by day, one column a level of FAN_LEVELS."""
    fan = fan.set_index("day")
    return pd.DataFrame(
        {lvl: fan[f"q{round(lvl * 100):02d}"].to_numpy(dtype=float) for lvl in FAN_LEVELS},
        index=fan.index,
    )


def _outcomes(runs: pd.DataFrame, recorded: list[str]) -> pd.DataFrame:
    """One row per run with OUTCOME_COLUMNS, from a result's runs frame."""
    completion = runs["completion_day"].astype(float)
    return pd.DataFrame(
        {
            "all_out": runs["all_out_by_deadline"].astype(bool),
            "completion_day": completion.where(completion >= 0),
            "killed": runs["killed"].astype(float),
            "wounded": runs["wounded"].astype(float),
            "cost_usd": runs["cost_usd"].astype(float),
            "protection_gap_person_days": runs["protection_gap_person_days"].astype(float),
            **{f"teu_{f}": runs[f"teu_{RESULT_OUTCOME[f]}"].astype(float) for f in recorded},
        }
    )


def _cargo_means(r: Any, unit: str) -> pd.DataFrame:
    """Mean cargo by site and outcome over runs, from the streaming summaries."""
    from drawdown.simulate.policy import FATES

    means = r.summaries.cargo_mean(unit)  # [S, F] in the simulation's fate order
    columns = [FATES.index(RESULT_OUTCOME[f]) for f in CARGO_OUTCOMES]
    return pd.DataFrame(
        means[:, columns], index=pd.Index(list(r.data.site_ids), name="site"),
        columns=list(CARGO_OUTCOMES),
    )  # fmt: skip
