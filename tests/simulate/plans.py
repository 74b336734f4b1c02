"""Hand-made plans for simulation tests: every holding rides the shortest road to an exit.

Each base sends its cargo first, then its people, in fixed daily batches; every batch is one
convoy per leg, each leg leaving the day the previous one arrives. A hub sends its own holdings
once everything passing through it has arrived, so its last people leave last.
"""

from __future__ import annotations

import datetime as dt
import heapq

import numpy as np

from drawdown.plan.model import Movement, Plan
from drawdown.scenario.model import Clearance, ClosureWork, Lift, Scenario


def _routes(scenario: Scenario) -> dict[str, list[tuple[str, str, str]]]:
    """Shortest road route (by km) from every site to an exit: a list of (from, to, link)."""
    exits = {s.id for s in scenario.sites if s.kind == "exit"}
    best: dict[str, float] = dict.fromkeys(exits, 0.0)
    step: dict[str, tuple[str, str]] = {}
    heap = [(0.0, e) for e in exits]
    while heap:
        dist, here = heapq.heappop(heap)
        if dist > best.get(here, np.inf):
            continue
        for link in scenario.links:
            if link.mode != "road" or here not in (link.from_site, link.to_site):
                continue
            other = link.to_site if link.from_site == here else link.from_site
            if dist + link.km < best.get(other, np.inf):
                best[other] = dist + link.km
                step[other] = (here, link.id)
                heapq.heappush(heap, (dist + link.km, other))
    routes = {}
    for site in scenario.sites:
        route, here = [], site.id
        while here in step:
            nxt, link = step[here]
            route.append((here, nxt, link))
            here = nxt
        routes[site.id] = route
    return routes


def batch_plan(
    scenario: Scenario,
    *,
    people_per_day: int = 100,
    teu_per_day: float = 20.0,
    vehicles_per_day: int = 10,
) -> Plan:
    """A simple feasible plan moving every holding by road in daily batches."""
    routes = _routes(scenario)
    rainy = scenario.rainy_months
    links = {link.id: link for link in scenario.links}
    cargo_pool = next(t.id for t in scenario.trucks if t.teu_each > 0)
    people_pool = next((t.id for t in scenario.trucks if t.people_each > 0), cargo_pool)
    movements: list[Movement] = []
    closure: dict[str, int] = {}
    hub_ready: dict[str, int] = {}

    def send(site: str, start: int, people: int, teu: float, vehicles: int) -> int:
        day = start
        batches = []
        while teu > 1e-9 or vehicles > 0:
            t, v = min(teu, teu_per_day), min(vehicles, vehicles_per_day)
            batches.append((0, t, v))
            teu, vehicles = teu - t, vehicles - v
        while people > 0:
            p = min(people, people_per_day)
            batches.append((p, 0.0, 0))
            people -= p
        last_people = -1
        for p, t, v in batches:
            leave = day
            for here, nxt, link_id in routes[site]:
                link = links[link_id]
                arrive = leave + link.travel_days(scenario.date_of(leave).month, rainy)
                asset = people_pool if p else cargo_pool
                movements.append(
                    Movement(leave, arrive, here, nxt, link_id, "road", asset, 1, p, t, v)
                )
                if nxt in hub_ready:
                    hub_ready[nxt] = max(hub_ready[nxt], arrive)
                leave = arrive
            if p:
                last_people = day
            day += 1
        return last_people

    totals: dict[str, list[float]] = {}
    for (site,), people in scenario.people_by("site").items():
        totals.setdefault(site, [0, 0.0, 0])[0] += people
    for h in scenario.holdings:
        row = totals.setdefault(h.site, [0, 0.0, 0])
        row[1] += h.containers_teu
        row[2] += h.vehicles
    for s in scenario.sites:
        if s.kind == "hub":
            hub_ready[s.id] = 0
    for s in scenario.sites:
        if s.kind == "base" and s.id in totals:
            p, t, v = totals[s.id]
            closure[s.id] = send(s.id, 0, int(p), t, int(v))
    for s in scenario.sites:
        if s.kind == "hub":
            p, t, v = totals.get(s.id, [0, 0.0, 0])
            last_transit = max(
                (m.day for m in movements if m.origin == s.id and m.people > 0), default=-1
            )
            own = send(s.id, hub_ready[s.id], int(p), t, int(v))
            closure[s.id] = max(own, last_transit)
    return Plan(
        scenario_name=scenario.name,
        scenario_hash=scenario.content_hash(),
        horizon_days=scenario.horizon_days,
        closure_day=closure,
        movements=tuple(movements),
        dispositions=(),
        method="test-batches",
    )


def planned_remaining(scenario: Scenario, plan: Plan) -> np.ndarray:
    """People still in theatre at the end of each day if the plan runs exactly."""
    exits = {s.id for s in scenario.sites if s.kind == "exit"}
    out = np.zeros(scenario.horizon_days + 1)
    for m in plan.movements:
        if m.destination in exits and m.arrival_day < scenario.horizon_days:
            out[m.arrival_day] += m.people
    return scenario.total_people - np.cumsum(out)[: scenario.horizon_days]


def bottlenecked(tiny: Scenario) -> Scenario:
    """Tiny with closure work, a handover clearance, a charter and a corridor at the port."""
    start, end = tiny.manifest.start_date, tiny.manifest.deadline + dt.timedelta(days=400)
    manifest = tiny.manifest.model_copy(
        update={
            "closure": ClosureWork(
                teu_packed_per_person_day=0.1, max_teu_packed_per_day=12.0, final_steps_days=2
            ),
            "sources": {**tiny.manifest.sources, "closure.final_steps_days": "[E] test"},
        }
    )
    return tiny.replace(
        manifest=manifest,
        clearances=(
            *tiny.clearances,
            Clearance(mode="handover", start=start, end=end, approval=0.6, delay_mean_days=2),
        ),
        lift=(
            Lift(id="charter", kind="charter", site="port", seats_each=120, flights_per_week=5),
            Lift(
                id="road-out",
                kind="corridor",
                site="port",
                teu_per_day=15.0,
                vehicles_per_day=10.0,
                border_delay_days_mean=2.0,
            ),
        ),
    )


def teamed(tiny: Scenario) -> Scenario:
    """`bottlenecked`, with north and east dismantled one after another by one closure team."""
    world = bottlenecked(tiny)
    return world.replace(
        sites=tuple(
            s.model_copy(update={"closure_team": "engineers"}) if s.id in ("north", "east") else s
            for s in world.sites
        )
    )


def roads_refused(scenario: Scenario, region: str, days: int) -> Scenario:
    """`scenario` without threats, every request approved at once, except roads out of
    `region`, refused for the first `days` days (the horizon: every day) and then approved:
    a world where only those refusals decide when convoys leave."""
    start = scenario.manifest.start_date
    end = min(start + dt.timedelta(days=days), scenario.manifest.deadline)
    return scenario.replace(
        threats=(),
        clearances=(
            Clearance(mode="*", start=start, end=scenario.manifest.deadline, approval=1.0,
                      source="[E] test"),
            Clearance(mode="road", region=region, start=start, end=end, approval=0.0,
                      source="[E] test"),
        ),
    )  # fmt: skip
