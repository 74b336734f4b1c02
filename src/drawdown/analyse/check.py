"""Score a simulation against what actually happened: coverage, CRPS, median error, order.

Observed outcomes come as a long CSV, one observation a row::

    kind,site,date,value,source
    closure,north,2023-07-21,,press release
    people_departed,,2023-07-15,420,briefing
    killed,,2023-07-30,3,UN news

kinds:
    closure          the day `site` closed (its last people left); `value` is empty
    people_departed  people who had left the theatre by `date` (whole mission; `site` empty)
    teu_departed     containers (TEU) that had left the theatre by `date` (whole mission):
                     crossed a corridor's border or reached its port, as the stress test
                     counts them out
    killed, wounded, incidents
                     totals over the withdrawal (whole mission; `date` is when reported)

Each observation is compared with the simulated distribution of the same quantity: is it in
the central 50% and 80% intervals, how far is the median, and its CRPS (continuous ranked
probability score, in the quantity's units; 0 is a perfect sharp forecast). Closure order is
scored with Spearman's rank correlation between observed and median simulated closure days.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from drawdown.errors import InputError, Problem
from drawdown.scenario.csvfile import read_csv
from drawdown.scenario.model import Scenario
from drawdown.simulate.result import SimulationResult

KINDS = ("closure", "people_departed", "teu_departed", "killed", "wounded", "incidents")
DATED_COUNTS = ("people_departed", "teu_departed")  # one observation per date, not per kind
# Kinds an actuals file may hold that the simulation does not measure yet, and why: they are
# read and validated, then set aside with the reason rather than scored against nothing.
UNMEASURED: dict[str, str] = {}
# Why teu_departed is set aside when scored against a results folder made before the stress
# test recorded containers out by day (the folder still loads: only these are unscored)
NO_TEU_OUT = (
    "these results do not record containers out of the theatre by day (made before the "
    "stress test did): simulate again to score them"
)
COLUMNS = ("kind", "site", "date", "value", "source")
REQUIRED = ("kind", "date")
TOTALS = {"killed": "killed", "wounded": "wounded"}
INCIDENT_COLUMNS = (
    "incidents_ied",
    "incidents_ambush",
    "incidents_ground_fire",
    "incidents_base_attack",
)


@dataclass(frozen=True)
class Observation:
    """One observed outcome, read from a row of the actuals file."""

    kind: str
    site: str
    date: dt.date
    value: float  # observed value; for closures the day index
    source: str
    row: int


@dataclass(frozen=True)
class CheckResult:
    """How well the simulated distributions cover the observed outcomes."""

    scenario_name: str
    runs: int
    scores: pd.DataFrame  # one row per observation (see `score_observations`)
    closure_order_spearman: float  # nan with fewer than three closures observed
    closure_order_p_value: float
    unscored: tuple[Observation, ...] = ()  # observations of kinds these results cannot score
    why_unscored: dict[str, str] = field(default_factory=dict)  # the reason, by kind
    # parameter sets of the declared uncertainties the runs are pooled over, each planned
    # afresh (`analyse.declared`); 0: one plan's stress test
    declared_sets: int = 0

    @property
    def coverage_50(self) -> float:
        return float(self.scores["in_50"].mean()) if len(self.scores) else math.nan

    @property
    def coverage_80(self) -> float:
        return float(self.scores["in_80"].mean()) if len(self.scores) else math.nan

    def by_kind(self) -> pd.DataFrame:
        """Coverage, mean CRPS and mean absolute median error for each kind of observation."""
        grouped = self.scores.groupby("kind", sort=False)
        return pd.DataFrame(
            {
                "observations": grouped.size(),
                "coverage_50": grouped["in_50"].mean(),
                "coverage_80": grouped["in_80"].mean(),
                "crps": grouped["crps"].mean(),
                "median_abs_error": grouped["median_error"].apply(lambda e: e.abs().mean()),
            }
        ).reset_index()

    def summary(self) -> str:
        """A few lines a reader can take in at once."""
        lines = [
            f"check of {self.scenario_name}: {len(self.scores)} observations against "
            f"{self.runs} simulated runs"
            + (
                f", pooled over {self.declared_sets} sets of the declared uncertainties, "
                "each planned afresh"
                if self.declared_sets
                else ""
            ),
            f"  in the 50% interval: {self.coverage_50:.0%} (ideal about 50%)",
            f"  in the 80% interval: {self.coverage_80:.0%} (ideal about 80%)",
        ]
        for row in self.by_kind().itertuples():
            lines.append(
                f"  {row.kind}: {row.observations} obs, CRPS {row.crps:.3g}, "
                f"median off by {row.median_abs_error:.3g} on average"
            )
        if math.isfinite(self.closure_order_spearman):
            lines.append(f"  closure order: Spearman rho {self.closure_order_spearman:.2f}")
        for kind in dict.fromkeys(o.kind for o in self.unscored):
            n = sum(o.kind == kind for o in self.unscored)
            lines.append(f"  not scored: {n} {kind} observation(s), {self.why_unscored[kind]}")
        return "\n".join(lines)


# --- reading --------------------------------------------------------------------------------


def read_actuals(path: str | os.PathLike[str], scenario: Scenario) -> list[Observation]:
    """Read and validate an actuals CSV; every problem names the file and row."""
    path = Path(path)
    name = path.name
    table = read_csv(path, name, known=COLUMNS)  # ragged rows, unknown columns... refused
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise InputError(
            Problem(
                name,
                "header",
                f"missing column(s) {', '.join(missing)}",
                f"columns are {','.join(COLUMNS)}",
            )
        )
    numbered = [(n, {k: (v or "").strip() for k, v in r.items()}) for n, r in table.rows]
    if not numbered:
        raise InputError(Problem(name, "", "no observations", "add at least one row"))
    sites = {s.id: s for s in scenario.sites}
    closable = {s.id for s in scenario.sites if s.kind in ("base", "hub")}
    observations: list[Observation] = []
    problems: list[Problem] = []
    seen: set[tuple[str, str, dt.date]] = set()
    for number, r in numbered:
        where = f"row {number}"  # as a spreadsheet shows it: the header is row 1
        kind, site = r.get("kind", ""), r.get("site", "")
        if kind not in KINDS:
            problems.append(
                Problem(name, where, f"unknown kind {kind!r}", f"use one of {', '.join(KINDS)}")
            )
            continue
        try:
            date = dt.date.fromisoformat(r.get("date", ""))
        except ValueError:
            problems.append(
                Problem(name, where, f"date {r.get('date')!r} is not a date", "use YYYY-MM-DD")
            )
            continue
        if date < scenario.manifest.start_date:
            problems.append(
                Problem(
                    name,
                    where,
                    f"date {date} is before the scenario starts ({scenario.manifest.start_date})",
                )
            )
            continue
        value = math.nan
        if kind == "closure":
            if site not in closable:
                hint = f"bases and hubs: {', '.join(sorted(closable))}"
                what = "is not a base or hub" if site in sites else "is not a site of the scenario"
                problems.append(Problem(name, where, f"site {site!r} {what}", hint))
                continue
            value = float(scenario.day_of(date))
        else:
            if site:
                problems.append(
                    Problem(
                        name, where, f"{kind} is counted for the whole mission", "leave site empty"
                    )
                )
                continue
            try:
                value = float(r.get("value", ""))
            except ValueError:
                problems.append(
                    Problem(
                        name, where, f"value {r.get('value')!r} is not a number", "give a count"
                    )
                )
                continue
            if not math.isfinite(value) or value < 0:
                problems.append(
                    Problem(name, where, f"value {value} must be a count of zero or more")
                )
                continue
        key = (kind, site, date if kind in DATED_COUNTS else dt.date.min)
        if key in seen:
            problems.append(Problem(name, where, f"{kind} {site} observed twice", "keep one row"))
            continue
        seen.add(key)
        observations.append(Observation(kind, site, date, value, r.get("source", ""), number))
    if problems:
        raise InputError(problems, title=f"{len(problems)} problem(s) in {name}")
    return observations


# --- scoring --------------------------------------------------------------------------------


def crps_samples(samples: np.ndarray, observed: float) -> float:
    """CRPS of an ensemble: E|X - y| - E|X - X'| / 2, exact for the empirical distribution."""
    x = np.sort(np.asarray(samples, dtype=np.float64))
    n = x.size
    if n == 0:
        return math.nan
    first = float(np.mean(np.abs(x - observed)))
    # E|X - X'| from sorted samples: 2/n^2 * sum_i (2i - n - 1) x_i (i from 1)
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    spread = 2.0 * float(np.dot(weights, x)) / (n * n)
    return first - 0.5 * spread


SCORE_COLUMNS = (
    "kind",
    "site",
    "date",
    "observed",
    "q10",
    "q25",
    "median",
    "q75",
    "q90",
    "in_50",
    "in_80",
    "pit",
    "crps",
    "median_error",
    "source",
)


def score_observations(observations: list[Observation], samples: list[np.ndarray]) -> pd.DataFrame:
    """One row per observation: quantiles of its samples, interval hits, CRPS, median error."""
    rows = []
    for obs, x in zip(observations, samples, strict=True):
        q10, q25, q50, q75, q90 = np.quantile(x, (0.1, 0.25, 0.5, 0.75, 0.9), method="inverted_cdf")
        below = float(np.mean(x < obs.value))
        at = float(np.mean(x == obs.value))
        rows.append(
            {
                "kind": obs.kind,
                "site": obs.site,
                "date": obs.date.isoformat(),
                "observed": obs.value,
                "q10": q10,
                "q25": q25,
                "median": q50,
                "q75": q75,
                "q90": q90,
                "in_50": bool(q25 <= obs.value <= q75),
                "in_80": bool(q10 <= obs.value <= q90),
                "pit": below + 0.5 * at,  # where the observation falls in the distribution
                "crps": crps_samples(x, obs.value),
                "median_error": float(q50 - obs.value),
                "source": obs.source,
            }
        )
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def samples_for(obs: Observation, result: SimulationResult, scenario: Scenario) -> np.ndarray:
    """The simulated per-run values of the quantity an observation measures."""
    d = result.data
    if obs.kind == "closure":
        days = d.closure_day[:, d.site_ids.index(obs.site)].astype(np.float64)
        # never closed within the simulated days: counted as closing after the last day
        return np.where(days < 0, float(3 * d.horizon), days)
    if obs.kind in DATED_COUNTS:
        # a count by a date past the simulated days is the count on the last one
        day = min(max(0, scenario.day_of(obs.date)), d.horizon - 1)
    if obs.kind == "people_departed":
        total = float(scenario.total_people)
        if d.timelines is not None:
            return total - d.timelines[:, day].astype(np.float64)
        return total - _hist_samples(d.fan_hist[day], d.fan_bin)
    if obs.kind == "teu_departed":
        if d.teu_out_timelines is not None:
            return d.teu_out_timelines[:, day].astype(np.float64)
        assert d.teu_out_hist is not None, "set aside by `unscorable`"
        return _hist_samples(d.teu_out_hist[day], d.teu_out_bin)
    if obs.kind == "incidents":
        return np.sum([d.runs[c] for c in INCIDENT_COLUMNS], axis=0).astype(np.float64)
    return np.asarray(d.runs[TOTALS[obs.kind]], dtype=np.float64)


def _hist_samples(counts: np.ndarray, width: int) -> np.ndarray:
    """One sample a run from a day's histogram of counts: its bin's lower edge."""
    return np.repeat(np.arange(counts.size) * width, counts).astype(np.float64)


def unscorable(result: SimulationResult) -> dict[str, str]:
    """Kinds these results cannot score, and why: those not measured yet, and those the
    results were made too early to record."""
    why = dict(UNMEASURED)
    if result.data.teu_out_hist is None:
        why["teu_departed"] = NO_TEU_OUT
    return why


def closure_order(scores: pd.DataFrame) -> tuple[float, float]:
    """Spearman correlation of observed and median simulated closure days (3+ sites)."""
    closures = scores[scores["kind"] == "closure"]
    if len(closures) < 3 or closures["observed"].nunique() < 2 or closures["median"].nunique() < 2:
        return (math.nan, math.nan)
    rho, p = stats.spearmanr(closures["observed"], closures["median"])
    return (float(rho), float(p))


def check(
    scenario: Scenario,
    result: SimulationResult,
    actuals: list[Observation] | str | os.PathLike[str],
) -> CheckResult:
    """Score `result` (a simulation of `scenario`) against observed outcomes."""
    observations = actuals if isinstance(actuals, list) else read_actuals(actuals, scenario)
    if result.meta.scenario_hash != scenario.content_hash():
        raise InputError(
            Problem(
                "result",
                "scenario",
                f"the simulation is of {result.meta.scenario_name!r}, not this scenario",
                "simulate the scenario you are checking",
            )
        )
    return check_pooled(scenario.name, [(scenario, result)], observations)


def check_pooled(
    name: str,
    simulated: list[tuple[Scenario, SimulationResult]],
    observations: list[Observation],
    *,
    declared_sets: int = 0,
) -> CheckResult:
    """Score the runs of every (scenario, its simulation) pair together, as one distribution
    (`analyse.declared`: one pair per parameter set of the declared uncertainties)."""
    why: dict[str, str] = {}
    for _, result in simulated:
        why |= unscorable(result)
    measured = [obs for obs in observations if obs.kind not in why]
    unscored = tuple(obs for obs in observations if obs.kind in why)
    samples = [
        np.concatenate([samples_for(obs, result, s) for s, result in simulated]) for obs in measured
    ]
    scores = score_observations(measured, samples)
    rho, p = closure_order(scores)
    reasons = {kind: why[kind] for kind in dict.fromkeys(o.kind for o in unscored)}
    runs = sum(result.runs for _, result in simulated)
    return CheckResult(name, runs, scores, rho, p, unscored, reasons, declared_sets)
