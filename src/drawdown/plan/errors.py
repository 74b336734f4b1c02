"""The planner's typed errors: callers branch on the type and its fields, never on text.

Both are `InputError`s, so the CLI reports them as user problems (exit status 2) with the
located `Problem`s; callers that want to go on (`run`, `compare`, `sensitivity`) read
`best_plan` and the `shortfalls` instead of parsing the message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drawdown.errors import InputError, Problem

if TYPE_CHECKING:
    from drawdown.plan.model import Plan


@dataclass(frozen=True)
class Shortfall:
    """One site that cannot be emptied in time: how many people remain and what binds."""

    site: str
    people_left: int
    resource: str  # e.g. "escorts on corridor north", "sorties", "daily schedule", "route"
    needed: float = 0.0  # convoys or sorties needed (0 when not computed)
    available: float = 0.0  # ... and what fits before the deadline


class InfeasiblePlanError(InputError):
    """The deadline cannot be met; carries the best plan found (fewest people left), marked
    as such (`plan.solver.best_found`), and a `Shortfall` per site that keeps people."""

    def __init__(
        self,
        problems: list[Problem],
        title: str,
        best_plan: Plan | None = None,
        shortfalls: tuple[Shortfall, ...] = (),
    ):
        super().__init__(problems, title)
        self.best_plan = best_plan
        self.shortfalls = shortfalls


class NoPlanFoundError(InputError):
    """The solver found no plan at all before its safety-net time limit (nothing to report)."""

    def __init__(
        self, problems: list[Problem] | Problem, title: str, time_limit_s: float = math.nan
    ):
        super().__init__(problems, title)
        self.time_limit_s = time_limit_s
