"""The data function of each report figure: select and reshape what the inputs already hold.

Each takes the report's inputs (`ReportInputs`) and returns what one figure draws, or None
when its input is absent (an analysis that was not run). Nothing here computes an analysis:
the simulation views, the saved analyses and the scenario-only helpers of
`drawdown.report.scenario_data` did that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report.analysis_sections import OUTPUT_NAMES
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import (
    CargoOutcomeData,
    ClosureData,
    FanData,
    IncidentData,
    MapData,
    NotAvailable,
    Panel,
    Panels,
    ProtectionData,
)
from drawdown.report.scenario_data import (
    map_data,
    people_out_by_plan,
    short_name,
    uncovered_by_plan,
)
from drawdown.results import Analyses, CalibrationData, CompareData, SweepData
from drawdown.scenario.model import Scenario

if TYPE_CHECKING:
    from drawdown.analyse.compare import Comparison


@dataclass(frozen=True)
class ReportInputs:
    """What a report is made from: the scenario, its plan, the simulation and the analyses."""

    scenario: Scenario
    plan: Plan
    views: SimulationViews
    analyses: Analyses | None = None


def _names(scenario: Scenario) -> dict[str, str]:
    return {s.id: short_name(s.name) for s in scenario.sites}


def site_map(inputs: ReportInputs) -> MapData:
    """Sites, links and borders of the theatre, with the plan's closure order."""
    return map_data(inputs.scenario, inputs.plan)


def closures(inputs: ReportInputs) -> ClosureData:
    """Plan and simulated closure day of each site, in the plan's closure order."""
    scenario, plan, views = inputs.scenario, inputs.plan, inputs.views
    names = _names(scenario)
    order = sorted(views.closure.index, key=lambda s: (plan.closure_day.get(s, 10**6), s))
    closure = views.closure.loc[order]
    return ClosureData(
        sites=tuple(names.get(s, s) for s in order),
        plan_day=np.array([plan.closure_day.get(s, np.nan) for s in order], dtype=float),
        p10=closure["p10"].to_numpy(dtype=float),
        p50=closure["p50"].to_numpy(dtype=float),
        p90=closure["p90"].to_numpy(dtype=float),
        start_date=scenario.manifest.start_date,
        deadline_day=scenario.day_of(scenario.manifest.deadline),
        runs=views.runs,
    )


def people_remaining(inputs: ReportInputs) -> FanData:
    """People in theatre by day: the simulated quantiles and the plan's own curve."""
    scenario, views = inputs.scenario, inputs.views
    days = views.people.index.to_numpy(dtype=int)
    plan_people = people_out_by_plan(scenario, inputs.plan)
    plan_curve = np.array([plan_people[min(d, len(plan_people) - 1)] for d in days])
    return FanData(
        day=days,
        quantiles={lvl: views.people[lvl].to_numpy(dtype=float) for lvl in views.people.columns},
        start_date=scenario.manifest.start_date,
        deadline_day=scenario.day_of(scenario.manifest.deadline),
        runs=views.runs,
        plan=plan_curve,
    )


def teu_out(inputs: ReportInputs) -> FanData | NotAvailable:
    """TEU out of the theatre by day: the simulated quantiles (the plan has no such curve:
    its lift use counts crossings by corridor, not what reaches exits without one)."""
    scenario, views = inputs.scenario, inputs.views
    if views.teu_out is None:
        return NotAvailable("the stress test's containers out of the theatre by day")
    return FanData(
        day=views.teu_out.index.to_numpy(dtype=int),
        quantiles={lvl: views.teu_out[lvl].to_numpy(dtype=float) for lvl in views.teu_out},
        start_date=scenario.manifest.start_date,
        deadline_day=scenario.day_of(scenario.manifest.deadline),
        runs=views.runs,
        ylabel="TEU out of the theatre",
        title="Containers out of the theatre",
        legend_loc="upper left",
    )


def cargo_outcome(inputs: ReportInputs) -> CargoOutcomeData:
    """Mean TEU of each site by cargo outcome, sites by their short names."""
    names = _names(inputs.scenario)
    teu = inputs.views.cargo_outcome_teu.rename(index=lambda s: names.get(s, s))
    vehicles = inputs.views.cargo_outcome_vehicles
    if vehicles is not None:
        vehicles = vehicles.rename(index=lambda s: names.get(s, s))
    return CargoOutcomeData(teu=teu, runs=inputs.views.runs, vehicles=vehicles)


def incidents(inputs: ReportInputs) -> IncidentData:
    """Mean incidents per run by place and kind."""
    return IncidentData(mean=inputs.views.incidents, runs=inputs.views.runs)


def protection(inputs: ReportInputs) -> ProtectionData:
    """Civilians uncovered by day: the simulated band and centre, and the plan's curve."""
    scenario, views = inputs.scenario, inputs.views
    days = views.uncovered.index.to_numpy(dtype=int)
    plan_uncovered = uncovered_by_plan(
        scenario, inputs.plan, int(days.max()) + 1 if len(days) else 0
    )
    horizon = scenario.manifest.protection_horizon or scenario.manifest.deadline
    return ProtectionData(
        day=days,
        p10=views.uncovered["p10"].to_numpy(dtype=float),
        centre=views.uncovered["centre"].to_numpy(dtype=float),
        p90=views.uncovered["p90"].to_numpy(dtype=float),
        start_date=scenario.manifest.start_date,
        deadline_day=scenario.day_of(scenario.manifest.deadline),
        horizon_day=scenario.day_of(horizon),
        runs=views.runs,
        plan=plan_uncovered[days] if len(days) else None,
        centre_label=views.uncovered_centre,
    )


def compare_data(comparison: Comparison | CompareData) -> CompareData:
    """The tables and dates the comparison figures draw, from a fresh or a saved comparison."""
    if isinstance(comparison, CompareData):
        return comparison
    return CompareData(
        labels=tuple(comparison.labels),
        start_dates=tuple(o.scenario.manifest.start_date for o in comparison.options),
        deadline=comparison.options[0].scenario.manifest.deadline,
        runs=comparison.runs,
        seed=comparison.seed,
        figures=comparison.figures,
        fan=comparison.fan_frame(),
        gantt=comparison.gantt_frame(),
    )


def comparison(inputs: ReportInputs) -> CompareData | None:
    """The saved comparison, if any."""
    return inputs.analyses.compare if inputs.analyses else None


def sensitivity(inputs: ReportInputs) -> Panels | None:
    """One tornado chart per output of the saved sensitivity analysis, if any."""
    analyses = inputs.analyses
    if analyses is None or analyses.sensitivity is None or analyses.sensitivity_info is None:
        return None
    result = analyses.sensitivity
    details = analyses.sensitivity_info.details
    indices: pd.DataFrame = result.indices
    method = str(details["method"])
    outputs = [str(o) for o in details.get("outputs") or dict.fromkeys(indices["output"])]
    how = (
        "Parameters ranked by total-order index ST (orange bar, line: 95% interval); "
        "the blue inner bar is the first-order index S1."
        if method == "sobol"
        else "Parameters ranked by mu*, with its 95% interval."
    )
    constant = (
        " Every index is zero: this output did not vary across the parameter "
        "sets, so none of these inputs moves it for this plan."
    )
    return Panels(
        tuple(
            Panel(
                f"sensitivity-{output}",
                f"What drives {OUTPUT_NAMES.get(output, output)}",
                how + ("" if _varies(indices, output, method) else constant),
                result,
                {"output": output},
            )
            for output in outputs
        )
    )


def _varies(indices: pd.DataFrame, output: str, method: str) -> bool:
    """Whether any index of `output` is non-zero (a constant output gives all zeros)."""
    rows = indices[indices["output"] == output]
    column = "ST" if method == "sobol" else "mu_star"
    return bool((rows[column].abs().fillna(0) > 1e-12).any())


def calibration(inputs: ReportInputs) -> CalibrationData | None:
    """The saved threat calibration, if any."""
    return inputs.analyses.calibration if inputs.analyses else None


def sweep(inputs: ReportInputs) -> SweepData | None:
    """The saved sweep's summary, if any."""
    return inputs.analyses.sweep if inputs.analyses else None


def check(inputs: ReportInputs) -> object | None:
    """The saved check against observed outcomes, if any (with its run information)."""
    analyses = inputs.analyses
    if analyses is None or analyses.check is None or analyses.check_info is None:
        return None
    return analyses.check
