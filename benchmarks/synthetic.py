"""Synthetic missions: N sites, M people, a random but realistic network, from a seeded Generator.

The shape follows MINUSMA: bases scattered over a Sahel-sized box (about 1,500 x 1,000 km),
one hub for about every ten bases, an international airport exit, two cargo sea-port exits
far to the south-west, tracks from each base to its nearest hub (some impassable in the
rains), paved roads between hubs and to the exits, escorted corridors per hub region, air
links from every airstrip to its hub and from hubs to the airport, threats higher on tracks,
and one contingent that leaves early. Figures scale with M (people ~ 0.37 TEU and 0.27
vehicles each, as in MINUSMA).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from drawdown.scenario.model import (
    Aircraft,
    Clearance,
    Escort,
    Event,
    Holding,
    Link,
    Manifest,
    Scenario,
    Site,
    Threat,
    Truck,
)

SOURCE = "[E] synthetic mission"
START = dt.date(2023, 7, 1)
KM_PER_DEGREE = 111.0


def _km(a: Site, b: Site) -> float:
    dlat = (a.lat - b.lat) * KM_PER_DEGREE
    dlon = (a.lon - b.lon) * KM_PER_DEGREE * np.cos(np.radians((a.lat + b.lat) / 2))
    return float(np.hypot(dlat, dlon))


def synthetic_mission(
    n_sites: int, n_people: int, *, rng: np.random.Generator, horizon_days: int = 184
) -> Scenario:
    """A mission of `n_sites` bases and hubs holding `n_people` people, drawn from `rng`."""
    n_hubs = max(1, round(n_sites / 10))
    n_bases = max(1, n_sites - n_hubs)
    sites: list[Site] = []
    hub_lat = rng.uniform(13.0, 18.0, n_hubs)
    hub_lon = rng.uniform(-4.0, 3.0, n_hubs)
    for h in range(n_hubs):
        sites.append(
            Site(
                id=f"hub{h}",
                name=f"Hub {h}",
                kind="hub",
                lat=float(hub_lat[h]),
                lon=float(hub_lon[h]),
                region=f"r{h}",
                airfield_class="airport",
                runway_m=2500.0,
                runway_surface="paved",
                air_slots_per_day=20,
                coverage_radius_km=30.0,
                population_covered=int(rng.integers(20_000, 90_000)),
                source=SOURCE,
            )
        )
    owner = rng.integers(0, n_hubs, n_bases)
    for b in range(n_bases):
        h = int(owner[b])
        lat = float(np.clip(hub_lat[h] + rng.normal(0, 1.2), 11.0, 21.0))
        lon = float(np.clip(hub_lon[h] + rng.normal(0, 1.2), -6.0, 5.0))
        strip = rng.random() < 0.4
        sites.append(
            Site(
                id=f"base{b}",
                name=f"Base {b}",
                kind="base",
                lat=lat,
                lon=lon,
                region=f"r{h}",
                airfield_class="airstrip" if strip else "helipad",
                runway_m=1800.0 if strip else 0.0,
                runway_surface="unpaved" if strip else "none",
                air_slots_per_day=4 if strip else 0,
                coverage_radius_km=20.0,
                population_covered=int(rng.integers(2_000, 35_000)),
                source=SOURCE,
            )
        )
    exits = [
        Site(
            id="airport",
            name="Airport",
            kind="exit",
            lat=12.5,
            lon=-8.0,
            region="south",
            exit_for="all",
            airfield_class="airport",
            runway_m=3200.0,
            runway_surface="paved",
            air_slots_per_day=40,
            source=SOURCE,
        ),
        Site(
            id="port-w",
            name="Port West",
            kind="exit",
            lat=14.7,
            lon=-17.4,
            region="abroad",
            exit_for="cargo",
            source=SOURCE,
        ),
        Site(
            id="port-s",
            name="Port South",
            kind="exit",
            lat=6.2,
            lon=1.2,
            region="abroad",
            exit_for="cargo",
            source=SOURCE,
        ),
    ]
    sites += exits
    by_id = {s.id: s for s in sites}
    links: list[Link] = []

    def road(a: str, b: str, corridor: str, kind: str) -> None:
        km = _km(by_id[a], by_id[b]) * 1.3  # roads wind
        track = kind == "track"
        months = (
            (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)
            if track and rng.random() < 0.2
            else tuple(range(1, 13))
        )
        links.append(
            Link(
                id=f"{a}-{b}",
                from_site=a,
                to_site=b,
                mode="road",
                km=round(km),
                surface=kind,
                dry_km_per_day=120.0 if track else 250.0,
                wet_km_per_day=80.0 if track else 200.0,
                passable_months=months,
                corridor=corridor,
                source=SOURCE,
            )
        )

    for b in range(n_bases):
        h = int(owner[b])
        road(f"base{b}", f"hub{h}", f"c{h}", "track")
        same = [x for x in range(n_bases) if x != b and owner[x] == h]
        if same and rng.random() < 0.3:  # a second way out through a neighbour
            near = min(same, key=lambda x: _km(by_id[f"base{b}"], by_id[f"base{x}"]))
            if not any(lk.id == f"base{near}-base{b}" for lk in links):
                road(f"base{b}", f"base{near}", f"c{h}", "track")
        if by_id[f"base{b}"].runway_m > 0:
            links.append(
                Link(
                    id=f"air-base{b}-hub{h}",
                    from_site=f"base{b}",
                    to_site=f"hub{h}",
                    mode="air",
                    km=round(_km(by_id[f"base{b}"], by_id[f"hub{h}"])),
                    source=SOURCE,
                )
            )
    for h in range(n_hubs):
        road(f"hub{h}", "airport", "south", "paved")
        road(f"hub{h}", "port-w" if hub_lon[h] < -0.5 else "port-s", "ports", "paved")
        if h + 1 < n_hubs:
            road(f"hub{h}", f"hub{h + 1}", "trunk", "paved")
        links.append(
            Link(
                id=f"air-hub{h}-airport",
                from_site=f"hub{h}",
                to_site="airport",
                mode="air",
                km=round(_km(by_id[f"hub{h}"], by_id["airport"])),
                source=SOURCE,
            )
        )

    # People, containers and vehicles spread over bases and hubs (hubs hold more).
    weight = np.concatenate([rng.uniform(2.0, 4.0, n_hubs), rng.uniform(0.5, 1.5, n_bases)])
    holders = [f"hub{h}" for h in range(n_hubs)] + [f"base{b}" for b in range(n_bases)]
    people = rng.multinomial(n_people, weight / weight.sum())
    contingents = [f"k{i}" for i in range(max(2, n_sites // 3))]
    holdings: list[Holding] = []
    for site, p in zip(holders, people, strict=True):
        k = str(rng.choice(contingents))
        teu = round(float(p) * 0.37 * rng.uniform(0.7, 1.3), 1)
        veh = int(round(float(p) * 0.27 * rng.uniform(0.7, 1.3)))
        holdings.append(
            Holding(
                site=site,
                contingent=k,
                category="troops",
                people=int(p),
                containers_teu=round(teu * 0.9, 1),
                value_usd=round(teu * 0.9 * 40_000),
                source=SOURCE,
            )
        )
        holdings.append(
            Holding(
                site=site,
                contingent=k,
                category="troops",
                containers_teu=round(teu * 0.1, 1),
                cargo_class="weapons",
                value_usd=round(teu * 0.1 * 250_000),
                sensitive=True,
                source=SOURCE,
            )
        )
        holdings.append(
            Holding(
                site=site,
                contingent=k,
                category="troops",
                vehicles=veh,
                cargo_class="vehicles",
                value_usd=veh * 50_000,
                source=SOURCE,
            )
        )

    scale = n_people / 14_750
    trucks = (
        Truck(id="contracted", count=max(10, round(300 * scale)), teu_each=2.0, source=SOURCE),
        Truck(id="troop", count=max(5, round(80 * scale)), people_each=30, source=SOURCE),
    )
    escorts = [
        Escort(
            id=f"e{h}",
            corridor=f"c{h}",
            convoys_per_day=float(rng.uniform(0.5, 1.0)),
            trucks_per_convoy=40,
            vehicles_per_convoy=30,
            source=SOURCE,
        )
        for h in range(n_hubs)
    ]
    escorts += [
        Escort(
            id="e-south",
            corridor="south",
            convoys_per_day=max(1.0, scale),
            trucks_per_convoy=80,
            vehicles_per_convoy=60,
            source=SOURCE,
        ),
        Escort(
            id="e-ports",
            corridor="ports",
            convoys_per_day=2.0 * max(1.0, scale),
            trucks_per_convoy=50,
            vehicles_per_convoy=40,
            source=SOURCE,
        ),
        Escort(
            id="e-trunk",
            corridor="trunk",
            convoys_per_day=max(0.5, 0.5 * scale),
            trucks_per_convoy=60,
            vehicles_per_convoy=40,
            source=SOURCE,
        ),
    ]
    aircraft = (
        Aircraft(
            id="c130",
            count=max(2, round(3 * scale)),
            people_each=90,
            teu_each=1.0,
            vehicles_each=1,
            sorties_per_day=2.0,
            min_runway_m=1200.0,
            source=SOURCE,
        ),
        Aircraft(
            id="heli",
            count=max(2, round(6 * scale)),
            people_each=20,
            teu_each=0.3,
            sorties_per_day=2.0,
            source=SOURCE,
        ),
    )
    end = START + dt.timedelta(days=horizon_days - 1)
    threats = [
        Threat(
            target=lk.id,
            kind="ied",
            start=START,
            end=end,
            rate=float(rng.uniform(1e-5, 8e-5) if lk.surface == "track" else 2e-6),
            killed_mean=0.5,
            wounded_mean=1.5,
            source=SOURCE,
        )
        for lk in links
        if lk.mode == "road" and lk.corridor != "ports"
    ]
    clearances = (
        Clearance(
            mode="road", start=START, end=end, approval=0.93, delay_mean_days=3.0, source=SOURCE
        ),
        Clearance(
            mode="air", start=START, end=end, approval=0.9, delay_mean_days=2.0, source=SOURCE
        ),
        Clearance(mode="*", region="abroad", start=START, end=end, approval=1.0, source=SOURCE),
    )
    events = (
        Event(
            id="early",
            kind="contingent_departs",
            target=contingents[0],
            date=START + dt.timedelta(days=2 * horizon_days // 3),
            source=SOURCE,
        ),
    )
    manifest = Manifest(
        name=f"synthetic-{n_sites}-{n_people}",
        start_date=START,
        deadline=end,
        running_cost_usd_per_day=3_200_000.0 * scale,
    )
    return Scenario(
        manifest=manifest,
        sites=tuple(sites),
        holdings=tuple(holdings),
        links=tuple(links),
        trucks=trucks,
        escorts=tuple(escorts),
        aircraft=aircraft,
        clearances=clearances,
        threats=tuple(threats),
        events=events,
    )


if __name__ == "__main__":
    s = synthetic_mission(130, 130_000, rng=np.random.default_rng(1))
    print(
        s.name,
        len(s.sites),
        s.total_people,
        round(s.total_containers_teu),
        s.total_vehicles,
        len(s.links),
    )
