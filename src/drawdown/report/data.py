"""Adapter from simulation results to what the report shows, and the report's content.

`SimulationViews` is the report's own flat view of a simulation: quantiles and means that
the figures draw, and one row per run for the headline. `views_from_result` builds it from
`drawdown.simulate`'s result; everything here computes, the figure modules only draw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report import fan, fate, gantt, incidents, map, protection
from drawdown.report.constraints import explain
from drawdown.report.figure_data import (
    FATES,
    ClosureData,
    FanData,
    FateData,
    Figure,
    HeadlineFigure,
    IncidentData,
    ProtectionData,
    ReportContent,
)
from drawdown.report.map import short_name
from drawdown.report.scenario_data import (
    map_data,
    movements_frame,
    people_out_by_plan,
    sources,
    uncovered_by_plan,
)
from drawdown.scenario.model import Scenario

FAN_LEVELS = (0.1, 0.25, 0.5, 0.75, 0.9)
MAX_PLACES = 16  # incidents chart: the busiest places, the rest summed
FATE_WORDS = {
    "repatriated": "repatriated",
    "handed_over": "handed over",
    "destroyed": "destroyed",
    "lost": "lost",
    "remaining": "left in theatre at the end",
}
OUTCOME_COLUMNS = (
    "all_out",  # bool: every person left the theatre by the deadline
    "completion_day",  # day the last person left (NaN if some never did)
    "killed",
    "wounded",
    "cost_usd",
    "protection_gap_person_days",
    *(f"teu_{f}" for f in FATES),
)


@dataclass(frozen=True)
class SimulationViews:
    """What the report needs from a simulation, already reduced over runs.

    closure: index site, columns p10/p50/p90 (day). people: index day, columns FAN_LEVELS.
    fate_teu: index site, columns FATES (mean TEU). incidents: index place, columns kind
    (mean per run). uncovered: index day, columns p10/centre/p90 (civilians; the centre is
    what `uncovered_centre` names). outcomes: one row
    per run with OUTCOME_COLUMNS.
    """

    runs: int
    seed: int | None
    closure: pd.DataFrame
    people: pd.DataFrame
    fate_teu: pd.DataFrame
    incidents: pd.DataFrame
    uncovered: pd.DataFrame
    outcomes: pd.DataFrame
    duration_s: float | None = None
    uncovered_centre: str = "mean"


def _q(values: np.ndarray, level: float) -> float:
    """Quantile over runs without interpolation, so a share of 'never' (inf) shows as such."""
    values = np.asarray(values, dtype=float)
    if not values.size:
        return float("nan")
    return float(np.quantile(values, level, method="inverted_cdf"))


def headline(scenario: Scenario, plan: Plan, views: SimulationViews) -> tuple[HeadlineFigure, ...]:
    """The headline numbers, each with its interval and the runs behind it."""
    out = views.outcomes
    runs = len(out)
    all_out = out["all_out"].to_numpy(dtype=bool)
    p = float(all_out.mean()) if runs else float("nan")
    # Wilson 95% interval: honest at 0% or 100% with few runs.
    z = 1.96
    centre = (p + z * z / (2 * runs)) / (1 + z * z / runs)
    half = z * np.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / (1 + z * z / runs)
    figures = [
        HeadlineFigure(
            "All people out by the deadline",
            f"{p:.0%}",
            f"95% interval {max(centre - half, 0):.0%}–{min(centre + half, 1):.0%}",
            runs,
            f"deadline {scenario.manifest.deadline:%d %b %Y}",
        )
    ]
    done = out["completion_day"].to_numpy(dtype=float)
    done = np.where(np.isnan(done), np.inf, done)  # NaN: some people never left

    def date(day: float) -> str:
        return "never" if not np.isfinite(day) else f"{scenario.date_of(int(round(day))):%d %b %Y}"

    never = int((~np.isfinite(done)).sum())
    figures.append(
        HeadlineFigure(
            "Last person out (median)",
            date(_q(done, 0.5)),
            f"P10 {date(_q(done, 0.1))} – P90 {date(_q(done, 0.9))}",
            runs,
            f"{never} runs never finished" if never else "",
        )
    )
    casualties = (out["killed"] + out["wounded"]).to_numpy(dtype=float)
    killed = out["killed"].to_numpy(dtype=float)
    figures.append(
        HeadlineFigure(
            "Casualties (killed + wounded), expected",
            f"{casualties.mean():,.1f}",
            f"P90 {_q(casualties, 0.9):,.0f} · P10–P90 {_q(casualties, 0.1):,.0f}–"
            f"{_q(casualties, 0.9):,.0f}",
            runs,
            f"of which killed: {killed.mean():,.1f} expected, P90 {_q(killed, 0.9):,.0f}",
        )
    )
    teu = out[[f"teu_{f}" for f in FATES]].to_numpy(dtype=float)
    total = teu.sum(axis=1, keepdims=True)
    shares = np.divide(teu, total, out=np.zeros_like(teu), where=total > 0)
    for i, fate_name in enumerate(FATES):
        s = shares[:, i]
        figures.append(
            HeadlineFigure(
                f"Equipment {FATE_WORDS[fate_name]}",
                f"{s.mean():.1%}",
                f"P10–P90 {_q(s, 0.1):.1%}–{_q(s, 0.9):.1%}",
                runs,
                f"{teu[:, i].mean():,.0f} TEU on average",
            )
        )
    cost = out["cost_usd"].to_numpy(dtype=float)
    figures.append(
        HeadlineFigure(
            "Cost",
            _usd(cost.mean()),
            f"P10–P90 {_usd(_q(cost, 0.1))}–{_usd(_q(cost, 0.9))}",
            runs,
            "running cost and movements",
        )
    )
    gap = out["protection_gap_person_days"].to_numpy(dtype=float)
    horizon = scenario.manifest.protection_horizon or scenario.manifest.deadline
    figures.append(
        HeadlineFigure(
            "Protection gap",
            f"{gap.mean() / 1e6:,.2f} M person-days",
            f"P10–P90 {_q(gap, 0.1) / 1e6:,.2f}–{_q(gap, 0.9) / 1e6:,.2f} M",
            runs,
            f"civilians uncovered × days, to {horizon:%d %b %Y}",
        )
    )
    return tuple(figures)


def _usd(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.2f} bn"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f} M"
    return f"${value:,.0f}"


def figures(scenario: Scenario, plan: Plan, views: SimulationViews) -> tuple[Figure, ...]:
    """Each figure's data, from the scenario, the plan and the simulation views."""
    start = scenario.manifest.start_date
    deadline_day = scenario.day_of(scenario.manifest.deadline)
    names = {s.id: short_name(s.name) for s in scenario.sites}
    order = sorted(views.closure.index, key=lambda s: (plan.closure_day.get(s, 10**6), s))
    closure = views.closure.loc[order]
    closures = ClosureData(
        sites=tuple(names.get(s, s) for s in order),
        plan_day=np.array([plan.closure_day.get(s, np.nan) for s in order], dtype=float),
        p10=closure["p10"].to_numpy(dtype=float),
        p50=closure["p50"].to_numpy(dtype=float),
        p90=closure["p90"].to_numpy(dtype=float),
        start_date=start,
        deadline_day=deadline_day,
        runs=views.runs,
    )
    days = views.people.index.to_numpy(dtype=int)
    plan_people = people_out_by_plan(scenario, plan)
    plan_curve = np.array([plan_people[min(d, len(plan_people) - 1)] for d in days])
    fan_data = FanData(
        day=days,
        quantiles={lvl: views.people[lvl].to_numpy(dtype=float) for lvl in views.people.columns},
        start_date=start,
        deadline_day=deadline_day,
        runs=views.runs,
        plan=plan_curve,
    )
    fate_teu = views.fate_teu.rename(index=lambda s: names.get(s, s))
    udays = views.uncovered.index.to_numpy(dtype=int)
    plan_uncovered = uncovered_by_plan(scenario, plan, int(udays.max()) + 1 if len(udays) else 0)
    horizon = scenario.manifest.protection_horizon or scenario.manifest.deadline
    prot = ProtectionData(
        day=udays,
        p10=views.uncovered["p10"].to_numpy(dtype=float),
        centre=views.uncovered["centre"].to_numpy(dtype=float),
        p90=views.uncovered["p90"].to_numpy(dtype=float),
        start_date=start,
        deadline_day=deadline_day,
        horizon_day=scenario.day_of(horizon),
        runs=views.runs,
        plan=plan_uncovered[udays] if len(udays) else None,
        centre_label=views.uncovered_centre,
    )
    return (
        Figure(
            "map",
            "Map",
            "Sites sized by people at the start; hubs (squares) and exits "
            "(triangles) marked; roads coloured by expected incidents per convoy and "
            "thicker the more convoys the plan sends; numbers give the plan's closure "
            "order.",
            map.plot_map,
            map_data(scenario, plan),
        ),
        Figure(
            "gantt",
            "Closures: plan and simulation",
            "Blue: each base is open until the "
            "plan closes it. Orange: the days between which 80% of simulated runs closed "
            "it (P10–P90); black tick: the median.",
            gantt.plot_gantt,
            closures,
        ),
        Figure(
            "fan",
            "People remaining",
            "People still in theatre at the end of each day: "
            "median and bands over runs; dashed: the plan if every movement went as "
            "planned.",
            fan.plot_fan,
            fan_data,
        ),
        Figure(
            "fate",
            "Equipment fate by site",
            "Containers (TEU) of each site by what became of them, averaged over runs.",
            fate.plot_fate,
            FateData(teu=fate_teu, runs=views.runs),
        ),
        Figure(
            "incidents",
            "Incidents by route and site",
            "Mean number of incidents per run on each road and at each site, by kind.",
            incidents.plot_incidents,
            IncidentData(mean=views.incidents, runs=views.runs),
        ),
        Figure(
            "protection",
            "Protection gap over time",
            "Civilians living within a closed "
            "base's coverage radius, day by day: the area under the curve is the "
            "protection gap in person-days.",
            protection.plot_protection,
            prot,
        ),
    )


def gain(plan: Plan, baseline: Plan | None) -> tuple[pd.DataFrame | None, str]:
    """Objective terms of the optimised plan against the greedy baseline (lower is better)."""
    if baseline is None or not plan.objective or not baseline.objective:
        return None, "No greedy baseline was compared in this run."
    if plan is baseline or plan.method == baseline.method:
        return None, (
            f"The plan reported is the {plan.method} one itself (the optimiser gave no plan "
            "in this run; see the run manifest), so there is no gain to show."
        )
    keys = [k for k in plan.objective if k in baseline.objective]
    frame = pd.DataFrame(
        {
            "optimised": [float(plan.objective[k]) for k in keys],
            "greedy": [float(baseline.objective[k]) for k in keys],
        },
        index=pd.Index(keys, name="objective term (USD-equivalent)"),
    )
    frame["gain"] = frame["greedy"] - frame["optimised"]
    total = "total" if "total" in frame.index else None
    if total:
        g, b = frame.loc[total, "gain"], frame.loc[total, "greedy"]
        share = f" ({g / b:.1%} of the baseline)" if b else ""
        verdict = (
            f"{_usd(g)} lower than the greedy baseline's{share}"
            if g >= 0
            else f"{_usd(-g)} HIGHER than the greedy baseline's{share}: on this scenario the "
            "simple rule did better, which is worth a look at the planner's settings"
        )
        note = (
            f"The optimised plan's weighted objective is {verdict}. Terms are in "
            "USD-equivalent after the scenario's weights; a positive gain means the optimiser "
            "did better on that term."
        )
    else:
        note = "Objective terms after the scenario's weights; positive gain: optimiser better."
    return frame, note


def report_content(
    scenario: Scenario,
    plan: Plan,
    views: SimulationViews,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    files: tuple[str, ...] = (),
) -> ReportContent:
    """Everything the report shows, computed once."""
    from drawdown import __version__

    solver = plan.solver
    run_manifest = {
        "drawdown version": __version__,
        "scenario": scenario.name,
        "scenario hash": scenario.content_hash(),
        "seed": "" if views.seed is None else str(views.seed),
        "runs": f"{views.runs:,}",
        "plan method": f"{plan.method} ({solver.get('status', 'n/a')})",
    }
    for key in ("gap", "time_s", "solve_time_s"):
        if key in solver:
            run_manifest[f"planner {key}"] = str(solver[key])
    if views.duration_s is not None:
        run_manifest["simulation time"] = f"{views.duration_s:.1f} s"
    run_manifest["built"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    run_manifest.update(manifest or {})
    gain_frame, gain_note = gain(plan, baseline)
    m = scenario.manifest
    return ReportContent(
        title=f"drawdown report — {scenario.name}",
        subtitle=(
            f"{m.description} · {m.start_date:%d %b %Y} to {m.deadline:%d %b %Y} · "
            f"{scenario.total_people:,} people, {scenario.total_containers_teu:,.0f} TEU, "
            f"{scenario.total_vehicles:,} vehicles · {views.runs:,} simulated runs"
        ),
        headline=headline(scenario, plan, views),
        figures=figures(scenario, plan, views),
        movements=movements_frame(scenario, plan),
        constraints=explain(scenario, plan),
        gain=gain_frame,
        gain_note=gain_note,
        sources=tuple(sources(scenario)),
        manifest=run_manifest,
        files=files,
    )


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
    theirs = {f: f for f in FATES} | {"repatriated": "shipped"}
    kinds = dict(zip(scenario_site_ids(scenario), scenario_site_kinds(scenario), strict=True))
    fate_teu = (
        sites.groupby("site", sort=False)[[f"teu_{theirs[f]}" for f in FATES]]
        .mean()
        .set_axis(list(FATES), axis=1)
    )
    holders = {h.site for h in scenario.holdings if h.containers_teu > 0}
    fate_teu = fate_teu.loc[[s for s in fate_teu.index if s in holders or kinds.get(s) == "base"]]
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
            **{f"teu_{f}": runs[f"teu_{theirs[f]}"].astype(float) for f in FATES},
        }
    )
    return SimulationViews(
        runs=int(r.runs),
        seed=int(r.meta.seed),
        closure=closure,
        people=people,
        fate_teu=fate_teu,
        incidents=incidents,
        uncovered=uncovered,
        outcomes=outcomes,
        uncovered_centre="mean",
    )


def scenario_site_ids(scenario: Scenario) -> list[str]:
    return [s.id for s in scenario.sites]


def scenario_site_kinds(scenario: Scenario) -> list[str]:
    return [s.kind for s in scenario.sites]
