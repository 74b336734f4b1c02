"""Readable summary tables of a scenario: totals by site and contingent, network, assets.

Returns plain rows (lists of dicts) so the CLI can render them and tests can check them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from drawdown.scenario.model import Scenario

Row = dict[str, Any]


def holdings_by_site(scenario: Scenario) -> list[Row]:
    """People by category, containers, vehicles and value per site, largest first."""
    rows: dict[str, Row] = {}

    def row_of(site: str) -> Row:
        return rows.setdefault(
            site,
            {
                "site": site,
                "troops": 0,
                "police": 0,
                "civilian": 0,
                "containers_teu": 0.0,
                "vehicles": 0,
                "sensitive_teu": 0.0,
                "value_usd": 0.0,
            },
        )

    for (site, category), people in scenario.people_by("site", "category").items():
        row_of(site)[category] += people
    for h in scenario.holdings:
        row = row_of(h.site)
        row["containers_teu"] += h.containers_teu
        row["vehicles"] += h.vehicles
        row["value_usd"] += h.value_usd
        if h.sensitive:
            row["sensitive_teu"] += h.containers_teu
    for row in rows.values():
        row["people"] = row["troops"] + row["police"] + row["civilian"]
    return sorted(rows.values(), key=lambda r: -r["people"])


def holdings_by_contingent(scenario: Scenario) -> list[Row]:
    """People, containers and vehicles per contingent, with the sites it holds."""
    rows: dict[str, Row] = {}
    sites: dict[str, set[str]] = defaultdict(set)

    def row_of(contingent: str) -> Row:
        return rows.setdefault(
            contingent,
            {"contingent": contingent, "people": 0, "containers_teu": 0.0, "vehicles": 0},
        )

    for (contingent, site), people in scenario.people_by("contingent", "site").items():
        row_of(contingent)["people"] += people
        if people:
            sites[contingent].add(site)
    for h in scenario.holdings:
        row = row_of(h.contingent)
        row["containers_teu"] += h.containers_teu
        row["vehicles"] += h.vehicles
        if h.containers_teu or h.vehicles:
            sites[h.contingent].add(h.site)
    for name, row in rows.items():
        row["sites"] = ", ".join(sorted(sites[name]))
    return sorted(rows.values(), key=lambda r: -r["people"])


def network_rows(scenario: Scenario) -> list[Row]:
    """One row per link with its season and speeds."""
    rainy = scenario.rainy_months
    return [
        {
            "link": link.id,
            "from": link.from_site,
            "to": link.to_site,
            "mode": link.mode,
            "km": link.km,
            "surface": link.surface,
            "dry_days": link.travel_days(1, frozenset()) if link.mode != "air" else 0,
            "wet_days": link.travel_days(min(rainy), rainy)
            if rainy and link.mode != "air"
            else None,
            "months": len(link.passable_months),
            "corridor": link.corridor,
        }
        for link in scenario.links
    ]


def asset_rows(scenario: Scenario) -> list[Row]:
    """Trucks, escorts and aircraft as one table."""
    rows: list[Row] = []
    for t in scenario.trucks:
        rows.append(
            {
                "asset": t.id,
                "kind": "truck",
                "count": t.count,
                "capacity": f"{t.teu_each:g} TEU, {t.people_each} people each",
            }
        )
    for e in scenario.escorts:
        rows.append(
            {
                "asset": e.id,
                "kind": "escort",
                "count": e.convoys_per_day,
                "capacity": f"corridor {e.corridor}: {e.convoys_per_day:g} convoys/day of "
                f"≤{e.trucks_per_convoy} trucks + {e.vehicles_per_convoy} "
                "vehicles",
            }
        )
    for a in scenario.aircraft:
        runway = (
            "helipad"
            if a.min_runway_m <= 0
            else (f"≥{a.min_runway_m:.0f} m{' paved' if a.needs_paved else ''}")
        )
        rows.append(
            {
                "asset": a.id,
                "kind": "aircraft",
                "count": a.count,
                "capacity": f"{a.people_each} people or {a.teu_each:g} TEU per sortie, "
                f"{a.sorties_per_day:g} sorties/day, {runway}",
            }
        )
    return rows


def totals(scenario: Scenario) -> Row:
    """Headline totals of the scenario."""
    people: dict[str, int] = defaultdict(int)
    for (category,), n in scenario.people_by("category").items():
        people[category] += n
    return {
        "name": scenario.name,
        "start": scenario.manifest.start_date.isoformat(),
        "deadline": scenario.manifest.deadline.isoformat(),
        "horizon_days": scenario.horizon_days,
        "bases": sum(s.kind == "base" for s in scenario.sites),
        "hubs": sum(s.kind == "hub" for s in scenario.sites),
        "exits": sum(s.kind == "exit" for s in scenario.sites),
        "uniformed": people["troops"] + people["police"],
        "civilian": people["civilian"],
        "people": scenario.total_people,
        "containers_teu": scenario.total_containers_teu,
        "vehicles": scenario.total_vehicles,
        "links": len(scenario.links),
    }


def source_rows(scenario: Scenario) -> list[Row]:
    """Each distinct source with how many figures cite it and in which tables."""
    cited: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tables = {
        "sites": scenario.sites,
        "units": scenario.units,
        "holdings": scenario.holdings,
        "links": scenario.links,
        "assets": (*scenario.trucks, *scenario.escorts, *scenario.aircraft),
        "clearances": scenario.clearances,
        "threats": scenario.threats,
        "events": scenario.events,
        "residual_tasks": scenario.residual_tasks,
        "lift": scenario.lift,
        "contingents": scenario.contingents,
    }
    for table, rows in tables.items():
        for row in rows:
            cited[row.source.strip() or "(no source)"][table] += 1
    for key, source in scenario.manifest.sources.items():
        cited[source.strip() or "(no source)"][f"manifest:{key}"] += 1
    out = [
        {"source": source, "figures": sum(by_table.values()), "where": ", ".join(by_table)}
        for source, by_table in cited.items()
    ]
    return sorted(out, key=lambda r: (-r["figures"], r["source"]))
