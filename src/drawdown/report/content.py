"""Everything the report shows, computed once from the scenario, the plan and the views."""

from __future__ import annotations

import datetime as dt

import numpy as np

from drawdown.plan.model import Plan
from drawdown.report import fan, fate, gantt, incidents, map, protection
from drawdown.report.constraints import explain
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import (
    ClosureData,
    FanData,
    FateData,
    Figure,
    IncidentData,
    ProtectionData,
    ReportContent,
)
from drawdown.report.headline import gain, headline
from drawdown.report.map import short_name
from drawdown.report.scenario_data import (
    map_data,
    movements_frame,
    people_out_by_plan,
    sources,
    uncovered_by_plan,
)
from drawdown.scenario.model import Scenario


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
        "plan method": f"{plan.method} ({solver.status or 'n/a'})",
        "plan hash": plan.content_hash(),
    }
    for i, line in enumerate(solver.describe()):  # layout, gaps, work, safety net
        run_manifest[f"planner ({i + 1})"] = line
    for key, label in (("solve", "planner solve time"), ("total", "planner total time")):
        value = solver.work.seconds.get(key)
        if value is not None:
            run_manifest[label] = f"{value:.1f} s"
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
