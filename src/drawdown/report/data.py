"""Adapter from simulation results to the report's own flat views of them.

`SimulationViews` is what the report needs from a simulation, already reduced over runs:
quantiles and means the figures draw, and one row per run for the headline.
`views_from_result` builds it from `drawdown.simulate.SimulationResult`'s accessors; all the
computing happens here, the figure modules only draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    outcomes: pd.DataFrame
    duration_s: float | None = None
    uncovered_centre: str = "mean"
    cargo_outcome_vehicles: pd.DataFrame | None = None
    withdrawal: WithdrawalViews = WithdrawalViews()


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
    fan_frame = r.people_remaining_fan(FAN_LEVELS).set_index("day")
    people = pd.DataFrame(
        {lvl: fan_frame[f"q{round(lvl * 100):02d}"].to_numpy(dtype=float) for lvl in FAN_LEVELS},
        index=fan_frame.index,
    )
    sites = r.sites_frame()
    recorded = [f for f in CARGO_OUTCOMES if f"teu_{RESULT_OUTCOME[f]}" in sites.columns]
    kinds = {s.id: s.kind for s in scenario.sites}
    by_site = sites.groupby("site", sort=False)

    def mean_by_site(unit: str, holders: set[str]) -> pd.DataFrame:
        frame = (
            by_site[[f"{unit}_{RESULT_OUTCOME[f]}" for f in recorded]]
            .mean()
            .set_axis(recorded, axis=1)
        )
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
    runs = r.runs_frame()
    completion = runs["completion_day"].astype(float)
    outcomes = pd.DataFrame(
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
    )
