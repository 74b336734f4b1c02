"""Bundle Natural Earth country outlines of West and North Africa for the offline report map.

Source: the npm package `world-atlas` (Natural Earth 1:50m admin-0 countries as TopoJSON,
public domain data; package ISC). The script takes the package from the npm registry with
the ordinary client (`npm pack`), or from a folder where it is already unpacked or installed,
decodes the TopoJSON, keeps the countries of the region and writes a compact GeoJSON into
`src/drawdown/report/assets/`. Run it again to reproduce the bundled file byte for byte:

    python scripts/bundle_natural_earth.py                 # npm pack world-atlas@2.0.2
    python scripts/bundle_natural_earth.py --package DIR   # DIR holds countries-50m.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "world-atlas"
VERSION = "2.0.2"
RESOLUTION = "50m"
# Countries kept: those whose main landmass is centred in this box (lon, lat), which takes in
# the Sahel, the Maghreb and the Gulf of Guinea coast (and leaves out Europe's islands).
REGION = (-26.0, -2.0, 26.0, 35.5)  # west, south, east, north
DECIMALS = 3  # about 100 m: finer than the 1:50m source itself

OUT = Path(__file__).resolve().parents[1] / "src" / "drawdown" / "report" / "assets"


def fetch_package(workdir: Path) -> Path:
    """Download the pinned package tarball with npm and unpack it; return its folder."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    tarball = next(workdir.glob(f"{PACKAGE}-{VERSION}.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Turn quantised, delta-encoded TopoJSON arcs into lon/lat point lists."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """Stitch a ring from arc indices (a negative index ~i means arc i reversed)."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return [[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in points]


def polygons(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> list[Any]:
    if geometry["type"] == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


def in_region(polys: list[Any]) -> bool:
    outer = max((poly[0] for poly in polys), key=len)  # main landmass: longest ring
    lons = [p[0] for p in outer]
    lats = [p[1] for p in outer]
    lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    west, south, east, north = REGION
    return west <= lon <= east and south <= lat <= north


def bundle(package_dir: Path) -> Path:
    """Write the region's countries as GeoJSON into the assets folder; return its path."""
    topology = json.loads((package_dir / f"countries-{RESOLUTION}.json").read_text())
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polys = polygons(geometry, arcs)
        if not polys or not in_region(polys):
            continue
        features.append(
            {
                "type": "Feature",
                "id": geometry.get("id", ""),
                "properties": {"name": geometry["properties"]["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {
        "type": "FeatureCollection",
        "source": f"Natural Earth 1:{RESOLUTION} admin-0 countries (public domain), "
        f"via npm {PACKAGE}@{VERSION}",
        "features": features,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "africa-west-north-50m.geojson"
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="folder of an unpacked world-atlas")
    args = parser.parse_args()
    if args.package:
        path = bundle(args.package)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = bundle(fetch_package(Path(tmp)))
    names = [f["properties"]["name"] for f in json.loads(path.read_text())["features"]]
    print(f"wrote {path} ({path.stat().st_size // 1024} KB, {len(names)} countries)")
    print(", ".join(names))


if __name__ == "__main__":
    main()
