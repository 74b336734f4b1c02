"""What the report needs from the scenario and the plan alone: map, plan curves, sources."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from drawdown.plan.model import Plan
from drawdown.report.figure_data import MapData, RoutePath, SitePoint, SourceRow
from drawdown.report.geo import outlines
from drawdown.scenario.model import Scenario

ROAD_KINDS = ("ied", "ambush")


def short_name(name: str) -> str:
    """A site's name without its parenthesised detail, to keep figures legible."""
    return name.split(" (")[0].strip()


def people_by_site(scenario: Scenario) -> dict[str, int]:
    """People each site holds at the start."""
    return {site: n for (site,), n in scenario.people_by("site").items()}


def closure_ranks(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """1 for the first base or hub the plan closes, 2 for the next, ... (ties share a rank)."""
    days = sorted(set(plan.closure_day.values()))
    return {site: days.index(day) + 1 for site, day in plan.closure_day.items()}


def incidents_per_convoy(scenario: Scenario) -> dict[str, float]:
    """Road threat of each link: expected IED and ambush incidents for one convoy over it,
    averaged over the days of the horizon."""
    horizon = scenario.horizon_days
    out: dict[str, float] = defaultdict(float)
    for threat in scenario.threats:
        if threat.kind not in ROAD_KINDS:
            continue
        try:
            link = scenario.link(threat.target)
        except KeyError:
            continue
        first = max(0, scenario.day_of(threat.start))
        last = min(horizon - 1, scenario.day_of(threat.end))
        days = max(0, last - first + 1)
        out[link.id] += threat.rate * link.km * days / horizon
    return dict(out)


def map_data(scenario: Scenario, plan: Plan) -> MapData:
    """Sites, links and borders of the theatre, ready to draw."""
    people = people_by_site(scenario)
    ranks = closure_ranks(scenario, plan)
    sites = tuple(
        SitePoint(
            id=s.id,
            name=s.name,
            kind=s.kind,
            lon=s.lon,
            lat=s.lat,
            people=people.get(s.id, 0),
            closure_rank=ranks.get(s.id),
            closure_day=plan.closure_day.get(s.id),
        )
        for s in scenario.sites
    )
    convoys: Counter[str] = Counter()
    for m in plan.movements:
        convoys[m.link] += m.convoys
    threat = incidents_per_convoy(scenario)
    by_id = {s.id: s for s in scenario.sites}
    routes = tuple(
        RoutePath(
            id=link.id,
            mode=link.mode,
            lons=(by_id[link.from_site].lon, by_id[link.to_site].lon),
            lats=(by_id[link.from_site].lat, by_id[link.to_site].lat),
            incidents_per_convoy=threat.get(link.id, 0.0),
            planned_convoys=convoys.get(link.id, 0),
        )
        for link in scenario.links
        if link.from_site in by_id and link.to_site in by_id
    )
    extent = _extent([s for s in sites if s.kind != "exit"] or list(sites), sites)
    points = [(s.lon, s.lat) for s in sites]
    return MapData(
        sites=sites,
        routes=routes,
        outlines=outlines(extent, points),
        extent=extent,
        off_map=_off_map(routes, sites, extent),
    )


def _extent(
    core: list[SitePoint], sites: tuple[SitePoint, ...]
) -> tuple[float, float, float, float]:
    """A 16:10 box around bases, hubs and waypoints, and exits near them; far exits (a
    coastal port 1,500 km away) stay off the map and are named at its edge instead."""
    lons = np.array([s.lon for s in core])
    lats = np.array([s.lat for s in core])
    near = [
        s
        for s in sites
        if s.kind == "exit"
        and lons.min() - 3 <= s.lon <= lons.max() + 3
        and lats.min() - 3 <= s.lat <= lats.max() + 3
    ]
    lons = np.append(lons, [s.lon for s in near])
    lats = np.append(lats, [s.lat for s in near])
    span_x = max(float(lons.max() - lons.min()), float(lats.max() - lats.min()) * 1.6, 6.0)
    cx = float(lons.max() + lons.min()) / 2
    cy = float(lats.max() + lats.min()) / 2
    half_x = span_x * 0.58
    half_y = half_x / 1.6
    return (cx - half_x, cx + half_x, cy - half_y, cy + half_y)


def _off_map(
    routes: tuple[RoutePath, ...],
    sites: tuple[SitePoint, ...],
    extent: tuple[float, float, float, float],
) -> tuple[tuple[float, float, str], ...]:
    """Where a route to an off-map site crosses the map's edge, and that site's name."""
    west, east, south, north = extent

    def inside(lon: float, lat: float) -> bool:
        return west <= lon <= east and south <= lat <= north

    by_pos = {(s.lon, s.lat): s.name for s in sites}
    labels: dict[str, tuple[float, float, str]] = {}
    for r in routes:
        (x0, x1), (y0, y1) = r.lons, r.lats
        if inside(x0, y0) == inside(x1, y1):
            continue
        if not inside(x0, y0):
            x0, x1, y0, y1 = x1, x0, y1, y0
        name = by_pos.get((x1, y1), r.id)
        # Walk from the inside end towards the outside one until the edge.
        t = np.linspace(0.0, 1.0, 201)
        xs, ys = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        ok = (xs >= west) & (xs <= east) & (ys >= south) & (ys <= north)
        i = int(np.argmin(ok)) - 1
        if name not in labels:
            labels[name] = (float(xs[i]), float(ys[i]), f"to {name}")
    return tuple(labels.values())


def people_out_by_plan(scenario: Scenario, plan: Plan) -> np.ndarray:
    """People still in theatre at the end of each day if the plan ran exactly."""
    exits = {s.id for s in scenario.sites if s.kind == "exit"}
    left = np.zeros(scenario.horizon_days + 1)
    for m in plan.movements:
        if m.destination in exits and m.people:
            left[min(max(m.arrival_day, 0), scenario.horizon_days)] += m.people
    return scenario.total_people - np.cumsum(left)[: scenario.horizon_days]


def uncovered_by_plan(scenario: Scenario, plan: Plan, days: int) -> np.ndarray:
    """Civilians without a base's cover on each day if bases close on the plan's days."""
    out = np.zeros(days)
    for s in scenario.sites:
        day = plan.closure_day.get(s.id)
        if day is not None and s.population_covered:
            out[max(day, 0) :] += s.population_covered
    return out


def movements_frame(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The plan's movements as a table with dates, for the sortable table."""
    # Movements carry the unit they move once the planner tracks units; older plans do not.
    units = any(getattr(m, "unit", "") for m in plan.movements)
    rows = [
        {
            "date": scenario.date_of(m.day).isoformat(),
            "day": m.day,
            "arrives": scenario.date_of(m.arrival_day).isoformat(),
            "from": m.origin,
            "to": m.destination,
            "mode": m.mode,
            "asset": m.asset,
            "convoys/sorties": m.convoys,
            "people": m.people,
            "TEU": round(m.containers_teu, 1),
            "vehicles": m.vehicles,
            **({"unit": getattr(m, "unit", "")} if units else {}),
        }
        for m in sorted(plan.movements, key=lambda m: (m.day, m.origin, m.destination))
    ]
    return pd.DataFrame(rows)


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def sources(scenario: Scenario) -> list[SourceRow]:
    """Every input with its citation or estimate basis, table by table."""
    rows: list[SourceRow] = []
    manifest = scenario.manifest
    for key, source in sorted(manifest.sources.items()):
        value: object = manifest
        for part in key.split("."):
            value = getattr(value, part, "")
        if not isinstance(value, (str, int, float, tuple, dt.date)):
            value = ""  # a whole table or section: its rows carry their own sources
        rows.append(SourceRow("manifest", key, _fmt(value), source, source.startswith("[E]")))
    for u in manifest.uncertainties:
        rows.append(
            SourceRow(
                "uncertainties",
                u.parameter,
                f"{u.low:g} – {u.high:g}",
                u.source,
                u.source.startswith("[E]"),
            )
        )

    def add(table: str, item: str, value: str, source: str) -> None:
        rows.append(
            SourceRow(table, item, value, source or "(none given)", source.startswith("[E]"))
        )

    for s in scenario.sites:
        add("sites", s.id, f"{s.name}, {s.kind}", s.source)
    for unit in scenario.units:
        add("units", unit.id, f"{unit.people:,} people, {unit.kind}", unit.source)
    for h in scenario.holdings:
        add(
            "holdings",
            f"{h.unit} / {h.cargo_class}",
            f"{h.containers_teu:,.0f} TEU, {h.vehicles:,} vehicles, {h.owner}",
            h.source,
        )
    for link in scenario.links:
        add("links", link.id, f"{link.mode}, {link.km:,.0f} km", link.source)
    for truck in scenario.trucks:
        add("assets", truck.id, f"{truck.count} trucks", truck.source)
    for e in scenario.escorts:
        add("assets", e.id, f"{e.convoys_per_day:g} convoys/day on {e.corridor}", e.source)
    for a in scenario.aircraft:
        add("assets", a.id, f"{a.count} aircraft, {a.sorties_per_day:g} sorties/day", a.source)
    for c in scenario.clearances:
        add(
            "clearances",
            f"{c.mode} {c.region} {c.start}–{c.end}",
            f"approval {c.approval:.0%}, mean delay {c.delay_mean_days:g} d",
            c.source,
        )
    for t in scenario.threats:
        add("threats", f"{t.kind} {t.target} {t.start}–{t.end}", f"rate {t.rate:g}", t.source)
    for ev in scenario.events:
        add("events", ev.id, f"{ev.kind} {ev.target} {ev.date}", ev.source)
    return rows
