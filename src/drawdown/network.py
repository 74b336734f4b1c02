"""The planner's data prep: links and routes as whole daily arrays.

Everything here is indexed by day (0 = scenario start, `H` = horizon days): whether a link
is usable, how long a convoy takes on it when it enters that day (season), the expected
deaths per convoy (threat rate x km x killed per incident) and the host-nation clearance
(approval probability, mean delay). Routes are candidate paths from each base or hub to
hubs and exits: the fastest and the least exposed path in every month's network (road and
river), and every direct air link. A route is usable on a day when each leg is open, with a
clearance approval above 0, on the day the convoy enters it and the convoy arrives by the
deadline. The daily facts of links come from `scenario.days`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from drawdown.scenario import days as scenario_days
from drawdown.scenario.kinds import CONVOY_KINDS, SORTIE_KINDS
from drawdown.scenario.model import Link, Scenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Largest number of hubs and exits a site sends to by road (the nearest ones by time).
MAX_ROAD_DESTINATIONS = 1
#: A candidate road route is at most this many times the shortest road km between its ends
#: (in the same month's network): a logistician names the direct corridor, not a tour.
MAX_DETOUR = 1.3
#: Region of the sites outside the host country; each such site counts as its own country.
FOREIGN_REGION = "abroad"


ZERO_LEG = 1e-6  # weight of a same-day leg in `days_to_exit`'s graph


def days_to_exit(n: int, legs: list[tuple[int, int, float]], exits: npt.ArrayLike) -> FloatArray:
    """Fewest days from each of `n` places to any of `exits` over directed `legs` (origin,
    destination, days >= 0), through any places between; inf where nothing leads out. The
    planner reads it on its lanes, the stress test on the plan's legs."""
    out = np.full(n, np.inf)
    ends = np.flatnonzero(np.asarray(exits, dtype=bool))
    if n == 0 or ends.size == 0:
        return out
    best: dict[tuple[int, int], float] = {}
    for o, d, days in legs:
        best[(d, o)] = min(best.get((d, o), np.inf), float(days))  # reversed: from the exits
    # a same-day leg (air) weighs a hair, as a sparse matrix drops explicit zeros
    rows, cols = zip(*best, strict=True) if best else ((), ())
    graph = csr_matrix((np.array(list(best.values())) + ZERO_LEG, (rows, cols)), shape=(n, n))
    dist = dijkstra(graph, directed=True, indices=ends, min_only=True)
    return np.where(np.isfinite(dist), np.floor(dist + 1e-3), np.inf)


def site_country(region: str, site_id: str) -> str:
    """The country a site is in, for route checks: the host country for every region but
    `abroad`, where each site is its own country (a port, a border town, a capital)."""
    return site_id if region == FOREIGN_REGION else ""


def revisits_country(countries: list[str]) -> bool:
    """Whether a sequence of countries leaves one and comes back to it later."""
    seen: set[str] = set()
    previous = None
    for c in countries:
        if c != previous and c in seen:
            return True
        seen.add(c)
        previous = c
    return False


@dataclass(frozen=True)
class LinkDays:
    """Daily state of every link: arrays of shape (links, days)."""

    ids: tuple[str, ...]
    open: BoolArray
    travel_days: IntArray
    deaths_per_convoy: FloatArray
    approval: FloatArray
    delay_days: FloatArray


@dataclass(frozen=True)
class Route:
    """A path from `origin` to `destination`: legs are (link index, forward?) pairs."""

    origin: str
    destination: str
    mode: str  # "road" or "air" (river legs are not used: no asset kind can sail)
    legs: tuple[tuple[int, bool], ...]
    km: float


@dataclass(frozen=True)
class Network:
    """Links by day and candidate routes by day: the planner's whole input as arrays.

    Route arrays have shape (routes, days): `usable`, `duration_days` (departure to arrival),
    `deaths` (expected deaths per convoy or sortie), `approval` (strictest leg) and
    `delay_days` (longest leg wait). `leg_offset` has shape (routes, max legs, days): the day
    offset at which the convoy enters each leg.
    """

    horizon_days: int
    links: LinkDays
    routes: tuple[Route, ...]
    usable: BoolArray
    duration_days: IntArray
    deaths: FloatArray
    approval: FloatArray
    delay_days: FloatArray
    leg_offset: IntArray

    def route_corridors(self, scenario: Scenario) -> list[frozenset[str]]:
        """Escort corridors each route uses (empty for air and unescorted roads)."""
        out = []
        for r in self.routes:
            names = {scenario.links[li].corridor for li, _ in r.legs}
            out.append(frozenset(n for n in names if n and r.mode != "air"))
        return out


def _months(scenario: Scenario, days: int) -> IntArray:
    return scenario_days.months(scenario, days)


def link_days(scenario: Scenario, days: int | None = None) -> LinkDays:
    """Daily open/travel/threat/clearance arrays for every link over `days` days.

    Open days, travel days and clearance come from `scenario.days`, the rules the stress
    test reads too; a suspended clearance is an approval of 0 on an open link.
    """
    days = days or scenario.horizon_days
    links = scenario.links
    index = {link.id: i for i, link in enumerate(links)}
    deaths = np.zeros((len(links), days))
    in_force = scenario_days.threat_windows(scenario, days)
    for t, active in zip(scenario.threats, in_force, strict=True):
        if t.kind in CONVOY_KINDS and t.target in index:
            i = index[t.target]
            deaths[i, active] += t.rate * links[i].km * t.killed_mean
    cleared = scenario_days.link_clearance(scenario, days)
    return LinkDays(
        ids=tuple(link.id for link in links),
        open=scenario_days.link_open(scenario, days),
        travel_days=scenario_days.travel_days(scenario, days),
        deaths_per_convoy=deaths,
        approval=cleared.approval,
        delay_days=cleared.delay_mean_days,
    )


def _airfield_deaths(scenario: Scenario, days: int) -> dict[str, FloatArray]:
    out: dict[str, FloatArray] = {}
    in_force = scenario_days.threat_windows(scenario, days)
    for t, active in zip(scenario.threats, in_force, strict=True):
        if t.kind in SORTIE_KINDS:
            arr = out.setdefault(t.target, np.zeros(days))
            arr[active] += t.rate * t.killed_mean
    return out


def _ground_paths(scenario: Scenario, ld: LinkDays) -> list[Route]:
    """Fastest, least-exposed and shortest road paths, per month, to hubs and exits.

    Only road links: no asset kind can use river legs yet (trucks do not sail), so they are
    left out. A path is kept only if it is a route a logistician would name: at most
    `MAX_DETOUR` times the month's shortest road km between the same ends, and never
    leaving a country to come back to it (`site_country`).
    """
    ids = [s.id for s in scenario.sites]
    pos = {s: i for i, s in enumerate(ids)}
    kinds = {s.id: s.kind for s in scenario.sites}
    country = [site_country(s.region, s.id) for s in scenario.sites]
    origins = [i for i, s in enumerate(ids) if kinds[s] in ("base", "hub")]
    targets = [i for i, s in enumerate(ids) if kinds[s] in ("hub", "exit")]
    ground = [i for i, link in enumerate(scenario.links) if link.mode == "road"]
    if not ground or not origins:
        return []
    months = _months(scenario, ld.open.shape[1])
    found: dict[tuple[int, ...], Route] = {}
    key: tuple[int, ...]
    best_time: dict[tuple[int, int], float] = {}
    for month in sorted(set(months.tolist())):
        in_month = months == month
        shortest: np.ndarray | None = None
        # (a, b) -> (weight, link) keeping the lightest link between two sites.
        for criterion in ("distance", "time", "exposure"):
            edges: dict[tuple[int, int], tuple[float, int, bool]] = {}
            for li in ground:
                if not ld.open[li, in_month].any():
                    continue
                link = scenario.links[li]
                t = float(ld.travel_days[li, in_month].max())
                x = float(ld.deaths_per_convoy[li, in_month].mean())
                if criterion == "distance":
                    w = link.km
                elif criterion == "time":
                    w = t + 1e-3 * link.km
                else:
                    w = x + 1e-9 * link.km
                w = max(w, 1e-12)
                a, b = pos[link.from_site], pos[link.to_site]
                for key, fwd in (((a, b), True), ((b, a), False)):
                    if key not in edges or edges[key][0] > w:
                        edges[key] = (w, li, fwd)
            if not edges:
                continue
            rows, cols = zip(*edges.keys(), strict=True)
            weights = [v[0] for v in edges.values()]
            graph = csr_matrix((weights, (rows, cols)), shape=(len(ids), len(ids)))
            dist, pred = dijkstra(graph, indices=origins, return_predecessors=True)
            if criterion == "distance":
                shortest = dist
            assert shortest is not None
            for oi, o in enumerate(origins):
                for d in targets:
                    if d == o or not np.isfinite(dist[oi, d]):
                        continue
                    path: list[tuple[int, bool]] = []
                    sites = [d]
                    node = d
                    while node != o:
                        prev = int(pred[oi, node])
                        _, li, fwd = edges[(prev, node)]
                        path.append((li, fwd))
                        sites.append(prev)
                        node = prev
                    legs = tuple(reversed(path))
                    km = sum(scenario.links[li].km for li, _ in legs)
                    if km > MAX_DETOUR * shortest[oi, d] + 1e-6:
                        continue
                    if revisits_country([country[i] for i in reversed(sites)]):
                        continue
                    key = (o, d, *(li for li, _ in legs))
                    if criterion == "time":
                        best_time[(o, d)] = min(best_time.get((o, d), np.inf), dist[oi, d])
                    if key not in found:
                        found[key] = Route(ids[o], ids[d], "road", legs, km)
    # Keep each origin's nearest destinations by time, so big missions stay small, and its
    # nearest exit for people and for cargo, so nothing must detour through a hub.
    exit_for = {pos[s.id]: s.exit_for for s in scenario.sites if s.kind == "exit"}
    keep: set[tuple[int, int]] = set()
    for o in origins:
        near = sorted((t, d) for (oo, d), t in best_time.items() if oo == o)
        keep.update((o, d) for _, d in near[:MAX_ROAD_DESTINATIONS])
        for what in ("people", "cargo"):
            exits = [d for _, d in near if exit_for.get(d) in (what, "all")]
            if exits:
                keep.add((o, exits[0]))
    return [r for k, r in found.items() if (k[0], k[1]) in keep]


def _air_routes(scenario: Scenario) -> list[Route]:
    kinds = {s.id: s.kind for s in scenario.sites}
    out = []
    for li, link in enumerate(scenario.links):
        if link.mode != "air":
            continue
        for a, b, fwd in (
            (link.from_site, link.to_site, True),
            (link.to_site, link.from_site, False),
        ):
            if kinds.get(a) in ("base", "hub") and kinds.get(b) in ("hub", "exit"):
                out.append(Route(a, b, "air", ((li, fwd),), link.km))
    return out


def _leg_links(scenario: Scenario, route: Route) -> list[Link]:
    return [scenario.links[li] for li, _ in route.legs]


def build_network(scenario: Scenario) -> Network:
    """Links and candidate routes of `scenario` as daily arrays over its horizon."""
    days = scenario.horizon_days
    ld = link_days(scenario, days)
    routes = _ground_paths(scenario, ld) + _air_routes(scenario)
    n = len(routes)
    max_legs = max((len(r.legs) for r in routes), default=1)
    usable = np.zeros((n, days), dtype=bool)
    duration = np.zeros((n, days), dtype=np.int64)
    deaths = np.zeros((n, days))
    approval = np.ones((n, days))
    delay = np.zeros((n, days))
    offset = np.zeros((n, max_legs, days), dtype=np.int64)
    airfield = _airfield_deaths(scenario, days)
    day = np.arange(days)
    for ri, route in enumerate(routes):
        at = day.copy()  # day the convoy enters the next leg, per departure day
        ok = np.ones(days, dtype=bool)
        for k, (li, _) in enumerate(route.legs):
            offset[ri, k] = at - day
            inside = at < days
            idx = np.minimum(at, days - 1)
            # a leg is usable when open and clearable on its entry day (approval 0: never)
            ok &= inside & ld.open[li, idx] & (ld.approval[li, idx] > 0)
            deaths[ri] += ld.deaths_per_convoy[li, idx]
            approval[ri] = np.minimum(approval[ri], ld.approval[li, idx] if k == 0 else 1.0)
            delay[ri] = np.maximum(delay[ri], ld.delay_days[li, idx] if k == 0 else 0.0)
            at = at + ld.travel_days[li, idx]
        if route.mode == "air":
            for site in (route.origin, route.destination):
                if site in airfield:
                    deaths[ri] += airfield[site]
        duration[ri] = at - day
        usable[ri] = ok & (at <= days - 1) & (approval[ri] > 0)
    return Network(days, ld, tuple(routes), usable, duration, deaths, approval, delay, offset)
