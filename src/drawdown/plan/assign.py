"""Assign: a solved strategic model laid out day by day into a `Plan` (rounding + dispatch).

The whole-convoy solution is laid out when the rounding found one: the dispatcher lays out
whole convoys, and fractional quotas rounded up lane by lane gave MINUSMA a plan that met the
deadline in only 36% of simulated runs (97% from the rounded solution, at about the same
daily score). Each source is laid out with and without convoys waiting for their trucks where
escorts are scarce (`CONVOYS_WAIT`) and, where base attacks are weighed, with and without
bases under attack holding their garrison for the period's last cargo (`attack_holds`); the
cheapest complete table is kept. Only if it strands people are the fallbacks tried, in a
fixed order: the relaxed solution; then both with the guard free to leave whenever a convoy
can take it; then both without the model's convoy quotas. The first complete table is kept
(else the first one, with what it strands), and the plan records which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drawdown.plan.build import PlanData, Strategic, base_attack_threats
from drawdown.plan.model import Plan
from drawdown.plan.record import SolverRecord, Work
from drawdown.plan.schedule import Schedule, dispatch, objective_terms, to_plan
from drawdown.plan.solve import SolveResult, _quota, _values
from drawdown.plan.warm import encode_basis, model_closes, model_convoys

# (keep the guard, follow the model's convoy quotas, what the record calls the fallback)
FALLBACKS = ((True, True, ""), (False, True, "guard waived"), (False, False, "quotas lifted"))
# Each source is laid out with convoys leaving as trucks come back, and waiting for a convoy's
# trucks where escorts are scarce (`schedule.dispatch`), and the cheaper table kept: waiting
# kept the 1x synthetic mission's hub from spending its escorts on part convoys (daily table
# 261 M -> 201 M against the laid-out 157 M, nothing written off), while on MINUSMA it moved
# Gao's loads to other fleets for a slightly dearer table.
CONVOYS_WAIT = (False, True)


@dataclass(frozen=True)
class Layout:
    """The daily table laid out, the solution it came from and the fallback it needed."""

    schedule: Schedule
    source: str  # "whole convoys" | "continuous convoys"
    fallback: str

    @property
    def whole(self) -> bool:
        return self.source == "whole convoys"


def lay_out(data: PlanData, strategic: Strategic) -> Layout:
    """The daily table of `strategic`'s solution (see the module docstring)."""
    rounded = strategic.solution
    label = "whole convoys" if strategic.relaxed is not None else "continuous convoys"
    sources = [(label, rounded)]
    if strategic.relaxed is not None:
        sources.append(("continuous convoys", strategic.relaxed))
    first: Layout | None = None
    holds = attack_holds(data)
    for keep_guard, quota, fallback in FALLBACKS:
        for index, (source, values) in enumerate(sources):
            strategic.solution = values
            schedule = _best_of(
                data,
                [
                    dispatch(
                        data,
                        _values(strategic, "load"),
                        _values(strategic, "left"),
                        quota=_quota(strategic) if quota else None,
                        keep_guard=keep_guard,
                        attack_hold=hold,
                        convoys_wait=wait,
                    )
                    for hold in holds
                    for wait in CONVOYS_WAIT
                ],
            )
            why = ", ".join(x for x in ("relaxed solution" if index else "", fallback) if x)
            layout = Layout(schedule, source, why)
            if schedule.complete:
                strategic.solution = rounded
                return layout
            first = first or layout
    strategic.solution = rounded
    assert first is not None
    return first


def attack_holds(data: PlanData) -> tuple[bool, ...]:
    """The ways to lay out the days at bases under attack: as the targets come, and, where
    base attacks are weighed, also with each such base keeping its whole garrison until the
    last cargo the plan sends from it in the period has gone.

    The model prices a period's attacks on the garrison a base holds at the period's start, so
    a main body that leaves days before the period's last convoy, its rear party thin and
    attacked meanwhile, is a cost the model never saw (tiny's north: attacks 1.14 M instead of
    0.42 M, the table 58% above the model). Holding it is not always cheaper: on MINUSMA the
    held people's helicopters and C-130s fly later, and every site sharing them waits (running
    cost +7.7 M against attacks -1.1 M). So both tables are made and the cheaper kept.
    """
    if data.base_attacks and base_attack_threats(data):
        return (False, True)
    return (False,)


def _best_of(data: PlanData, schedules: list[Schedule]) -> Schedule:
    """The complete table with the lowest daily score (the first on a tie); the first table
    when none is complete."""
    complete = [s for s in schedules if s.complete]
    if not complete:
        return schedules[0]
    return min(complete, key=lambda s: objective_terms(data, s)[0]["total"])


def assign(
    data: PlanData,
    strategic: Strategic,
    result: SolveResult,
    *,
    seed: int,
    time_limit_s: float,
    seconds: dict[str, float],
    warm_start: bool = False,
) -> tuple[Plan, Layout]:
    """The plan of a solved model, with the record of how it was made."""
    layout = lay_out(data, strategic)
    schedule = layout.schedule
    draft = to_plan(data, schedule, method="optimised", solver=SolverRecord())
    model_objective = result.objective
    laid_out = math.nan
    laid_out_gap = math.nan
    rounded = result.rounded
    if rounded is not None and layout.whole:
        laid_out, laid_out_gap = rounded.objective, rounded.gap
    # Compare like with like: the daily table on the terms the model priced.
    daily = draft.objective["total"] - (
        0.0 if data.base_attacks else draft.objective["base_attacks"]
    )
    reference = laid_out if math.isfinite(laid_out) else model_objective
    iterations = result.simplex_iterations + (rounded.simplex_iterations if rounded else 0)
    nodes = result.bnb_nodes + (rounded.bnb_nodes if rounded else 0)
    record = SolverRecord(
        method="strategic MILP + daily dispatch",
        status=result.status,
        layout=layout.source,
        fallback=layout.fallback,
        model_objective=model_objective,
        model_bound=result.bound,
        model_gap=result.gap,
        laid_out_objective=laid_out,
        laid_out_gap=laid_out_gap,
        daily_objective=daily,
        daily_model_gap=(daily - reference) / max(abs(reference), 1e-9),
        lp_bound=result.start.lp_bound if result.start is not None else math.nan,
        work=Work(result.lp_solves, iterations, nodes, dict(seconds)),
        time_limit_s=float(time_limit_s),
        time_limit_hit=result.time_limit_hit or bool(rounded and rounded.time_limit_hit),
        seed=int(seed),
        warm_start=warm_start,
        variables=int(strategic.model.nvars),
        constraints=int(strategic.model.ncons),
        binaries=int(strategic.model.variables["open"].size),
        integer_convoys=int((strategic.model.variables["convoys"].labels.values >= 0).sum()),
        periods=int(data.n_periods),
        lanes=int(len(data.lanes.route)) if data.lanes is not None else 0,
        capacity_factor=float(data.capacity_factor),
        whole_convoys=data.integer_convoys,
        base_attacks=data.base_attacks,
        complete=schedule.complete,
        stranded_people=int(sum(schedule.stranded_people.values())),
        late_people=int(schedule.late_people),
        model_closes=model_closes(strategic),
        model_convoys=model_convoys(strategic),
        model_basis=encode_basis(result.start.lp_basis if result.start is not None else None),
    )
    return to_plan(data, schedule, method="optimised", solver=record), layout
