"""drawdown: plan and stress-test the withdrawal of a peacekeeping mission.

The loop is scenario -> plan -> simulate -> analyse/report; each stage has one front door.
"""

from drawdown.errors import InputError, Problem
from drawdown.plan import Plan, greedy_plan, load_plan, optimise, save_plan
from drawdown.report import build_report, report
from drawdown.scenario.io import builtin_names, load_scenario, save_scenario
from drawdown.scenario.model import Scenario
from drawdown.simulate import SimulationResult, simulate

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "Plan",
    "Problem",
    "Scenario",
    "build_report",
    "builtin_names",
    "greedy_plan",
    "load_plan",
    "load_scenario",
    "optimise",
    "report",
    "save_plan",
    "save_scenario",
    "simulate",
    "SimulationResult",
]
