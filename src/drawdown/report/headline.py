"""The headline numbers and the optimiser's gain, each with its interval and run count."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report.data import SimulationViews, distributions_of
from drawdown.report.figure_data import CARGO_OUTCOMES, NOT_AVAILABLE, HeadlineFigure
from drawdown.report.scenario_data import people_out_by_plan
from drawdown.scenario.days import planned_exit_day
from drawdown.scenario.model import Scenario
from drawdown.simulate.result import RESERVE_ADVICE_BELOW

OUTCOME_WORDS = {
    "repatriated": "repatriated",
    "handed_over": "handed over",
    "abandoned": "abandoned",
    "destroyed": "destroyed",
    "lost": "lost",
    "remaining": "left in theatre at the end",
}


def _deadline_note(scenario: Scenario, p_all_out: float) -> str:
    """The deadline and the day the plan aims at: its reserve, or the advice of `drawdown run`
    (`SimulationResult.reserve_advice`) when a plan aimed at the deadline itself is at risk."""
    deadline = f"deadline {scenario.manifest.deadline:%d %b %Y}"
    reserve = scenario.manifest.policy.reserve_days_before_deadline
    if reserve > 0:
        aim = scenario.date_of(planned_exit_day(scenario))
        return f"{deadline}; the plan aims at {aim:%d %b %Y} ({reserve} days of reserve)"
    if p_all_out < RESERVE_ADVICE_BELOW:
        return (
            f"{deadline}; the plan aims at the deadline itself: a reserve "
            "(policy.reserve_days_before_deadline) brings it forward"
        )
    return deadline


def headline(scenario: Scenario, plan: Plan, views: SimulationViews) -> tuple[HeadlineFigure, ...]:
    """The headline numbers, each with its interval and the runs behind it.

    Means and quantiles come from `distributions_of(views)`: quantiles over runs without
    interpolation, so a share of 'never' (inf) shows as such."""
    dist = distributions_of(views)
    runs = dist.runs
    p = dist.p_all_out()
    # Wilson 95% interval: honest at 0% or 100% with few runs.
    z = 1.96
    centre = (p + z * z / (2 * runs)) / (1 + z * z / runs)
    half = z * np.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / (1 + z * z / runs)
    figures = [
        HeadlineFigure(
            "All people out by the deadline",
            f"{p:.0%}",
            f"95% interval {max(centre - half, 0):.0%}–{min(centre + half, 1):.0%}",
            runs,
            _deadline_note(scenario, p),
        )
    ]

    def date(day: float) -> str:
        return "never" if not np.isfinite(day) else f"{scenario.date_of(int(round(day))):%d %b %Y}"

    def q(figure: str, level: float) -> float:
        return dist.quantile(figure, level)

    never = dist.never("completion_day")
    figures.append(
        HeadlineFigure(
            "Last person out (median)",
            date(q("completion_day", 0.5)),
            f"P10 {date(q('completion_day', 0.1))} – P90 {date(q('completion_day', 0.9))}",
            runs,
            f"{never} runs never finished" if never else "",
        )
    )
    figures.append(
        HeadlineFigure(
            "Casualties (killed + wounded), expected",
            f"{dist.mean('casualties'):,.1f}",
            f"P90 {q('casualties', 0.9):,.0f} · P10–P90 {q('casualties', 0.1):,.0f}–"
            f"{q('casualties', 0.9):,.0f}",
            runs,
            f"of which killed: {dist.mean('killed'):,.1f} expected, P90 {q('killed', 0.9):,.0f}",
        )
    )
    for outcome in CARGO_OUTCOMES:
        if outcome not in dist.recorded:  # an older stress test did not tell this apart
            figures.append(
                HeadlineFigure(
                    f"Equipment {OUTCOME_WORDS[outcome]}",
                    "n/a",
                    NOT_AVAILABLE,
                    runs,
                    "the stress test of this folder does not record it",
                )
            )
            continue
        share = f"teu_share_{outcome}"
        figures.append(
            HeadlineFigure(
                f"Equipment {OUTCOME_WORDS[outcome]}",
                f"{dist.mean(share):.1%}",
                f"P10–P90 {q(share, 0.1):.1%}–{q(share, 0.9):.1%}",
                runs,
                f"{dist.mean(f'teu_{outcome}'):,.0f} TEU on average",
            )
        )
    figures.append(
        HeadlineFigure(
            "Cost",
            _usd(dist.mean("cost_usd")),
            f"P10–P90 {_usd(q('cost_usd', 0.1))}–{_usd(q('cost_usd', 0.9))}",
            runs,
            "running cost and movements",
        )
    )
    gap = "protection_gap_person_days"
    horizon = scenario.manifest.protection_horizon or scenario.manifest.deadline
    figures.append(
        HeadlineFigure(
            "Protection gap",
            f"{dist.mean(gap) / 1e6:,.2f} M person-days",
            f"P10–P90 {q(gap, 0.1) / 1e6:,.2f}–{q(gap, 0.9) / 1e6:,.2f} M",
            runs,
            f"civilians uncovered × days, to {horizon:%d %b %Y}",
        )
    )
    return tuple(figures)


def _month_ends(scenario: Scenario) -> list[dt.date]:
    """The last day of each month of the withdrawal, and the deadline if it ends mid-month."""
    start, deadline = scenario.manifest.start_date, scenario.manifest.deadline
    ends, year, month = [], start.year, start.month
    while True:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        end = min(following - dt.timedelta(days=1), deadline)
        ends.append(end)
        if end >= deadline:
            return ends
        year, month = following.year, following.month


def _out_by_month(scenario: Scenario, days: pd.Index, remaining: np.ndarray) -> str:
    """'20% by 31 Aug, 50% by 30 Sep, ...' up to the first month all are out."""
    total = scenario.total_people
    parts = []
    for end in _month_ends(scenario):
        day = scenario.day_of(end)
        if day not in days:
            continue
        left = float(remaining[days.get_loc(day)])
        # Rounded down, so 100% means everyone is out, not 99.6%.
        share = math.floor(100 * (1 - left / total)) if total else 100
        parts.append(f"{share}% by {end:%d %b}")
        if share >= 100:
            break
    return ", ".join(parts)


def people_out_text(scenario: Scenario, plan: Plan, views: SimulationViews) -> tuple[str, ...]:
    """The headline sentence of people out of the theatre by the end of each month."""
    people = views.people
    if people.empty or 0.5 not in people.columns or not scenario.total_people:
        return ()
    simulated = _out_by_month(scenario, people.index, people[0.5].to_numpy(dtype=float))
    planned_curve = people_out_by_plan(scenario, plan)
    planned = _out_by_month(scenario, pd.RangeIndex(len(planned_curve)), planned_curve)
    text = f"People out of the theatre (median of {views.runs:,} runs): {simulated}."
    if planned:
        text += f" In the plan: {planned}."
    return (text,)


def intervals_text(scenario: Scenario, views: SimulationViews) -> tuple[str, ...]:
    """What the intervals are over: this plan's stress test, not the declared ranges."""
    declared = len(scenario.manifest.uncertainties)
    text = (
        f"Every interval is over the {views.runs:,} runs of this one plan: what the stress "
        "test draws (clearances, incidents, packing, final steps)."
    )
    if declared:
        text += (
            f" It does not draw the scenario's {declared} declared uncertainties: drawdown "
            "sensitivity --replan ranks them, and drawdown check --declared scores a record "
            "over them, each parameter set planned afresh."
        )
    return (text,)


def _usd(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.2f} bn"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f} M"
    return f"${value:,.0f}"


def gain(plan: Plan, baseline: Plan | None) -> tuple[pd.DataFrame | None, str]:
    """Objective terms of the optimised plan against the greedy baseline (lower is better)."""
    if baseline is None or not plan.objective or not baseline.objective:
        return None, "No greedy baseline was compared in this run."
    if plan is baseline or plan.method == baseline.method:
        return None, (
            f"The plan reported is the {plan.method} one itself (the optimiser gave no plan "
            "in this run; see the run manifest), so there is no gain to show."
        )
    keys = [k for k in plan.objective if k in baseline.objective]
    frame = pd.DataFrame(
        {
            "optimised": [float(plan.objective[k]) for k in keys],
            "greedy": [float(baseline.objective[k]) for k in keys],
        },
        index=pd.Index(keys, name="objective term (USD-equivalent)"),
    )
    frame["gain"] = frame["greedy"] - frame["optimised"]
    total = "total" if "total" in frame.index else None
    if total:
        g, b = frame.loc[total, "gain"], frame.loc[total, "greedy"]
        share = f" ({g / b:.1%} of the baseline)" if b else ""
        verdict = (
            f"{_usd(g)} lower than the greedy baseline's{share}"
            if g >= 0
            else f"{_usd(-g)} HIGHER than the greedy baseline's{share}: on this scenario the "
            "simple rule did better, which is worth a look at the planner's settings"
        )
        note = (
            f"The optimised plan's weighted objective is {verdict}. Terms are in "
            "USD-equivalent after the scenario's weights; a positive gain means the optimiser "
            "did better on that term."
        )
    else:
        note = "Objective terms after the scenario's weights; positive gain: optimiser better."
    return frame, note
