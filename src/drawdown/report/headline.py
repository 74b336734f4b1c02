"""The headline numbers and the optimiser's gain, each with its interval and run count."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report.data import SimulationViews
from drawdown.report.figure_data import CARGO_OUTCOMES, NOT_AVAILABLE, HeadlineFigure
from drawdown.report.scenario_data import people_out_by_plan
from drawdown.scenario.model import Scenario

OUTCOME_WORDS = {
    "repatriated": "repatriated",
    "handed_over": "handed over",
    "abandoned": "abandoned",
    "destroyed": "destroyed",
    "lost": "lost",
    "remaining": "left in theatre at the end",
}


def _q(values: np.ndarray, level: float) -> float:
    """Quantile over runs without interpolation, so a share of 'never' (inf) shows as such."""
    values = np.asarray(values, dtype=float)
    if not values.size:
        return float("nan")
    return float(np.quantile(values, level, method="inverted_cdf"))


def headline(scenario: Scenario, plan: Plan, views: SimulationViews) -> tuple[HeadlineFigure, ...]:
    """The headline numbers, each with its interval and the runs behind it."""
    out = views.outcomes
    runs = len(out)
    all_out = out["all_out"].to_numpy(dtype=bool)
    p = float(all_out.mean()) if runs else float("nan")
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
            f"deadline {scenario.manifest.deadline:%d %b %Y}",
        )
    ]
    done = out["completion_day"].to_numpy(dtype=float)
    done = np.where(np.isnan(done), np.inf, done)  # NaN: some people never left

    def date(day: float) -> str:
        return "never" if not np.isfinite(day) else f"{scenario.date_of(int(round(day))):%d %b %Y}"

    never = int((~np.isfinite(done)).sum())
    figures.append(
        HeadlineFigure(
            "Last person out (median)",
            date(_q(done, 0.5)),
            f"P10 {date(_q(done, 0.1))} – P90 {date(_q(done, 0.9))}",
            runs,
            f"{never} runs never finished" if never else "",
        )
    )
    casualties = (out["killed"] + out["wounded"]).to_numpy(dtype=float)
    killed = out["killed"].to_numpy(dtype=float)
    figures.append(
        HeadlineFigure(
            "Casualties (killed + wounded), expected",
            f"{casualties.mean():,.1f}",
            f"P90 {_q(casualties, 0.9):,.0f} · P10–P90 {_q(casualties, 0.1):,.0f}–"
            f"{_q(casualties, 0.9):,.0f}",
            runs,
            f"of which killed: {killed.mean():,.1f} expected, P90 {_q(killed, 0.9):,.0f}",
        )
    )
    recorded = [f for f in CARGO_OUTCOMES if f"teu_{f}" in out.columns]
    teu = out[[f"teu_{f}" for f in recorded]].to_numpy(dtype=float)
    total = teu.sum(axis=1, keepdims=True)
    shares = np.divide(teu, total, out=np.zeros_like(teu), where=total > 0)
    for outcome in CARGO_OUTCOMES:
        if outcome not in recorded:  # an older stress test did not tell this outcome apart
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
        i = recorded.index(outcome)
        s = shares[:, i]
        figures.append(
            HeadlineFigure(
                f"Equipment {OUTCOME_WORDS[outcome]}",
                f"{s.mean():.1%}",
                f"P10–P90 {_q(s, 0.1):.1%}–{_q(s, 0.9):.1%}",
                runs,
                f"{teu[:, i].mean():,.0f} TEU on average",
            )
        )
    cost = out["cost_usd"].to_numpy(dtype=float)
    figures.append(
        HeadlineFigure(
            "Cost",
            _usd(cost.mean()),
            f"P10–P90 {_usd(_q(cost, 0.1))}–{_usd(_q(cost, 0.9))}",
            runs,
            "running cost and movements",
        )
    )
    gap = out["protection_gap_person_days"].to_numpy(dtype=float)
    horizon = scenario.manifest.protection_horizon or scenario.manifest.deadline
    figures.append(
        HeadlineFigure(
            "Protection gap",
            f"{gap.mean() / 1e6:,.2f} M person-days",
            f"P10–P90 {_q(gap, 0.1) / 1e6:,.2f}–{_q(gap, 0.9) / 1e6:,.2f} M",
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
