"""Checks that span tables: references, reachability, aircraft and runways, missing sources.

Each check returns `Problem`s (errors and warnings) instead of raising, so the user gets all
of them at once.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from drawdown.errors import Problem
from drawdown.scenario.days import MODES
from drawdown.scenario.kinds import ANY_MODE, EVENT, THREAT
from drawdown.scenario.model import Scenario, Sourced
from drawdown.scenario.validate_withdrawal import check_withdrawal

Edges = dict[str, set[str]]


def _duplicates(file: str, column: str, values: Iterable[str]) -> list[Problem]:
    counts = Counter(values)
    return [
        Problem(
            file,
            f"{column}={value}",
            f"{column} '{value}' appears {n} times",
            f"give each row its own {column}",
        )
        for value, n in counts.items()
        if n > 1
    ]


def check_references(scenario: Scenario) -> list[Problem]:
    """Ids that must be unique are; every reference names something that exists."""
    problems = _duplicates("sites.csv", "id", (s.id for s in scenario.sites))
    problems += _duplicates("links.csv", "id", (link.id for link in scenario.links))
    asset_ids = [t.id for t in scenario.trucks] + [e.id for e in scenario.escorts]
    asset_ids += [a.id for a in scenario.aircraft]
    problems += _duplicates("assets.csv", "id", asset_ids)
    problems += _duplicates("events.csv", "id", (e.id for e in scenario.events))

    site_ids = {s.id for s in scenario.sites}
    link_ids = {link.id for link in scenario.links}
    known_sites = ", ".join(sorted(site_ids)[:12])
    for i, h in enumerate(scenario.holdings, start=2):
        if h.site not in site_ids:
            problems.append(
                Problem(
                    "holdings.csv",
                    f"row {i}, column site",
                    f"unknown site '{h.site}'",
                    f"use a site id: {known_sites}",
                )
            )
    for link in scenario.links:
        for column, ref in (("from", link.from_site), ("to", link.to_site)):
            if ref not in site_ids:
                problems.append(
                    Problem(
                        "links.csv",
                        f"id={link.id}, column {column}",
                        f"unknown site '{ref}'",
                        f"use a site id from sites.csv: {known_sites}",
                    )
                )
        if link.from_site == link.to_site:
            problems.append(
                Problem(
                    "links.csv", f"id={link.id}", "link goes nowhere", "from and to must differ"
                )
            )
        if link.mode == "road" and link.dry_km_per_day <= 0:
            problems.append(
                Problem(
                    "links.csv",
                    f"id={link.id}, column dry_km_per_day",
                    "a road link needs a convoy speed above 0",
                    "give km a convoy covers a day, e.g. 250",
                )
            )
    corridors = {e.corridor for e in scenario.escorts}
    for link in scenario.links:
        if link.mode == "road" and link.corridor not in corridors:
            problems.append(
                Problem(
                    "links.csv",
                    f"id={link.id}, column corridor",
                    f"no escort capacity for corridor '{link.corridor}'",
                    "add an escort row for it in assets.csv, or use a "
                    f"corridor that has one: {', '.join(sorted(corridors))}",
                )
            )
    for i, t in enumerate(scenario.threats, start=2):
        on_link = THREAT[t.kind].target == "link"
        pool = link_ids if on_link else site_ids
        if t.target not in pool:
            what = "link" if on_link else "site"
            problems.append(
                Problem(
                    "threats.csv",
                    f"row {i}, column target",
                    f"unknown {what} '{t.target}' for a {t.kind} threat",
                    f"use a {what} id ({'links' if on_link else 'sites'}.csv)",
                )
            )
        if t.end < t.start:
            problems.append(
                Problem("threats.csv", f"row {i}", "end is before start", "swap the dates")
            )
    for i, c in enumerate(scenario.clearances, start=2):
        if c.end < c.start:
            problems.append(
                Problem("clearances.csv", f"row {i}", "end is before start", "swap the dates")
            )
    # A contingent may hold people only (its unit) and no equipment row.
    contingents = {h.contingent for h in scenario.holdings} | {u.contingent for u in scenario.units}
    # what each kind of event target names (scenario.kinds); a mode target takes the one
    # wildcard * for every mode and nothing else (scenario.days)
    pools: dict[str, tuple[set[str], str]] = {
        "link": (link_ids, "a link id"),
        "corridor": (corridors, "an escort corridor"),
        "contingent": (contingents, "a contingent from units.csv or holdings.csv"),
        "mode": ({*MODES, ANY_MODE}, f"{', '.join(MODES)} or {ANY_MODE} for every mode"),
    }
    for e in scenario.events:
        pool, what = pools[EVENT[e.kind].target]
        if e.target not in pool:
            problems.append(
                Problem(
                    "events.csv",
                    f"id={e.id}, column target",
                    f"unknown target '{e.target}' for {e.kind}",
                    f"use {what}",
                )
            )
        if e.end_date is not None and e.end_date < e.date:
            problems.append(
                Problem("events.csv", f"id={e.id}", "end_date is before date", "swap the dates")
            )
    return problems


def check_sites(scenario: Scenario) -> list[Problem]:
    """Exits say what leaves through them; there is something to withdraw."""
    problems = []
    for s in scenario.sites:
        if s.kind == "exit" and not s.exit_for:
            problems.append(
                Problem(
                    "sites.csv",
                    f"id={s.id}, column exit_for",
                    "an exit must say what may leave through it",
                    "write people, cargo or all",
                )
            )
        if s.kind != "exit" and s.exit_for:
            problems.append(
                Problem(
                    "sites.csv",
                    f"id={s.id}, column exit_for",
                    f"only exits take exit_for (this is a {s.kind})",
                    "leave it blank or make the site an exit",
                )
            )
    if not scenario.holdings and not any(u.people for u in scenario.units):
        # People live in units.csv once units are declared: a folder of units and no cargo
        # still has something to withdraw.
        problems.append(
            Problem(
                "holdings.csv",
                "",
                "holds nothing to withdraw",
                "add at least one row of people or cargo",
            )
        )
    for i, h in enumerate(scenario.holdings, start=2):
        try:
            kind = scenario.site(h.site).kind
        except KeyError:
            continue
        if kind in ("exit", "waypoint"):
            problems.append(
                Problem(
                    "holdings.csv",
                    f"row {i}, column site",
                    f"holdings at a {kind} ('{h.site}') are never moved",
                    "put holdings at bases or hubs",
                )
            )
    return problems


# A road or a flight cannot be shorter than the straight line between its ends. The built-in
# scenarios' coordinates put a few ends up to 10% further apart than the link's km (town
# centres, not the road's end), so only a straight line twice the km (plus 50 km) is refused:
# that is a site in the wrong place, most often with its latitude and longitude swapped.
STRAIGHT_LINE_SLACK = 2.0
STRAIGHT_LINE_SLACK_KM = 50.0


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance along the Earth's surface (haversine, mean radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def check_coordinates(scenario: Scenario) -> list[Problem]:
    """Every link's km is at least the straight line between its sites' coordinates (with
    slack); when swapping a site's lat and lon mends its links, the hint says so."""
    sites = {s.id: s for s in scenario.sites}

    def too_far(link_km: float, a: tuple[float, float], b: tuple[float, float]) -> bool:
        straight = great_circle_km(a[0], a[1], b[0], b[1])
        return straight > STRAIGHT_LINE_SLACK * link_km + STRAIGHT_LINE_SLACK_KM

    def at(site_id: str, swapped: str = "") -> tuple[float, float]:
        s = sites[site_id]
        if site_id == swapped and abs(s.lon) <= 90:
            return (s.lon, s.lat)
        return (s.lat, s.lon)

    bad = [
        link
        for link in scenario.links
        if link.from_site in sites
        and link.to_site in sites
        and too_far(link.km, at(link.from_site), at(link.to_site))
    ]
    problems = []
    for link in bad:
        ends = (link.from_site, link.to_site)
        swapped = [
            end
            for end in ends
            if all(
                not too_far(other.km, at(other.from_site, end), at(other.to_site, end))
                for other in scenario.links
                if end in (other.from_site, other.to_site)
                and other.from_site in sites
                and other.to_site in sites
            )
        ]
        a, b = at(link.from_site), at(link.to_site)
        straight = great_circle_km(a[0], a[1], b[0], b[1])
        hint = (
            f"the lat and lon of {swapped[0]} look swapped (swapped, all its links fit): "
            "swap them in sites.csv"
            if swapped
            else f"check the lat and lon of {ends[0]} and {ends[1]} in sites.csv, or the km"
        )
        problems.append(
            Problem(
                "links.csv",
                f"id={link.id}, column km",
                f"{link.km:g} km, but its sites are {straight:,.0f} km apart in a straight "
                "line, which no road or flight can beat",
                hint,
            )
        )
    return problems


def usable_edges(scenario: Scenario, *, months: Iterable[int] = range(1, 13)) -> Edges:
    """Directed site graph of links usable in any of `months` (road/river both ways)."""
    month_set = set(months)
    edges: Edges = defaultdict(set)
    for link in scenario.links:
        if not month_set.intersection(link.passable_months):
            continue
        if link.mode == "air":
            ends = [scenario.site(link.from_site), scenario.site(link.to_site)]
            if not any(all(a.can_use(s) for s in ends) for a in scenario.aircraft if a.count):
                continue
        edges[link.from_site].add(link.to_site)
        edges[link.to_site].add(link.from_site)
    return edges


def _reachable(edges: Edges, start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def check_network(scenario: Scenario) -> list[Problem]:
    """Every base and hub reaches an exit; every air link has an aircraft that can fly it."""
    problems: list[Problem] = []
    site_ids = {s.id for s in scenario.sites}
    for link in scenario.links:
        if link.mode != "air" or {link.from_site, link.to_site} - site_ids:
            continue
        ends = [scenario.site(link.from_site), scenario.site(link.to_site)]
        if not any(all(a.can_use(s) for s in ends) for a in scenario.aircraft):
            runways = ", ".join(f"{s.id} {s.runway_m:.0f} m {s.runway_surface}" for s in ends)
            problems.append(
                Problem(
                    "links.csv",
                    f"id={link.id}",
                    f"no aircraft type can land at both ends ({runways})",
                    "add an aircraft type whose runway needs fit, or remove the air link",
                )
            )
    for a in scenario.aircraft:
        if not any(a.can_use(s) for s in scenario.sites):
            needs = (
                "a helipad or airfield"
                if a.min_runway_m <= 0
                else f"a {a.min_runway_m:.0f} m{' paved' if a.needs_paved else ''} runway"
            )
            # An idle aircraft type harms no plan, so this only warns; an air link that no
            # aircraft can fly is an error above.
            problems.append(
                Problem(
                    "assets.csv",
                    f"id={a.id}",
                    f"aircraft type needs {needs}; no site has one, so it will never fly",
                    "lower min_runway_m or add an airfield",
                    "warning",
                )
            )
    edges = usable_edges(scenario)
    exits = {s.id for s in scenario.sites if s.kind == "exit"}
    if not exits:
        problems.append(
            Problem(
                "sites.csv",
                "",
                "no site of kind exit",
                "add where people or cargo leave the theatre",
            )
        )
    for s in scenario.sites:
        if s.kind in ("base", "hub") and not (_reachable(edges, s.id) & exits):
            problems.append(
                Problem(
                    "links.csv",
                    f"site {s.id}",
                    f"base '{s.id}' has no route to any exit by any mode in any month",
                    "add a road, river or air link towards an exit (check "
                    "passable_months and aircraft runways)",
                )
            )
    return problems


def check_sources(scenario: Scenario) -> list[Problem]:
    """Warn about every figure that cites no source or estimate basis."""
    problems = []
    groups: list[tuple[str, str, Iterable[Sourced]]] = [
        ("sites.csv", "id", scenario.sites),
        ("units.csv", "id", scenario.units),
        ("holdings.csv", "", scenario.holdings),
        ("links.csv", "id", scenario.links),
        ("assets.csv", "id", (*scenario.trucks, *scenario.escorts, *scenario.aircraft)),
        ("clearances.csv", "", scenario.clearances),
        ("threats.csv", "", scenario.threats),
        ("events.csv", "id", scenario.events),
        ("residual_tasks.csv", "", scenario.residual_tasks),
        ("lift.csv", "id", scenario.lift),
    ]
    for file, key, rows in groups:
        for i, row in enumerate(rows, start=2):
            if not row.source.strip():
                where = f"{key}={getattr(row, key)}" if key else f"row {i}"
                problems.append(
                    Problem(
                        file,
                        where,
                        "figure without a source",
                        "cite a source, or write '[E] <basis>' for an estimate",
                        "warning",
                    )
                )
    return problems


def check_scenario(scenario: Scenario, *, whole: bool = True) -> list[Problem]:
    """Every cross-table check, errors and warnings together.

    `whole=False`: some rows are stand-ins for refused ones, so the checks that read the
    network's geometry and reachability (which a stand-in's neutral values would distort)
    are left for when the tables are clean.
    """
    from drawdown.scenario.overrides import check_uncertainties

    problems = check_references(scenario)
    problems += check_sites(scenario)
    problems += check_withdrawal(scenario)
    problems += check_uncertainties(scenario)
    if whole and not any(p.severity == "error" for p in problems):
        problems += check_coordinates(scenario)
        problems += check_network(scenario)
    problems += check_sources(scenario)
    return problems
