"""Closure teams: bases naming the same team in sites.csv are dismantled one after another.

A team takes its sites shortest first: each site's packing days at its starting strength (its
people at the closure rates, within the per-site caps), ties in the order of sites.csv; a hub
or the HQ in the round comes after the sites it supports, which it serves until they close.
Shortest first minimises the mean finishing day of the round (Smith's rule with equal
weights), and it is known before any plan is made, so the planner's model, its daily
dispatcher and the stress test all take the same round. The model packs each site in a window
that opens when the sites before it would have finished at their starting strength
(`planned_pack_start`); the dispatcher and the stress test move the team on when the site
before has packed everything, or has no one left, or has sent its last load.
"""

from __future__ import annotations

import math
from collections import defaultdict

from drawdown.scenario.model import ClosureWork, Scenario


def packing_days(scenario: Scenario, site: str) -> float:
    """Days the people at `site` at the start need to pack its TEU and its vehicles."""
    work = scenario.manifest.closure or ClosureWork()
    people = float(scenario.people_at(site))
    teu = sum(h.containers_teu for h in scenario.holdings if h.site == site)
    vehicles = sum(h.vehicles for h in scenario.holdings if h.site == site)
    days = 0.0
    teu_cap, veh_cap = work.pack_caps(teu, vehicles)
    for amount, per_person, cap in (
        (teu, work.teu_packed_per_person_day, teu_cap),
        (vehicles, work.vehicles_prepared_per_person_day, veh_cap),
    ):
        if amount <= 0:
            continue
        rate = min(per_person * people, cap)
        days = max(days, amount / rate if rate > 0 else math.inf)
    return days


def rounds(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Each closure team's sites in the order it dismantles them (shortest first)."""
    by_team: dict[str, list[str]] = defaultdict(list)
    for s in scenario.sites:
        if s.closure_team:
            by_team[s.closure_team].append(s.id)
    supporters = {s.supported_by for s in scenario.sites if s.supported_by}

    # A hub or the HQ after the sites it supports (it serves them until they close), then
    # shortest first; sorted is stable, so ties keep the order of sites.csv.
    def key(site: str) -> tuple[bool, float]:
        return site in supporters, packing_days(scenario, site)

    return {team: tuple(sorted(sites, key=key)) for team, sites in sorted(by_team.items())}


def round_rank(scenario: Scenario) -> dict[str, int]:
    """Each team site's place in its team's round (0 first); sites without a team absent."""
    return {s: i for order in rounds(scenario).values() for i, s in enumerate(order)}


def planned_pack_start(scenario: Scenario) -> dict[str, int]:
    """First day each site may pack in the plan's model: 0 without a team, else the day the
    sites before it in its round finish at their starting strength (rounded down, so that
    the model never starts later than the day-by-day rule can)."""
    start = {s.id: 0 for s in scenario.sites}
    for order in rounds(scenario).values():
        done = 0.0
        for site in order:
            start[site] = int(math.floor(min(done, scenario.horizon_days)))
            done += packing_days(scenario, site)
    return start
