"""Which limits the plan runs into: capacity use per day, and the planner's own notes.

A constraint is binding on a day when the plan uses all of it (escort convoys on a corridor,
sorties of an aircraft type, movements at an airfield). The planner's solver record adds
what it had to give up (derated capacity, people stranded or late, optimality gap).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario


@dataclass(frozen=True)
class Binding:
    """One limit the plan hits: what it is, its daily capacity and on which days it is full."""

    what: str
    capacity_per_day: float
    days_full: tuple[int, ...]
    days_used: int
    total_used: float = 0.0

    def sentence(self, scenario: Scenario) -> str:
        first, last = self.days_full[0], self.days_full[-1]
        if self.capacity_per_day < 1:
            return (
                f"{self.what}: {self.total_used:g} departures between "
                f"{scenario.date_of(first):%d %b} and {scenario.date_of(last):%d %b}, all "
                f"that {self.capacity_per_day:g} a day allows over those "
                f"{last - first + 1} days."
            )
        span = (
            f"{scenario.date_of(first):%d %b}"
            if first == last
            else f"between {scenario.date_of(first):%d %b} and {scenario.date_of(last):%d %b}"
        )
        return (
            f"{self.what}: full ({self.capacity_per_day:g} a day) on {len(self.days_full)} of "
            f"the {self.days_used} days it is used, {span}."
        )


def _full_days(used: dict[int, float], capacity: float) -> tuple[int, ...]:
    """Days on which a limit is reached; for less than one a day (a convoy every few days),
    every day used when the whole span of use is at that rate."""
    if capacity < 1:
        first, last = min(used), max(used)
        full = sum(used.values()) >= 0.95 * capacity * (last - first + 1)
        return tuple(sorted(used)) if full else ()
    # Whole convoys and sorties: a capacity of 2.5 a day is full at 2.
    return tuple(sorted(d for d, n in used.items() if n >= int(capacity) - 1e-9))


def binding_capacities(scenario: Scenario, plan: Plan) -> list[Binding]:
    """Limits the plan's daily movements reach, most often-full first."""
    links = {link.id: link for link in scenario.links}
    sites = {s.id: s for s in scenario.sites}
    corridor_cap: dict[str, float] = defaultdict(float)
    for e in scenario.escorts:
        corridor_cap[e.corridor] += e.convoys_per_day
    aircraft_cap = {a.id: a.count * a.sorties_per_day for a in scenario.aircraft}
    corridor_use: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    aircraft_use: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    airfield_use: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for m in plan.movements:
        link = links.get(m.link)
        if m.mode == "air":
            aircraft_use[m.asset][m.day] += m.convoys
            for end in (m.origin, m.destination):
                airfield_use[end][m.day] += m.convoys
        elif link is not None and link.corridor:
            corridor_use[link.corridor][m.day] += m.convoys
    out: list[Binding] = []
    for corridor, used in corridor_use.items():
        cap = corridor_cap.get(corridor, 0.0)
        if cap > 0 and (full := _full_days(used, cap)):
            out.append(
                Binding(
                    f"Escort convoys on corridor {corridor}",
                    cap,
                    full,
                    len(used),
                    sum(used.values()),
                )
            )
    for asset, used in aircraft_use.items():
        cap = aircraft_cap.get(asset, 0.0)
        if cap > 0 and (full := _full_days(used, cap)):
            out.append(Binding(f"Sorties of aircraft type {asset}", cap, full, len(used)))
    for site_id, used in airfield_use.items():
        site = sites.get(site_id)
        cap = float(site.air_slots_per_day) if site else 0.0
        if site is not None and cap > 0 and (full := _full_days(used, cap)):
            out.append(Binding(f"Air slots at {site.name}", cap, full, len(used)))
    return sorted(out, key=lambda b: (-len(b.days_full), b.what))


def planner_notes(plan: Plan) -> list[str]:
    """What the planner recorded about its own solution, in words."""
    s = plan.solver
    notes: list[str] = []
    notes += list(s.notes)
    factor = s.capacity_factor
    if factor < 1:
        notes.append(
            f"The daily schedule did not fit the period plan at full capacity: the planner "
            f"re-solved assuming {factor:.0%} of nominal capacity (escorts, aircraft, trucks)."
        )
    stranded = s.stranded_people
    if stranded > 0:
        notes.append(f"The plan leaves {stranded:,.0f} people in theatre at the deadline.")
    late = s.late_people
    if late > 0:
        notes.append(f"{late:,.0f} people leave after their contingent's own deadline.")
    gap = s.model_gap
    if s.status and gap == gap:  # not NaN
        notes.append(
            f"Solver status: {s.status}; the planner's model is solved within {gap:.2%} of the "
            "best possible (optimality gap, proven)."
        )
    whole_gap = s.laid_out_gap
    if whole_gap == whole_gap:
        notes.append(
            "The model counts convoys as fractions; in whole convoys its plan is within "
            f"{whole_gap:.2%} of that bound."
        )
    if s.layout and s.layout != "greedy":
        notes.append(
            f"The daily table was laid out from the {s.layout} solution"
            + (f" ({s.fallback})" if s.fallback else "")
            + f"; its objective is {s.daily_model_gap:.1%} from the model's. Work: "
            f"{s.work.lp_solves} LP solves, {s.work.simplex_iterations:,} simplex iterations, "
            f"{s.work.bnb_nodes:,} branch-and-bound nodes (seed {s.seed})."
        )
    if s.time_limit_hit:
        notes.append(
            "The planner's safety-net time limit ended a step before its own stopping rules: "
            "this plan may differ on a faster or less loaded machine."
        )
    return notes


def explain(scenario: Scenario, plan: Plan, *, limit: int = 8) -> tuple[str, ...]:
    """The binding constraints in words: capacity limits first, then the planner's notes."""
    bindings = binding_capacities(scenario, plan)
    lines = [b.sentence(scenario) for b in bindings[:limit]]
    if len(bindings) > limit:
        lines.append(f"… and {len(bindings) - limit} more limits reached on fewer days.")
    return tuple(lines + planner_notes(plan))
