"""Analysis: compare options, sensitivity, calibration from incidents, check against outcomes."""

from drawdown.analyse.check import CheckResult, check, read_actuals
from drawdown.analyse.compare import Comparison, compare
from drawdown.analyse.sensitivity import SensitivityResult, sensitivity
from drawdown.scenario.overrides import Override, apply_overrides, parse_overrides

__all__ = [
    "CheckResult",
    "Comparison",
    "Override",
    "SensitivityResult",
    "apply_overrides",
    "check",
    "compare",
    "parse_overrides",
    "read_actuals",
    "sensitivity",
]
