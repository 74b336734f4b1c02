"""The results folder: the one front door for saving and loading what a run and its analyses
made, and for refusing folders that cannot be trusted.

Layout (every part written atomically; see docs/reference/results-folder.md):

    run.json          drawdown version, scenario name and hash, seed, runs, stage times
    scenario/         the scenario as run (YAML + CSV), so the folder stands alone
    scenario.geojson  sites and links for GIS
    plan/             the optimised plan (`drawdown.plan.io`: CSV/Parquet, summary.json)
    baseline/         the greedy baseline plan, when one was made
    simulation/       the stress test's results (`drawdown.simulate.io`: Parquet, JSON)
    compare/, sensitivity/, calibration/, check/, sweep/   analyses, each with its analysis.json
    report.html       the report (`drawdown.report`); figures/*.png with --png

A folder is refused (`InputError`) when it is incomplete, was made by another drawdown
version, or mixes parts of different scenarios (an analysis included).
"""

from drawdown.results.analyses import (
    Analyses,
    CalibrationData,
    CompareData,
    SweepData,
    load_analyses,
    save_calibration,
    save_check,
    save_comparison,
    save_sensitivity,
    write_analysis,
)
from drawdown.results.layout import (
    ANALYSIS_KINDS,
    BASELINE_DIR,
    CALIBRATION_DIR,
    CHECK_DIR,
    COMPARE_DIR,
    FIGURES_DIR,
    GEOJSON_FILE,
    INFO_FILE,
    PLAN_DIR,
    REPORT_FILE,
    RUN_FILE,
    SCENARIO_DIR,
    SENSITIVITY_DIR,
    SIMULATION_DIR,
    SWEEP_DIR,
    AnalysisInfo,
    RunInfo,
    check_analyses,
    check_folder,
    check_same_scenario,
    check_target,
)
from drawdown.results.run import SavedRun, load_run, load_saved_plan, run_info, write_run

__all__ = [
    "ANALYSIS_KINDS",
    "BASELINE_DIR",
    "CALIBRATION_DIR",
    "CHECK_DIR",
    "COMPARE_DIR",
    "FIGURES_DIR",
    "GEOJSON_FILE",
    "INFO_FILE",
    "PLAN_DIR",
    "REPORT_FILE",
    "RUN_FILE",
    "SCENARIO_DIR",
    "SENSITIVITY_DIR",
    "SIMULATION_DIR",
    "SWEEP_DIR",
    "Analyses",
    "AnalysisInfo",
    "CalibrationData",
    "CompareData",
    "RunInfo",
    "SweepData",
    "SavedRun",
    "check_analyses",
    "check_folder",
    "check_same_scenario",
    "check_target",
    "load_analyses",
    "load_run",
    "load_saved_plan",
    "run_info",
    "save_calibration",
    "save_check",
    "save_comparison",
    "save_sensitivity",
    "write_analysis",
    "write_run",
]
