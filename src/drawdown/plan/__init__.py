"""Planning: the optimised withdrawal plan, the greedy baseline, and saving plans."""

from drawdown.plan.errors import InfeasiblePlanError, NoPlanFoundError, Shortfall
from drawdown.plan.greedy import greedy_plan
from drawdown.plan.io import load_plan, save_plan
from drawdown.plan.model import Disposition, Movement, Plan
from drawdown.plan.optimise import optimise
from drawdown.plan.record import SolverRecord

__all__ = [
    "Disposition",
    "InfeasiblePlanError",
    "Movement",
    "NoPlanFoundError",
    "Plan",
    "Shortfall",
    "SolverRecord",
    "greedy_plan",
    "load_plan",
    "optimise",
    "save_plan",
]
