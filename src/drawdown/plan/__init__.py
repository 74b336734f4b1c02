"""Planning: the optimised withdrawal plan, the greedy baseline, and saving plans."""

from drawdown.plan.diagnose import InfeasiblePlanError, NoPlanFoundError
from drawdown.plan.greedy import greedy_plan
from drawdown.plan.io import load_plan, save_plan
from drawdown.plan.model import Disposition, Movement, Plan
from drawdown.plan.solve import optimise

__all__ = [
    "Disposition",
    "InfeasiblePlanError",
    "Movement",
    "NoPlanFoundError",
    "Plan",
    "greedy_plan",
    "load_plan",
    "optimise",
    "save_plan",
]
