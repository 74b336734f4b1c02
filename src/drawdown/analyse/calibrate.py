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
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from drawdown.analyse.incidents import THREAT_KINDS, Incidents
from drawdown.errors import InputError, Problem
from drawdown.scenario.model import Scenario, Site, Threat

EARTH_RADIUS_KM = 6371.0088
ROAD_KINDS = ("ied", "ambush")
SITE_KINDS = ("base_attack", "ground_fire")
EXPOSURE_UNITS = {
    "ied": "convoy-km",
    "ambush": "convoy-km",
    "base_attack": "site-days",
    "ground_fire": "sorties",
}
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
            top = rows.sort_values("mean", ascending=False).head(3)
            best = "; ".join(
                f"{r.target} {r.events} event(s), {r.mean:.3g} [{r.low:.3g}, {r.high:.3g}]"
                for r in top.itertuples()
            )
            unit = EXPOSURE_UNITS[kind]
            lines.append(
                f"  {kind}: {int(rows['events'].sum())} event(s) on {len(rows)} target(s); "
                f"highest per {unit}: {best}"
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
    roads = [link for link in scenario.links if link.mode == "road"]
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
    if kind == "ground_fire":
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
    if kind == "base_attack":
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
) -> pd.DataFrame:
    """Posterior rate per target, kind and period (all targets of kinds seen at least once)."""
    hits = snapped[snapped["matched"]]
    records = []
    tail = (1.0 - credible) / 2.0
    for kind in kinds:
        of_kind = hits[hits["kind"] == kind]
        if of_kind.empty:
            continue
        weekly = _exposure_per_week(scenario, kind, exposure)
        for label, p_start, p_end in _periods(start, end, period_days):
            weeks = ((p_end - p_start).days + 1) / 7.0
            in_period = of_kind[
                (of_kind["date"] >= pd.Timestamp(p_start))
                & (of_kind["date"] <= pd.Timestamp(p_end))
            ]
            counts = in_period["target"].value_counts()
            for target, per_week in weekly.items():
                records.append(
                    (
                        target,
                        kind,
                        label,
                        p_start,
                        p_end,
                        int(counts.get(target, 0)),
                        per_week * weeks,
                    )
                )
    columns = ["target", "kind", "period", "period_start", "period_end", "events", "exposure"]
    table = pd.DataFrame.from_records(records, columns=columns)
    if table.empty:
        return table.assign(
            exposure_unit="", shape=0.0, rate_param=0.0, mean=0.0, low=0.0, high=0.0
        )
    a0 = table["kind"].map(lambda k: _prior(prior_shape, k)).to_numpy(dtype=float)
    b0 = table["kind"].map(lambda k: _prior(prior_rate, k)).to_numpy(dtype=float)
    shape = a0 + table["events"].to_numpy(dtype=float)
    rate = b0 + table["exposure"].to_numpy(dtype=float)
    proper = (shape > 0) & (rate > 0)
    safe_rate = np.where(proper, rate, 1.0)
    table["exposure_unit"] = table["kind"].map(EXPOSURE_UNITS)
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


def _effects(
    scenario: Scenario, matched: pd.DataFrame, kind: str, target: str, min_events: int
) -> tuple[dict[str, float], str]:
    """Effect means for a threat row: from the events if enough, else from the scenario."""
    existing = [t for t in scenario.threats if t.kind == kind and t.target == target]
    same_kind = [t for t in scenario.threats if t.kind == kind]
    values: dict[str, float] = {}
    notes = []
    for name in ("killed_mean", "wounded_mean", *EFFECTS):
        pool = existing or same_kind
        values[name] = _sig(float(np.mean([getattr(t, name) for t in pool]))) if pool else 0.0
    events = matched[matched["kind"] == kind]
    for column, name in (("killed", "killed_mean"), ("wounded", "wounded_mean")):
        known = events[column].dropna()
        if len(known) >= min_events:
            values[name] = _sig(float(known.mean()))
            notes.append(f"{name} from {len(known)} {kind} events")
    kept = "this row" if existing else ("other " + kind + " rows" if same_kind else "none: 0")
    notes.append(f"other effects kept from the scenario ({kept})")
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
    min_events_for_effects: int,
) -> tuple[Threat, ...]:
    threats = []
    total = int(pooled.groupby("kind")["events"].sum().sum()) if not pooled.empty else 0
    for r in pooled.itertuples():
        if not np.isfinite(r.mean):
            continue
        effects, effect_note = _effects(
            scenario, matched, str(r.kind), str(r.target), min_events_for_effects
        )
        source = (
            f"drawdown calibrate: {r.events} {r.kind} event(s) on this target "
            f"({total} matched in all) from {start} to {end} in {Path(file).name}; "
            f"Gamma-Poisson posterior mean, low/high = {credible:.0%} credible interval; "
            f"exposure {r.exposure:,.0f} {r.exposure_unit} [E] ({exposure.describe()}); "
            f"prior Gamma({_prior(prior_shape, str(r.kind)):g}, "
            f"{_prior(prior_rate, str(r.kind)):g}); {effect_note}"
        )
        threats.append(
            Threat(
                target=str(r.target),
                kind=r.kind,
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
    buffer_km: float = 30.0,
    base_radius_km: float = 10.0,
    prior_shape: float | Mapping[str, float] = 0.5,
    prior_rate: float | Mapping[str, float] = 0.0,
    exposure: Exposure | None = None,
    credible: float = 0.9,
    period_days: int | None = None,
    kinds: tuple[str, ...] = THREAT_KINDS,
    max_geo_precision: int = 3,
    max_time_precision: int = 3,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    min_events_for_effects: int = 3,
) -> CalibrationResult:
    """Incident rates per link and base from recorded events, as the scenario's threat rows.

    Parameters
    ----------
    start, end
        Observation window (inclusive); events outside it are left out and counted.
    buffer_km
        Largest distance from a link's straight-line geometry for an IED or ambush to count
        on it. Roads wind, so this is wider than a real road's corridor.
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
        killed and wounded means.

    Raises `InputError` when no event is left in the window or none falls near the
    scenario's links or bases.
    """
    exposure = exposure or Exposure()
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
    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(threats_csv(threats))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# ---------------------------------------------------------------------------------------
# The built-in scenario

SAMPLE = Path(__file__).parent / "data" / "minusma-incidents-2022-2023.csv"
SAMPLE_START = dt.date(2022, 1, 1)
SAMPLE_END = dt.date(2023, 6, 30)


def calibrate_builtin(
    scenario: str | Scenario = "minusma-2023",
    *,
    output: str | os.PathLike[str] | None = None,
    **options: object,
) -> CalibrationResult:
    """Calibrate the built-in scenario's threats from the shipped incident sample.

    With `output`, also writes the scenario's threat table with every calibrated row
    replaced (other rows kept) as a threats.csv there. `options` go to `calibrate_threats`.
    """
    from drawdown.analyse.incidents import read_acled
    from drawdown.scenario.io import load_scenario

    world = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    events = read_acled(SAMPLE)
    result = calibrate_threats(world, events, start=SAMPLE_START, end=SAMPLE_END, **options)  # type: ignore[arg-type]
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
