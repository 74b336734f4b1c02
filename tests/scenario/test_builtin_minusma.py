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


# minusma-2023-bases.csv est_personnel (uniformed) per site; civilians come on top.
UNIFORMED_BY_SITE = {
    "bamako": 1100,
    "sevare": 2000,
    "douentza": 800,
    "ogossagou": 150,
    "timbuktu": 1700,
    "ber": 200,
    "goundam": 275,
    "gao": 3800,
    "ansongo": 500,
    "menaka": 500,
    "kidal": 1400,
    "aguelhok": 300,
    "tessalit": 500,
}
CIVILIANS_BY_SITE = {
    "bamako": 990,
    "gao": 300,
    "timbuktu": 150,
    "sevare": 150,
    "kidal": 110,
    "menaka": 100,
}


def test_units_hold_the_old_holdings_totals(minusma: Scenario) -> None:
    """Units carry the 15,025 people the holdings held, site by site; holdings carry none."""
    assert minusma.total_people == 15_025
    by = {k[0]: n for k, n in minusma.people_by("category").items()}
    assert by == {"troops": 11_515, "police": 1_710, "civilian": 1_800}
    for site, uniformed in UNIFORMED_BY_SITE.items():
        assert minusma.people_at(site) == uniformed + CIVILIANS_BY_SITE.get(site, 0), site
    assert all(h.people == 0 for h in minusma.holdings)
    assert minusma.total_containers_teu == 5_500 and minusma.total_vehicles == 4_000
    assert sum(h.value_usd for h in minusma.holdings) == pytest.approx(840_330_000)


def test_units_are_formed_units_with_their_equipment(minusma: Scenario) -> None:
    """Each unit is a kind of formed unit at a base or hub; its gear is owned as the facts say."""
    assert len(minusma.units) >= 40
    kinds = {u.kind for u in minusma.units}
    assert kinds == {"battalion", "company", "fpu", "enabling", "staff", "civilian"}
    units = {u.id: u for u in minusma.units}
    for h in minusma.holdings:
        unit = units[h.unit]
        assert (h.site, h.contingent, h.category) == (unit.site, unit.contingent, unit.category)
        assert h.owner == ("un" if unit.category == "civilian" else "coe"), h
    assert minusma.unit("gao-sri-lanka-ccc").people == 243
    assert minusma.unit("sevare-pakistan-hospital").kind == "enabling"


def test_thirteen_sites_have_roles_and_one_hq(minusma: Scenario) -> None:
    """Bamako is the HQ; Gao, Timbuktu and Sévaré hubs; the rest team sites, by sector."""
    roles = {s.id: s.role for s in minusma.sites if s.role}
    assert set(roles) == BASES
    assert [i for i, r in roles.items() if r == "hq"] == ["bamako"]
    assert {i for i, r in roles.items() if r == "hub"} == HUBS - {"bamako"}
    support = {s.id: s.supported_by for s in minusma.sites if s.supported_by}
    assert support["menaka"] == support["ansongo"] == support["kidal"] == "gao"
    assert support["ber"] == support["goundam"] == "timbuktu"
    assert support["douentza"] == support["ogossagou"] == "sevare"
    assert {support[h] for h in HUBS - {"bamako"}} == {"bamako"}
    assert set(support) == BASES - {"bamako"}


def test_strategic_lift_rows(minusma: Scenario) -> None:
    """Charters of ~270 seats from Bamako-Sénou; corridors to Niamey and the four ports."""
    charters = {r.site: r for r in minusma.lift if r.kind == "charter"}
    corridors = {r.site: r for r in minusma.lift if r.kind == "corridor"}
    assert charters["bamako-airport"].seats_each == 270
    assert 2 <= charters["bamako-airport"].flights_per_week <= 6
    assert set(corridors) == {"niamey", "dakar", "abidjan", "lome", "cotonou"}
    assert corridors["niamey"].teu_per_day == pytest.approx(25)
    assert all(r.teu_per_day > 0 and r.vehicles_per_day > 0 for r in corridors.values())


def test_residual_tasks_and_owner_choices(minusma: Scenario) -> None:
    """Task A of res. 2690 runs to 30 Sept 2023; no contributor allows COE handover."""
    assert {t.until for t in minusma.residual_tasks} == {dt.date(2023, 9, 30)}
    assert {t.site for t in minusma.residual_tasks} <= BASES
    assert minusma.contingents and not any(c.handover_allowed for c in minusma.contingents)
    handover = [c for c in minusma.clearances if c.mode == "handover"]
    assert len(handover) == 1 and 0 < handover[0].approval < 1


def test_new_figures_cite_sources_and_no_later_precedent(minusma: Scenario) -> None:
    """Every new row and closure rate has a source; none leans on a post-June 2023 precedent."""
    rows = (*minusma.units, *minusma.lift, *minusma.residual_tasks, *minusma.contingents)
    assert all(r.source.strip() for r in rows)
    m = minusma.manifest
    assert {f"closure.{k}" for k in type(m.closure).model_fields} <= set(m.sources)
    texts = [r.source for r in (*rows, *minusma.holdings, *minusma.sites, *minusma.clearances)]
    texts += list(m.sources.values())
    for banned in ("MONUSCO 2024", "South Kivu", "Niger 2023", "Oct 2023", "Dec 2023"):
        assert not any(banned in t for t in texts), banned
