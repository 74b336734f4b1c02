"""Compare options side by side with common random numbers and paired differences.

Every option is simulated with the same seed, so run `r` of each option draws from the same
stream; the difference of a key figure to the first option is computed run by run (paired)
and reported as a mean with its 95% interval. An option compared with itself therefore
differs by exactly zero. How closely runs of *different* plans share their chance depends on
how similar the plans are (the engine lays draws out by movement).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario
from drawdown.scenario.overrides import Override, apply_overrides, describe
from drawdown.simulate import simulate
from drawdown.simulate.outcomes import Z95, mean_interval, wilson
from drawdown.simulate.result import SimulationResult

# key figure -> (label, unit); per-run values come from `_per_run`
FIGURES: dict[str, tuple[str, str]] = {
    "p_out_on_time": ("P(everyone out by the deadline)", "probability"),
    "completion_day": ("day the last person leaves (mean)", "days"),
    "killed": ("killed", "people"),
    "casualties": ("killed and wounded", "people"),
    "teu_destroyed": ("containers destroyed", "TEU"),
    "vehicles_destroyed": ("vehicles destroyed", "vehicles"),
    "teu_handed_over": ("containers handed over", "TEU"),
    "vehicles_handed_over": ("vehicles handed over", "vehicles"),
    "cost_usd": ("running cost", "USD"),
    "protection_gap_person_days": ("protection gap", "person-days"),
}


@dataclass(frozen=True)
class Option:
    """One option of a comparison: its scenario, the plan executed and the simulation."""

    label: str
    scenario: Scenario
    plan: Plan
    result: SimulationResult
    # Why the plan executed is not the option's optimised plan (it could not be made), if so.
    plan_note: str = ""


@dataclass(frozen=True)
class Comparison:
    """Key figures of each option, and their paired difference to the first option."""

    options: tuple[Option, ...]
    runs: int
    seed: int
    figures: (
        pd.DataFrame
    )  # figure, label, unit, option, value, low, high, diff, diff_low, diff_high

    @property
    def labels(self) -> list[str]:
        return [o.label for o in self.options]

    def table(self) -> pd.DataFrame:
        """Figures as rows and options as columns (values only), for a quick look."""
        return self.figures.pivot(index="figure", columns="option", values="value").loc[
            list(FIGURES), self.labels
        ]

    def fan_frame(self) -> pd.DataFrame:
        """People in theatre by day, quantiles across runs, one block of rows per option."""
        frames = []
        for o in self.options:
            fan = o.result.people_remaining_fan()
            fan.insert(0, "option", o.label)
            fan["date"] = [o.scenario.date_of(int(d)).isoformat() for d in fan["day"]]
            frames.append(fan)
        return pd.concat(frames, ignore_index=True)

    def gantt_frame(self) -> pd.DataFrame:
        """Closure day of each base and hub per option: 5%, 50% and 95% quantiles."""
        frames = []
        for o in self.options:
            closures = o.result.closure_quantiles()
            closures.insert(0, "option", o.label)
            closures["planned_day"] = [
                o.plan.closure_day.get(s, math.nan) for s in closures["site"]
            ]
            frames.append(closures)
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> str:
        """Key figures side by side, with the difference to the first option."""
        first = self.labels[0]
        lines = [
            f"{len(self.options)} options, {self.runs} runs each, seed {self.seed} (same for all)"
        ]
        for i, o in enumerate(self.options):
            lines.append(f"  [{i}] {o.label}" + (f" ({o.plan_note})" if o.plan_note else ""))
        for key, (label, unit) in FIGURES.items():
            rows = self.figures[self.figures["figure"] == key]
            lines.append(f"{label} ({unit}):")
            for row in rows.itertuples():
                low, high = format_figure(row.low), format_figure(row.high)
                text = f"    {row.option:<28} {format_figure(row.value)} [{low}, {high}]"
                if row.option != first:
                    text += (
                        f"   vs [0]: {format_figure(row.diff, sign=True)} "
                        f"[{format_figure(row.diff_low, sign=True)}, "
                        f"{format_figure(row.diff_high, sign=True)}]"
                    )
                lines.append(text)
        return "\n".join(lines)


def format_figure(x: float, *, sign: bool = False) -> str:
    """A key figure as the summary and the CLI print it: 3 significant digits, - if unknown."""
    if not math.isfinite(x):
        return "-"
    text = f"{x:+,.3g}" if sign else f"{x:,.3g}"
    if abs(x) >= 1000:
        text = f"{x:+,.0f}" if sign else f"{x:,.0f}"
    return text


def _per_run(result: SimulationResult) -> dict[str, np.ndarray]:
    """Per-run values of every key figure."""
    runs = result.data.runs
    horizon = result.horizon
    completion = runs["completion_day"].astype(np.float64)
    return {
        "p_out_on_time": runs["all_out_by_deadline"].astype(np.float64),
        # a run in which people never all leave counts at twice the horizon
        "completion_day": np.where(completion < 0, 2.0 * horizon, completion),
        "killed": runs["killed"].astype(np.float64),
        "casualties": (runs["killed"] + runs["wounded"]).astype(np.float64),
        "teu_destroyed": runs["teu_destroyed"].astype(np.float64),
        "vehicles_destroyed": runs["vehicles_destroyed"].astype(np.float64),
        "teu_handed_over": runs["teu_handed_over"].astype(np.float64),
        "vehicles_handed_over": runs["vehicles_handed_over"].astype(np.float64),
        "cost_usd": runs["cost_usd"].astype(np.float64),
        "protection_gap_person_days": runs["protection_gap_person_days"].astype(np.float64),
    }


def paired_difference(x: np.ndarray, base: np.ndarray) -> tuple[float, float, float]:
    """Mean of the run-by-run differences `x - base` and its 95% normal interval."""
    d = np.asarray(x, dtype=np.float64) - np.asarray(base, dtype=np.float64)
    mean = float(d.mean())
    if d.size < 2:
        return (mean, math.nan, math.nan)
    half = Z95 * float(d.std(ddof=1)) / math.sqrt(d.size)
    return (mean, mean - half, mean + half)


def figures_frame(options: Sequence[Option]) -> pd.DataFrame:
    """Each key figure of each option with its interval and paired difference to the first."""
    values = [_per_run(o.result) for o in options]
    rows = []
    for key, (label, unit) in FIGURES.items():
        base = values[0][key]
        for o, v in zip(options, values, strict=True):
            x = v[key]
            if key == "p_out_on_time":
                value = float(x.mean())
                low, high = wilson(int(x.sum()), x.size)
            else:
                value, low, high = mean_interval(x)
            diff, diff_low, diff_high = paired_difference(x, base)
            rows.append(
                {
                    "figure": key,
                    "label": label,
                    "unit": unit,
                    "option": o.label,
                    "value": value,
                    "low": low,
                    "high": high,
                    "diff": diff,
                    "diff_low": diff_low,
                    "diff_high": diff_high,
                }
            )
    return pd.DataFrame(rows)


def options_from_overrides(
    scenario: Scenario, overrides: Sequence[Sequence[Override | str]]
) -> list[tuple[str, Scenario]]:
    """The baseline and one option per set of overrides, labelled by what they change."""
    options = [("baseline", scenario)]
    for group in overrides:
        options.append((describe(group), apply_overrides(scenario, list(group))))
    return options


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def compare(
    options: Sequence[Scenario] | Scenario,
    *,
    overrides: Sequence[Sequence[Override | str]] = (),
    runs: int,
    seed: int,
    plans: Sequence[Plan] | None = None,
    same_plan: bool = False,
    labels: Sequence[str] | None = None,
    planner: Callable[[Scenario], Plan] | None = None,
) -> Comparison:
    """Simulate each option with the same seed and compare the key figures.

    Parameters
    ----------
    options
        Scenarios to compare, or one scenario compared with itself under `overrides`.
    overrides
        With one scenario: one set of overrides per extra option (e.g. [["threat.ied.rate=*2"]]).
    plans
        The plan of each option (default: each option's own optimised plan).
    same_plan
        Execute the first option's plan in every option: what the changes do to one plan,
        rather than to the best plan for each option.
    planner
        Makes a plan for a scenario (default `drawdown.plan.optimise`).
    """
    if isinstance(options, Scenario):
        named = options_from_overrides(options, overrides)
    else:
        if overrides:
            raise InputError(
                Problem("compare", "overrides", "give overrides with a single scenario only")
            )
        named = [(s.name, s) for s in options]
    if len(named) < 2:
        raise InputError(
            Problem(
                "compare",
                "options",
                "needs at least two options",
                "give two scenarios, or one scenario and --set PARAM=VALUE",
            )
        )
    names = list(labels) if labels is not None else _unique([n for n, _ in named])
    if len(names) != len(named):
        raise InputError(Problem("compare", "labels", f"give {len(named)} labels"))
    if plans is not None and len(plans) != len(named):
        raise InputError(Problem("compare", "plans", f"give one plan per option ({len(named)})"))
    if planner is None:
        from drawdown.plan import optimise

        planner = optimise
    notes = [""] * len(named)
    if plans is None:
        if same_plan:
            first, notes[0] = plan_option(planner, named[0][1])
            plans = [first] * len(named)
        else:
            made = [plan_option(planner, s) for _, s in named]
            plans = [p for p, _ in made]
            notes = [n for _, n in made]
    built = []
    for label, (_, scenario), plan, note in zip(names, named, plans, notes, strict=True):
        own = plan.scenario_hash == scenario.content_hash()
        result = simulate(scenario, plan, runs=runs, seed=seed, check_hash=own)
        built.append(Option(label, scenario, plan, result, note))
    return Comparison(tuple(built), runs, seed, figures_frame(built))


def plan_option(planner: Callable[[Scenario], Plan], scenario: Scenario) -> tuple[Plan, str]:
    """An option's plan, and a note when it could not be made as asked.

    An option whose deadline cannot be met is a result, not a crash of the comparison: its
    best plan is stress-tested and the note says why it falls short (which site, which
    resource); when no plan at all was found, the greedy baseline stands in for it.
    """
    from drawdown.plan import InfeasiblePlanError, NoPlanFoundError, greedy_plan

    try:
        return planner(scenario), ""
    except InfeasiblePlanError as exc:
        if exc.best_plan is None:
            raise
        why = "; ".join(p.message for p in exc.errors[:3])
        return exc.best_plan, f"deadline cannot be met ({why}): its best plan is stress-tested"
    except NoPlanFoundError:
        return greedy_plan(scenario), "no plan found: the greedy baseline is stress-tested"
