"""Candidate routes are ones a logistician would name; planned legs respect every asset."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import drawdown
from drawdown.network import MAX_DETOUR, build_network, revisits_country, site_country
from drawdown.plan import Plan, optimise
from drawdown.scenario.model import Scenario


@pytest.fixture(scope="module")
def minusma() -> Scenario:
    return drawdown.load_scenario("minusma-2023")


@pytest.fixture(scope="module")
def minusma_plan(minusma: Scenario) -> Plan:
    return optimise(minusma, with_greedy=False)


def _shortest_road_km(
    scenario: Scenario, open_links: set[int] | None = None
) -> tuple[dict[str, int], np.ndarray]:
    ids = {s.id: i for i, s in enumerate(scenario.sites)}
    rows, cols, km = [], [], []
    for li, link in enumerate(scenario.links):
        if link.mode == "road" and (open_links is None or li in open_links):
            a, b = ids[link.from_site], ids[link.to_site]
            rows += [a, b]
            cols += [b, a]
            km += [link.km, link.km]
    graph = csr_matrix((km, (rows, cols)), shape=(len(ids), len(ids)))
    return ids, dijkstra(graph)


def test_revisits_country() -> None:
    """Leaving a country and coming back is a revisit; staying or moving on is not."""
    assert revisits_country(["", "bf", "", "ne"])
    assert not revisits_country(["", "", "ne", "ne"])
    assert site_country("abroad", "niamey") == "niamey" and site_country("east", "gao") == ""


def test_candidate_routes_are_plausible(minusma: Scenario) -> None:
    """No road route revisits a country, uses a river leg, or is longer than the detour
    bound times the month's shortest road km (never shorter than the all-year shortest)."""
    net = build_network(minusma)
    ids, shortest = _shortest_road_km(minusma)
    sites = {s.id: s for s in minusma.sites}
    road = [r for r in net.routes if r.mode == "road"]
    assert road
    for r in road:
        links = [minusma.links[li] for li, _ in r.legs]
        assert all(link.mode == "road" for link in links), r
        path = [r.origin]
        for link, (_, fwd) in zip(links, r.legs, strict=True):
            path.append(link.to_site if fwd else link.from_site)
        assert path[-1] == r.destination
        assert not revisits_country([site_country(sites[p].region, p) for p in path]), path
        assert len(set(path)) == len(path), path  # a simple path
        assert r.km >= shortest[ids[r.origin], ids[r.destination]] - 1e-6
        # Within the bound of the shortest road in some month in which all its legs are open.
        months = np.array([minusma.date_of(d).month for d in range(net.horizon_days)])
        within = False
        for month in sorted(set(months.tolist())):
            days = months == month
            open_links = {li for li in range(len(minusma.links)) if net.links.open[li, days].any()}
            if not all(li in open_links for li, _ in r.legs):
                continue
            _, month_km = _shortest_road_km(minusma, open_links)
            within |= r.km <= MAX_DETOUR * month_km[ids[r.origin], ids[r.destination]] + 1e-6
        assert within, path


def test_planned_legs_respect_range_and_mode(minusma: Scenario, minusma_plan: Plan) -> None:
    """No planned air leg is longer than its aircraft's range; no truck on a river leg;
    no planned route passes two foreign sites."""
    aircraft = {a.id: a for a in minusma.aircraft}
    trucks = {t.id for t in minusma.trucks}
    sites = {s.id: s for s in minusma.sites}
    assert minusma_plan.movements
    for m in minusma_plan.movements:
        link = minusma.link(m.link)
        if m.mode == "air":
            assert aircraft[m.asset].range_km == 0 or link.km <= aircraft[m.asset].range_km, m
        if m.asset in trucks:
            assert link.mode == "road", m
        stops = m.route.split(">") if m.route else []
        countries = [site_country(sites[p].region, p) for p in stops]
        assert not revisits_country(countries), m.route
        assert len([c for c in countries if c]) <= 1, m.route


def test_builtin_aircraft_have_sourced_ranges(minusma: Scenario) -> None:
    """Every built-in aircraft type has a range, and its source says where it comes from."""
    for a in minusma.aircraft:
        assert a.range_km > 0, a.id
        assert "range_km" in a.source, a.id
    mi8 = next(a for a in minusma.aircraft if a.id.startswith("mi8"))
    assert 400 <= mi8.range_km <= 500
