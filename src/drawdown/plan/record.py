"""How a plan was made: the solver record every plan carries (`Plan.solver`).

A flat, frozen record of what the planner did and how good its answer is: the layout laid out
(whole convoys, continuous convoys, and which fallback), the model's objective, proven bound
and gap, the daily table's objective and its distance to the model's, the work done (LP
solves, simplex iterations, branch-and-bound nodes: deterministic counts) and whether the
safety-net time limit was hit. Seconds are information only: they are kept out of the saved
plan (`to_dict(timings=False)`) and out of its hash, so that the same question gives
byte-identical plan files on any machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

SAFETY_NET_NOTE = (
    "the planner's safety-net time limit was hit before its deterministic stopping rules "
    "ended the search: this plan depends on how fast the machine was; allow more time "
    "(--time-limit) for a reproducible plan"
)


# Keys of the untyped solver dict of older plan folders, and their field in the record.
LEGACY_KEYS = {
    "gap": "model_gap",
    "bound": "model_bound",
    "objective_model": "model_objective",
    "whole_convoys_objective": "laid_out_objective",
    "whole_convoys_gap": "laid_out_gap",
    "laid_out": "layout",
}


@dataclass(frozen=True)
class Attempt:
    """One model solved and laid out: the capacity it assumed and how it did."""

    capacity_factor: float
    model_gap: float
    model_objective: float
    daily_total: float
    complete: bool


@dataclass(frozen=True)
class Work:
    """Work the solver did: deterministic counts, and seconds as information only."""

    lp_solves: int = 0  # closure-search LP solves
    simplex_iterations: int = 0
    bnb_nodes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # build, solve, round, ...


@dataclass(frozen=True)
class SolverRecord:
    """How a plan was made and how good it is (see the module docstring).

    Gaps are shares (0.004 = 0.4 %); NaN where a figure does not apply (the greedy baseline
    has no model). `daily_model_gap` compares the daily table with the model on the terms the
    model priced (base attacks only when the model had them).
    """

    method: str = ""
    status: str = ""  # optimal | feasible | infeasible | no_solution | error | greedy
    layout: str = ""  # "whole convoys" | "continuous convoys" | "greedy"
    fallback: str = ""  # "" | "guard waived" | "quotas lifted" | "derated capacity x0.85" ...
    model_objective: float = math.nan
    model_bound: float = math.nan
    model_gap: float = math.nan
    laid_out_objective: float = math.nan  # of the model solution laid out (whole convoys)
    laid_out_gap: float = math.nan  # its distance to the proven bound
    daily_objective: float = math.nan  # the daily table on the model's terms
    daily_model_gap: float = math.nan
    lp_bound: float = math.nan  # of the closure search's LP relaxation
    work: Work = field(default_factory=Work)
    time_limit_s: float = math.nan
    time_limit_hit: bool = False
    seed: int = 0
    # the closure search started from a previous plan's order, or the rounding from its convoys
    warm_start: bool = False
    variables: int = 0
    constraints: int = 0
    binaries: int = 0
    integer_convoys: int = 0
    periods: int = 0
    lanes: int = 0
    capacity_factor: float = 1.0
    whole_convoys: bool = False  # whole convoys in the model itself
    base_attacks: bool = False  # base attacks in the model's objective
    complete: bool = True
    stranded_people: int = 0
    late_people: int = 0
    best_found: bool = False  # not a plan that meets the deadline: the best one found
    attempts: tuple[Attempt, ...] = ()
    greedy_total: float = math.nan
    greedy_complete: bool | None = None
    gain_over_greedy: float = math.nan
    gain_over_greedy_pct: float = math.nan
    notes: tuple[str, ...] = ()
    # First closed period of each garrisoned site in the model's solution: what a warm start
    # re-uses (the daily closure days come later, after the final steps and the handover).
    model_closes: dict[str, int] = field(default_factory=dict)
    # Whole convoys by period on each whole-convoy lane of that solution (see `warm`).
    model_convoys: dict[str, list[int]] = field(default_factory=dict)
    # The optimal basis of the model's LP relaxation, as `warm.encode_basis` writes it.
    model_basis: str = ""

    @property
    def gap(self) -> float:
        """The model's proven gap (the figure the targets are stated in)."""
        return self.model_gap

    def describe(self) -> list[str]:
        """What the plan is, in a few plain lines (for `drawdown plan`, `run`, the report)."""
        if self.layout == "greedy" or self.method == "greedy":
            return ["greedy baseline: farthest bases first, fastest routes, no model"]
        whole = math.isfinite(self.laid_out_gap)
        reference = self.laid_out_objective if whole else self.model_objective
        lines = [
            f"laid out from {self.layout or 'the model'}"
            + (f" (fallback: {self.fallback})" if self.fallback else ""),
            f"model {self.status}: gap {_pct(self.model_gap)} of the proven bound",
        ]
        if whole:
            lines.append(f"whole convoys: {_pct(self.laid_out_gap)} above the proven bound")
        lines += [
            f"daily table: {_pct(self.daily_model_gap)} from the model "
            f"({self.daily_objective:,.0f} against {reference:,.0f})",
            f"work: {self.work.lp_solves} LP solves, {self.work.simplex_iterations:,} "
            f"simplex iterations, {self.work.bnb_nodes:,} B&B nodes, seed {self.seed}"
            + (", warm start" if self.warm_start else ""),
        ]
        if self.time_limit_hit:
            lines.append(f"warning: {SAFETY_NET_NOTE}")
        if self.best_found:
            lines.append("warning: this is the best plan found; it does not meet the deadline")
        return lines

    def to_dict(self, *, timings: bool = True) -> dict[str, Any]:
        """A JSON-friendly dict (NaN as None); without `timings`, no seconds in it."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Work):
                value = {
                    "lp_solves": value.lp_solves,
                    "simplex_iterations": value.simplex_iterations,
                    "bnb_nodes": value.bnb_nodes,
                    **({"seconds": dict(value.seconds)} if timings else {}),
                }
            elif f.name == "attempts":
                value = [{a.name: _nan_none(getattr(v, a.name)) for a in fields(v)} for v in value]
            elif f.name == "notes":
                value = list(value)
            out[f.name] = _nan_none(value)
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> SolverRecord:
        """The record written by `to_dict` (unknown keys are ignored, missing ones default)."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        # Plans saved before the record was typed used these names.
        raw = {LEGACY_KEYS.get(k, k): v for k, v in raw.items()}
        for key, value in raw.items():
            if key not in known:
                continue
            if key == "work" and isinstance(value, dict):
                value = Work(
                    int(value.get("lp_solves", 0)),
                    int(value.get("simplex_iterations", 0)),
                    int(value.get("bnb_nodes", 0)),
                    {str(k): float(v) for k, v in dict(value.get("seconds", {})).items()},
                )
            elif key == "attempts":
                value = tuple(
                    Attempt(**{k: _none_nan(v) for k, v in dict(a).items()}) for a in value
                )
            elif key == "notes":
                value = tuple(str(v) for v in value)
            elif isinstance(getattr(cls, key, None), float) and value is None:
                value = math.nan
            kwargs[key] = value
        return cls(**kwargs)


def _pct(share: float) -> str:
    return f"{100 * share:.2f}%" if math.isfinite(share) else "n/a"


def _nan_none(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _none_nan(value: Any) -> Any:
    return math.nan if value is None else value
