"""Scenarios for planner tests, built in code so each one is small enough to solve by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from drawdown.network import link_days
from drawdown.plan.model import Plan
from drawdown.scenario.model import (
    Aircraft,
    ClosureWork,
    ContingentPolicy,
    Escort,
    Holding,
    Link,
    Manifest,
    ObjectiveWeights,
    Policy,
    Scenario,
    Site,
    Threat,
    Truck,
)

START = dt.date(2023, 1, 1)
CLOSURE_FREE = ClosureWork(
    teu_packed_per_person_day=1e6,
    vehicles_prepared_per_person_day=1e6,
    max_teu_packed_per_day=1e6,
    max_vehicles_prepared_per_day=1e6,
    final_steps_days=0,
)


def one_base(
    *,
    days: int = 10,
    people: int = 60,
    teu: float = 0.0,
    vehicles: int = 0,
    value_usd: float = 0.0,
    sensitive: bool = False,
    km: float = 100.0,
    km_per_day: float = 100.0,
    passable: tuple[int, ...] = tuple(range(1, 13)),
    troop_trucks: int = 10,
    cargo_trucks: int = 10,
    escorts_per_day: float = 1.0,
    trucks_per_convoy: int = 20,
    threat_rate: float = 0.0,
    killed_mean: float = 1.0,
    population: int = 0,
    running_cost: float = 0.0,
    weights: dict[str, float] | None = None,
    aircraft: list[Aircraft] | None = None,
    air_link: bool = False,
    guard: int = 10,
) -> Scenario:
    """One base ("camp") with one road (and optionally an air link) to one exit ("port")."""
    sites = (
        Site(
            id="camp",
            name="Camp",
            kind="base",
            lat=15.0,
            lon=0.0,
            region="r",
            airfield_class="airport" if air_link else "none",
            runway_m=2500.0 if air_link else 0.0,
            runway_surface="paved" if air_link else "none",
            air_slots_per_day=10 if air_link else 0,
            population_covered=population,
            coverage_radius_km=20.0,
            source="[E] test",
        ),
        Site(
            id="port",
            name="Port",
            kind="exit",
            lat=14.0,
            lon=0.0,
            region="r",
            exit_for="all",
            airfield_class="airport",
            runway_m=3000.0,
            runway_surface="paved",
            air_slots_per_day=10,
            source="[E] test",
        ),
    )
    links = [
        Link(
            id="road",
            from_site="camp",
            to_site="port",
            mode="road",
            km=km,
            dry_km_per_day=km_per_day,
            wet_km_per_day=km_per_day,
            passable_months=passable,
            corridor="main",
            source="[E] test",
        ),
    ]
    if air_link:
        links.append(
            Link(id="air", from_site="camp", to_site="port", mode="air", km=km, source="[E] test")
        )
    holdings = [
        Holding(
            site="camp", contingent="alpha", category="troops", people=people, source="[E] test"
        )
    ]
    if teu or vehicles:
        holdings.append(
            Holding(
                site="camp",
                contingent="alpha",
                category="troops",
                containers_teu=teu,
                vehicles=vehicles,
                value_usd=value_usd,
                sensitive=sensitive,
                cargo_class="weapons" if sensitive else "general",
                source="[E] test",
            )
        )
    trucks = []
    if troop_trucks:
        trucks.append(Truck(id="troop", count=troop_trucks, people_each=30, source="[E] test"))
    if cargo_trucks:
        trucks.append(Truck(id="cargo", count=cargo_trucks, teu_each=2.0, source="[E] test"))
    threats = []
    if threat_rate:
        threats.append(
            Threat(
                target="road",
                kind="ied",
                start=START,
                end=START + dt.timedelta(days=days),
                rate=threat_rate,
                killed_mean=killed_mean,
                source="[E] test",
            )
        )
    manifest = Manifest(
        name="one-base",
        start_date=START,
        deadline=START + dt.timedelta(days=days - 1),
        running_cost_usd_per_day=running_cost,
        objective=ObjectiveWeights(**(weights or {})),
        # Hand-solved with the flat guard: no rear parties, no guard sized by the threat.
        policy=Policy(
            min_guard_people=guard,
            rear_party_share=0.0,
            rear_party_min_people=0,
            guard_people_per_attack_per_month=0.0,
        ),
        # These scenarios are hand-solved without closure work: packing never binds, no
        # final steps (tests of closure work set their own rates).
        closure=CLOSURE_FREE,
    )
    return Scenario(
        manifest=manifest,
        sites=sites,
        holdings=tuple(holdings),
        links=tuple(links),
        trucks=tuple(trucks),
        escorts=(
            Escort(
                id="e",
                corridor="main",
                convoys_per_day=escorts_per_day,
                trucks_per_convoy=trucks_per_convoy,
                vehicles_per_convoy=10,
                source="[E] test",
            ),
        ),
        aircraft=tuple(aircraft or ()),
        threats=tuple(threats),
        # As before contingents.csv: the contingent lets its equipment be handed over.
        contingents=(ContingentPolicy(id="alpha", handover_allowed=True, source="[E] test"),),
    )


def check_invariants(scenario: Scenario, plan: Plan) -> None:
    """Every invariant a plan must keep, whatever made it."""
    kinds = {s.id: s.kind for s in scenario.sites}
    H = scenario.horizon_days
    ld = link_days(scenario)
    index = {lid: i for i, lid in enumerate(ld.ids)}
    trucks = {t.id: t for t in scenario.trucks}
    aircraft = {a.id: a for a in scenario.aircraft}
    size = max((e.trucks_per_convoy for e in scenario.escorts), default=20)
    slots_used: dict[tuple[str, int], int] = {}
    for m in plan.movements:
        assert 0 <= m.day <= m.arrival_day <= H - 1, m
        assert ld.open[index[m.link], m.day], f"{m.link} closed or impassable on day {m.day}"
        assert m.convoys > 0 and m.people >= 0 and m.containers_teu >= -1e-9 and m.vehicles >= 0
        if m.mode == "air":
            a = aircraft[m.asset]
            load = m.people / a.people_each if a.people_each else (m.people > 0) * 1e9
            load += m.containers_teu / a.teu_each if a.teu_each else (m.containers_teu > 1e-9) * 1e9
            load += m.vehicles / a.vehicles_each if a.vehicles_each else (m.vehicles > 0) * 1e9
            assert load <= m.convoys + 1e-6, f"payload exceeded: {m}"
            if a.min_runway_m > 0:
                for site in (m.origin, m.destination):
                    slots_used[(site, m.day)] = slots_used.get((site, m.day), 0) + m.convoys
        else:
            t = trucks[m.asset]
            assert m.people <= m.convoys * size * t.people_each + 1e-9, f"seats exceeded: {m}"
            assert m.containers_teu <= m.convoys * size * t.teu_each + 1e-6, f"TEU exceeded: {m}"
    for (site, day), used in slots_used.items():
        assert used <= scenario.site(site).air_slots_per_day, f"slots at {site} on day {day}"
    out_people = sum(m.people for m in plan.movements if kinds[m.destination] == "exit")
    assert out_people == scenario.total_people, "every person moved out"
    out_teu = sum(m.containers_teu for m in plan.movements if kinds[m.destination] == "exit")
    left_teu = sum(d.containers_teu for d in plan.dispositions if d.fate != "repatriate")
    assert np.isclose(out_teu + left_teu, scenario.total_containers_teu, atol=1e-3)
    out_veh = sum(m.vehicles for m in plan.movements if kinds[m.destination] == "exit")
    left_veh = sum(d.vehicles for d in plan.dispositions if d.fate != "repatriate")
    assert out_veh + left_veh == scenario.total_vehicles
    assert not any(d.sensitive and d.fate == "hand_over" for d in plan.dispositions)
    for m in plan.movements:
        first, *_, last = m.route.split(">")
        if m.origin == first:
            assert m.day <= plan.closure_day[first], f"{first} moves after it closed"
        if m.destination == last and last in plan.closure_day:
            assert m.arrival_day <= plan.closure_day[last], f"closed {last} receives {m}"
    assert plan.figures["late_people"] == 0 and plan.figures["stranded_people"] == 0


@pytest.fixture
def make() -> Any:
    return one_base
