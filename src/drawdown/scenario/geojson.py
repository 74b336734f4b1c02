"""GeoJSON export of a scenario's sites and links (RFC 7946: lon, lat order) for QGIS."""

from __future__ import annotations

from typing import Any

from drawdown.scenario.model import Scenario


def scenario_features(scenario: Scenario) -> dict[str, Any]:
    """A FeatureCollection: one Point per site, one LineString per link."""
    people = {site: n for (site,), n in scenario.people_by("site").items()}
    teu: dict[str, float] = {}
    for h in scenario.holdings:
        teu[h.site] = teu.get(h.site, 0.0) + h.containers_teu
    features: list[dict[str, Any]] = []
    for s in scenario.sites:
        properties = s.model_dump(mode="json", exclude={"lat", "lon"})
        properties.update(
            layer="site", people=people.get(s.id, 0), containers_teu=teu.get(s.id, 0.0)
        )
        features.append(
            {
                "type": "Feature",
                "id": s.id,
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": properties,
            }
        )
    by_id = {s.id: s for s in scenario.sites}
    for link in scenario.links:
        a, b = by_id.get(link.from_site), by_id.get(link.to_site)
        if a is None or b is None:
            continue
        properties = link.model_dump(mode="json", by_alias=True)
        properties["passable_months"] = list(link.passable_months)
        properties["layer"] = "link"
        features.append(
            {
                "type": "Feature",
                "id": link.id,
                "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "name": scenario.name, "features": features}
