"""drawdown: plan and stress-test the withdrawal of a peacekeeping mission.

The loop is scenario -> plan -> simulate -> analyse/report; each stage has one front door.
The front doors are imported on first use (a module `__getattr__`), so `import drawdown`
and the light commands (`drawdown --help`, `scenarios`, `validate`, `show`) do not pay for
the optimiser, the engine or the plotting stack.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from drawdown._version import __version__

if TYPE_CHECKING:
    from drawdown.errors import InputError, Problem
    from drawdown.plan import Plan, greedy_plan, load_plan, optimise, save_plan
    from drawdown.report import build_report, report
    from drawdown.scenario.io import builtin_names, load_scenario, save_scenario
    from drawdown.scenario.model import Scenario
    from drawdown.simulate import SimulationResult, simulate

# public name -> the module that defines it
_FRONT_DOORS = {
    "InputError": "drawdown.errors",
    "Problem": "drawdown.errors",
    "Plan": "drawdown.plan",
    "greedy_plan": "drawdown.plan",
    "load_plan": "drawdown.plan",
    "optimise": "drawdown.plan",
    "save_plan": "drawdown.plan",
    "build_report": "drawdown.report",
    "report": "drawdown.report",
    "builtin_names": "drawdown.scenario.io",
    "load_scenario": "drawdown.scenario.io",
    "save_scenario": "drawdown.scenario.io",
    "Scenario": "drawdown.scenario.model",
    "SimulationResult": "drawdown.simulate",
    "simulate": "drawdown.simulate",
}


def __getattr__(name: str) -> Any:
    """Import a front door on first use and keep it as a module attribute."""
    module = _FRONT_DOORS.get(name)
    if module is None:
        raise AttributeError(f"module 'drawdown' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_FRONT_DOORS])


class _Package(types.ModuleType):
    """The package module, keeping `drawdown.report` and `drawdown.simulate` the functions.

    Importing a subpackage binds it on its parent; two front doors share their subpackage's
    name, and `drawdown.simulate(...)` must stay the function, as when they were imported
    eagerly. The subpackages stay reachable as usual (`from drawdown.simulate import io`).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FRONT_DOORS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "InputError",
    "Plan",
    "Problem",
    "Scenario",
    "__version__",
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
