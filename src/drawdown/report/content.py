"""Everything the report shows, computed once from the scenario, the plan and the views."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from drawdown.plan.model import Plan
from drawdown.report import registry as figure_registry
from drawdown.report.analysis_sections import analysis_manifest, analysis_sections
from drawdown.report.constraints import explain
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import AnalysisSection, Figure, ReportContent
from drawdown.report.headline import gain, headline, intervals_text, people_out_text
from drawdown.report.plan_tables import site_binding
from drawdown.report.registry import FigureEntry
from drawdown.report.scenario_data import movements_frame, sources
from drawdown.report.select import ReportInputs
from drawdown.results import Analyses
from drawdown.scenario.model import Scenario


def figures(
    inputs: ReportInputs, registry: tuple[FigureEntry, ...] | None = None
) -> tuple[Figure, ...]:
    """The figures with a section of their own, from the registry (default: the report's)."""
    entries = figure_registry.FIGURES if registry is None else registry
    return tuple(f for e in entries if e.section is None for f in e.figures(inputs))


def sections(
    inputs: ReportInputs, registry: tuple[FigureEntry, ...] | None = None
) -> tuple[AnalysisSection, ...]:
    """The section of each analysis present, with the registry's figures drawn in it."""
    if not inputs.analyses:
        return ()
    entries = figure_registry.FIGURES if registry is None else registry
    return tuple(
        replace(
            section,
            figures=tuple(
                f for e in entries if e.section == section.key for f in e.figures(inputs)
            ),
        )
        for section in analysis_sections(inputs.analyses)
    )


def report_content(
    scenario: Scenario,
    plan: Plan,
    views: SimulationViews,
    *,
    baseline: Plan | None = None,
    manifest: dict[str, str] | None = None,
    files: tuple[str, ...] = (),
    analyses: Analyses | None = None,
    registry: tuple[FigureEntry, ...] | None = None,
) -> ReportContent:
    """Everything the report shows, computed once.

    `analyses` are the saved analyses to show in their own sections; `registry` the figures
    to draw (default: `drawdown.report.registry.FIGURES`).
    """
    from drawdown._version import __version__

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
    if analyses:
        run_manifest.update({f"{k} analysis": v for k, v in analysis_manifest(analyses).items()})
    inputs = ReportInputs(scenario, plan, views, analyses)
    gain_frame, gain_note = gain(plan, baseline)
    binding = site_binding(scenario, plan)
    m = scenario.manifest
    return ReportContent(
        title=f"drawdown report — {scenario.name}",
        subtitle=(
            f"{m.description} · {m.start_date:%d %b %Y} to {m.deadline:%d %b %Y} · "
            f"{scenario.total_people:,} people, {scenario.total_containers_teu:,.0f} TEU, "
            f"{scenario.total_vehicles:,} vehicles · {views.runs:,} simulated runs"
        ),
        headline=headline(scenario, plan, views),
        figures=figures(inputs, registry),
        movements=movements_frame(scenario, plan),
        constraints=explain(scenario, plan),
        gain=gain_frame,
        gain_note=gain_note,
        sources=tuple(sources(scenario)),
        manifest=run_manifest,
        files=files,
        analyses=sections(inputs, registry),
        headline_text=people_out_text(scenario, plan, views) + intervals_text(scenario, views),
        site_binding=binding,
        site_binding_note=(
            "What binds each site's closure in the plan, with its closure work (the plan's "
            "closure-work table), team sites first and the HQ last:"
            if binding is not None
            else "Which resource binds each site is not available in this results folder: "
            "its plan has no closure-work table."
        ),
    )
