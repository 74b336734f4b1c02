"""Benchmark: calibrate threats from 100,000 synthetic incidents (target: <= 10 s).

Run: .venv/bin/python benchmarks/bench_calibrate.py [N_EVENTS]

Prints the time to read the events as an ACLED CSV and to calibrate them against the
built-in MINUSMA scenario (the tiny test scenario if it is missing), and, as a reference
measured in the same run, a naive per-event Python loop over links and sites on a subset,
scaled up to N, with the ratio.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import drawdown
from drawdown.analyse.calibrate import (
    EARTH_RADIUS_KM,
    calibrate_threats,
    composite_links,
    snap,
)
from drawdown.analyse.incidents import ACLED_COLUMNS, read_acled
from drawdown.scenario.model import Scenario

START, END = dt.date(2022, 1, 1), dt.date(2023, 6, 30)
SUB_EVENT = {
    "ied": "Remote explosive/landmine/IED",
    "ambush": "Armed clash",
    "base_attack": "Shelling/artillery/missile attack",
}
NOTES = {"ied": "IED on a convoy", "ambush": "convoy ambushed", "base_attack": "mortar on camp"}


def load() -> Scenario:
    if "minusma-2023" in drawdown.builtin_names():
        return drawdown.load_scenario("minusma-2023")
    return drawdown.load_scenario(Path(__file__).parents[1] / "tests" / "data" / "tiny")


def synthetic_events(scenario: Scenario, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """n ACLED rows: 70% IEDs and 20% ambushes along road legs, 10% near bases; 2% far off."""
    through = composite_links(scenario)
    roads = [x for x in scenario.links if x.mode == "road" and x.id not in through]
    bases = [s for s in scenario.sites if s.kind in ("base", "hub")]
    kind = rng.choice(["ied", "ambush", "base_attack"], size=n, p=[0.7, 0.2, 0.1])
    lat, lon = np.empty(n), np.empty(n)
    on_road = kind != "base_attack"
    pick = rng.integers(0, len(roads), on_road.sum())
    a = np.array([(scenario.site(x.from_site).lat, scenario.site(x.from_site).lon) for x in roads])
    b = np.array([(scenario.site(x.to_site).lat, scenario.site(x.to_site).lon) for x in roads])
    t = rng.uniform(0, 1, on_road.sum())
    lat[on_road] = a[pick, 0] + t * (b[pick, 0] - a[pick, 0]) + rng.normal(0, 0.05, t.size)
    lon[on_road] = a[pick, 1] + t * (b[pick, 1] - a[pick, 1]) + rng.normal(0, 0.05, t.size)
    site = rng.integers(0, len(bases), (~on_road).sum())
    lat[~on_road] = np.array([s.lat for s in bases])[site] + rng.normal(0, 0.05, site.size)
    lon[~on_road] = np.array([s.lon for s in bases])[site] + rng.normal(0, 0.05, site.size)
    far = rng.uniform(0, 1, n) < 0.02
    lat[far] += 5.0
    days = rng.integers(0, (END - START).days + 1, n)
    dates = pd.to_datetime(np.datetime64(START) + days.astype("timedelta64[D]"))
    frame = pd.DataFrame({c: "" for c in ACLED_COLUMNS}, index=range(n))
    frame["event_id_cnty"] = [f"SYN{i}" for i in range(n)]
    frame["event_date"] = dates.strftime("%Y-%m-%d")
    frame["event_type"] = "Explosions/Remote violence"
    frame["sub_event_type"] = pd.Series(kind).map(SUB_EVENT)
    frame["notes"] = pd.Series(kind).map(NOTES)
    frame["latitude"] = np.round(lat, 4)
    frame["longitude"] = np.round(lon, 4)
    frame["geo_precision"] = 1
    frame["time_precision"] = 1
    frame["fatalities"] = rng.poisson(0.5, n)
    frame["inter2"] = rng.choice(["8", "External/Other forces"], n)
    return frame


def naive_snap(scenario: Scenario, events: pd.DataFrame) -> list[tuple[str, float]]:
    """The obvious loop: for each event, for each link or site, compute a distance."""
    through = composite_links(scenario)
    roads = [x for x in scenario.links if x.mode == "road" and x.id not in through]
    bases = [s for s in scenario.sites if s.kind in ("base", "hub")]
    out = []
    for lat, lon, kind in zip(events["lat"], events["lon"], events["kind"], strict=True):
        best, best_d = "", math.inf
        if kind in ("ied", "ambush"):
            for link in roads:
                a, b = scenario.site(link.from_site), scenario.site(link.to_site)
                c = math.cos(math.radians((a.lat + b.lat) / 2))
                bx, by = (b.lon - a.lon) * c, b.lat - a.lat
                px, py = (lon - a.lon) * c, lat - a.lat
                t = min(1.0, max(0.0, (px * bx + py * by) / ((bx * bx + by * by) or 1.0)))
                d = math.hypot(px - t * bx, py - t * by) * EARTH_RADIUS_KM * math.pi / 180
                if d < best_d:
                    best, best_d = link.id, d
        else:
            for s in bases:
                p1, p2 = math.radians(lat), math.radians(s.lat)
                h = (
                    math.sin((p2 - p1) / 2) ** 2
                    + math.cos(p1) * math.cos(p2) * math.sin(math.radians(s.lon - lon) / 2) ** 2
                )
                d = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
                if d < best_d:
                    best, best_d = s.id, d
        out.append((best, best_d))
    return out


def main(n: int = 100_000, subset: int = 2_000) -> None:
    rng = np.random.default_rng(2023)
    scenario = load()
    roads = sum(1 for x in scenario.links if x.mode == "road")
    print(f"scenario {scenario.name}: {roads} road links, {len(scenario.sites)} sites")
    frame = synthetic_events(scenario, n, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        frame.to_csv(path, index=False)
        t0 = time.perf_counter()
        incidents = read_acled(path)
        t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = calibrate_threats(scenario, incidents, start=START, end=END)
    t_cal = time.perf_counter() - t0
    kept = incidents.select(start=START, end=END).events
    t0 = time.perf_counter()
    snap(scenario, kept, buffer_km=40.0, base_radius_km=10.0)
    t_snap = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive_snap(scenario, kept.iloc[:subset])
    t_naive = (time.perf_counter() - t0) * len(kept) / subset

    total = t_read + t_cal
    verdict = "ok" if total <= 10 else "MISSED"
    scale = len(kept) / subset
    print(f"events: {n:,} ({len(result.matched):,} matched, {len(result.unmatched):,} unmatched)")
    print(f"read ACLED CSV          {t_read:7.2f} s")
    print(f"calibrate (vectorised)  {t_cal:7.2f} s   of which snapping {t_snap:.2f} s")
    print(f"read + calibrate        {total:7.2f} s   (target <= 10 s: {verdict})")
    print(f"naive per-event loop    {t_naive:7.2f} s   ({subset:,} events x {scale:.0f}, snapping)")
    print(
        f"ratio naive / vectorised snapping: {t_naive / t_snap:,.0f}x; "
        f"naive / whole calibration: {t_naive / t_cal:,.1f}x"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
