"""Calibrate a scenario's threat table from recorded incidents.

Each event is snapped to the road link whose geometry passes nearest (within a buffer) or,
for attacks on bases and fire at aircraft, to the site whose surroundings it fell in. Counts
per target become rates with a conjugate Gamma–Poisson posterior: a Gamma(shape, rate) prior
on incidents per unit of exposure, updated by k incidents over an exposure E, gives
Gamma(shape + k, rate + E). Exposure comes from an explicit traffic assumption
(`Exposure`), because incident files record attacks, not the traffic that was exposed.

A link's geometry is the straight segment between its end sites in an equirectangular
projection centred on the segment: within a few hundred km of the equator-side Sahel this is
within a fraction of a percent of great-circle distance, far below the buffer.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from drawdown.analyse.incidents import THREAT_KINDS, Incidents
from drawdown.errors import InputError, Problem
from drawdown.scenario.kinds import LINK_KINDS, SITE_KINDS, THREAT
from drawdown.scenario.model import Scenario, Site, Threat

EARTH_RADIUS_KM = 6371.0088
ROAD_KINDS = LINK_KINDS
# how each exposure unit of the registry is written in calibration tables
_UNIT_PLURAL = {"convoy-km": "convoy-km", "sortie": "sorties", "base-day": "site-days"}
EXPOSURE_UNITS = {name: _UNIT_PLURAL[k.exposure] for name, k in THREAT.items()}
EFFECTS = ("vehicles_lost_mean", "cargo_lost_teu_mean", "delay_days_mean", "garrison_elasticity")


@dataclass(frozen=True)
class Exposure:
    """Traffic assumed during the observation window, to turn counts into rates.

    The defaults are estimates [E]: MINUSMA resupplied its camps by escorted convoys and
    Barkhane ran 2-3 road convoys a week on its main exit axis in 2022 (planning facts §4-§6),
    so 2 convoys a week each way-pair on every road link; 7 sorties a week at each airfield.
    Override per link or per escort corridor where better figures exist.
    """

    convoys_per_week: float = 2.0
    convoys_per_week_by_link: Mapping[str, float] = field(default_factory=dict)
    convoys_per_week_by_corridor: Mapping[str, float] = field(default_factory=dict)
    sorties_per_week: float = 7.0
    sorties_per_week_by_site: Mapping[str, float] = field(default_factory=dict)

    def convoys(self, link_id: str, corridor: str) -> float:
        if link_id in self.convoys_per_week_by_link:
            return self.convoys_per_week_by_link[link_id]
        return self.convoys_per_week_by_corridor.get(corridor, self.convoys_per_week)

    def sorties(self, site_id: str) -> float:
        return self.sorties_per_week_by_site.get(site_id, self.sorties_per_week)

    def describe(self) -> str:
        overrides = len(self.convoys_per_week_by_link) + len(self.convoys_per_week_by_corridor)
        text = f"{self.convoys_per_week:g} convoys/week per road link"
        if overrides:
            text += f" ({overrides} override(s))"
        return text + f", {self.sorties_per_week:g} sorties/week per airfield"


@dataclass(frozen=True)
class CalibrationResult:
    """What a calibration found: rates per target, the threat rows, the events left over.

    `estimates` has one row per target, kind and period: `target`, `kind`, `period_start`,
    `period_end`, `events`, `exposure`, `exposure_unit`, `shape`, `rate_param` (posterior
    Gamma parameters), `mean`, `low`, `high` (per unit of exposure). `matched` holds the
    snapped events with `target` and `distance_km`; `unmatched` the events that fell near no
    link or base, with the nearest candidate and why.
    """

    threats: tuple[Threat, ...]
    estimates: pd.DataFrame
    matched: pd.DataFrame
    unmatched: pd.DataFrame
    file: str
    start: dt.date
    end: dt.date
    buffer_km: float
    credible: float
    rows_read: int
    dropped: dict[str, int]
    exposure: Exposure

    def pooled(self) -> pd.DataFrame:
        """The estimates over the whole window (one row per target and kind)."""
        return self.estimates[self.estimates["period"] == "all"].reset_index(drop=True)

    def summary(self) -> str:
        """A few readable lines: what was read, kept, matched, and the highest rates."""
        lines = [
            f"Calibrated from {Path(self.file).name}: {self.rows_read} rows read, "
            f"{len(self.matched) + len(self.unmatched)} events kept "
            f"({self.start} to {self.end}), {len(self.matched)} matched to a link or base, "
            f"{len(self.unmatched)} unmatched (buffer {self.buffer_km:g} km).",
        ]
        for reason, n in self.dropped.items():
            lines.append(f"  left out: {n} event(s) {reason}")
        pooled = self.pooled()
        for kind in THREAT_KINDS:
            rows = pooled[pooled["kind"] == kind]
            if rows.empty:
                continue
            seen = rows[rows["events"] > 0]
            top = seen.sort_values(["events", "mean"], ascending=False).head(3)
            best = "; ".join(
                f"{r.target} {r.events} event(s), {r.mean:.3g} [{r.low:.3g}, {r.high:.3g}]"
                for r in top.itertuples()
            )
            unit = EXPOSURE_UNITS[kind]
            lines.append(
                f"  {kind}: {int(rows['events'].sum())} event(s) on {len(rows)} target(s); "
                f"most events (rate per {unit}): {best}"
            )
        for r in self.unmatched.head(10).itertuples():
            lines.append(f"  unmatched row {r.row} ({r.date:%Y-%m-%d}, {r.kind}): {r.reason}")
        if len(self.unmatched) > 10:
            lines.append(f"  … and {len(self.unmatched) - 10} more unmatched")
        lines.append(
            f"Rates are Gamma–Poisson posterior means with {self.credible:.0%} credible "
            f"intervals; exposure assumed: {self.exposure.describe()}."
        )
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Geometry


def segment_distance_km(
    lat: np.ndarray,
    lon: np.ndarray,
    a_lat: np.ndarray,
    a_lon: np.ndarray,
    b_lat: np.ndarray,
    b_lon: np.ndarray,
) -> np.ndarray:
    """Distance (km) from each point (N,) to each segment A-B (L,), as an (N, L) array."""
    rad = np.pi / 180.0
    scale = EARTH_RADIUS_KM * rad
    cos0 = np.cos((a_lat + b_lat) * (rad / 2.0))[None, :]
    bx = _wrap(b_lon - a_lon)[None, :] * cos0 * scale
    by = (b_lat - a_lat)[None, :] * scale
    px = _wrap(lon[:, None] - a_lon[None, :]) * cos0 * scale
    py = (lat[:, None] - a_lat[None, :]) * scale
    length2 = bx * bx + by * by
    t = np.clip((px * bx + py * by) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    return np.hypot(px - t * bx, py - t * by)


def haversine_km(
    lat: np.ndarray, lon: np.ndarray, s_lat: np.ndarray, s_lon: np.ndarray
) -> np.ndarray:
    """Great-circle distance (km) from each point (N,) to each site (S,), as (N, S)."""
    rad = np.pi / 180.0
    p1, p2 = lat[:, None] * rad, s_lat[None, :] * rad
    dlat = p2 - p1
    dlon = _wrap(s_lon[None, :] - lon[:, None]) * rad
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _wrap(dlon: np.ndarray) -> np.ndarray:
    return (dlon + 180.0) % 360.0 - 180.0


def _nearest(distance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    index = np.argmin(distance, axis=1)
    return index, np.take_along_axis(distance, index[:, None], axis=1)[:, 0]


def _chunked_nearest(
    lat: np.ndarray,
    lon: np.ndarray,
    distances: Callable[[np.ndarray, np.ndarray], np.ndarray],
    width: int,
    chunk_cells: int = 4_000_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest candidate per point, in chunks so N x L never outgrows memory."""
    n = len(lat)
    index = np.zeros(n, dtype=int)
    best = np.full(n, np.inf)
    if width == 0 or n == 0:
        return index, best
    step = max(1, chunk_cells // width)
    for i in range(0, n, step):
        block = distances(lat[i : i + step], lon[i : i + step])
        index[i : i + step], best[i : i + step] = _nearest(block)
    return index, best


# ---------------------------------------------------------------------------------------
# Snapping


@dataclass(frozen=True)
class _Targets:
    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


def snap(
    scenario: Scenario,
    events: pd.DataFrame,
    *,
    buffer_km: float,
    base_radius_km: float,
) -> pd.DataFrame:
    """Events with `target`, `distance_km`, `matched`, `reason`: where each one belongs."""
    sites = {s.id: s for s in scenario.sites}
    through = composite_links(scenario)
    roads = [link for link in scenario.links if link.mode == "road" and link.id not in through]
    lat = events["lat"].to_numpy(dtype=float)
    lon = events["lon"].to_numpy(dtype=float)
    kind = events["kind"].to_numpy(dtype=object)
    target = np.full(len(events), "", dtype=object)
    distance = np.full(len(events), np.inf)
    matched = np.zeros(len(events), dtype=bool)
    reason = np.full(len(events), "", dtype=object)

    on_road = np.isin(kind, ROAD_KINDS)
    if on_road.any():
        if not roads:
            reason[on_road] = "the scenario has no road links"
        else:
            a = np.array([(sites[r.from_site].lat, sites[r.from_site].lon) for r in roads])
            b = np.array([(sites[r.to_site].lat, sites[r.to_site].lon) for r in roads])
            ids = np.array([r.id for r in roads], dtype=object)
            idx, dist = _chunked_nearest(
                lat[on_road],
                lon[on_road],
                lambda la, lo: segment_distance_km(la, lo, a[:, 0], a[:, 1], b[:, 0], b[:, 1]),
                len(roads),
            )
            ok = dist <= buffer_km
            target[on_road] = ids[idx]
            distance[on_road] = dist
            matched[on_road] = ok
            reason[np.flatnonzero(on_road)[~ok]] = [
                f"nearest road link {ids[i]} is {d:.0f} km away (buffer {buffer_km:g} km)"
                for i, d in zip(idx[~ok], dist[~ok], strict=True)
            ]

    for kind_name in SITE_KINDS:
        mine = kind == kind_name
        if not mine.any():
            continue
        pool = _site_pool(scenario, kind_name)
        if not pool:
            reason[mine] = f"the scenario has no site that can suffer a {kind_name}"
            continue
        s_lat = np.array([s.lat for s in pool])
        s_lon = np.array([s.lon for s in pool])
        radius = np.array([s.coverage_radius_km or base_radius_km for s in pool])
        ids = np.array([s.id for s in pool], dtype=object)
        # Nearest by distance relative to each site's radius, so a small camp beside a
        # big one still claims what falls inside its own perimeter.
        idx, rel = _chunked_nearest(
            lat[mine],
            lon[mine],
            lambda la, lo: haversine_km(la, lo, s_lat, s_lon) / radius[None, :],  # noqa: B023
            len(pool),
        )
        dist = rel * radius[idx]
        ok = rel <= 1.0
        target[mine] = ids[idx]
        distance[mine] = dist
        matched[mine] = ok
        reason[np.flatnonzero(mine)[~ok]] = [
            f"nearest {'airfield' if kind_name == 'ground_fire' else 'base'} {ids[i]} is "
            f"{d:.0f} km away (radius {radius[i]:g} km)"
            for i, d in zip(idx[~ok], dist[~ok], strict=True)
        ]

    out = events.copy()
    out["target"] = target
    out["distance_km"] = distance
    out["matched"] = matched
    out["reason"] = reason
    return out


def _site_pool(scenario: Scenario, kind: str) -> list[Site]:
    if THREAT[kind].exposure == "sortie":  # airfields
        return [s for s in scenario.sites if s.airfield_class != "none"]
    return [s for s in scenario.sites if s.kind in ("base", "hub")]


# ---------------------------------------------------------------------------------------
# Rates


def _exposure_per_week(scenario: Scenario, kind: str, exposure: Exposure) -> dict[str, float]:
    """Exposure a week for every possible target of `kind`, in that kind's unit."""
    if kind in ROAD_KINDS:
        return {
            link.id: exposure.convoys(link.id, link.corridor) * link.km
            for link in scenario.links
            if link.mode == "road"
        }
    if THREAT[kind].exposure == "base-day":
        return {s.id: 7.0 for s in _site_pool(scenario, kind)}
    return {s.id: exposure.sorties(s.id) for s in _site_pool(scenario, kind)}


def _periods(
    start: dt.date, end: dt.date, period_days: int | None
) -> list[tuple[str, dt.date, dt.date]]:
    periods = [("all", start, end)]
    if period_days:
        day = start
        while day <= end:
            last = min(end, day + dt.timedelta(days=period_days - 1))
            periods.append((f"{day}..{last}", day, last))
            day = last + dt.timedelta(days=1)
    return periods


def _prior(value: float | Mapping[str, float], kind: str) -> float:
    return float(value[kind]) if isinstance(value, Mapping) else float(value)


def composite_links(scenario: Scenario, tolerance: float = 0.1) -> dict[str, tuple[str, ...]]:
    """Road links that duplicate a chain of shorter road links (e.g. Sevare-Gao = Sevare-
    Douentza + Douentza-Gao), with that chain.

    A network often holds both a through link and its legs. Events are snapped to the legs
    only (otherwise they would be split arbitrarily between overlapping straight lines) and a
    through link gets the pooled rate of its legs.
    """
    roads = [link for link in scenario.links if link.mode == "road"]
    out: dict[str, tuple[str, ...]] = {}
    for link in roads:
        graph: dict[str, list[tuple[str, float, str]]] = {}
        for other in roads:
            if other.id == link.id:
                continue
            graph.setdefault(other.from_site, []).append((other.to_site, other.km, other.id))
            graph.setdefault(other.to_site, []).append((other.from_site, other.km, other.id))
        best: dict[str, float] = {link.from_site: 0.0}
        via: dict[str, tuple[str, str]] = {}
        queue = [(0.0, link.from_site)]
        limit = link.km * (1.0 + tolerance)
        while queue:
            km, site = heapq.heappop(queue)
            if site == link.to_site or km > best.get(site, np.inf):
                continue
            for nxt, step, link_id in graph.get(site, []):
                total = km + step
                if total <= limit and total < best.get(nxt, np.inf):
                    best[nxt] = total
                    via[nxt] = (site, link_id)
                    heapq.heappush(queue, (total, nxt))
        if link.to_site in via:
            chain, site = [], link.to_site
            while site != link.from_site:
                site, link_id = via[site]
                chain.append(link_id)
            if len(chain) >= 2:
                out[link.id] = tuple(reversed(chain))
    return out


def _pools(scenario: Scenario, kind: str, targets: list[str], pool: str) -> dict[str, list[str]]:
    """For each target, the targets whose events and exposure its estimate pools."""
    if kind not in ROAD_KINDS:
        return {t: [t] for t in targets}
    composite = composite_links(scenario)
    corridor = {link.id: link.corridor for link in scenario.links}
    legs = [t for t in targets if t not in composite]
    pools: dict[str, list[str]] = {}
    for t in legs:
        same = [u for u in legs if corridor[u] and corridor[u] == corridor[t]]
        pools[t] = same if pool == "corridor" and same else [t]
    for t, chain in composite.items():
        if t in targets:
            pools[t] = sorted({u for leg in chain for u in pools.get(leg, [leg])})
    return pools


def estimate_rates(
    scenario: Scenario,
    snapped: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    exposure: Exposure,
    prior_shape: float | Mapping[str, float],
    prior_rate: float | Mapping[str, float],
    credible: float,
    period_days: int | None,
    kinds: tuple[str, ...],
    reporting_fraction: float = 1.0,
    pool: str = "link",
) -> pd.DataFrame:
    """Posterior rate per target, kind and period (all targets of kinds seen at least once).

    Each row keeps its own `events` and `exposure`; the posterior pools those of the targets
    listed in `pooled_over` (itself, the legs of a through link, or its escort corridor).
    """
    hits = snapped[snapped["matched"]]
    records = []
    tail = (1.0 - credible) / 2.0
    for kind in kinds:
        of_kind = hits[hits["kind"] == kind]
        if of_kind.empty:
            continue
        weekly = _exposure_per_week(scenario, kind, exposure)
        pools = _pools(scenario, kind, list(weekly), pool)
        for label, p_start, p_end in _periods(start, end, period_days):
            weeks = ((p_end - p_start).days + 1) / 7.0
            in_period = of_kind[
                (of_kind["date"] >= pd.Timestamp(p_start))
                & (of_kind["date"] <= pd.Timestamp(p_end))
            ]
            counts = in_period["target"].value_counts()
            own = {t: (int(counts.get(t, 0)), per_week * weeks) for t, per_week in weekly.items()}
            for target, members in pools.items():
                pooled_events = sum(own[m][0] for m in members)
                pooled_exposure = sum(own[m][1] for m in members)
                records.append(
                    (
                        target,
                        kind,
                        label,
                        p_start,
                        p_end,
                        own[target][0],
                        own[target][1],
                        pooled_events,
                        pooled_exposure,
                        ";".join(members),
                    )
                )
    columns = [
        "target",
        "kind",
        "period",
        "period_start",
        "period_end",
        "events",
        "exposure",
        "pooled_events",
        "pooled_exposure",
        "pooled_over",
    ]
    table = pd.DataFrame.from_records(records, columns=columns)
    if table.empty:
        return table.assign(
            exposure_unit="", shape=0.0, rate_param=0.0, mean=0.0, low=0.0, high=0.0
        )
    a0 = table["kind"].map(lambda k: _prior(prior_shape, k)).to_numpy(dtype=float)
    b0 = table["kind"].map(lambda k: _prior(prior_rate, k)).to_numpy(dtype=float)
    if pool == "shrink":
        # Partial pooling: a prior worth one incident, centred on the rate of the link's
        # escort corridor (all targets of the kind for bases, airfields and links without
        # one) in the period, so a short link with no event is not judged on 0.5 / E alone.
        corridor = {link.id: link.corridor for link in scenario.links}
        table["group"] = [
            corridor.get(t, "") if k in ROAD_KINDS else ""
            for t, k in zip(table["target"], table["kind"], strict=True)
        ]
        legs = table["pooled_over"] == table["target"]
        sums = table[legs].groupby(["kind", "period", "group"])[["events", "exposure"]].sum()
        keys = list(zip(table["kind"], table["period"], table["group"], strict=True))
        k_all = sums["events"].reindex(keys).to_numpy(dtype=float)
        e_all = sums["exposure"].reindex(keys).to_numpy(dtype=float)
        centre = (k_all + a0) / np.maximum(reporting_fraction * e_all, 1e-300)
        a0 = np.ones(len(table))
        b0 = a0 / centre
    # Only a fraction f of incidents reach the file: counts ~ Poisson(f * rate * exposure).
    shape = a0 + table["pooled_events"].to_numpy(dtype=float)
    rate = b0 + reporting_fraction * table["pooled_exposure"].to_numpy(dtype=float)
    from scipy import stats  # imported here: it takes a second, and the CLI loads this module

    proper = (shape > 0) & (rate > 0)
    safe_rate = np.where(proper, rate, 1.0)
    table["exposure_unit"] = table["kind"].map(EXPOSURE_UNITS)
    table["prior_shape"] = a0
    table["prior_rate"] = b0
    table["shape"] = shape
    table["rate_param"] = rate
    table["mean"] = np.where(proper, shape / safe_rate, np.nan)
    table["low"] = np.where(proper, stats.gamma.ppf(tail, shape, scale=1.0 / safe_rate), np.nan)
    table["high"] = np.where(
        proper, stats.gamma.ppf(1.0 - tail, shape, scale=1.0 / safe_rate), np.nan
    )
    return table


# ---------------------------------------------------------------------------------------
# Threat rows


def _sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def _casualties(matched: pd.DataFrame) -> dict[tuple[str, str], tuple[float, int]]:
    """Mean and count of known killed and wounded per incident, by kind."""
    grouped = matched.groupby("kind")[["killed", "wounded"]].agg(["mean", "count"])
    return {
        (str(kind), column): (float(row[(column, "mean")]), int(row[(column, "count")]))
        for kind, row in grouped.iterrows()
        for column in ("killed", "wounded")
    }


def _effects(
    scenario: Scenario,
    casualties: dict[tuple[str, str], tuple[float, int]],
    kind: str,
    target: str,
    min_events: int | None,
) -> tuple[dict[str, float], str]:
    """Effect means for a threat row: from the events if enough, else from the scenario."""
    existing = [t for t in scenario.threats if t.kind == kind and t.target == target]
    same_kind = [t for t in scenario.threats if t.kind == kind]
    values: dict[str, float] = {}
    notes = []
    for name in ("killed_mean", "wounded_mean", *EFFECTS):
        pool = existing or same_kind
        values[name] = _sig(float(np.mean([getattr(t, name) for t in pool]))) if pool else 0.0
    for column, name in (("killed", "killed_mean"), ("wounded", "wounded_mean")):
        mean, known = casualties.get((kind, column), (0.0, 0))
        if min_events is not None and known >= min_events:
            values[name] = _sig(mean)
            notes.append(f"{name} from {known} {kind} events")
    kept = "this row" if existing else ("other " + kind + " rows" if same_kind else "none: 0")
    notes.append(f"{'other ' if notes else ''}effects kept from the scenario ({kept})")
    return values, "; ".join(notes)


def _threat_rows(
    scenario: Scenario,
    pooled: pd.DataFrame,
    matched: pd.DataFrame,
    *,
    file: str,
    start: dt.date,
    end: dt.date,
    credible: float,
    exposure: Exposure,
    prior_shape: float | Mapping[str, float],
    prior_rate: float | Mapping[str, float],
    valid_from: dt.date,
    valid_to: dt.date,
    min_events_for_effects: int | None,
    reporting_fraction: float,
) -> tuple[Threat, ...]:
    threats = []
    total = len(matched)
    casualties = _casualties(matched)
    for r in pooled.itertuples():
        if not np.isfinite(r.mean):
            continue
        kind, target = str(r.kind), str(r.target)
        effects, effect_note = _effects(scenario, casualties, kind, target, min_events_for_effects)
        members = str(r.pooled_over).split(";")
        where = "on this target"
        if members != [target]:
            where = f"pooled over {', '.join(members)}"
        reported = (
            f", counts taken as {reporting_fraction:.0%} of incidents [E]"
            if reporting_fraction < 1.0
            else ""
        )
        source = (
            f"drawdown calibrate: {r.pooled_events} {kind} event(s) {where} "
            f"({total} matched in all) from {start} to {end} in {Path(file).name}; "
            f"Gamma-Poisson posterior mean, low/high = {credible:.0%} credible interval; "
            f"exposure {r.pooled_exposure:,.0f} {r.exposure_unit} [E] ({exposure.describe()})"
            f"{reported}; prior Gamma({r.prior_shape:.3g}, {r.prior_rate:.3g}); {effect_note}"
        )
        threats.append(
            Threat(
                target=target,
                kind=kind,
                start=valid_from,
                end=valid_to,
                rate=_sig(r.mean),
                low=_sig(r.low),
                high=_sig(r.high),
                source=source,
                **effects,
            )
        )
    return tuple(threats)


def calibrate_threats(
    scenario: Scenario,
    events: Incidents,
    *,
    start: dt.date,
    end: dt.date,
    buffer_km: float = 40.0,
    base_radius_km: float = 10.0,
    prior_shape: float | Mapping[str, float] = 0.5,
    prior_rate: float | Mapping[str, float] = 0.0,
    exposure: Exposure | None = None,
    credible: float = 0.9,
    period_days: int | None = None,
    kinds: tuple[str, ...] = THREAT_KINDS,
    max_geo_precision: int = 3,
    max_time_precision: int = 3,
    involving: tuple[int, ...] | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    min_events_for_effects: int | None = 3,
    reporting_fraction: float = 1.0,
    pool: str = "link",
) -> CalibrationResult:
    """Incident rates per link and base from recorded events, as the scenario's threat rows.

    Parameters
    ----------
    start, end
        Observation window (inclusive); events outside it are left out and counted.
    buffer_km
        Largest distance from a link's straight-line geometry for an IED or ambush to count
        on it. Roads wind: RN16 bows about 30 km off the straight Sevare-Douentza line
        (via Konna), so the default is wide; the nearest link always wins.
    base_radius_km
        Surroundings of a base that has no coverage radius in the scenario.
    prior_shape, prior_rate
        Gamma prior on the rate, per unit of exposure (one value, or one per kind). The
        default Gamma(0.5, 0) is Jeffreys' prior: the posterior mean is (k + 0.5) / E.
    exposure
        Traffic assumed in the window (default `Exposure()`; see its estimates).
    period_days
        Also estimate per consecutive period of this length, to show a trend
        (`estimates`); the threat rows use the whole window.
    valid_from, valid_to
        Dates of the threat rows (default: the scenario's start date and deadline).
    min_events_for_effects
        Fewest events with a casualty figure before the events replace the scenario's
        killed and wounded means (None: never, e.g. when the file over-represents deadly
        incidents, as press compilations do).
    involving
        Keep only events with an actor of these ACLED types, e.g. (8,) for external forces
        such as the mission (see `Incidents.select`). Default: every event.
    reporting_fraction
        Share of the incidents that happened which the file records (press compilations
        miss many): counts are Poisson(fraction x rate x exposure), so rates scale by
        1 / fraction.
    pool
        "link": each link on its own (a through link pools its legs); "corridor": links of
        one escort corridor share their events and exposure; "shrink": each link on its own
        but under a prior worth one incident centred on its corridor's rate (partial
        pooling: a short link with no event is not given a large 0.5 / E). With few events,
        "shrink" or "corridor" are steadier than "link". `prior_shape` and `prior_rate`
        then only set the corridor-level prior.

    Raises `InputError` when no event is left in the window or none falls near the
    scenario's links or bases.
    """
    exposure = exposure or Exposure()
    if not 0.0 < reporting_fraction <= 1.0:
        raise InputError(
            Problem(
                "reporting_fraction",
                f"{reporting_fraction}",
                "must be above 0 and at most 1",
                "e.g. 0.5 if half are missing",
            )
        )
    if pool not in ("link", "corridor", "shrink"):
        raise InputError(Problem("pool", pool, "unknown pooling", "use link, corridor or shrink"))
    if end < start:
        raise InputError(
            Problem("--start/--end", f"{start}..{end}", "end is before start", "swap the dates")
        )
    kept = events.select(
        start=start,
        end=end,
        kinds=kinds,
        max_geo_precision=max_geo_precision,
        max_time_precision=max_time_precision,
        involving=involving,
    )
    if len(kept) == 0:
        span = events.date_range()
        covers = f"the file covers {span[0]} to {span[1]}" if span else "the file has no events"
        left_out = "; ".join(f"{n} {why}" for why, n in kept.dropped.items())
        raise InputError(
            Problem(
                events.file,
                "",
                f"no usable events between {start} and {end} ({covers}; left out: {left_out})",
                "widen --start/--end, or check the event types and precision in the file",
            )
        )
    snapped = snap(scenario, kept.events, buffer_km=buffer_km, base_radius_km=base_radius_km)
    matched = snapped[snapped["matched"]].reset_index(drop=True)
    unmatched = snapped[~snapped["matched"]].reset_index(drop=True)
    if matched.empty:
        raise InputError(
            Problem(
                events.file,
                f"{len(unmatched)} event(s)",
                f"no event falls within {buffer_km:g} km of a road link or inside a base's "
                f"surroundings in scenario {scenario.name}; e.g. row {unmatched['row'].iloc[0]}: "
                f"{unmatched['reason'].iloc[0]}",
                "check the file covers the scenario's area, or raise --buffer-km",
            )
        )
    estimates = estimate_rates(
        scenario,
        snapped,
        start=start,
        end=end,
        exposure=exposure,
        prior_shape=prior_shape,
        prior_rate=prior_rate,
        credible=credible,
        period_days=period_days,
        kinds=kinds,
        reporting_fraction=reporting_fraction,
        pool=pool,
    )
    pooled = estimates[estimates["period"] == "all"]
    threats = _threat_rows(
        scenario,
        pooled,
        matched,
        file=events.file,
        start=start,
        end=end,
        credible=credible,
        exposure=exposure,
        prior_shape=prior_shape,
        prior_rate=prior_rate,
        valid_from=valid_from or scenario.manifest.start_date,
        valid_to=valid_to or scenario.manifest.deadline,
        min_events_for_effects=min_events_for_effects,
        reporting_fraction=reporting_fraction,
    )
    return CalibrationResult(
        threats=threats,
        estimates=estimates,
        matched=matched,
        unmatched=unmatched,
        file=events.file,
        start=start,
        end=end,
        buffer_km=buffer_km,
        credible=credible,
        rows_read=events.rows_read,
        dropped=kept.dropped,
        exposure=exposure,
    )


def merge_threats(
    existing: tuple[Threat, ...], calibrated: tuple[Threat, ...]
) -> tuple[Threat, ...]:
    """The scenario's threat rows with every calibrated (target, kind) replaced.

    Rows for targets and kinds the calibration did not touch (e.g. ground fire when the
    incident file has none) are kept as they were.
    """
    new = {(t.target, t.kind): t for t in calibrated}
    out: list[Threat] = []
    placed: set[tuple[str, str]] = set()
    for t in existing:
        key = (t.target, t.kind)
        if key in new:
            if key not in placed:
                out.append(new[key])
                placed.add(key)
        else:
            out.append(t)
    out.extend(t for key, t in new.items() if key not in placed)
    return tuple(out)


def threats_csv(threats: tuple[Threat, ...]) -> str:
    """Threat rows as the text of a scenario's threats.csv (same columns and formatting)."""
    import csv
    import io

    from drawdown.scenario.tables import TABLES, record_to_row

    table = next(t for t in TABLES if t.file == "threats.csv")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table.columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(record_to_row(table, t) for t in threats)
    return buffer.getvalue()


def write_threats_csv(threats: tuple[Threat, ...], path: str | os.PathLike[str]) -> Path:
    """Write threat rows as a threats.csv atomically (temporary file, then rename)."""
    from drawdown.atomic import atomic_file

    target = Path(path)
    with atomic_file(target, newline="") as handle:
        handle.write(threats_csv(threats))
    return target


# ---------------------------------------------------------------------------------------
# The built-in scenario

SAMPLE = Path(__file__).parent / "data" / "minusma-incidents-2022-2023.csv"
SAMPLE_START = dt.date(2022, 1, 1)
SAMPLE_END = dt.date(2023, 6, 30)

# Assumptions for the built-in scenario, all [E], taken from the traffic estimates behind
# its hand-set threat rows so that the two agree on exposure and differ only in method:
# Gao's southern supply ~6 convoys a month each way on RN16 (2.8 a week), 4 a month each way
# on the northern axis (1.85), 3 a month each way on Douentza-Timbuktu (1.4), a monthly
# convoy each way to Menaka (0.46); 2 a week elsewhere.
BUILTIN_EXPOSURE = Exposure(
    convoys_per_week=2.0,
    convoys_per_week_by_corridor={"centre": 2.8, "north": 1.85, "east": 0.46},
    convoys_per_week_by_link={"douentza-timbuktu": 1.4},
)
# The sample holds only the incidents the fact sheet lists. SG reports give ~5 attacks a
# month on MINUSMA, over half IEDs, about half of them on convoys: ~22 convoy IEDs in the 18
# months against the 11 devices listed, so about half are in the sample [E].
BUILTIN_REPORTING_FRACTION = 0.5
# Only IEDs: the sample lists 1 ambush and 1 camp attack, far too few to replace the
# scenario's estimates from SG aggregates (~1.7 camp attacks a month), which are kept.
BUILTIN_KINDS: tuple[str, ...] = ("ied",)


def builtin_calibration(scenario: Scenario) -> CalibrationResult | None:
    """The calibration behind `scenario`'s threats when they cite the shipped sample, else None.

    The built-in scenario's IED rates come from the incident sample shipped with drawdown;
    redoing that calibration takes a tenth of a second, so a run of such a scenario saves it
    beside its results and its report shows the rates, the events and the file its threats
    rest on. Other scenarios get a calibration only from `drawdown calibrate`.
    """
    if not any(SAMPLE.name in t.source for t in scenario.threats):
        return None
    return calibrate_builtin(scenario)


def calibrate_builtin(
    scenario: str | Scenario = "minusma-2023",
    *,
    output: str | os.PathLike[str] | None = None,
    **options: Any,
) -> CalibrationResult:
    """Calibrate the built-in scenario's IED threats from the shipped incident sample.

    Uses `BUILTIN_EXPOSURE`, `BUILTIN_REPORTING_FRACTION`, `BUILTIN_KINDS` and partial
    pooling ("shrink") unless `options` (passed to `calibrate_threats`) say otherwise. With
    `output`, writes the scenario's threat table with the calibrated rows replaced and every
    other row kept, as a threats.csv.
    """
    from drawdown.analyse.incidents import read_acled
    from drawdown.scenario.io import load_scenario

    world = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    settings: dict[str, Any] = {
        "exposure": BUILTIN_EXPOSURE,
        "reporting_fraction": BUILTIN_REPORTING_FRACTION,
        "kinds": BUILTIN_KINDS,
        "pool": "shrink",
        # Press-listed incidents over-represent deadly ones; the scenario's effects come
        # from UNMAS's complete countrywide counts, so they are kept.
        "min_events_for_effects": None,
        **options,
    }
    result = calibrate_threats(
        world, read_acled(SAMPLE), start=SAMPLE_START, end=SAMPLE_END, **settings
    )
    if output is not None:
        write_threats_csv(merge_threats(world.threats, result.threats), output)
    return result


if __name__ == "__main__":  # python -m drawdown.analyse.calibrate [SCENARIO] [OUTPUT]
    import sys

    args = sys.argv[1:]
    res = calibrate_builtin(
        args[0] if args else "minusma-2023", output=args[1] if len(args) > 1 else None
    )
    print(res.summary())
