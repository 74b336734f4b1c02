"""The built-in minusma-2023 scenario is clean, matches the fact sheet and knows no future."""

from __future__ import annotations

import datetime as dt

import pytest

import drawdown
from drawdown.scenario.io import read_scenario
from drawdown.scenario.model import Scenario
from drawdown.scenario.validate import check_scenario, usable_edges

CUTOFF = dt.date(2023, 6, 30)  # what the scenario may know
DEADLINE = dt.date(2023, 12, 31)
BASES = {
    "bamako",
    "sevare",
    "douentza",
    "ogossagou",
    "timbuktu",
    "ber",
    "goundam",
    "gao",
    "ansongo",
    "menaka",
    "kidal",
    "aguelhok",
    "tessalit",
}
HUBS = {"bamako", "gao", "timbuktu", "sevare"}
PRE_ANNOUNCED = {"cote-divoire-departs", "benin-departs"}


@pytest.fixture(scope="module")
def minusma() -> Scenario:
    return drawdown.load_scenario("minusma-2023")


def test_loads_without_errors_or_warnings() -> None:
    """Reading and every cross-table check report nothing at all, not even a warning."""
    scenario, problems = read_scenario("minusma-2023")
    assert scenario is not None
    problems += check_scenario(scenario)
    assert [str(p) for p in problems] == []


def test_totals_in_fact_sheet_ranges(minusma: Scenario) -> None:
    """People, containers and vehicles match the fact sheet and the [P] inventory."""
    by_category = {k[0]: n for k, n in minusma.people_by("category").items()}
    uniformed = by_category["troops"] + by_category["police"]
    assert 12_900 <= uniformed <= 13_300
    assert 1_600 <= by_category["police"] <= 1_800
    assert 1_700 <= by_category["civilian"] <= 1_900
    assert minusma.total_containers_teu == pytest.approx(5_500, abs=50)
    assert minusma.total_vehicles == pytest.approx(4_000, abs=50)


def test_most_civilians_at_bamako_hq(minusma: Scenario) -> None:
    """50-60% of civilian staff are at the Bamako HQ (fact sheet 2.3)."""
    civ = [u for u in minusma.units if u.category == "civilian"]
    share = sum(u.people for u in civ if u.site == "bamako") / sum(u.people for u in civ)
    assert 0.5 <= share <= 0.6


def test_thirteen_sites_and_hubs(minusma: Scenario) -> None:
    """12 camps and the Ogossagou TOB are bases or hubs; Gao, Timbuktu, Bamako are hubs."""
    kinds = {s.id: s.kind for s in minusma.sites}
    assert {i for i, k in kinds.items() if k in ("base", "hub")} == BASES
    assert {i for i, k in kinds.items() if k == "hub"} == HUBS
    exits = {s.id: s.exit_for for s in minusma.sites if s.kind == "exit"}
    assert exits["bamako-airport"] == "people"
    assert exits["niamey"] == "all"
    assert {"dakar", "abidjan", "lome", "cotonou"} <= {i for i, f in exits.items() if f == "cargo"}


def test_every_holding_site_has_people_and_cargo(minusma: Scenario) -> None:
    """Each of the 13 sites holds people, containers and vehicles."""
    for site in BASES:
        rows = [h for h in minusma.holdings if h.site == site]
        assert minusma.people_at(site) > 0, site
        assert sum(h.containers_teu for h in rows) > 0, site
        assert sum(h.vehicles for h in rows) > 0, site


def test_sensitive_cargo_is_weapons_and_armour(minusma: Scenario) -> None:
    """Exactly the weapons/ammunition and armour rows are sensitive."""
    for h in minusma.holdings:
        assert h.sensitive == (h.cargo_class in ("weapons", "armour")), h


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


@pytest.mark.parametrize(
    "months", [(1, 2, 3, 4, 5, 10, 11, 12), (6, 7, 8, 9)], ids=["dry", "rainy"]
)
def test_every_base_reaches_exits_in_each_season(
    minusma: Scenario, months: tuple[int, ...]
) -> None:
    """In the dry and the rainy season alike, people and cargo can leave from every base."""
    edges = usable_edges(minusma, months=months)
    people_exits = {s.id for s in minusma.sites if s.exit_for in ("people", "all")}
    cargo_exits = {s.id for s in minusma.sites if s.exit_for in ("cargo", "all")}
    for base in BASES:
        reach = _reachable(edges, base)
        assert reach & people_exits, base
        assert reach & cargo_exits, base


def test_every_figure_has_a_source(minusma: Scenario) -> None:
    """Every row and every manifest figure cites a source or an estimate basis."""
    rows = (
        *minusma.sites,
        *minusma.holdings,
        *minusma.links,
        *minusma.trucks,
        *minusma.escorts,
        *minusma.aircraft,
        *minusma.clearances,
        *minusma.threats,
        *minusma.events,
    )
    assert all(r.source.strip() for r in rows)
    m = minusma.manifest
    figures = {"start_date", "deadline", "running_cost_usd_per_day", "calendar.rainy_months"}
    figures |= {f"objective.{k}" for k in type(m.objective).model_fields}
    figures |= {f"policy.{k}" for k in type(m.policy).model_fields}
    assert figures <= set(m.sources)
    assert all(u.source for u in m.uncertainties)
    assert len(m.uncertainties) >= 10


def test_manifest_dates_and_cost(minusma: Scenario) -> None:
    """Res. 2690 dates; the $590 M appropriation spread over 184 days."""
    m = minusma.manifest
    assert (m.start_date, m.deadline) == (dt.date(2023, 7, 1), DEADLINE)
    assert minusma.horizon_days == 184
    assert m.running_cost_usd_per_day * 184 == pytest.approx(590e6, rel=1e-3)
    assert m.calendar.rainy_months == (6, 7, 8, 9)


def test_knows_nothing_after_the_cutoff(minusma: Scenario) -> None:
    """No table date after the deadline; only pre-announced departures after 30 June 2023."""
    for row in (*minusma.clearances, *minusma.threats):
        assert minusma.manifest.start_date <= row.start <= DEADLINE
    for e in minusma.events:
        assert e.date <= DEADLINE
        assert e.end_date is None or e.end_date <= DEADLINE
    late = {e.id for e in minusma.events if e.date > CUTOFF}
    assert late == PRE_ANNOUNCED
    assert all(e.kind == "contingent_departs" for e in minusma.events if e.id in late)


def test_rainy_season_closes_only_the_western_track(minusma: Scenario) -> None:
    """The Niono-Niafunke track shuts June-September; the river runs August-January."""
    closed = {link.id for link in minusma.links if 7 not in link.passable_months}
    assert closed == {"niono-niafunke", "mopti-timbuktu-river", "timbuktu-gao-river"}
    river = minusma.link("mopti-timbuktu-river")
    assert river.mode == "river" and river.passable_months == (1, 8, 9, 10, 11, 12)
