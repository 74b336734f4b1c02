"""The scenario by day: the one copy of the rules that turn a scenario into daily facts.

The planner (`network`), the stress test (`simulate.inputs`, `simulate.variants`) and
validation read these functions, so a plan and its stress test see the same world. Every
array has a day axis of `n_days` days from the start (day 0); the engine asks for more days
than the horizon because it runs past the deadline.

The rules:

- **Windows** are inclusive: a row dated `start` to `end` is in force on both days. An event
  without `end_date` lasts to the last day asked for. Days before the start are dropped.
- **A link is open** on a day when the month is one of its `passable_months`, a road or
  river link has a speed above 0 in that day's season (wet speed in the rainy months, dry
  speed otherwise), and no `link_closed` event on it nor `corridor_closed` event on its
  escort corridor is in force.
- **Travel days** of a road or river link, entered on a day: km over that season's speed,
  both rounded to whole numbers, rounded up, at least 1 (0 when the speed is 0). Air links
  take 0 days (same-day arrival).
- **The clearance in force** for a movement by a mode in a region on a day is the most
  specific rule whose window holds the day: an exact mode outranks an exact region, which
  outranks wildcards (`*`); among equally specific rules the later row wins. Without a rule
  every request is approved at once. A movement's region is its link's `region`, else the
  region of the site it leaves from.
- **A suspended clearance** (`clearance_suspended`) sets the approval of its mode to 0 while
  in force: the road stays physically open, but no request is approved. The target is a mode
  or `*` for every mode; nothing else (validation refuses other targets).
- **A contingent departure** (`contingent_departs`) takes effect on its date (day 0 if
  earlier).
- **A threat** is in force from its `start` to its `end`.
- **Charter seats bank for a week** (`SEAT_BANK_DAYS`): a charter row's flights are
  contracted by the week, so seats a day's flights did not fill may be flown later the same
  week (at most a week of the row's seats waiting), when the people are there; older unused
  seats are lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import get_args

import numpy as np
import numpy.typing as npt

from drawdown.scenario.kinds import ANY_MODE
from drawdown.scenario.model import Clearance, Link, Mode, Scenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MODES: tuple[str, ...] = get_args(Mode)

SEAT_BANK_DAYS = 7  # unused charter seats may be flown later within a week


def planned_exit_day(scenario: Scenario) -> int:
    """The day by which the plan has everyone out: the deadline less the policy's reserve."""
    reserve = scenario.manifest.policy.reserve_days_before_deadline
    return max(scenario.horizon_days - 1 - reserve, 0)


def dates(scenario: Scenario, n_days: int) -> list[dt.date]:
    """Calendar date of every day index."""
    return [scenario.date_of(d) for d in range(n_days)]


def months(scenario: Scenario, n_days: int) -> IntArray:
    """Calendar month (1-12) of every day index."""
    return np.array([d.month for d in dates(scenario, n_days)], dtype=np.int64)


def window(
    scenario: Scenario, n_days: int, start: dt.date | None, end: dt.date | None
) -> BoolArray:
    """Days from `start` to `end`, both included (None: from day 0, or to the last day)."""
    first = 0 if start is None else scenario.day_of(start)
    last = n_days - 1 if end is None else scenario.day_of(end)
    mask = np.zeros(n_days, dtype=bool)
    mask[max(first, 0) : max(min(last + 1, n_days), 0)] = True
    return mask


def is_rainy(scenario: Scenario, n_days: int) -> BoolArray:
    """Whether each day falls in the rainy season."""
    return np.isin(months(scenario, n_days), sorted(scenario.rainy_months))


def travel_days_by_speed(
    km: FloatArray,
    dry_km_per_day: FloatArray,
    wet_km_per_day: FloatArray,
    air: BoolArray,
    rainy: BoolArray,
) -> IntArray:
    """Travel days of links (rows) entered on each day (columns), from their speeds.

    `rainy` has one entry per day; the other arguments one per link. The same rule as
    `Link.travel_days`, over whole arrays.
    """
    speed = np.where(rainy[None, :], wet_km_per_day[:, None], dry_km_per_day[:, None])
    step = np.maximum(1, np.round(speed).astype(np.int64))
    length = np.round(km).astype(np.int64)[:, None]
    days = np.maximum(1, -(-length // step))
    return np.where((speed <= 0) | air[:, None], 0, days).astype(np.int64)


def _link_columns(scenario: Scenario) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    links = scenario.links
    return (
        np.array([float(link.km) for link in links]),
        np.array([float(link.dry_km_per_day) for link in links]),
        np.array([float(link.wet_km_per_day) for link in links]),
        np.array([link.mode == "air" for link in links], dtype=bool),
    )


def travel_days(scenario: Scenario, n_days: int) -> IntArray:
    """Travel days of every link entered on each day: shape (links, days)."""
    km, dry, wet, air = _link_columns(scenario)
    return travel_days_by_speed(km, dry, wet, air, is_rainy(scenario, n_days))


def link_open(scenario: Scenario, n_days: int) -> BoolArray:
    """Whether every link can be entered on each day: shape (links, days)."""
    month = months(scenario, n_days)
    _, dry, wet, air = _link_columns(scenario)
    rainy = is_rainy(scenario, n_days)
    speed = np.where(rainy[None, :], wet[:, None], dry[:, None])
    is_open = np.array([np.isin(month, link.passable_months) for link in scenario.links])
    is_open = is_open.reshape(len(scenario.links), n_days) & (air[:, None] | (speed > 0))
    index = {link.id: i for i, link in enumerate(scenario.links)}
    for ev in scenario.events:
        if ev.kind == "link_closed" and ev.target in index:
            rows = [index[ev.target]]
        elif ev.kind == "corridor_closed":
            rows = [i for i, link in enumerate(scenario.links) if link.corridor == ev.target]
        else:
            continue
        is_open[rows] &= ~window(scenario, n_days, ev.date, ev.end_date)
    return is_open


def next_open_day(is_open: BoolArray) -> IntArray:
    """First open day on or after each day, per row (-1 if the row never opens again)."""
    n_days = is_open.shape[-1]
    day = np.where(is_open, np.arange(n_days), n_days)
    first = np.minimum.accumulate(day[..., ::-1], axis=-1)[..., ::-1]
    return np.where(first < n_days, first, -1).astype(np.int64)


def clearance_region(scenario: Scenario, link: Link, origin: str) -> str:
    """Region whose clearance rules a movement on `link` leaving `origin` answers to."""
    return link.region or next((s.region for s in scenario.sites if s.id == origin), "")


def clearance_rule(scenario: Scenario, mode: str, region: str, n_days: int) -> IntArray:
    """Index (in `scenario.clearances`) of the rule in force on each day, -1 if none."""
    rule = np.full(n_days, -1, dtype=np.int64)
    rank_in_force = np.full(n_days, -1)
    for r, c in enumerate(scenario.clearances):
        if c.mode not in (mode, "*") or c.region not in (region, "*"):
            continue
        rank = 2 * (c.mode == mode) + (c.region == region)
        use = window(scenario, n_days, c.start, c.end) & (rank >= rank_in_force)
        rule[use], rank_in_force[use] = r, rank
    return rule


def suspended(scenario: Scenario, mode: str, n_days: int) -> BoolArray:
    """Days on which a `clearance_suspended` event refuses every request by `mode`."""
    out = np.zeros(n_days, dtype=bool)
    for ev in scenario.events:
        if ev.kind == "clearance_suspended" and ev.target in (ANY_MODE, mode):
            out |= window(scenario, n_days, ev.date, ev.end_date)
    return out


@dataclass(frozen=True)
class ClearanceDays:
    """The clearance in force on each day: approval probability and the wait for it."""

    approval: FloatArray
    delay_mean_days: FloatArray
    delay_fixed: BoolArray  # the wait is exactly the mean (else exponential)


def clearance_from_rules(
    rule: IntArray,
    refused: BoolArray,
    approval: FloatArray,
    delay_mean_days: FloatArray,
    delay_fixed: BoolArray,
) -> ClearanceDays:
    """Daily clearance from the rule in force (`clearance_rule`) and the rules' values.

    Works on any shape of `rule` (e.g. (keys, days)); `approval`, `delay_mean_days` and
    `delay_fixed` hold one value per rule; `refused` marks suspended days.
    """
    has = rule >= 0
    at = np.maximum(rule, 0)
    if len(approval) == 0:  # no rules: every request approved at once
        at = np.zeros_like(rule)
        approval, delay_mean_days = np.ones(1), np.zeros(1)
        delay_fixed = np.zeros(1, dtype=bool)
    return ClearanceDays(
        approval=np.where(refused, 0.0, np.where(has, approval[at], 1.0)),
        delay_mean_days=np.where(has, delay_mean_days[at], 0.0),
        delay_fixed=has & delay_fixed[at],
    )


def rule_values(rules: tuple[Clearance, ...]) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Approval, mean delay and fixed-delay flag of each clearance rule."""
    return (
        np.array([c.approval for c in rules], dtype=float),
        np.array([c.delay_mean_days for c in rules], dtype=float),
        np.array([c.delay_distribution == "fixed" for c in rules], dtype=bool),
    )


def clearance(scenario: Scenario, mode: str, region: str, n_days: int) -> ClearanceDays:
    """The clearance in force for a movement by `mode` in `region` on each day."""
    return clearance_from_rules(
        clearance_rule(scenario, mode, region, n_days),
        suspended(scenario, mode, n_days),
        *rule_values(scenario.clearances),
    )


def link_clearance(scenario: Scenario, n_days: int) -> ClearanceDays:
    """Clearance for a movement along each link from its `from` site: shape (links, days)."""
    by_key: dict[tuple[str, str], ClearanceDays] = {}
    rows = []
    for link in scenario.links:
        key = (link.mode, clearance_region(scenario, link, link.from_site))
        if key not in by_key:
            by_key[key] = clearance(scenario, *key, n_days)
        rows.append(by_key[key])
    shape = (len(rows), n_days)
    return ClearanceDays(
        approval=np.array([r.approval for r in rows], dtype=float).reshape(shape),
        delay_mean_days=np.array([r.delay_mean_days for r in rows], dtype=float).reshape(shape),
        delay_fixed=np.array([r.delay_fixed for r in rows], dtype=bool).reshape(shape),
    )


def threat_windows(scenario: Scenario, n_days: int) -> BoolArray:
    """Whether each threat row is in force on each day: shape (threats, days)."""
    out = np.zeros((len(scenario.threats), n_days), dtype=bool)
    for i, t in enumerate(scenario.threats):
        out[i] = window(scenario, n_days, t.start, t.end)
    return out


def departure_day(scenario: Scenario, date: dt.date) -> int:
    """Day a `contingent_departs` event dated `date` takes effect (day 0 if earlier)."""
    return max(0, scenario.day_of(date))


def contingent_departures(scenario: Scenario) -> tuple[tuple[int, str], ...]:
    """(day, contingent) of every contingent departure, in event order."""
    return tuple(
        (departure_day(scenario, ev.date), ev.target)
        for ev in scenario.events
        if ev.kind == "contingent_departs"
    )
